"""Warm reruns: an unchanged run is read back from its folder instead of being recomputed.

After a run is published, an index entry is written to
``<cache_dir>/runs/<key>.json``; the key is a sha256 over the config hash,
the bytes of every input file and the versions of the packages that shape
results. The entry names the run folder's files with their sha256. A later
run with the same key into the same output folder returns the recorded
tables if every file is still there, byte for byte; anything else (a changed
byte in the input, a changed setting, an edited or missing file, another
output folder) recomputes. ``analysis rerun`` always writes to a new folder,
so it always recomputes.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _input_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    return [path]


def input_key(corpus, config) -> str | None:
    """The reuse key of a run, or ``None`` when the input is not a set of files (a DataFrame)."""
    from ..manifest import package_versions

    if isinstance(corpus, pd.DataFrame):
        return None
    paths = corpus if isinstance(corpus, (list, tuple)) else [corpus]
    h = hashlib.sha256(config.hash().encode())
    h.update(json.dumps(package_versions(), sort_keys=True).encode())
    for root in map(Path, paths):
        if not root.exists():
            return None
        for f in _input_files(root):
            h.update(str(f.relative_to(root) if root.is_dir() else f.name).encode())
            h.update(_file_digest(f).encode())
    return h.hexdigest()


def _index_path(cache_dir, key: str) -> Path:
    return Path(cache_dir) / "runs" / f"{key}.json"


def record_run(cache_dir, key: str | None, run_dir: Path) -> None:
    """Remember a published run folder under ``key`` (with the sha256 of each of its files)."""
    from ..io import write_json

    if key is None:
        return
    run_dir = Path(run_dir)
    files = {str(p.relative_to(run_dir)): _file_digest(p)
             for p in sorted(run_dir.rglob("*")) if p.is_file()}
    write_json(_index_path(cache_dir, key), {"run_id": run_dir.name, "files": files})


def _as_lists(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet returns list cells as arrays; give them back as lists, as the run produced them."""
    import numpy as np

    for col in df.columns:
        if df[col].dtype == object and df[col].map(lambda v: isinstance(v, np.ndarray)).any():
            df[col] = df[col].map(lambda v: v.tolist() if isinstance(v, np.ndarray) else v)
    return df


def reuse_run(key: str | None, output_dir, cache_dir):
    """The recorded run for ``key`` in ``output_dir`` if it is complete and unchanged, else ``None``."""
    from ..manifest import read_manifest
    from ..pipeline import RunResult

    if key is None or not _index_path(cache_dir, key).is_file():
        return None
    entry = json.loads(_index_path(cache_dir, key).read_text(encoding="utf-8"))
    run_dir = Path(output_dir) / entry["run_id"]
    for rel, digest in entry["files"].items():
        path = run_dir / rel
        if not path.is_file() or _file_digest(path) != digest:
            return None
    manifest = read_manifest(run_dir)
    tables = {name: _as_lists(pd.read_parquet(run_dir / "tables" / f"{name}.parquet"))
              for name in manifest["tables"]}
    manifest = {**manifest, "reused": True}
    return RunResult(run_id=entry["run_id"], run_dir=run_dir, report_path=run_dir / "report.html",
                     manifest=manifest, tables=tables)
