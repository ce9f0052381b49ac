"""Rich Text files (``.rtf``): one article per file, or every article of a Nexis Uni export.

Nexis Uni (LexisNexis) also exports its documents as RTF, with the same
layout as its Word files (see :mod:`.nexis`): such a file gives one record
per article (``document N``). Any other RTF file is one article: its first
line is the title and the other lines are paragraphs. The text is taken from
the RTF with striprtf, decoding escaped characters with the code page the
file declares (``\\ansicpg1251`` for Cyrillic, say; Windows-1252 when none).
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..decoding import read_bytes
from ..errors import CorpusError
from ..records import RawRecord, ReadResult, bad, printable
from .nexis import NEXIS_END, read_nexis

_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")
#: Position of a plain RTF file's one record.
POSITION = "document"


def read_rtf(path: Path, label: str) -> ReadResult:
    """Read an RTF file (see the module docstring)."""
    from striprtf.striprtf import rtf_to_text  # imported here: only this reader needs it

    data = read_bytes(path, label)
    if not data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
        raise CorpusError(f"{label}: not an RTF file (it does not start with '{{\\rtf')")
    try:
        text = rtf_to_text(_source(data), encoding=_encoding(data), errors="replace")
    except (ValueError, IndexError, RecursionError) as exc:
        raise CorpusError(f"{label}: the RTF could not be read ({str(exc)[:200]})") from None
    lines = [printable(line.strip()) for line in text.splitlines() if line.strip()]
    if NEXIS_END in lines:
        return read_nexis(lines, label)
    raw = "\n".join(lines)[:2000]
    if not lines:
        return ReadResult([bad(label, POSITION, raw, "no text in the file")])
    title, body = (lines[0], lines[1:]) if len(lines) > 1 else (None, lines)
    fields = {"text": "\n\n".join(body), **({"title": title} if title else {})}
    return ReadResult([RawRecord(label, POSITION, fields, raw)])


def _source(data: bytes) -> str:
    """The RTF source as text: RTF is ASCII with escapes; stray 8-bit bytes are read as UTF-8 if they
    are valid UTF-8, else one character per byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _encoding(data: bytes) -> str:
    """The code page the file declares for its ``\\'xx`` escapes (Windows-1252 when none or unknown)."""
    match = _CODEPAGE.search(data[:4096])
    if match:
        name = f"cp{int(match.group(1))}"
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            pass
    return "cp1252"
