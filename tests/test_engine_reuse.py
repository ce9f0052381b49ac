"""Warm reruns: an unchanged run is read back (byte-checked), anything changed recomputes."""
import shutil

import pandas as pd

from analysis import run_pipeline
from analysis.config import config_from_dict
from analysis.runs import input_key, reuse_run
from analysis.engine.partition import chunk_bounds, group_bounds
from analysis.io import table_digest

from conftest import SAMPLE


def test_unchanged_run_is_read_back_identically(sample_run, cache_dir):
    again = run_pipeline(SAMPLE, None, sample_run.run_dir.parent, cache_dir=cache_dir, show_progress=False)
    assert again.manifest.get("reused") is True and again.run_dir == sample_run.run_dir
    assert set(again.tables) == set(sample_run.tables)
    for name, table in again.tables.items():
        assert table_digest(table) == sample_run.manifest["tables"][name], name


def test_changed_file_other_folder_or_config_recomputes(sample_run, cache_dir, tmp_path):
    key = input_key(SAMPLE, config_from_dict({}))
    copy = tmp_path / sample_run.run_id
    shutil.copytree(sample_run.run_dir, copy)
    assert reuse_run(key, tmp_path, cache_dir) is not None  # an intact copy is accepted
    table = copy / "tables" / "stance.parquet"
    pd.read_parquet(table).iloc[:-1].to_parquet(table)
    assert reuse_run(key, tmp_path, cache_dir) is None  # an edited table is not
    assert reuse_run(key, tmp_path / "elsewhere", cache_dir) is None
    assert input_key(SAMPLE, config_from_dict({"seed": 7})) != key
    same = tmp_path / "same" / SAMPLE.name
    same.parent.mkdir()
    same.write_bytes(SAMPLE.read_bytes())
    assert input_key(same, config_from_dict({})) == key  # content, not location, is the key
    same.write_bytes(SAMPLE.read_bytes() + b"\n")
    assert input_key(same, config_from_dict({})) != key
    assert input_key(pd.DataFrame({"text": ["x"]}), config_from_dict({})) is None


def test_partitions_are_fixed_by_the_data():
    assert chunk_bounds(5, 2) == [(0, 2), (2, 4), (4, 5)]
    keys = pd.Series(["a", "a", "b", "b", "b", "c", "d", "d"])
    bounds = group_bounds(keys, 3)
    assert bounds == [(0, 5), (5, 8)]  # never splits an article
    assert group_bounds(pd.Series([], dtype=str), 3) == []
