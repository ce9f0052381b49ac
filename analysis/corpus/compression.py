"""Compressed input files: ``.gz``, ``.bz2`` and ``.xz`` around any file format.

News corpora are often shipped compressed (``articles.jsonl.gz``,
``export.csv.bz2``). A compressed file is read as the file inside it: its
format comes from the ending under the compression ending (``.jsonl`` in
``articles.jsonl.gz``), and its bytes are decompressed in memory before
decoding. Only the ending decides (a plain ``.jsonl`` may start with any
bytes, even a compression's magic), and the magic bytes are checked, so a
file named ``.gz`` that is not gzip data is a clear error rather than a page
of mojibake. Zip archives hold several files and are read like folders
(:mod:`.readers.ziparchive`).
"""
from __future__ import annotations

import bz2
import gzip
import lzma
import zlib
from pathlib import Path

from .errors import CorpusError

#: File ending -> compression name.
COMPRESSION_SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz"}
_MAGIC = {"gzip": b"\x1f\x8b", "bz2": b"BZh", "xz": b"\xfd7zXZ\x00"}
_OPENERS = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}
_DECOMPRESSORS = {"gzip": gzip.decompress, "bz2": bz2.decompress, "xz": lzma.decompress}
_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError)


def compression_of(path: Path) -> str | None:
    """The compression named by the file's ending (``gzip``, ``bz2``, ``xz``), or ``None``."""
    return COMPRESSION_SUFFIXES.get(path.suffix.lower())


def inner_path(path: Path) -> Path:
    """The path without its compression ending (``a.jsonl.gz`` -> ``a.jsonl``): what the format
    and an article's default title are taken from."""
    return path.with_suffix("") if compression_of(path) else path


def magic_compression(head: bytes) -> str | None:
    """The compression whose magic bytes ``head`` starts with, or ``None``."""
    return next((name for name, magic in _MAGIC.items() if head.startswith(magic)), None)


def decompress(data: bytes, path: Path, label: str) -> bytes:
    """``data`` (the bytes of ``path``) decompressed when the ending names a compression; else unchanged.

    A file whose ending names a compression but whose bytes are not that
    compression, and damaged or truncated compressed data, raise
    :class:`CorpusError` naming the file.
    """
    named = compression_of(path)
    if named is None:  # only the ending decides: a plain file may start with any bytes
        return data
    found = magic_compression(data)
    if found != named:
        if not data:
            return data
        raise CorpusError(f"{label}: the ending {path.suffix!r} says {named}-compressed, "
                          f"but the file is not {named} data")
    try:
        return _DECOMPRESSORS[found](data)
    except _ERRORS as exc:
        raise CorpusError(f"{label}: damaged or truncated {found} data ({exc})") from None


def read_head_compressed(path: Path, label: str, size: int) -> bytes | None:
    """The first ``size`` decompressed bytes of a file whose ending names a compression it holds;
    ``None`` otherwise (the plain bytes are read instead)."""
    found = compression_of(path)
    if found is None:
        return None
    with path.open("rb") as handle:
        if magic_compression(handle.read(6)) != found:
            return None
    try:
        with _OPENERS[found](path, "rb") as handle:
            return handle.read(size)
    except _ERRORS as exc:
        raise CorpusError(f"{label}: damaged or truncated {found} data ({exc})") from None
