"""Warm reruns: an unchanged run is read back or copied (byte-checked), anything changed recomputes."""

import pandas as pd

from analysis import run_pipeline
from analysis.config import config_from_dict
from analysis.runs import input_key, read_tables, record_run, reuse_run
from analysis.engine.partition import chunk_bounds, group_bounds
from analysis.io import table_digest

from conftest import SAMPLE


def test_unchanged_run_is_read_back_identically(sample_run, cache_dir):
    again = run_pipeline(SAMPLE, None, sample_run.run_dir.parent, cache_dir=cache_dir, show_progress=False)
    assert again.manifest.get("reused") is True and again.run_dir == sample_run.run_dir
    assert set(again.tables) == set(sample_run.tables)
    for name, table in again.tables.items():
        assert table_digest(table) == sample_run.manifest["tables"][name], name


def test_changed_file_is_not_trusted_other_folder_gets_a_copy(sample_run, cache_dir, tmp_path):
    from analysis.stagecache import model_identities

    cfg = config_from_dict({})
    key = input_key(SAMPLE, cfg, model_identities(cfg, cache_dir))
    copied = reuse_run(key, tmp_path, cache_dir)  # another output folder: the recorded run is copied there
    assert copied is not None and copied.run_dir == (tmp_path / sample_run.run_id).resolve()
    assert copied.manifest["reused_from"] == str(sample_run.run_dir.resolve())
    table = copied.run_dir / "tables" / "stance.parquet"
    pd.read_parquet(table).iloc[:-1].to_parquet(table)
    again = reuse_run(key, tmp_path, cache_dir)  # an edited copy is not trusted: copied afresh
    assert table_digest(again.tables["stance"]) == sample_run.manifest["tables"]["stance"]
    assert table_digest(read_tables(again.run_dir, ["stance"])["stance"]) == sample_run.manifest["tables"]["stance"]
    alone = tmp_path / "alone-cache"
    record_run(alone, key, copied.run_dir)
    pd.read_parquet(table).iloc[:-1].to_parquet(table)
    assert reuse_run(key, tmp_path, alone) is None  # no intact recorded folder: recompute
    assert reuse_run(key, tmp_path / "elsewhere", alone) is None


def test_config_or_input_change_changes_the_key(tmp_path):
    key = input_key(SAMPLE, config_from_dict({}))
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


def test_a_model_changed_in_place_changes_the_key(small_model_cache, tmp_path):
    """Whole-run reuse keys on the models' content, not their folder names: a stance model retrained
    into the same folder, or an embedding model replaced there, is a new input."""
    import shutil

    from analysis.stagecache import model_identities
    from analysis.stance.modelio import FAST_MODEL_DIR

    embed_dir, stance_dir = tmp_path / "embed", tmp_path / "stance"
    shutil.copytree(small_model_cache / "small-model", embed_dir)
    shutil.copytree(FAST_MODEL_DIR, stance_dir)
    cfg = config_from_dict({"embed": {"model": str(embed_dir)},
                            "stance": {"scorer": "stance.learner.v1", "model": str(stance_dir)}})
    before = model_identities(cfg, tmp_path / "cache")
    key = input_key(SAMPLE, cfg, before)
    assert input_key(SAMPLE, cfg, model_identities(cfg, tmp_path / "cache")) == key
    weights = stance_dir / "weights.npz"
    weights.write_bytes(weights.read_bytes() + b"\0")  # "retrained" in place
    after = model_identities(cfg, tmp_path / "cache")
    assert after["stance"] != before["stance"] and after["embed"] == before["embed"]
    assert input_key(SAMPLE, cfg, after) != key
    tokenizer = embed_dir / "tokenizer_config.json"
    tokenizer.write_text(tokenizer.read_text() + "\n")
    assert model_identities(cfg, tmp_path / "cache")["embed"] != after["embed"]
