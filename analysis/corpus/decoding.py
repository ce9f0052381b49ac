"""Reading files as text: UTF-8 first, a recorded fallback otherwise."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from .compression import decompress, read_head_compressed
from .errors import CorpusError

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_bytes(path: Path, label: str) -> bytes:
    """Return the file's bytes (decompressed if gzip, bz2 or xz), or raise :class:`CorpusError` naming it."""
    try:
        return decompress(path.read_bytes(), path, label)
    except FileNotFoundError:
        raise CorpusError(f"{label}: file not found") from None
    except IsADirectoryError:
        raise CorpusError(f"{label}: is a folder, not a file") from None
    except OSError as exc:
        raise CorpusError(f"{label}: cannot read ({exc.strerror or exc})") from None


def read_head(path: Path, label: str, size: int = 65536) -> bytes:
    """Return the first ``size`` (decompressed) bytes of the file (for format detection)."""
    try:
        head = read_head_compressed(path, label, size)
        if head is not None:
            return head
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise CorpusError(f"{label}: cannot read ({exc.strerror or exc})") from None


def head_text(head: bytes) -> str:
    """Best-effort text of a file's first bytes, for format detection (never raises)."""
    if head.startswith(_UTF16_BOMS):
        return head.decode("utf-16", errors="ignore")
    return decode_mixed(head)[0]


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
    UTF-8 (a cp1252 file, or a UTF-8 file with stray bytes pasted in) are
    decoded one by one as cp1252 (latin-1 for the five bytes cp1252 leaves
    undefined) while every valid UTF-8 sequence is kept, so a mixed file
    keeps its UTF-8 text intact. The fallback is reported as a warning
    naming the first bad byte and how many there were.
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
        text, n_bad = decode_mixed(data)
        warnings.append(f"{label}: not valid UTF-8 ({where}; {n_bad} bad byte(s) in all); "
                        f"decoded those bytes as cp1252")
    return normalize_newlines(text), warnings


def _single_byte_chars() -> list[str]:
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(bytes([byte]).decode("latin-1"))
    return chars


_CP1252 = _single_byte_chars()
_ASCII = re.compile(rb"[\x00-\x7f]")
_HANDLER = "analysis.corpus.cp1252-bytes"
_BAD_COUNT = [0]


def _utf8_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _decode_region(region: bytes) -> tuple[str, int]:
    """Non-ASCII bytes: valid UTF-8 sequences kept, every other byte as cp1252."""
    out, i, bad = [], 0, 0
    while i < len(region):
        length = _utf8_length(region[i])
        if length and i + length <= len(region):
            try:
                out.append(region[i:i + length].decode("utf-8"))
                i += length
                continue
            except UnicodeDecodeError:
                pass
        out.append(_CP1252[region[i]])
        bad += 1
        i += 1
    return "".join(out), bad


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the non-ASCII run at the error byte by byte."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    match = _ASCII.search(exc.object, exc.end)
    end = match.start() if match else len(exc.object)
    text, bad = _decode_region(exc.object[exc.start:end])
    _BAD_COUNT[-1] += bad
    return text, end


def decode_mixed(data: bytes) -> tuple[str, int]:
    """UTF-8 where the bytes are UTF-8, cp1252 (else latin-1) byte by byte elsewhere.

    Returns the text and the number of bytes that were not UTF-8.
    """
    try:
        codecs.lookup_error(_HANDLER)
    except LookupError:
        codecs.register_error(_HANDLER, _cp1252_bytes)
    _BAD_COUNT.append(0)
    try:
        text = data.decode("utf-8", errors=_HANDLER)
        return text, _BAD_COUNT[-1]
    finally:
        _BAD_COUNT.pop()
