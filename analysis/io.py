"""Atomic file writing: every artifact appears whole or not at all.

Single files are written to a temporary file beside the target, flushed to
disk and renamed into place (:func:`atomic_write`); a folder is filled beside
its target and renamed into place once (:func:`build_dir_once`). Run folders
are staged and published by :mod:`analysis.runs`.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock

from .safety import inside


@lru_cache(maxsize=1)
def current_umask() -> int:
    """The process umask (read from /proc where possible: setting it to read it is racy)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fsync_dir(directory: Path) -> None:
    """Flush a folder's entries to disk (renames in it survive a crash); a no-op where unsupported."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` on a temporary file beside ``path``, then rename it into place.

    The temporary file is flushed to disk before the rename and removed if
    ``write`` fails (or the process is interrupted), so ``path`` holds either
    its old content or the complete new one. The file gets the usual
    permissions (``0666`` minus the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    fsync_dir(path.parent)
    return path


def build_dir_once(target: str | Path, marker: str, build: Callable[[Path], None]) -> Path:
    """Build the folder ``target`` once: ``build(tmp)`` fills a temporary folder beside it.

    Under a file lock (``<target>.lock``), nothing is done when
    ``target/marker`` exists; otherwise the filled folder is renamed into
    place, so a crash never leaves a half-built folder behind and concurrent
    first uses build it once. Returns ``target``.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if (target / marker).is_file():
            return target
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
        try:
            build(tmp)
            tmp.rename(target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def write_text(path: str | Path, text: str) -> Path:
    """Atomically write UTF-8 text."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(path: str | Path, data: Any) -> Path:
    """Atomically write pretty, key-sorted JSON."""
    return write_text(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def _csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and any(isinstance(v, (list, tuple)) for v in out[col]):
            out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def write_table(df: pd.DataFrame, directory: str | Path, name: str, csv: bool = True) -> dict[str, Path]:
    """Write ``name.parquet`` (and ``name.csv``, lists joined by '; ') atomically.

    ``name`` must stay inside ``directory`` (no ``/``, ``..`` or absolute
    paths): :class:`analysis.safety.UnsafePathError` otherwise.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"parquet": atomic_write(inside(directory, f"{name}.parquet"),
                                     lambda p: df.to_parquet(p, index=False))}
    if csv:
        paths["csv"] = atomic_write(inside(directory, f"{name}.csv"),
                                    lambda p: _csv_ready(df).to_csv(p, index=False))
    return paths


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def folder_sha256s(path: str | Path, skip: str | None = None) -> dict[str, str]:
    """Every file below ``path`` (relative POSIX name, sorted) with its sha256; files with a folder
    named ``skip`` in their path are left out (e.g. ``__pycache__``)."""
    root = Path(path)
    return {f.relative_to(root).as_posix(): file_sha256(f) for f in sorted(root.rglob("*"))
            if f.is_file() and (skip is None or skip not in f.relative_to(root).parts)}


def folder_digest(path: str | Path, skip: str | None = None) -> str:
    """sha256 over :func:`folder_sha256s`: one digest for a folder's file names and bytes."""
    return hashlib.sha256(json.dumps(folder_sha256s(path, skip), sort_keys=True).encode()).hexdigest()


def table_digest(df: pd.DataFrame) -> str:
    """sha256 of a table's content in a canonical text form (column order and values)."""
    blob = _csv_ready(df).to_json(orient="split", index=False, date_format="iso", double_precision=10)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
