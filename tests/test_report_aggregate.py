"""The report's own corpus-level aggregate (used when the pipeline gives none)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import schema
from analysis.report._aggregate import aggregate_stance, bootstrap_ci, weighted_mean
from analysis.report.context_stance import overall_by_target, target_summaries
from analysis.report.sample import sample_tables


def test_weighted_mean_and_zero_weights():
    assert weighted_mean(np.array([1.0, -1.0]), np.array([3.0, 1.0])) == pytest.approx(0.5)
    assert weighted_mean(np.array([1.0, 0.0]), np.array([0.0, 0.0])) == pytest.approx(0.5)


def test_bootstrap_ci_is_deterministic_and_brackets_the_mean():
    rng = np.random.default_rng(1)
    scores, weights = rng.uniform(-1, 1, 300), rng.uniform(0.2, 1, 300)
    low, high = bootstrap_ci(scores, weights)
    assert (low, high) == bootstrap_ci(scores, weights)
    assert low < weighted_mean(scores, weights) < high


def test_aggregate_columns_and_shares():
    stance = sample_tables()["stance"]
    agg = aggregate_stance(stance, ["article_id", "target"])
    assert list(agg.columns) == ["article_id", *schema.STANCE_AGGREGATE]
    shares = agg[["share_favor", "share_against", "share_neutral"]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    assert agg["n_sentences"].sum() == len(stance)


def test_pipeline_aggregate_is_preferred():
    tables = sample_tables()
    given = pd.DataFrame([["Russia", 9, -0.11, -0.3, 0.05, 0.2, 0.4, 0.4]],
                         columns=schema.STANCE_AGGREGATE)
    tables["stance_by_target"] = given
    assert overall_by_target(tables)[0] is given
    russia = target_summaries(tables, ["Russia"])[0]
    assert (russia["mean"], russia["ci"]) == ("−0.11", "[−0.30, +0.05]")
