"""Reading files as text: UTF-8 first, a recorded fallback otherwise."""
from __future__ import annotations

import codecs
from pathlib import Path

from .errors import CorpusError

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_bytes(path: Path, label: str) -> bytes:
    """Return the file's bytes, or raise :class:`CorpusError` naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{label}: file not found") from None
    except IsADirectoryError:
        raise CorpusError(f"{label}: is a folder, not a file") from None
    except OSError as exc:
        raise CorpusError(f"{label}: cannot read ({exc.strerror or exc})") from None


def read_head(path: Path, label: str, size: int = 65536) -> bytes:
    """Return the first ``size`` bytes of the file (for format detection)."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise CorpusError(f"{label}: cannot read ({exc.strerror or exc})") from None


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR line ends into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf8_error_where(data: bytes, exc: UnicodeDecodeError) -> str:
    """Describe where UTF-8 decoding failed, as ``"byte 0xff at line 3, column 5"``."""
    start = exc.start
    line = data.count(b"\n", 0, start) + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    return f"byte 0x{data[start]:02x} at line {line}, column {column}"


def decode_text(data: bytes, label: str) -> tuple[str, list[str]]:
    """Decode a whole file; return its text (LF line ends) and any warnings.

    A UTF-8 BOM is dropped, a UTF-16 BOM selects UTF-16. Bytes that are not
    UTF-8 make the whole file fall back to cp1252 (or latin-1 if cp1252 also
    fails); the fallback is reported as a warning naming the first bad byte.
    """
    warnings: list[str] = []
    if data.startswith(_UTF16_BOMS):
        try:
            return normalize_newlines(data.decode("utf-16")), warnings
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{label}: has a UTF-16 BOM but is not valid UTF-16 ({exc.reason})") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = utf8_error_where(data, exc)
        try:
            text, used = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, used = data.decode("latin-1"), "latin-1"
        warnings.append(f"{label}: not valid UTF-8 ({where}); decoded the whole file as {used}")
    return normalize_newlines(text), warnings
