"""Content-addressed embedding cache.

Vectors are stored in one SQLite file per cache directory, keyed by
``(model fingerprint, sha256 of the text)``. SQLite gives atomic, crash-safe
commits and safe concurrent use by several processes. Each row carries a
checksum of its bytes; a row that fails the check is discarded (and so
recomputed by the caller), never used.
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    key TEXT NOT NULL,
    dim INTEGER NOT NULL,
    checksum TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (model, key)
)
"""


def text_key(text: str) -> str:
    """The content address of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _checksum(blob: bytes) -> str:
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


class EmbeddingCache:
    """Vectors on disk, addressed by model fingerprint and text hash."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    @property
    def path(self) -> Path:
        return self.directory / "embeddings.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.directory.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=120)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute(_SCHEMA)
        return con

    def get(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        """Return the verified vectors found for ``keys``; corrupt rows are deleted."""
        found: dict[str, np.ndarray] = {}
        bad: list[str] = []
        con = self._connect()
        try:
            for start in range(0, len(keys), 900):
                chunk = keys[start:start + 900]
                marks = ",".join("?" * len(chunk))
                rows = con.execute(
                    f"SELECT key, dim, checksum, data FROM vectors WHERE model=? AND key IN ({marks})",
                    [model, *chunk]).fetchall()
                for key, dim, checksum, data in rows:
                    if _checksum(data) != checksum or len(data) != 4 * dim:
                        bad.append(key)
                        continue
                    found[key] = np.frombuffer(data, dtype=np.float32)
            if bad:
                con.executemany("DELETE FROM vectors WHERE model=? AND key=?", [(model, k) for k in bad])
                con.commit()
        finally:
            con.close()
        return found

    def put(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors in one transaction (all or nothing)."""
        rows = []
        for key, vec in items.items():
            blob = np.ascontiguousarray(vec, dtype=np.float32).tobytes()
            rows.append((model, key, len(blob) // 4, _checksum(blob), blob))
        con = self._connect()
        try:
            with con:
                con.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?,?,?,?)", rows)
        finally:
            con.close()

    def count(self, model: str | None = None) -> int:
        """Number of stored vectors (for one model, or all)."""
        con = self._connect()
        try:
            if model is None:
                return con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
            return con.execute("SELECT COUNT(*) FROM vectors WHERE model=?", [model]).fetchone()[0]
        finally:
            con.close()
