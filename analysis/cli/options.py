"""What the CLI's commands share: the ``--format`` and ``--column`` options and the one-line error exit."""
from __future__ import annotations

import typer
from rich.console import Console

from analysis.config import with_columns, with_format

__all__ = ["COLUMN_OPTION", "FORMAT_OPTION", "fail", "parse_columns", "print_input_notes", "with_columns",
           "with_format"]

_errors = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> None:
    """Print ``error: message`` on stderr and exit with code 2."""
    _errors.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)

#: ``--format FMT``: read every ``--corpus`` path with this reader (``corpus.format``).
FORMAT_OPTION = typer.Option(
    None, "--format",
    help="Read every --corpus path as this format (digest, jsonl, json, csv, excel, parquet, folder, text, html, docx, rtf, zip) instead "
         "of telling it from the file ending; sets corpus.format.")

#: ``--column FIELD=NAME`` (repeatable): read a field from a column the readers do not know (``corpus.columns``).
COLUMN_OPTION = typer.Option(
    None, "--column",
    help="FIELD=NAME: read the field (text, title, source, published, url, tags, article_id, language) from "
         "this column, e.g. --column text=headline; repeat for several; sets corpus.columns.")


def parse_columns(items: list[str] | None) -> dict[str, str] | None:
    """``--column`` values as {field: column}; ends the command on an item without ``=``."""
    out = {}
    for item in items or []:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            fail(f"--column takes FIELD=NAME, got {item!r}")
        out[field.strip()] = column.strip()
    return out or None


def print_input_notes(console: Console, warnings: list[str], rejects, rejects_csv, more_in=None) -> None:
    """The first five warnings of reading a corpus and its first three rejected records, each on a line.

    ``more_in`` (a file) is named when there are more than five warnings;
    ``rejects_csv`` when any record was rejected.
    """
    for warning in warnings[:5]:
        console.print(f"warning: {warning}", highlight=False, markup=False)
    if len(warnings) > 5 and more_in is not None:
        console.print(f"... {len(warnings) - 5} more warnings in {more_in}", highlight=False, markup=False)
    if rejects is None or rejects.empty:
        return
    for _, row in rejects.head(3).iterrows():
        console.print(f"rejected: {row['file']} {row['position']}: {row['reason']}", highlight=False, markup=False)
    console.print(f"rejected records and reasons: {rejects_csv}", highlight=False, markup=False)
