"""The stance stage inside a run: scorer, aggregates by source and time, validation tables."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis import schema
from analysis.config import Config, config_from_dict
from analysis.stance.aggregate import aggregate_present, with_article_meta
from analysis.stance.from_config import scorer_from_config
from analysis.stance.tables import stance_tables
from analysis.stance.validation import VALIDATION, run_validation_tables


def test_default_run_uses_the_shipped_crossencoder(sample_run):
    assert Config().stance.scorer == "stance.crossencoder.v1"
    info = sample_run.manifest["stance_model"]
    assert info["scorer"] == "stance.crossencoder.v1" and len(info["digest"]) == 64
    assert info["training_data"] == "train.jsonl" and len(info["base_model_fingerprint"]) == 64
    stance = sample_run.stance
    probs = stance[["p_favor", "p_against", "p_neutral"]].to_numpy()
    assert np.allclose(probs.sum(axis=1), 1) and np.allclose(stance["score"], probs[:, 0] - probs[:, 1])
    assert (stance["confidence"] == probs.max(axis=1)).all()


def test_run_has_new_tables_with_documented_columns(sample_run):
    tables = sample_run.tables
    assert list(tables["stance_by_source"].columns) == schema.STANCE_BY_SOURCE
    assert list(tables["stance_by_time"].columns) == schema.STANCE_BY_TIME
    by_target = tables["stance_by_target"]
    assert list(by_target.columns) == schema.STANCE_BY_TARGET
    assert by_target["n_sentences"].sum() == len(sample_run.stance)
    assert by_target["share_favor_corrected"].notna().all()  # the shipped model has a confusion matrix
    assert (sample_run.run_dir / "tables" / "stance_by_target.parquet").is_file()
    assert list(tables["stance_validation"].columns) == VALIDATION
    validation = tables["stance_validation"]
    assert set(validation["scorer"]) == {"stance.crossencoder.v1"}
    splits = list(dict.fromkeys(validation["split"]))
    assert splits[:3] == ["newsmtsc dev_rw (real)", "newsmtsc dev_mt (real)", "generated test"]
    real = tables["stance_confusion"].query("split == 'newsmtsc dev_rw (real)'")
    assert real["count"].sum() == validation.query(
        "split == 'newsmtsc dev_rw (real)' and label == 'macro'")["support"].iloc[0] == 343
    assert tables["stance_confusion"]["split"].iloc[0] == "newsmtsc dev_rw (real)"
    assert tables["stance_reliability"].query("split == 'newsmtsc dev_rw (real)'")["n"].sum() == 343
    for name in ("stance_by_source", "stance_validation", "stance_reliability"):
        assert (sample_run.run_dir / "tables" / f"{name}.parquet").is_file()
    manifest = json.loads((sample_run.run_dir / "manifest.json").read_text())
    assert "stance_validation" in manifest["tables"]


def test_two_targets_in_one_sentence_are_scored_separately(sample_run):
    both = sample_run.stance.groupby("sentence_id")["target"].nunique()
    assert (both == 2).any()


def test_source_and_time_aggregates_on_real_scores(sample_run):
    articles = sample_run.articles.copy()
    ids = articles["article_id"].tolist()
    articles["source"] = ["Outlet A" if i % 2 else "Outlet B" for i in range(len(ids))]
    articles["published"] = pd.to_datetime(["2024-01-15"] * 5 + ["2024-02-10"] * (len(ids) - 5))
    cfg = Config().stance.model_copy(update={"time_window": "month"})
    tables = stance_tables(sample_run.stance, sample_run.paragraph_topics, articles, cfg, seed=1)
    by_source, by_time = tables["stance_by_source"], tables["stance_by_time"]
    assert set(by_source["source"]) <= {"Outlet A", "Outlet B"}
    assert by_source["n_sentences"].sum() == len(sample_run.stance)
    assert set(by_time["period"]) <= {"2024-01", "2024-02"}
    assert (by_time["ci_low"] <= by_time["mean_score"] + 1e-12).all()
    contrasts = tables["stance_contrasts"]
    assert list(contrasts.columns) == schema.STANCE_CONTRASTS and set(contrasts["by"]) == {"source"}
    for row in contrasts.itertuples():  # each pair's means are those of stance_by_source
        means = by_source[by_source["target"] == row.target].set_index("source")["mean_score"]
        assert row.difference == pytest.approx(means[row.group_a] - means[row.group_b])
    assert len(contrasts) == by_source["target"].nunique()  # two outlets: one pair per target
    meta = with_article_meta(sample_run.stance, articles, "quarter")
    assert set(meta["period"]) == {"2024Q1"}
    assert aggregate_present(meta.assign(source=None), "source").empty


def test_lexicon_stays_selectable_and_validation_follows_the_scorer(sample_run):
    cfg = config_from_dict({"stance": {"scorer": "stance.lexicon.v1"}})
    scorer = scorer_from_config(cfg.stance).fit()
    assert type(scorer).__name__ == "LexiconStanceScorer"
    tables = run_validation_tables("stance.lexicon.v1")
    assert set(tables["stance_validation"]["scorer"]) == {"stance.lexicon.v1"}
    assert tables["stance_reliability"].empty
    assert run_validation_tables("stance.other.v1")["stance_validation"].empty
    fast = run_validation_tables("stance.learner.v1", "fast")
    assert set(fast["stance_validation"]["scorer"]) == {"stance.learner.v1", "stance.lexicon.v1"}
    assert set(fast["stance_validation"]["split"]) == {"generated test (stance_annotations.csv)"}
