"""Atomic file writing: every artifact appears whole or not at all."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` on a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_text(path: str | Path, text: str) -> Path:
    """Atomically write UTF-8 text."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(path: str | Path, data: Any) -> Path:
    """Atomically write pretty, key-sorted JSON."""
    return write_text(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def _csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def write_table(df: pd.DataFrame, directory: str | Path, name: str, csv: bool = True) -> dict[str, Path]:
    """Write ``name.parquet`` (and ``name.csv``, lists joined by '; ') atomically."""
    directory = Path(directory)
    paths = {"parquet": atomic_write(directory / f"{name}.parquet",
                                     lambda p: df.to_parquet(p, index=False))}
    if csv:
        paths["csv"] = atomic_write(directory / f"{name}.csv",
                                    lambda p: _csv_ready(df).to_csv(p, index=False))
    return paths


def table_digest(df: pd.DataFrame) -> str:
    """sha256 of a table's content in a canonical text form (column order and values)."""
    blob = _csv_ready(df).to_json(orient="split", index=False, date_format="iso", double_precision=10)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
