"""Content-addressed embedding cache.

Vectors are stored in one SQLite file per cache directory, keyed by
``(model fingerprint, sha256 of the text)``. SQLite gives atomic, crash-safe
commits (a batch is stored in one transaction, in write-ahead-log mode) and
safe concurrent use by several processes sharing the folder: writers wait
for each other (busy timeout), readers never see half a batch.

Each row carries a checksum over its model, key, dimension and bytes; a row
that fails the check is deleted (and so recomputed by the caller), never
used. A database file that SQLite reports as corrupt is moved aside as
``embeddings.sqlite.corrupt-<time>`` and a fresh one is started. A cache that
cannot be opened or written (read-only folder, full disk) only costs speed:
a warning says so and embedding goes on without it. The cache never changes
results.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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
#: SQLite result codes meaning "this file is damaged or not a database".
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
#: Seconds a process waits for another one's write to finish.
BUSY_TIMEOUT = 120.0

T = TypeVar("T")


def text_key(text: str) -> str:
    """The content address of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_checksum(model: str, key: str, dim: int, blob: bytes) -> str:
    """blake2b over a row's model, key, dimension and vector bytes."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{model}\0{key}\0{dim}\0".encode("utf-8"))
    digest.update(blob)
    return digest.hexdigest()


class EmbeddingCacheWarning(RuntimeWarning):
    """The cache could not be used; results are unaffected, only speed."""


def _set_up(con: sqlite3.Connection, tries: int = 20) -> None:
    """WAL mode (persistent: set once per file), NORMAL sync and the table, retried while locked.

    Switching a new file to WAL takes an exclusive lock for which SQLite does
    not always wait out its busy timeout, so processes opening a new cache at
    the same moment can see "database is locked" here; they try again.
    """
    for attempt in range(tries):
        try:
            if str(con.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute(_SCHEMA)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.02 * (attempt + 1))


class EmbeddingCache:
    """Vectors on disk, addressed by model fingerprint and text hash."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    @property
    def path(self) -> Path:
        return self.directory / "embeddings.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.directory.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
        try:
            _set_up(con)
        except BaseException:
            con.close()
            raise
        return con

    def _guarded(self, action: str, work: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        """Run ``work`` on a connection; recover from a corrupt or unusable cache."""
        for attempt in (1, 2):
            try:
                con = self._connect()
                try:
                    return work(con)
                finally:
                    con.close()
            except sqlite3.DatabaseError as exc:
                code = getattr(exc, "sqlite_errorcode", None)
                if code in _CORRUPT_CODES and attempt == 1 and self._quarantine(exc):
                    continue
                self._warn(f"cannot {action} the embedding cache {self.path} ({exc}); "
                           f"continuing without it")
                return fallback
            except OSError as exc:
                self._warn(f"cannot {action} the embedding cache in {self.directory} "
                           f"({exc.strerror or exc}); continuing without it")
                return fallback
        return fallback

    def _quarantine(self, exc: Exception) -> bool:
        """Move a damaged database aside so a fresh one can be started."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{os.getpid()}")
        try:
            os.replace(self.path, target)
        except FileNotFoundError:
            return True  # another process moved it already
        except OSError:
            return False
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self._warn(f"embedding cache {self.path} was damaged ({exc}); moved it to {target.name} "
                   f"and started a fresh cache")
        return True

    @staticmethod
    def _warn(message: str) -> None:
        warnings.warn(message, EmbeddingCacheWarning, stacklevel=4)

    def get(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        """Return the verified vectors found for ``keys``; corrupt rows are deleted."""
        return self._guarded("read", lambda con: self._get(con, model, keys), {})

    @staticmethod
    def _get(con: sqlite3.Connection, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        bad: list[str] = []
        for start in range(0, len(keys), 900):
            chunk = keys[start:start + 900]
            marks = ",".join("?" * len(chunk))
            rows = con.execute(
                f"SELECT key, dim, checksum, data FROM vectors WHERE model=? AND key IN ({marks})",
                [model, *chunk]).fetchall()
            for key, dim, checksum, data in rows:
                ok = (isinstance(data, bytes) and isinstance(dim, int) and len(data) == 4 * dim
                      and row_checksum(model, key, dim, data) == checksum)
                if not ok:
                    bad.append(key)
                    continue
                found[key] = np.frombuffer(data, dtype=np.float32)
        if bad:
            with con:
                con.executemany("DELETE FROM vectors WHERE model=? AND key=?", [(model, k) for k in bad])
        return found

    def put(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors in one transaction (all or nothing); a stored vector is never replaced.

        The first vector stored for a key stays (a corrupt one is deleted on
        read first), so everything that used it can be reproduced exactly.
        """
        rows = []
        for key, vec in items.items():
            blob = np.ascontiguousarray(vec, dtype=np.float32).tobytes()
            dim = len(blob) // 4
            rows.append((model, key, dim, row_checksum(model, key, dim, blob), blob))

        def work(con: sqlite3.Connection) -> None:
            with con:
                con.executemany("INSERT OR IGNORE INTO vectors VALUES (?,?,?,?,?)", rows)

        self._guarded("write to", work, None)

    def count(self, model: str | None = None) -> int:
        """Number of stored vectors (for one model, or all)."""
        def work(con: sqlite3.Connection) -> int:
            if model is None:
                return con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
            return con.execute("SELECT COUNT(*) FROM vectors WHERE model=?", [model]).fetchone()[0]

        return self._guarded("read", work, 0)
