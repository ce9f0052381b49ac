"""A results catalog in DuckDB: every run's tables in one file, queryable in SQL.

The catalog (by default ``reports/catalog.duckdb``) holds one SQL table per
result table (``topics``, ``stance_by_topic``, ...), each with a leading
``run_id`` column, plus a ``runs`` table with one row per run (``run_id,
created, config_hash, corpus_fingerprint, scorer, n_articles, n_rejected,
n_paragraphs, n_topics, n_mentions, run_dir, config``; ``config`` is the
resolved config as JSON). Adding a run replaces all of its earlier rows in
one transaction, so adding the same run twice leaves one copy. Columns new
to a table are added; a column whose type differs between runs is widened
(to DOUBLE for numbers, else VARCHAR).

Example::

    from analysis import catalog
    catalog.add_run("reports/catalog.duckdb", "reports/3f9c2a1b7d40")
    catalog.query("reports/catalog.duckdb",
                  "SELECT run_id, target, mean_score FROM stance_by_topic WHERE topic = 0")
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock

from .runs import load_run

__all__ = ["CATALOG_FILE", "add_run", "add_tables", "query", "table_names"]

#: File name of the catalog inside an output folder.
CATALOG_FILE = "catalog.duckdb"
RUNS = "runs"
RUN_COLUMNS = ["run_id", "created", "config_hash", "corpus_fingerprint", "scorer", "n_articles",
               "n_rejected", "n_paragraphs", "n_topics", "n_mentions", "run_dir", "config"]
_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}
_NUMBERS = _INTEGERS | {"FLOAT", "DOUBLE", "HUGEINT", "UBIGINT"}
_NULL = {'"NULL"', "NULL"}


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _run_row(manifest: dict[str, Any], run_dir: str) -> pd.DataFrame:
    counts = manifest.get("counts") or {}
    config = manifest.get("config") or {}
    stance = config.get("stance") if isinstance(config.get("stance"), dict) else {}
    row = {"run_id": manifest["run_id"], "created": pd.Timestamp(manifest.get("created")),
           "config_hash": manifest.get("config_hash"),
           "corpus_fingerprint": manifest.get("corpus_fingerprint"),
           "scorer": (manifest.get("stance_model") or {}).get("scorer") or stance.get("scorer"),
           "n_articles": counts.get("accepted"),
           "n_rejected": counts.get("rejected"), "n_paragraphs": counts.get("paragraphs"),
           "n_topics": counts.get("topics"), "n_mentions": counts.get("mentions"),
           "run_dir": run_dir, "config": json.dumps(config, sort_keys=True)}
    return pd.DataFrame([row], columns=RUN_COLUMNS)


def _column_types(con, name: str) -> dict[str, str]:
    rows = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_name = ? AND table_schema = 'main'", [name]).fetchall()
    return {c: t for c, t in rows}


def _wider(old: str, new: str) -> str | None:
    """The type a column of type ``old`` must take to also hold ``new`` values (None: keep it)."""
    if old == new or new in _NULL:
        return None
    if old in _NULL:
        return new
    if old.endswith("[]") and new.endswith("[]"):
        inner = _wider(old[:-2], new[:-2])
        return None if inner is None else f"{inner}[]"
    if old in _INTEGERS and new in _INTEGERS:
        return None if old == "BIGINT" else "BIGINT"
    if old in _NUMBERS and new in _NUMBERS:
        return None if old == "DOUBLE" else "DOUBLE"
    return None if old == "VARCHAR" else "VARCHAR"


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Columns DuckDB cannot type from pandas (mixed objects) become text."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            kinds = {type(v) for v in out[col].dropna()}
            if len(kinds) > 1 and not kinds <= {list, tuple}:
                out[col] = out[col].map(lambda v: None if v is None or v is pd.NA else str(v))
    return out


def _insert(con, name: str, df: pd.DataFrame) -> None:
    """Append ``df`` to table ``name`` (created on first use), aligning columns by name."""
    rel = con.from_df(df)
    existing = _column_types(con, name)
    if not existing:
        rel.create(name)
        return
    for col, typ in zip(rel.columns, [str(t) for t in rel.types]):
        if col not in existing:
            con.execute(f"ALTER TABLE {_quote(name)} ADD COLUMN {_quote(col)} {typ}")
        elif (target := _wider(existing[col], typ)) is not None:
            con.execute(f"ALTER TABLE {_quote(name)} ALTER {_quote(col)} TYPE {target}")
    con.register("_incoming", df)
    try:
        con.execute(f"INSERT INTO {_quote(name)} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


def add_tables(catalog: str | Path, manifest: dict[str, Any], tables: dict[str, pd.DataFrame],
               run_dir: str | Path = "") -> str:
    """Put one run's tables into the catalog, replacing any earlier rows of that run.

    Returns the run id. Empty tables add no rows. The whole replacement is
    one transaction under a file lock, so concurrent writers queue and
    readers never see half a run.
    """
    import duckdb

    run_id = str(manifest["run_id"])
    path = Path(catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=600), duckdb.connect(str(path)) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            for (name,) in con.execute("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = 'main'").fetchall():
                con.execute(f"DELETE FROM {_quote(name)} WHERE run_id = ?", [run_id])
            _insert(con, RUNS, _run_row(manifest, str(run_dir)))
            for name, df in tables.items():
                if name == RUNS or df is None or df.empty:
                    continue
                _insert(con, name, _prepare(df).assign(run_id=run_id)[["run_id", *df.columns]])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return run_id


def add_run(catalog: str | Path, run: Any) -> str:
    """Add a run (a :class:`analysis.RunResult` or a run folder) to the catalog; returns its id."""
    if isinstance(run, (str, Path)):
        run = load_run(run)
    return add_tables(catalog, run.manifest, run.tables, run.run_dir)


def query(catalog: str | Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run ``sql`` on the catalog (read-only) and return the result as a DataFrame."""
    import duckdb

    path = Path(catalog)
    if not path.is_file():
        raise FileNotFoundError(f"no catalog at {path}")
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).df()


def table_names(catalog: str | Path) -> list[str]:
    """The tables in the catalog, sorted (``runs`` included)."""
    names = query(catalog, "SELECT table_name FROM information_schema.tables "
                           "WHERE table_schema = 'main' ORDER BY table_name")
    return names["table_name"].tolist()
