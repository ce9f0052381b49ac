"""JSON Lines: one JSON object per line; blank lines are skipped."""
from __future__ import annotations

import codecs
import json
from pathlib import Path

from ..decoding import read_bytes, utf8_error_where
from ..errors import CorpusError
from ..records import RawRecord, ReadResult, bad


def read_jsonl(path: Path, label: str) -> ReadResult:
    """Read a JSONL file; each non-blank line is one record (``"line N"``).

    Lines that are not UTF-8, not valid JSON, or not a JSON object become
    unparsed records (rejected later), so one bad line never stops the file.
    """
    data = read_bytes(path, label)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _read_lines_utf16(data, label)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    result = ReadResult()
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            where = utf8_error_where(line, exc).replace(" at line 1,", " at")
            raw = line.decode("utf-8", errors="backslashreplace")
            result.records.append(bad(label, f"line {number}", raw, f"not valid UTF-8 ({where})"))
            continue
        result.records.append(parse_line(text, label, number))
    return result


def parse_line(text: str, label: str, number: int) -> RawRecord:
    """Parse one JSONL line into a record (or an unparsed record with the reason)."""
    position = f"line {number}"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return bad(label, position, text, f"invalid JSON ({exc.msg}: column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        return bad(label, position, text, f"invalid JSON ({type(exc).__name__}: {str(exc)[:100]})")
    if not isinstance(value, dict):
        return bad(label, position, text, f"not a JSON object (got {json_kind(value)})")
    return RawRecord(label, position, value, text)


def _read_lines_utf16(data: bytes, label: str) -> ReadResult:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{label}: has a UTF-16 BOM but is not valid UTF-16 ({exc.reason})") from None
    return read_lines(text, label)


def read_lines(text: str, label: str) -> ReadResult:
    """Decoded JSON Lines text: one record per non-blank line (``"line N"``)."""
    lines = (line.rstrip("\r") for line in text.split("\n"))
    return ReadResult([parse_line(line, label, n) for n, line in enumerate(lines, start=1) if line.strip()])


def json_kind(value: object) -> str:
    """What a JSON value is, for messages ("an array", "a string", ...)."""
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
