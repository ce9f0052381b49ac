"""The run folder ``<output>/<run-id>/``: written whole, read back, reused.

* :class:`~analysis.result.RunResult` (in :mod:`analysis.result`): everything a run produced.
* Writing: a run folder is built in a private staging folder
  (:func:`stage_run_dir`) and moved into place as a whole under a file lock
  (:func:`publish_run_dir`), so ``<output>/<run-id>/`` always holds one
  complete run: never a half-written one after a crash, never a mix of two
  runs that finished at the same time.
* Reading: :func:`read_tables` is the one Parquet reader of run tables
  (list cells come back as Python lists, as the run produced them);
  :func:`load_run` reads a whole folder back into a :class:`RunResult`.
* Warm reruns: after a run is published, :func:`record_run` writes an index
  entry ``<cache_dir>/runs/<key>.json``; the key (:func:`input_key`) is a
  sha256 over the config hash, the bytes of every input file, the versions of
  the packages that shape results, the package's own files
  (:func:`code_fingerprint`) and the content of the embedding and stance
  models (a model retrained into the same folder is a new input). The entry
  names the run folders made for that key with the sha256 of each of their
  files. :func:`reuse_run` reads the recorded run back from the requested
  output folder if every file is still there, byte for byte, or else copies an
  intact recorded folder from another output folder into it (the copy's
  manifest says ``reused_from``); a changed byte in the input or a setting, or
  no intact folder, recomputes. ``analysis rerun`` passes ``reuse=False``, so
  it always recomputes.
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
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from filelock import FileLock

from .io import current_umask, file_sha256, folder_digest, folder_sha256s, fsync_dir, write_json
from .manifest import package_versions, read_manifest
from .safety import inside
from .result import RunResult

#: Seconds to wait for another process publishing the same run folder.
LOCK_TIMEOUT = 600.0
#: Run folders remembered per reuse key (the newest first).
MAX_PLACES = 16
#: Sub-folder of a run folder holding its tables.
TABLES_DIR = "tables"
_STAGES: set[Path] = set()


class OutputError(ValueError):
    """The output folder cannot be used (a file, not writable, unsafe)."""


# ------------------------------------------------------------------ writing
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
    os.chmod(stage, 0o777 & ~current_umask())
    _STAGES.add(stage)
    return stage


def publish_run_dir(stage: str | Path, output_dir: str | Path, run_id: str) -> Path:
    """Move a finished staging folder into place as ``<output_dir>/<run_id>``.

    Runs under a file lock per run id: two processes finishing the same run
    at once publish one after the other, each a complete folder. An older
    folder of the same run is replaced as a whole. Returns the final path.
    """
    stage = Path(stage)
    root = output_root(output_dir)
    final = inside(root, run_id)
    with FileLock(str(root / f".{run_id}.lock"), timeout=LOCK_TIMEOUT):
        old = None
        if final.exists() or final.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{run_id}.old.{_host()}.{os.getpid()}.", dir=root))
            os.replace(final, old / run_id)
        os.replace(stage, final)
        fsync_dir(root)
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


# ------------------------------------------------------------------ reading
def _as_lists(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet returns list cells as arrays; give them back as lists, as the run produced them."""
    for col in df.columns:
        if df[col].dtype == object and df[col].map(lambda v: isinstance(v, np.ndarray)).any():
            df[col] = df[col].map(lambda v: v.tolist() if isinstance(v, np.ndarray) else v)
    return df


def _read_table(path: Path) -> pd.DataFrame:
    """One stored table with the dtypes the run produced.

    pandas reads every text column as its ``str`` dtype; the file's pandas
    metadata says which the run held as ``object`` (optional text such as
    titles, ``str`` or ``None``), and those come back as ``object``. List
    cells come back as lists (:func:`_as_lists`).
    """
    import pyarrow.parquet as pq

    stored = pq.read_table(path)
    df = _as_lists(stored.to_pandas())
    meta = stored.schema.pandas_metadata or {}
    written = {c.get("name"): c.get("numpy_type") for c in meta.get("columns", [])}
    for col in df.columns:
        if written.get(col) == "object" and pd.api.types.is_string_dtype(df[col]) and df[col].dtype != object:
            df[col] = pd.Series([None if pd.isna(v) else v for v in df[col]], index=df.index, dtype=object)
    return df


