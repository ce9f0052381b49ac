"""Options shared by the commands that read a corpus."""
from __future__ import annotations

from typing import Optional

import typer

from analysis.config import Config, config_from_dict

__all__ = ["FORMAT_OPTION", "with_format"]

#: ``--format FMT``: read every ``--corpus`` path with this reader (``corpus.format``).
FORMAT_OPTION = typer.Option(
    None, "--format",
    help="Read every --corpus path as this format (digest, jsonl, csv, parquet, folder, text) instead "
         "of telling it from the file ending; sets corpus.format.")


def with_format(cfg: Config, fmt: Optional[str]) -> Config:
    """``cfg`` with ``corpus.format`` set to ``fmt``; ``cfg`` itself when ``fmt`` is ``None``.

    An unknown format is reported by the reader, naming the known ones,
    when the corpus is read.
    """
    if fmt is None:
        return cfg
    return config_from_dict({**cfg.to_dict(), "corpus": {**cfg.corpus.model_dump(), "format": fmt}},
                            "with --format")
