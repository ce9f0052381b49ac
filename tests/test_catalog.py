"""The DuckDB results catalog: one table per result table keyed by run id, plus ``runs``."""
from __future__ import annotations

import copy

import pandas as pd
import pytest

from analysis import catalog

from report_sample import sample_manifest, sample_tables


def _second_run() -> tuple[dict, dict]:
    manifest = copy.deepcopy(sample_manifest())
    manifest["run_id"] = "second000001"
    manifest["config"]["topics"]["hdbscan"]["min_cluster_size"] = 7
    tables = sample_tables()
    tables["topics"] = tables["topics"].assign(size=tables["topics"]["size"] + 0.5,  # int -> float
                                               note="extra column")
    return manifest, tables


def test_tables_are_keyed_by_run_and_replaced_on_readding(tmp_path):
    db = tmp_path / "catalog.duckdb"
    tables, manifest = sample_tables(), sample_manifest()
    catalog.add_tables(db, manifest, tables, "reports/3f9c2a1b7d40")
    catalog.add_tables(db, manifest, tables, "reports/3f9c2a1b7d40")  # same run again
    names = catalog.table_names(db)
    assert "runs" in names and "stance_by_topic" in names and "paragraph_map" in names
    for name in ("topics", "stance", "evidence"):
        got = catalog.query(db, f"SELECT * FROM {name}")
        assert len(got) == len(tables[name])
        assert list(got.columns) == ["run_id", *tables[name].columns]
        assert set(got["run_id"]) == {manifest["run_id"]}
    runs = catalog.query(db, "SELECT * FROM runs")
    assert runs[["run_id", "n_articles", "n_topics", "scorer"]].values.tolist() == [
        ["3f9c2a1b7d40", 4, 3, "stance.lexicon.v1"]]
    keywords = catalog.query(db, "SELECT keywords FROM topics WHERE topic = 0")["keywords"][0]
    assert list(keywords) == ["corridor", "rail", "caspian", "route", "china"]


def test_a_second_run_with_new_columns_and_types(tmp_path):
    db = tmp_path / "catalog.duckdb"
    catalog.add_tables(db, sample_manifest(), sample_tables())
    manifest, tables = _second_run()
    catalog.add_tables(db, manifest, tables)
    sizes = catalog.query(db, "SELECT run_id, sum(size) AS s, count(note) AS notes FROM topics "
                              "GROUP BY run_id ORDER BY run_id")
    assert sizes.values.tolist() == [["3f9c2a1b7d40", 12.0, 0], ["second000001", 14.0, 4]]
    diff = catalog.query(db, "SELECT run_id, json_extract(config, '$.topics.hdbscan.min_cluster_size')"
                             " AS mcs FROM runs ORDER BY run_id")
    assert diff["mcs"].tolist() == ['"auto"', "7"]
    joined = catalog.query(db, "SELECT r.run_id, count(*) AS n FROM stance s JOIN runs r USING (run_id)"
                               " GROUP BY r.run_id ORDER BY r.run_id")
    assert joined["n"].tolist() == [13, 13]


def test_a_failed_add_leaves_the_catalog_unchanged(tmp_path, monkeypatch):
    db = tmp_path / "catalog.duckdb"
    catalog.add_tables(db, sample_manifest(), sample_tables())
    before = catalog.query(db, "SELECT count(*) AS n FROM stance")["n"][0]

    def broken(con, name, df):
        if name == "stance":
            raise RuntimeError("disk full")
        return original(con, name, df)

    original = catalog._insert
    monkeypatch.setattr(catalog, "_insert", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        catalog.add_tables(db, sample_manifest(), sample_tables())
    assert catalog.query(db, "SELECT count(*) AS n FROM stance")["n"][0] == before
    assert catalog.query(db, "SELECT count(*) AS n FROM runs")["n"][0] == 1


def test_empty_tables_add_no_rows_and_query_needs_a_file(tmp_path):
    db = tmp_path / "catalog.duckdb"
    catalog.add_tables(db, sample_manifest(), {"rejects": pd.DataFrame(columns=["file", "reason"])})
    assert catalog.table_names(db) == ["runs"]
    with pytest.raises(FileNotFoundError):
        catalog.query(tmp_path / "missing.duckdb", "SELECT 1")


@pytest.mark.parametrize("old,new,wider", [
    ("BIGINT", "BIGINT", None), ("BIGINT", "INTEGER", None), ("INTEGER", "BIGINT", "BIGINT"),
    ("BIGINT", "DOUBLE", "DOUBLE"), ("DOUBLE", "BIGINT", None), ("BIGINT[]", "INTEGER[]", None),
    ("INTEGER[]", "BIGINT[]", "BIGINT[]"), ("INTEGER[]", "DOUBLE", "VARCHAR"),
    ('"NULL"', "VARCHAR", "VARCHAR"), ("VARCHAR", '"NULL"', None), ("TIMESTAMP_NS", "VARCHAR", "VARCHAR"),
])
def test_column_types_widen_only_as_needed(old, new, wider):
    assert catalog._wider(old, new) == wider