def read_tables(run_dir: str | Path, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables of a run folder by name (``names``; default: every table in it, sorted), with the
    dtypes the run produced."""
    folder = Path(run_dir) / TABLES_DIR
    if names is None:
        names = [p.stem for p in sorted(folder.glob("*.parquet"))]
    return {name: _read_table(inside(folder, f"{name}.parquet")) for name in names}


def load_run(run_dir: str | Path) -> RunResult:
    """A finished run folder as a :class:`RunResult` (tables read from Parquet)."""
    run_dir = Path(run_dir)
    manifest = read_manifest(run_dir)
    return RunResult(run_id=manifest["run_id"], run_dir=run_dir, report_path=run_dir / "report.html",
                     manifest=manifest, tables=read_tables(run_dir))


# ------------------------------------------------------------------ reuse
def _input_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    return [path]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the package's own files (names and bytes), so nothing made by other code is reused."""
    return folder_digest(Path(__file__).resolve().parent, skip="__pycache__")


def input_key(corpus, config, models: dict | None = None) -> str | None:
    """The reuse key of a run, or ``None`` when the input is not a set of files (a DataFrame).

    It hashes the config, the package versions and files, the corpus files and
    ``models`` (what identifies the models' content, see
    :func:`analysis.stagecache.model_identities`).
    """
    if isinstance(corpus, pd.DataFrame):
        return None
    paths = corpus if isinstance(corpus, (list, tuple)) else [corpus]
    h = hashlib.sha256(config.hash().encode())
    h.update(json.dumps(models or {}, sort_keys=True).encode())
    h.update(json.dumps(package_versions(), sort_keys=True).encode())
    h.update(code_fingerprint().encode())
    for root in map(Path, paths):
        if not root.exists():
            return None
        for f in _input_files(root):
            h.update(str(f.relative_to(root) if root.is_dir() else f.name).encode())
            h.update(file_sha256(f).encode())
    return h.hexdigest()


def _index_path(cache_dir, key: str) -> Path:
    return Path(cache_dir) / "runs" / f"{key}.json"


def _read_index(cache_dir, key: str) -> dict | None:
    """The index entry of ``key`` (``run_id`` and ``places``: run folders with their files' sha256), or ``None``."""
    try:
        entry = json.loads(_index_path(cache_dir, key).read_text(encoding="utf-8"))
        run_id = entry["run_id"]
        places = entry.get("places") or [{"run_dir": None, "files": entry["files"]}]  # older entries
        return {"run_id": run_id, "places": [p for p in places if isinstance(p.get("files"), dict)]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _add_place(cache_dir, key: str, run_dir: Path, files: dict[str, str]) -> None:
    """Add (or refresh) ``run_dir`` among the places of ``key``; the newest place comes first."""
    path = _index_path(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT):
        old = _read_index(cache_dir, key)
        keep = [p for p in (old["places"] if old and old["run_id"] == run_dir.name else [])
                if p.get("run_dir") not in (None, str(run_dir))]
        places = [{"run_dir": str(run_dir), "files": files}, *keep][:MAX_PLACES]
        write_json(path, {"run_id": run_dir.name, "places": places})


def record_run(cache_dir, key: str | None, run_dir: Path) -> None:
    """Remember a published run folder under ``key`` (with the sha256 of each of its files)."""
    if key is None:
        return
    run_dir = Path(run_dir).resolve()
    _add_place(cache_dir, key, run_dir, folder_sha256s(run_dir))


def _intact(run_dir: Path, files: dict[str, str]) -> bool:
    if "manifest.json" not in files:
        return False
    for rel, digest in files.items():
        path = run_dir / rel
        if not path.is_file() or file_sha256(path) != digest:
            return False
    return True


def _copy_checked(src: Path, dst: Path, files: dict[str, str]) -> bool:
    """Copy the recorded files of ``src`` to ``dst``, hashing while copying; ``False`` at the first mismatch."""
    for rel, digest in files.items():
        h = hashlib.sha256()
        try:
            source, target = inside(src, rel), inside(dst, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(source, "rb") as fin, open(target, "wb") as fout:
                for block in iter(lambda: fin.read(1 << 20), b""):
                    h.update(block)
                    fout.write(block)
        except (OSError, ValueError):
            return False
        if h.hexdigest() != digest:
            return False
        shutil.copystat(source, target)
    return True


def _copy_run(src: Path, files: dict[str, str], output_dir, cache_dir, key: str) -> Path | None:
    """Copy an intact recorded run folder into ``output_dir`` (staged, checked, published whole).

    The copy's manifest names the folder whose run was computed
    (``reused_from``); its timings are those of that computation.
    """
    stage = stage_run_dir(output_dir, src.name)
    if not _copy_checked(src, stage, files):
        shutil.rmtree(stage, ignore_errors=True)
        _STAGES.discard(stage)
        return None
    manifest = read_manifest(stage)
    manifest["reused_from"] = manifest.get("reused_from") or str(src)
    write_json(stage / "manifest.json", manifest)
    copied = {**files, "manifest.json": file_sha256(stage / "manifest.json")}
    final = publish_run_dir(stage, output_dir, src.name).resolve()
    _add_place(cache_dir, key, final, copied)
    return final


def _reused_result(run_dir: Path) -> RunResult:
    manifest = read_manifest(run_dir)
    tables = read_tables(run_dir, manifest["tables"])
    manifest = {**manifest, "reused": True}
    return RunResult(run_id=run_dir.name, run_dir=run_dir, report_path=run_dir / "report.html",
                     manifest=manifest, tables=tables)


def reuse_run(key: str | None, output_dir, cache_dir) -> RunResult | None:
    """The recorded run for ``key``, read back from ``output_dir`` or copied there, else ``None``.

    A recorded run folder is trusted only when every recorded file is still
    there, byte for byte (sha256). If ``output_dir`` holds such a folder it is
    read back as it is; otherwise the first intact recorded folder elsewhere
    is copied into ``output_dir`` (each byte checked while copying) and
    returned, its manifest naming where it came from (``reused_from``).
    """
    entry = None if key is None else _read_index(cache_dir, key)
    if entry is None:
        return None
    target = Path(os.path.abspath(Path(output_dir).expanduser())) / entry["run_id"]
    places = [{**p, "run_dir": p["run_dir"] or str(target)} for p in entry["places"]]
    for place in places:
        if _same_dir(place["run_dir"], target) and _intact(target, place["files"]):
            return _reused_result(target)
    for place in places:
        src = Path(place["run_dir"])
        if not _same_dir(src, target) and (src / "manifest.json").is_file():
            copied = _copy_run(src, place["files"], output_dir, cache_dir, key)
            if copied is not None:
                return _reused_result(copied)
    return None


def _same_dir(a, b) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False
