"""Atomic file writing: every artifact appears whole or not at all.

Single files are written to a temporary file beside the target, flushed to
disk and renamed into place (:func:`atomic_write`). A run folder is built in
a private staging folder and moved into place as a whole under a file lock
(:func:`stage_run_dir`, :func:`publish_run_dir`), so ``<output>/<run-id>/``
always holds one complete run: never a half-written one after a crash, never
a mix of two runs that finished at the same time.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import os
import platform
import re
import shutil
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .safety import inside

#: Seconds to wait for another process publishing the same run folder.
LOCK_TIMEOUT = 600.0
_STAGES: set[Path] = set()


class OutputError(ValueError):
    """The output folder cannot be used (a file, not writable, unsafe)."""


@lru_cache(maxsize=1)
def _umask() -> int:
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


def _fsync_dir(directory: Path) -> None:
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
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _fsync_dir(path.parent)
    return path


def build_dir_once(target: str | Path, marker: str, build: Callable[[Path], None]) -> Path:
    """Build the folder ``target`` once: ``build(tmp)`` fills a temporary folder beside it.

    Under a file lock (``<target>.lock``), nothing is done when
    ``target/marker`` exists; otherwise the filled folder is renamed into
    place, so a crash never leaves a half-built folder behind and concurrent
    first uses build it once. Returns ``target``.
    """
    from filelock import FileLock

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


def table_digest(df: pd.DataFrame) -> str:
    """sha256 of a table's content in a canonical text form (column order and values)."""
    blob = _csv_ready(df).to_json(orient="split", index=False, date_format="iso", double_precision=10)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ run folders
def output_root(output_dir: str | Path) -> Path:
    """Create (if needed) and check the folder that receives run folders.

    Raises :class:`OutputError` with a one-line reason when it is a file,
    cannot be created, or is not writable.
    """
    root = Path(output_dir).expanduser()
    if root.exists() and not root.is_dir():
        raise OutputError(f"output folder {root} exists and is not a folder")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {root} ({exc.strerror or exc})") from None
    if not os.access(root, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {root} is not writable")
    return root.resolve()


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", platform.node() or "host")


def stage_run_dir(output_dir: str | Path, run_id: str) -> Path:
    """A fresh private folder beside ``<output_dir>/<run_id>`` to build the run in.

    Its name carries host and process id, so leftovers of a killed run are
    recognised and removed by the next run of the same id.
    """
    root = output_root(output_dir)
    inside(root, run_id)  # the run id must name a folder directly below the root
    _remove_stale(root, run_id)
    stage = Path(tempfile.mkdtemp(prefix=f".{run_id}.staging.{_host()}.{os.getpid()}.", dir=root))
    os.chmod(stage, 0o777 & ~_umask())
    _STAGES.add(stage)
    return stage


def publish_run_dir(stage: str | Path, output_dir: str | Path, run_id: str) -> Path:
    """Move a finished staging folder into place as ``<output_dir>/<run_id>``.

    Runs under a file lock per run id: two processes finishing the same run
    at once publish one after the other, each a complete folder. An older
    folder of the same run is replaced as a whole. Returns the final path.
    """
    from filelock import FileLock

    stage = Path(stage)
    root = output_root(output_dir)
    final = inside(root, run_id)
    with FileLock(str(root / f".{run_id}.lock"), timeout=LOCK_TIMEOUT):
        old = None
        if final.exists() or final.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{run_id}.old.{_host()}.{os.getpid()}.", dir=root))
            os.replace(final, old / run_id)
        os.replace(stage, final)
        _fsync_dir(root)
    _STAGES.discard(stage)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _remove_stale(root: Path, run_id: str) -> None:
    """Delete staging/old folders of ``run_id`` left by dead processes on this host."""
    host = _host()
    for entry in root.glob(f".{run_id}.*.*.*.*"):
        parts = entry.name.split(".")
        if len(parts) != 6 or parts[2] not in {"staging", "old"} or parts[3] != host:
            continue
        if parts[4].isdigit() and not _alive(int(parts[4])):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@atexit.register
def _remove_unpublished() -> None:
    """Staging folders of runs that failed in this process are removed at exit."""
    for stage in list(_STAGES):
        shutil.rmtree(stage, ignore_errors=True)
