"""Readers: one per input format, each turning a path into raw records."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..compression import inner_path
from ..errors import CorpusError
from ..records import ReadResult
from .csvfile import read_csv
from .detect import ENDINGS_NOTE, UNREAD_ENDINGS, file_format
from .digest import looks_like_digest, read_digest
from .excel import read_excel
from .folder import read_folder
from .htmlpage import read_html
from .jsonfile import read_json
from .jsonl import read_jsonl
from .parquet import read_parquet
from .rtf import read_rtf
from .textfiles import read_text_file
from .worddoc import read_docx
from .ziparchive import read_zip


#: Format name -> reader. "text" is one plain/Markdown file = one article.
FORMATS: dict[str, Callable[[Path, str], ReadResult]] = {
    "digest": read_digest, "jsonl": read_jsonl, "json": read_json, "csv": read_csv,
    "parquet": read_parquet, "folder": read_folder, "text": read_text_file, "excel": read_excel,
    "zip": read_zip, "html": read_html, "docx": read_docx, "rtf": read_rtf,
}


def detect_format(path: Path, label: str) -> str:
    """Name the format of ``path`` from its ending (or folder-ness).

    ``.txt`` files are "digest" when their first non-blank line is a
    ``Tag:`` line or a ``•`` bullet, else "text".
    """
    if path.is_dir():
        return "folder"
    if not path.exists():
        raise CorpusError(f"{label}: no such file or folder")
    fmt = file_format(path, label)
    if fmt is None:
        suffix = inner_path(path).suffix.lower()
        if suffix in UNREAD_ENDINGS:
            raise CorpusError(f"{label}: {UNREAD_ENDINGS[suffix]}")
        raise CorpusError(
            f"{label}: cannot tell the format from the ending {suffix or '(none)'!r} "
            f"(known endings: {ENDINGS_NOTE}); name the format, one of "
            f"{', '.join(sorted(FORMATS))}: --format on the command line, "
            f"fmt= in load_corpus, or corpus.format in the config"
        )
    return fmt


def read_path(path: Path, label: str, fmt: str | None = None) -> ReadResult:
    """Read ``path`` with the reader for ``fmt`` (detected when ``None``)."""
    if fmt is None:
        fmt = detect_format(path, label)
    fmt = {"dir": "folder", "directory": "folder", "ndjson": "jsonl", "tsv": "csv", "txt": "text",
           "md": "text", "xlsx": "excel", "htm": "html", "word": "docx"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise CorpusError(f"unknown format {fmt!r}; use one of {sorted(FORMATS)}")
    if not path.exists():
        raise CorpusError(f"{label}: no such file or folder")
    result = FORMATS[fmt](path, label)
    if not result.records and fmt != "folder":
        result.warnings.append(f"{label}: no records found (empty file, or a header only)")
    return result


__all__ = ["FORMATS", "detect_format", "looks_like_digest", "read_csv", "read_digest", "read_docx",
           "read_excel", "read_folder", "read_html", "read_json", "read_jsonl", "read_parquet", "read_path",
           "read_rtf", "read_text_file", "read_zip"]
