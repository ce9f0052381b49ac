"""Plain text and Markdown: one file is one article."""
from __future__ import annotations

import re
from pathlib import Path

from ..decoding import decode_text, read_bytes
from ..errors import CorpusError
from ..records import RawRecord, ReadResult, printable

#: File endings read from a folder (compared case-insensitively).
TEXT_SUFFIXES = (".txt", ".md")

_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT_RULE = re.compile(r"^(=+|-+)\s*$")
_MAX_HEADING_CHARS = 150


def split_title(text: str, stem: str) -> tuple[str, str]:
    """Return ``(title, body)`` of a text file.

    The first non-blank line is the title when it is a Markdown heading
    (``# Title`` or underlined with ``===``/``---``) or looks like one: at
    most 150 characters, not ending in ``.``, ``,``, ``;`` or ``:``, and
    followed by a blank line and more text. Otherwise the title is ``stem``
    (the file name without its ending) and the body is the whole text.
    """
    lines = text.strip().split("\n")
    first = lines[0].strip()
    heading = _MD_HEADING.match(first)
    if heading and heading.group(1):
        return heading.group(1), "\n".join(lines[1:]).strip()
    if len(lines) > 1 and first and _SETEXT_RULE.match(lines[1].strip()):
        return first, "\n".join(lines[2:]).strip()
    looks_like = (
        0 < len(first) <= _MAX_HEADING_CHARS
        and not first.endswith((".", ",", ";", ":"))
        and len(lines) > 2 and not lines[1].strip()
        and any(line.strip() for line in lines[2:])
    )
    if looks_like:
        return first, "\n".join(lines[2:]).strip()
    return stem, text.strip()


def read_text_file(path: Path, label: str) -> ReadResult:
    """Read one text/Markdown file as one record (title split off the body)."""
    return _read_one(path, label, "line 1", label)


def _read_one(path: Path, file: str, position: str, where: str) -> ReadResult:
    text, warnings = decode_text(read_bytes(path, where), where)
    text = text.lstrip("\ufeff")
    title, body = split_title(text, path.stem) if text.strip() else (path.stem, "")
    record = RawRecord(file, position, {"title": title, "text": body}, text)
    return ReadResult([record], warnings)


def read_folder(path: Path, label: str) -> ReadResult:
    """Read every ``.txt``/``.md`` file under ``path`` (recursively, sorted).

    Each file is one record; its position is the path relative to the folder.
    Hidden files and folders (name starting with ``.``) are skipped.
    """
    if not path.is_dir():
        raise CorpusError(f"{label}: folder not found" if not path.exists() else f"{label}: not a folder")
    files = sorted(
        (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
         and not any(part.startswith(".") for part in p.relative_to(path).parts)),
        key=lambda p: p.relative_to(path).as_posix(),
    )
    result = ReadResult()
    if not files:
        result.warnings.append(f"{label}: no {'/'.join(TEXT_SUFFIXES)} files found")
    for file in files:
        relative = printable(file.relative_to(path).as_posix())
        result.extend(_read_one(file, label, relative, f"{label} {relative}"))
    return result
