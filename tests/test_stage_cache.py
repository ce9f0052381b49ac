"""The stage cache and whole-run reuse: hits skip the work, changes recompute, damage is never trusted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis.pipeline as pipeline
from analysis import rerun, run_pipeline
from analysis.config import config_from_dict
from analysis.io import table_digest
from analysis.stagecache import StageCache, StageOutput

from conftest import SAMPLE


def _config(small_model_cache, **changes):
    data = {"embed": {"model": str(small_model_cache / "small-model")},
            "topics": {"stability_seeds": 0}, "report": {"figures": False},
            "stance": {"scorer": "stance.lexicon.v1", "n_bootstrap": 20}}
    for section, values in changes.items():
        data[section] = {**data[section], **values}
    return config_from_dict(data)


def _run(cfg, out, cache, **options):
    options = {"reuse": False, "stage_cache": True, **options}
    return run_pipeline(SAMPLE, cfg, out, cache_dir=cache, show_progress=False, **options)


def _refuse(*args, **kwargs):
    raise AssertionError("recomputed although cached")


@pytest.fixture(scope="module")
def cold(tmp_path_factory, small_model_cache):
    """One cold run with the stage cache on, and its cache folder."""
    cache = tmp_path_factory.mktemp("stage-cache")
    cfg = _config(small_model_cache)
    return _run(cfg, tmp_path_factory.mktemp("cold"), cache, reuse=True), cache, cfg


def test_hit_skips_topic_fit_and_stance_scoring(cold, tmp_path, monkeypatch):
    first, cache, cfg = cold
    assert first.manifest["stage_cache"] == {"topics": "stored", "stance": "stored"}
    monkeypatch.setattr(pipeline, "fit_topic_units", _refuse)
    monkeypatch.setattr(pipeline, "score_stance", _refuse)
    warm = _run(cfg, tmp_path, cache)
    assert warm.manifest["stage_cache"] == {"topics": "hit", "stance": "hit"}
    assert "topics" not in warm.manifest["timings"] and "stance" not in warm.manifest["timings"]
    assert warm.manifest["tables"] == first.manifest["tables"]
    assert warm.manifest["resolved"] == first.manifest["resolved"]
    assert warm.manifest["stance_model"] == first.manifest["stance_model"]
    assert warm.manifest["counts"]["mentions"] == first.manifest["counts"]["mentions"]
    for name in warm.manifest["tables"]:  # the table files too, byte for byte
        path = Path("tables") / f"{name}.parquet"
        assert (warm.run_dir / path).read_bytes() == (first.run_dir / path).read_bytes(), name
    assert (first.run_dir / "topic_model").is_dir()  # the saved topic model comes back from the cache
    assert sorted(p.name for p in (warm.run_dir / "topic_model").iterdir()) == \
        sorted(p.name for p in (first.run_dir / "topic_model").iterdir())


def test_stance_change_reuses_topics_and_recomputes_stance(cold, tmp_path, monkeypatch, small_model_cache):
    first, cache, _ = cold
    monkeypatch.setattr(pipeline, "fit_topic_units", _refuse)
    changed = _run(_config(small_model_cache, stance={"n_evidence": 2}), tmp_path, cache)
    assert changed.manifest["stage_cache"] == {"topics": "hit", "stance": "stored"}
    assert changed.manifest["tables"]["paragraph_topics"] == first.manifest["tables"]["paragraph_topics"]
    assert changed.manifest["tables"]["evidence"] != first.manifest["tables"]["evidence"]


def test_topics_change_recomputes_topics_and_stance(cold, tmp_path, small_model_cache):
    first, cache, _ = cold
    changed = _run(_config(small_model_cache, topics={"nr_topics": 2}), tmp_path, cache)
    assert changed.manifest["stage_cache"] == {"topics": "stored", "stance": "stored"}
    assert changed.manifest["tables"]["paragraph_topics"] != first.manifest["tables"]["paragraph_topics"]


def test_corrupt_entry_is_recomputed_not_trusted(cold, tmp_path):
    first, cache, cfg = cold
    for table in (cache / "stages" / "topics").glob("*/tables/topics.parquet"):
        table.write_bytes(table.read_bytes()[:-40])  # a damaged table file
    entries = list((cache / "stages" / "stance").glob("*/entry.json"))
    for entry in entries:
        entry.write_text(entry.read_text()[:50])  # a damaged entry
    again = _run(cfg, tmp_path, cache)
    assert again.manifest["stage_cache"] == {"topics": "stored", "stance": "stored"}
    assert again.manifest["tables"] == first.manifest["tables"]
    assert "stance" in [_parsed(e).get("stage") for e in entries]  # this config's entry: whole again


def _parsed(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def test_warm_run_into_another_folder_is_copied_identically(cold, tmp_path, monkeypatch):
    first, cache, cfg = cold
    monkeypatch.setattr(pipeline, "load_node", _refuse)
    warm = _run(cfg, tmp_path / "elsewhere", cache, reuse=True)
    assert warm.manifest["reused"] is True and warm.manifest["reused_from"] == str(first.run_dir.resolve())
    assert warm.run_dir.parent == (tmp_path / "elsewhere").resolve()
    assert json.loads((warm.run_dir / "manifest.json").read_text())["reused_from"] == str(first.run_dir.resolve())
    assert warm.manifest["timings"] == first.manifest["timings"]  # the timings of the run that computed it
    assert warm.manifest["tables"] == first.manifest["tables"]
    for name, df in warm.tables.items():
        assert table_digest(df) == first.manifest["tables"][name], name


def test_rerun_always_recomputes(cold, tmp_path, monkeypatch):
    first, cache, _ = cold
    calls = []
    fit = pipeline.fit_topic_units
    monkeypatch.setattr(pipeline, "fit_topic_units", lambda *a: calls.append(1) or fit(*a))
    result = rerun(first.run_dir, tmp_path / "rerun", cache_dir=cache)
    assert calls and result.identical
    assert json.loads((result.new_run_dir / "manifest.json").read_text())["stage_cache"] == \
        {"topics": "computed", "stance": "computed"}


def test_an_unfaithful_table_is_not_stored(tmp_path):
    cache = StageCache(tmp_path)
    ok = StageOutput({"t": pd.DataFrame({"a": [1, 2], "b": [["x"], ["y", "z"]]})}, {"n": 2})
    assert cache.put("topics", "k1", ok)
    got = cache.get("topics", "k1")
    assert got.source == "hit" and got.info == {"n": 2} and got.tables["t"]["b"].tolist() == [["x"], ["y", "z"]]
    odd = StageOutput({"t": pd.DataFrame({1: [1, 2]})})  # Parquet gives the column back named "1"
    assert cache.put("topics", "k2", odd) is False and cache.get("topics", "k2") is None


STORE_WORKER = r'''
import sys
import pandas as pd
from analysis.stagecache import StageCache, StageOutput

cache = StageCache(sys.argv[1])
for i in range(5):
    out = StageOutput({"t": pd.DataFrame({"v": list(range(1000))})}, {"i": 0})
    cache.put("stance", f"key{i % 2}", out)
    got = cache.get("stance", f"key{i % 2}")
    assert got is not None and got.tables["t"]["v"].tolist() == list(range(1000))
print("ok")
'''


def test_processes_storing_the_same_entry(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", STORE_WORKER, str(tmp_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and out.strip() == "ok", err[-2000:]
    assert sorted(p.name for p in (tmp_path / "stages" / "stance").iterdir() if not p.name.startswith(".")) == \
        ["key0", "key0.lock", "key1", "key1.lock"]


def test_a_kept_folder_is_checked_too(tmp_path):
    cache = StageCache(tmp_path / "cache")
    cache.put("topics", "k", StageOutput({"t": pd.DataFrame({"a": [1]})}))
    model = tmp_path / "topic_model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    assert cache.attach("topics", "k", "topic_model", model)
    got = cache.get("topics", "k")
    assert (got.folders["topic_model"] / "config.json").read_text() == "{}"
    (got.folders["topic_model"] / "config.json").write_text('{"edited": 1}')
    assert cache.get("topics", "k") is None and not cache.entry_dir("topics", "k").exists()


def test_bench_warm_demo_prints_the_ratio(monkeypatch, tmp_path):
    import analysis.cli.bench as cli_bench
    from typer.testing import CliRunner

    from analysis.cli import app
    from analysis.eval.bench import WARM_CASES

    seen = {}
    runs = pd.DataFrame({"run": [name for name, _ in WARM_CASES], "seconds": [20.0, 0.5, 4.0, 10.0]})
    runs["x_cold"] = 20.0 / runs["seconds"]
    runs["same_tables"] = True

    def fake(work_dir, config=None, corpus=None):
        seen["work_dir"], seen["corpus"] = work_dir, corpus
        return {"corpus": "demo", "docs": 10, "paragraphs": 103, "runs": runs}

    monkeypatch.setattr(cli_bench, "warm_runs", fake)
    result = CliRunner().invoke(app, ["bench", "--warm-demo", "--work-dir", str(tmp_path),
                                      "--json", str(tmp_path / "w.json")])
    assert result.exit_code == 0, result.output
    assert "40x faster" in result.stdout and "tables identical in every run: True" in result.stdout
    assert seen["work_dir"] == tmp_path / "warm-demo" and seen["corpus"] is None
    assert json.loads((tmp_path / "w.json").read_text())["runs"][1]["x_cold"] == 40.0
    corpus = tmp_path / "mine.jsonl"
    corpus.write_text('{"id": "a", "text": "Some text."}\n')
    result = CliRunner().invoke(app, ["bench", "--warm-corpus", str(corpus), "--work-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert seen["work_dir"] == tmp_path / "warm" and seen["corpus"] == corpus
    result = CliRunner().invoke(app, ["bench", "--warm-corpus", "no-such-corpus", "--work-dir", str(tmp_path)])
    assert result.exit_code == 2 and "not a benchmark corpus" in result.output


def test_warm_corpus_samples_a_benchmark_corpus(tmp_path):
    from analysis.eval.bench.warm import warm_corpus
    from conftest import eval_path

    eval_path("reuters21578")
    path = warm_corpus("reuters21578", tmp_path, n=7, seed=1)
    assert path.parent == tmp_path and len(pd.read_parquet(path)) == 7
    assert warm_corpus(str(path), tmp_path / "other") == path  # a file is used as it is
