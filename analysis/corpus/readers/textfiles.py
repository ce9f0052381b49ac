"""Plain text and Markdown: one article per file, or several separated in a ``.txt`` file."""
from __future__ import annotations

import re
from pathlib import Path

from ..compression import inner_path
from ..decoding import decode_text, read_bytes
from ..records import RawRecord, ReadResult, printable

_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT_RULE = re.compile(r"^(=+|-+)\s*$")
_MAX_HEADING_CHARS = 150
_SEPARATOR = re.compile(r"^[ \t]*(-{3,}|={3,})[ \t]*$")
_GAP = re.compile(r"(?<=\S)[ \t]*\n(?:[ \t]*\n){2,}(?=[ \t]*\S)")
_META_LINE = re.compile(r"^[ \t]*(title|headline|source|date|published|url)[ \t]*:", re.I | re.M)


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
    """Read one text/Markdown file: one article, or several in a ``.txt`` file.

    In a ``.txt`` file, articles are separated by a line holding only three
    or more ``-`` or ``=`` that follows a blank line (a line of ``-`` or
    ``=`` right under a text line is a Markdown heading underline, not a
    separator), or by a form feed character. Each article's title is split
    off its body (:func:`split_title`) and its position is ``"line N"`` of
    its first line. ``.md`` files are never split (``---`` is a Markdown
    rule there). A ``.txt`` file without separators that looks like several
    articles (several gaps of two or more blank lines, or repeated
    ``Title:``/``Source:``/``Date:`` lines) is read as one, with a warning.
    """
    return read_text(path, label, None, label)


def read_text(path: Path, file: str, name: str | None, where: str) -> ReadResult:
    """Records of one text file; ``name`` (its path inside a folder) prefixes positions."""
    text, warnings = decode_text(read_bytes(path, where), where)
    text = text.lstrip("\ufeff")
    path = inner_path(path)  # a.txt.gz: split and titled as a.txt
    pieces = split_articles(text) if path.suffix.lower() == ".txt" else [(1, text)]
    result = ReadResult(warnings=warnings)
    if len(pieces) <= 1:
        title, body = split_title(text, path.stem) if text.strip() else (path.stem, "")
        result.records.append(RawRecord(file, name or "line 1", {"title": title, "text": body}, text))
        reason = looks_like_several(text) if path.suffix.lower() == ".txt" else None
        if reason:
            result.warnings.append(f"{where}: read as one article, but it looks like several ({reason}); "
                                   "put a line holding only --- (or ===, or a form feed) between articles")
        return result
    for line, piece in pieces:
        title, body = split_title(piece, path.stem)
        position = f"{name} line {line}" if name else f"line {line}"
        result.records.append(RawRecord(file, position, {"title": title, "text": body}, piece))
    return result


def split_articles(text: str) -> list[tuple[int, str]]:
    """``(first line number, text)`` of each article of a ``.txt`` file (see :func:`read_text_file`).

    Blank articles are dropped; a text without separators is one article.
    """
    pieces: list[tuple[int, str]] = []
    current: list[str] = []
    start, previous_blank = 1, True

    def flush(next_start: int) -> None:
        nonlocal current, start
        piece = "\n".join(current).strip()
        if piece:
            first = start + next(i for i, line in enumerate(current) if line.strip())
            pieces.append((first, piece))
        current, start = [], next_start

    for number, line in enumerate(text.split("\n"), start=1):
        if previous_blank and _SEPARATOR.match(line):
            flush(number + 1)
            continue
        parts = line.split("\f")
        for part in parts[:-1]:
            current.append(part)
            flush(number)
        current.append(parts[-1])
        previous_blank = not parts[-1].strip()
    flush(start)
    return pieces


def looks_like_several(text: str) -> str | None:
    """Why an unseparated text looks like several articles, or ``None``."""
    gaps = len(_GAP.findall(text.strip()))
    if gaps >= 2:
        return f"{gaps} gaps of two or more blank lines"
    keys = [m.group(1).lower() for m in _META_LINE.finditer(text)]
    repeated = sorted({key for key in keys if keys.count(key) >= 2})
    if repeated:
        return f"repeated {', '.join(k.capitalize() + ':' for k in repeated)} lines"
    return None


def read_folder_texts(files: list[Path], root: Path, label: str) -> ReadResult:
    """Read text files found in folder ``root``; positions start with the path inside it."""
    result = ReadResult()
    for file in files:
        relative = printable(file.relative_to(root).as_posix())
        result.extend(read_text(file, label, relative, f"{label} {relative}"))
    return result
