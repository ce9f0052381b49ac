"""Telling a file's format from its ending (and, for ``.txt``, its first line)."""
from __future__ import annotations

from pathlib import Path

from ..compression import COMPRESSION_SUFFIXES, inner_path
from ..decoding import head_text, read_head
from .digest import looks_like_digest

#: File ending (lower case) -> format. ``.txt`` is "digest" or "text" by its first line.
SUFFIX_FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "csv", ".parquet": "parquet",
    ".pq": "parquet", ".md": "text", ".markdown": "text", ".xlsx": "excel", ".xlsm": "excel",
    ".zip": "zip", ".html": "html", ".htm": "html", ".docx": "docx", ".rtf": "rtf",
}
#: Every file ending a reader is chosen for.
SUPPORTED_SUFFIXES = tuple(sorted([*SUFFIX_FORMATS, ".txt"]))
#: Endings with a reader's advice instead of a reader.
UNREAD_ENDINGS = {".xls": "old Excel .xls workbooks are not read; save it as .xlsx or CSV",
                  ".doc": "old Word .doc files are not read; save it as .docx"}
#: How the list of endings reads in messages.
ENDINGS_NOTE = f"{', '.join(SUPPORTED_SUFFIXES)}, each also compressed ({', '.join(COMPRESSION_SUFFIXES)})"


def ending_format(path: Path) -> str | None:
    """The format named by the file's ending alone (under any compression ending); ``None`` for
    ``.txt`` (digest or text: see :func:`file_format`) and for endings no reader takes."""
    return SUFFIX_FORMATS.get(inner_path(path).suffix.lower())


def unsupported_reason(path: Path) -> str | None:
    """Why no reader takes a file of this name (from its ending alone), or ``None`` if one does."""
    inner = inner_path(path)
    if inner.suffix.lower() in SUPPORTED_SUFFIXES:
        return None
    ending = (inner.suffix + (path.suffix if inner != path else "")).lower()  # ".bin.gz"
    if ending in UNREAD_ENDINGS:
        return UNREAD_ENDINGS[ending].split(";")[0]
    return f"unsupported ending {ending!r}" if ending else "no file ending"


def file_format(path: Path, label: str) -> str | None:
    """The format of file ``path`` from its ending, or ``None`` for an unknown ending.

    ``.txt`` files are "digest" when their first non-blank line is a
    ``Tag:`` line or a ``•`` bullet, else "text". A compressed file
    (``.gz``, ``.bz2``, ``.xz``) has the format of the ending under its
    compression ending (``a.jsonl.gz`` is JSON Lines).
    """
    fmt = ending_format(path)
    if fmt is not None:
        return fmt
    if inner_path(path).suffix.lower() == ".txt":
        return "digest" if looks_like_digest(head_text(read_head(path, label))) else "text"
    return None
