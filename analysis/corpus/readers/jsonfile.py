"""JSON files (``.json``): an array of article objects, or an object holding one such array.

Scrapers and APIs export articles as ``[{...}, {...}]`` or as
``{"articles": [{...}, ...], "total": 2}``. Each object is one record
(``"item N"``, or ``"articles[N]"`` inside an object); an item that is not
an object is rejected with the reason, as a bad JSONL line is. A single
object with a text field is one article. A ``.json`` file that holds JSON
Lines (one object per line, as some tools name them) is read as JSON Lines,
with a warning saying so.
"""
from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

from ..decoding import read_bytes, utf8_error_where
from ..errors import CorpusError
from ..fields import ALIASES
from ..records import RawRecord, ReadResult, bad, raw_of
from .jsonl import json_kind, parse_line, read_lines

#: Keys that commonly hold the list of articles in an exported object, tried first.
LIST_KEYS = ("articles", "items", "data", "records", "results", "documents", "docs", "posts", "hits")


def read_json(path: Path, label: str) -> ReadResult:
    """Read a JSON file of articles (see the module text); invalid JSON is an error naming its place."""
    data = read_bytes(path, label)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{label}: not valid UTF-8 ({utf8_error_where(data, exc)})") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = _as_json_lines(text, label)
        if lines is not None:
            return lines
        raise CorpusError(f"{label}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:
        raise CorpusError(f"{label}: invalid JSON ({type(exc).__name__})") from None
    return _records(value, label)


def _records(value: Any, label: str) -> ReadResult:
    result = ReadResult()
    if isinstance(value, list):
        result.records = [_item(item, label, f"item {i}") for i, item in enumerate(value, start=1)]
        return result
    if not isinstance(value, dict):
        raise CorpusError(f"{label}: a JSON file of articles holds an array of objects; this one holds "
                          f"{type(value).__name__}")
    key = _list_key(value)
    if key is not None:
        result.records = [_item(item, label, f"{key}[{i}]") for i, item in enumerate(value[key], start=1)]
        others = [k for k in value if k != key]
        result.warnings.append(f"{label}: read the {len(value[key])} item(s) of key {key!r}"
                               + (f"; other keys ignored: {', '.join(map(repr, others[:10]))}" if others else ""))
        return result
    if any(name in value for name in ALIASES["text"]):
        result.records = [RawRecord(label, "object", value, raw_of(value))]
        return result
    raise CorpusError(f"{label}: no list of article objects found (keys: "
                      f"{', '.join(map(repr, list(value)[:10])) or 'none'}); give an array of objects, or "
                      f"an object with one such array (for example under {LIST_KEYS[0]!r})")


def _list_key(value: dict) -> str | None:
    """The key of the object's list of article objects (a list holding objects; other items are
    rejected later): a common name first, else the only such list."""
    lists = [k for k, v in value.items() if isinstance(v, list) and any(isinstance(i, dict) for i in v[:100])]
    named = [k for k in LIST_KEYS if k in lists]
    if named:
        return named[0]
    return lists[0] if len(lists) == 1 else None


def _item(item: Any, label: str, position: str) -> RawRecord:
    if not isinstance(item, dict):
        return bad(label, position, raw_of(item), f"not a JSON object (got {json_kind(item)})")
    return RawRecord(label, position, item, raw_of(item))


def _as_json_lines(text: str, label: str) -> ReadResult | None:
    """JSON Lines in a ``.json`` file, or ``None`` when its first line is not a JSON object."""
    first = next(((n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()), None)
    if first is None or parse_line(first[1].rstrip("\r"), label, first[0]).fields is None:
        return None
    result = read_lines(text, label)
    result.warnings.append(f"{label}: holds one JSON object per line; read as JSON Lines")
    return result
