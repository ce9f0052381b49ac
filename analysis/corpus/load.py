"""Entry points: load a corpus from files or from an in-memory table."""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Union

import pandas as pd

from .errors import CorpusError
from .fields import ALIASES
from .limits import Limits
from .readers import read_path
from .records import ReadResult, printable
from .result import CorpusLoad
from .validate import record_from_mapping, validate_records

PathLike = Union[str, os.PathLike]


def load_corpus(
    path: PathLike | Sequence[PathLike],
    fmt: str | None = None,
    *,
    max_chars: int = 200_000,
    max_paragraphs: int = 2_000,
    text_field: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> CorpusLoad:
    """Read, validate and deduplicate a corpus from one path or a list of paths.

    ``fmt`` ("digest", "jsonl", "json", "csv", "excel", "parquet", "folder", "text", "html", "docx", "rtf" or "zip")
    overrides detection from the file ending for every path. ``text_field``
    names the field holding the text; ``columns`` maps any canonical field
    (``text``, ``title``, ``source``, ``published``, ``url``, ``tags``,
    ``article_id``, ``language``) to an input field name. Articles longer
    than the limits are truncated with a warning. Bad records become rows of
    ``rejects``; a missing path or unreadable file raises :class:`CorpusError`.
    """
    limits = Limits(max_chars, max_paragraphs)
    mapping = _mapping(text_field, columns)
    paths = _as_paths(path)
    combined = ReadResult()
    for one in paths:
        combined.extend(read_path(Path(one), printable(os.fspath(one)), fmt))
    return validate_records(combined.records, limits, mapping, combined.warnings)


def load_corpus_frame(
    df: pd.DataFrame,
    name: str = "<dataframe>",
    *,
    max_chars: int = 200_000,
    max_paragraphs: int = 2_000,
    text_field: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> CorpusLoad:
    """Validate an in-memory table as :func:`load_corpus` validates a file.

    Rows are located as ``"row N"`` (counting from 1 in the frame's order)
    in the pseudo file ``name``.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"load_corpus_frame expects a DataFrame, got {type(df).__name__}")
    limits = Limits(max_chars, max_paragraphs)
    names = [str(c) for c in df.columns]
    records = (
        record_from_mapping(name, f"row {number}", dict(zip(names, values)))
        for number, values in enumerate(df.itertuples(index=False, name=None), start=1)
    )
    return validate_records(records, limits, _mapping(text_field, columns))


def _as_paths(path: PathLike | Sequence[PathLike]) -> list[PathLike]:
    if isinstance(path, (str, os.PathLike)):
        return [path]
    if isinstance(path, Sequence) and not isinstance(path, bytes):
        paths = list(path)
        if not paths:
            raise CorpusError("no input paths given")
        bad = [p for p in paths if not isinstance(p, (str, os.PathLike))]
        if bad:
            raise TypeError(f"paths must be str or os.PathLike, got {type(bad[0]).__name__}")
        return paths
    raise TypeError(f"path must be a str, os.PathLike or a list of them, got {type(path).__name__}")


def _mapping(text_field: str | None, columns: Mapping[str, str] | None) -> dict[str, str]:
    mapping = dict(columns or {})
    unknown = sorted(set(mapping) - set(ALIASES))
    if unknown:
        raise ValueError(f"columns maps unknown fields {unknown}; known: {sorted(ALIASES)}")
    if text_field is not None:
        mapping["text"] = text_field
    return mapping
