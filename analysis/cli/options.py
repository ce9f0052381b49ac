"""What the CLI's commands share: the ``--format`` option and the one-line error exit."""
from __future__ import annotations

import typer
from rich.console import Console

from analysis.config import with_format

__all__ = ["FORMAT_OPTION", "fail", "with_format"]

_errors = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> None:
    """Print ``error: message`` on stderr and exit with code 2."""
    _errors.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)

#: ``--format FMT``: read every ``--corpus`` path with this reader (``corpus.format``).
FORMAT_OPTION = typer.Option(
    None, "--format",
    help="Read every --corpus path as this format (digest, jsonl, csv, parquet, folder, text) instead "
         "of telling it from the file ending; sets corpus.format.")
