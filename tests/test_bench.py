"""``analysis bench``: real corpora by path, clean skip without data, and a tiny end-to-end run."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis.eval import bench_config, load_bench_corpus, run_bench
from analysis.cli import app

from conftest import eval_path


def test_bench_corpus_combines_real_corpora():
    eval_path("20newsgroups")
    eval_path("reuters21578")
    eval_path("ag_news")
    a = load_bench_corpus(n=300, seed=3)
    b = load_bench_corpus(n=300, seed=3)
    assert len(a) == 300 and a.equals(b)
    assert set(a["corpus"]) == {"20newsgroups", "reuters21578", "ag_news"}
    assert a["text"].str.len().min() >= 30 and a["article_id"].is_unique and a["label"].ne("").any()


def test_bench_skips_cleanly_without_data(monkeypatch, tmp_path):
    import analysis.eval.corpora.news as ec

    monkeypatch.setattr(ec, "eval_root", lambda: tmp_path / "absent")
    result = CliRunner().invoke(app, ["bench", "--n", "10", "--work-dir", str(tmp_path / "w")])
    assert result.exit_code == 0
    assert "skipped" in result.output and "not available" in result.output


@pytest.mark.slow
def test_tiny_bench_measures_every_part(small_model_cache, tmp_path):
    eval_path("ag_news")
    data = bench_config(None).to_dict()
    data["embed"]["model"] = str(small_model_cache / "small-model")
    data["embed"]["static_dims"] = 32
    data["stance"]["n_bootstrap"] = 20
    data["stance"]["train"].update(embed_model=str(small_model_cache / "small-model"), static_dims=32)
    data["report"]["figures"] = False
    from analysis.config import config_from_dict

    out = run_bench(60, ("ag_news",), config=config_from_dict(data), backend="static", fit_sample=30,
                    baseline_docs=40, work_dir=tmp_path, cache_dir=small_model_cache)
    p = out["pipeline"]
    assert out["n_docs"] == 60 and p["warm_reused"] is True
    manifest = json.loads((Path(p["run_dir"]) / "manifest.json").read_text())
    assert out["stance_model"] == "static"  # the static backend scores stance on static features too
    assert Path(manifest["stance_model"]["path"]).parent.name == "stance-models"  # trained at first use
    assert {"embed", "topics", "stance"} <= set(p["stages"]["stage"])
    assert (p["stages"]["docs_per_s"] > 0).all() and p["peak_rss_mb"] > 0
    assert p["resolved"]["fit_sample"] == 30 and p["resolved"]["assigned_by_transform"] == 30
    assert list(out["embedding"]["x_plain"].round(6))[0] == 1.0
    assert out["min_cosine_vs_plain"] > 0.999  # our transformer path gives plain encode's vectors
    assert set(out["quality"]["backend"]) == {"transformer", "static"}
    assert out["quality"]["nmi"].between(0, 1).all()
    stance = out["stance"].set_index("scorer")  # both scorers scored the same mentions, at a measured speed
    assert set(stance.index) == {"stance.crossencoder.v1", "stance.learner.v1"}
    assert stance["mentions"].nunique() == 1 and (stance["mentions_per_s"] > 0).all()
    from analysis.eval.bench import bench_json, format_bench

    text = format_bench(out)
    assert "warm rerun" in text and "BERTopic defaults (plain)" in text and "stance model=static" in text
    json.dumps(bench_json(out), default=str)


def test_bench_stance_model_follows_the_backend_unless_given():
    assert bench_config(None).stance.model == "static"
    assert bench_config(None, backend="transformer").stance.model == "default"
    assert bench_config(None, stance_model="default").stance.model == "default"
