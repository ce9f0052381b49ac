"""``analysis topics benchmark`` over seeds: per-seed rows, mean ± sd, stratified samples, skipped methods."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis.config import Config, TopicsConfig, config_from_dict
from analysis.eval import topics_benchmark
from analysis.eval.topic_methods import MethodInput
from analysis.eval.topics_benchmark import (METRICS, SEED_COLUMNS, dataset_names, formatted, markdown_table,
                                            run_seeds, stratified_sample, summarize)

from conftest import eval_path


def test_stratified_sample_keeps_class_shares_and_order():
    df = pd.DataFrame({"label": ["a"] * 60 + ["b"] * 30 + ["c"] * 10, "text": [f"t{i}" for i in range(100)]})
    sample = stratified_sample(df, 20, seed=3)
    assert sample["label"].value_counts().to_dict() == {"a": 12, "b": 6, "c": 2}
    assert sample["text"].map(lambda t: int(t[1:])).is_monotonic_increasing
    pd.testing.assert_frame_equal(sample, stratified_sample(df, 20, seed=3))
    assert not sample.equals(stratified_sample(df, 20, seed=4))
    assert len(stratified_sample(df, 500, seed=3)) == 100


def test_dataset_names():
    assert dataset_names("all") == ["20newsgroups", "reuters", "ag_news"]
    assert dataset_names("reuters21578") == ["reuters"]
    with pytest.raises(ValueError, match="unknown evaluation corpus"):
        dataset_names("nonsense")


def test_missing_fastopic_is_reported_not_hidden(monkeypatch):
    monkeypatch.setattr(topics_benchmark, "fastopic_available", lambda: False)
    data = MethodInput(["a doc"] * 5, np.zeros((5, 3)), None, 2, TopicsConfig())
    rows = run_seeds(data, ["x", "y"] * 2 + ["x"], [1, 2, 3], ["fastopic"])
    assert rows["status"].str.startswith("not installed (pip install --no-deps fastopic").all()
    summary = summarize(rows.assign(dataset="d", n_docs=5, true_k=2))
    assert summary.loc[0, "n_seeds"] == 0 and np.isnan(summary.loc[0, "nmi_mean"])
    assert "not installed" in formatted(summary).loc[0, "note"]
    assert "fastopic (not installed" in markdown_table(summary)


@pytest.mark.slow
def test_three_seeds_two_methods_on_a_newsgroups_slice(small_model_cache):
    eval_path("20newsgroups", "20news_bydate.csv")
    data = Config().to_dict()
    data["embed"]["model"] = str(small_model_cache / "small-model")  # one layer: cheap vectors
    cfg = config_from_dict(data)
    seeds = [cfg.seed, cfg.seed + 1, cfg.seed + 2]
    articles, labels = topics_benchmark.benchmark_articles("20newsgroups", sample=150, sample_seed=0)
    per_seed = topics_benchmark.benchmark_frame("20newsgroups", "test", articles, labels, seeds, cfg,
                                                str(small_model_cache),
                                                methods=["analysis-default", "tfidf-kmeans"])
    assert list(per_seed.columns) == SEED_COLUMNS and len(per_seed) == 6
    assert (per_seed["status"] == "ok").all() and sorted(set(per_seed["seed"])) == seeds
    assert per_seed[["nmi", "ari", "npmi", "diversity", "fit_seconds"]].notna().all().all()
    summary = summarize(per_seed).set_index("method")
    for metric in METRICS:
        assert {f"{metric}_mean", f"{metric}_sd"} <= set(summary.columns)
    assert (summary["n_seeds"] == 3).all() and (summary["true_k"] == len(set(labels))).all()
    for method, grp in per_seed.groupby("method"):
        for metric in METRICS:
            sd = summary.loc[method, f"{metric}_sd"]
            assert sd == pytest.approx(grp[metric].std(ddof=1))
            # sd is 0 only when every seed gave the same figure (a deterministic result)
            assert sd > 0 or grp[metric].nunique() == 1
    kmeans = summary.loc["tfidf-kmeans"]
    assert kmeans["n_topics_mean"] == len(set(labels)) and kmeans["n_topics_sd"] == 0  # told the true k
    assert kmeans["outlier_share_sd"] == 0
    assert (summary["fit_seconds_sd"] > 0).all()  # wall time always varies
    assert "±" in formatted(summary.reset_index()).loc[0, "nmi"]


def test_cli_rejects_unknown_method():
    from analysis.cli import app

    result = CliRunner().invoke(app, ["topics", "benchmark", "--eval", "ag_news", "--methods", "lda"])
    assert result.exit_code == 2 and "unknown method lda" in result.output


def test_embedding_kmeans_is_told_k_and_names_clusters_by_their_words():
    from sklearn.metrics import normalized_mutual_info_score

    from analysis.eval.topic_methods import METHODS, NEEDS_K

    rng = np.random.default_rng(0)
    fruit = [f"apple banana fruit juice {w}" for w in ("sweet", "fresh", "ripe", "green", "red")]
    cars = [f"car engine wheel road {w}" for w in ("fast", "new", "old", "red", "blue")]
    centres = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    vectors = np.vstack([centres[0] + 0.05 * rng.standard_normal((5, 3)),
                         centres[1] + 0.05 * rng.standard_normal((5, 3))]) * 7.0  # scale is normalised away
    data = MethodInput(fruit + cars, vectors, None, 2, TopicsConfig())
    assert "embedding-kmeans" in NEEDS_K
    fit = METHODS["embedding-kmeans"](data, 42)
    assert normalized_mutual_info_score([0] * 5 + [1] * 5, fit.topics) == pytest.approx(1.0)
    fruit_topic = int(fit.topics[0])
    assert set(fit.words[fruit_topic][:4]) == {"apple", "banana", "fruit", "juice"}
    assert "red" not in fit.words[fruit_topic][:4]  # in both clusters: weighed down
    assert fit.analyzer("The apple and the car") == ["apple", "car"]
    with pytest.raises(ValueError, match="true number of classes"):
        METHODS["embedding-kmeans"](MethodInput(fruit, vectors[:5], None, None, TopicsConfig()), 0)
