"""The tagged digest format: ``Tag:`` sections of ``•`` bullet articles.

Layout (indentation is free; see ``data/raw/sample_digest_russia.txt``)::

    Tag: Russia

      • Title of the first article

        Title of the first article

        First paragraph ...

        Second paragraph ...

      • Title of the next article
      ...

A ``Tag:`` line (at the start of a line) sets the tags of the articles that
follow, until the next ``Tag:`` line. A ``•`` line starts an article and
holds its title; a ``•`` line indented deeper than the first one is body
text (a list inside an article). The lines up to the next article are the
body: blank lines separate paragraphs, indentation is stripped, and a first
paragraph that repeats the title is dropped. Short heading lines stay as
paragraphs of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..decoding import decode_text, read_bytes
from ..fields import as_tags
from ..records import RawRecord, ReadResult

BULLET = "•"
_TAG_LINE = re.compile(r"^tags?:(.*)$", re.IGNORECASE)


def looks_like_digest(text: str) -> bool:
    """True if the first non-blank line is a ``Tag:`` line or a ``•`` bullet."""
    for line in text.lstrip("\ufeff").split("\n"):
        if line.strip():
            return bool(_TAG_LINE.match(line)) or line.strip().startswith(BULLET)
    return False


def read_digest(path: Path, label: str) -> ReadResult:
    """Read a digest file; each ``•`` article is one record (``"line N"`` of its bullet)."""
    text, warnings = decode_text(read_bytes(path, label), label)
    result = parse_digest(text, label)
    result.warnings[:0] = warnings
    return result


@dataclass
class _Article:
    line: int
    title: str
    tags: list[str]
    body: list[str] = field(default_factory=list)


def parse_digest(text: str, label: str) -> ReadResult:
    """Parse digest ``text`` (LF line ends) into records; see the module docstring."""
    result = ReadResult()
    tags: list[str] = []
    bullet_indent: int | None = None
    article: _Article | None = None
    stray: list[int] = []
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        tag = _TAG_LINE.match(line)
        is_bullet = stripped.startswith(BULLET) and (bullet_indent is None or indent <= bullet_indent)
        if tag or is_bullet:
            _flush(article, label, result)
            article = None
        if tag:
            tags = as_tags(tag.group(1))
        elif is_bullet:
            bullet_indent = indent if bullet_indent is None else bullet_indent
            article = _Article(number, stripped[len(BULLET):].strip(), list(tags))
        elif article is not None:
            article.body.append(line)
        elif stripped:
            stray.append(number)
    _flush(article, label, result)
    result.warnings.extend(f"{label} {where}: text outside any • article ignored" for where in _runs(stray))
    return result


def _runs(numbers: list[int]) -> list[str]:
    """Consecutive line numbers as ``"line 3"`` / ``"lines 3-7"``, ignoring blank gaps of one."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n - runs[-1][1] <= 2:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [f"line {a}" if a == b else f"lines {a}-{b}" for a, b in runs]


def paragraphs_of(lines: list[str]) -> list[str]:
    """Group lines into paragraphs at blank lines, stripping each line."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return paragraphs


def _flush(article: _Article | None, label: str, result: ReadResult) -> None:
    if article is None:
        return
    paragraphs = paragraphs_of(article.body)
    if paragraphs and _same(paragraphs[0], article.title):
        paragraphs = paragraphs[1:]
    fields = {"title": article.title, "text": "\n\n".join(paragraphs), "tags": article.tags}
    raw = "\n".join([f"{BULLET} {article.title}"] + [line.strip() for line in article.body]).strip()
    result.records.append(RawRecord(label, f"line {article.line}", fields, raw))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
