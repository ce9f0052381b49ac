"""Options shared by the commands that read a corpus."""
from __future__ import annotations

import typer

from analysis.config import with_format

__all__ = ["FORMAT_OPTION", "with_format"]

#: ``--format FMT``: read every ``--corpus`` path with this reader (``corpus.format``).
FORMAT_OPTION = typer.Option(
    None, "--format",
    help="Read every --corpus path as this format (digest, jsonl, csv, parquet, folder, text) instead "
         "of telling it from the file ending; sets corpus.format.")
