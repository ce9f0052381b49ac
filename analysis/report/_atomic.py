"""Handle-based adapters over :mod:`analysis.io`'s atomic writes (matplotlib writes to handles)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from analysis.io import atomic_write as _atomic_write_path
from analysis.io import write_text


def atomic_write(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write(handle)`` on a binary handle; the file appears whole or not at all."""
    def to_path(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            write(handle)

    return _atomic_write_path(path, to_path)


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    return write_text(path, text)
