"""Stance aggregates a reviewer accepts: article-level resampling, small groups, corrected shares."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

from analysis import schema
from analysis.config import Config
from analysis.report import context_findings, context_stance, figures_groups
from analysis.stance import prevalence
from analysis.stance.aggregate import aggregate_stance, mention_rates, with_article_meta
from analysis.stance.tables import stance_tables
from analysis.topics.temporal import topics_over_time

from test_stance_aggregate import stance_rows

M_TRUE = np.array([[0.70, 0.05, 0.25],   # rows: true favor, against, neutral
                   [0.05, 0.65, 0.30],   # columns: predicted favor, against, neutral
                   [0.15, 0.15, 0.70]])


def four_articles() -> pd.DataFrame:
    """One outlet, two articles plainly for Russia and two plainly against, six sentences each."""
    rows = []
    for art, sign in (("a", 1), ("b", 1), ("c", -1), ("d", -1)):
        for i in range(6):
            rows.append((f"{art}:s{i}", art, "Russia", "favor" if sign > 0 else "against",
                         sign * 0.8 + 0.05 * (i % 3 - 1), 0.9))
    return stance_rows(rows).assign(source="Outlet")


def test_outlet_interval_covers_the_spread_of_its_articles():
    frame = four_articles()
    means = aggregate_stance(frame, by=["article_id"])["mean_score"]
    spread = means.max() - means.min()
    assert spread > 1.5
    # Before: sentences were resampled, giving [-0.33, +0.33] (41% of the spread).
    # Now [-0.80, +0.80]; min_articles=1 checks the cluster bootstrap without the small-group rule.
    for min_articles in (1, 5):
        row = aggregate_stance(frame, by=["source"], min_articles=min_articles).iloc[0]
        assert row["n_articles"] == 4 and row["n_sentences"] == 24
        assert row["ci_high"] - row["ci_low"] >= 0.9 * spread


def test_no_interval_has_zero_width():
    rng = np.random.default_rng(3)
    rows = [(f"x{a}:s{i}", f"x{a}", "Russia", "favor", 0.4, 0.8) for a in range(12) for i in range(3)]
    rows += [(f"y{a}:s{i}", f"y{a}", "Russia", rng.choice(["favor", "neutral"]),
              float(rng.uniform(-1, 1)), float(rng.uniform(0, 1))) for a in range(3) for i in range(a + 1)]
    frame = stance_rows(rows)
    frame["source"] = np.where(frame["article_id"].str.startswith("x"), "Same", "Mixed")
    conf = (M_TRUE * 50).round()
    for by in (["article_id"], ["source"], []):
        out = aggregate_stance(frame, by=by, n_boot=200, confusion=conf)
        assert (out["ci_high"] - out["ci_low"] > 1e-6).all(), by
        for label in schema.LABELS:
            width = out[f"share_{label}_corrected_high"] - out[f"share_{label}_corrected_low"]
            assert (width > 1e-6).all(), (by, label)
    one = aggregate_stance(frame[frame["article_id"] == "y0"], by=["article_id"]).iloc[0]
    assert (one["n_sentences"], one["ci_low"], one["ci_high"]) == (1, -1.0, 1.0)


def test_small_groups_flagged_by_articles():
    frame = four_articles()
    assert aggregate_stance(frame, by=["source"]).iloc[0]["small_group"]  # 4 < 5 articles
    assert not aggregate_stance(frame, by=["source"], min_articles=4).iloc[0]["small_group"]
    assert Config().stance.min_articles == 5


def _findings_tables(small_extreme: bool) -> dict:
    topics = pd.DataFrame({"topic": [0, 1, 2], "name": ["rail", "gas", "war"], "size": [5, 5, 5],
                           "keywords": [[], [], []], "share": [1 / 3] * 3, "representative": [[], [], []]})
    base = aggregate_stance(four_articles().assign(topic=0), by=["topic"], min_articles=1)
    rows = pd.concat([base.assign(topic=t, mean_score=m, small_group=sm) for t, m, sm in
                      ((0, 0.1, False), (1, -0.2, False), (2, 0.9, small_extreme))], ignore_index=True)
    return {"stance_by_topic": rows, "topics": topics}


def test_small_groups_never_make_key_findings():
    summary = {"name": "Russia", "mentions": "24", "articles": "4", "mean": "+0.90", "ci": "[...]",
               "direction": "favor", "favor": "50%", "against": "50%", "small": False,
               "favor_corrected": "–"}
    text = context_findings._target_finding(_findings_tables(small_extreme=True), summary)
    assert "war" not in text and "most favourable topic rail" in text
    text = context_findings._target_finding(_findings_tables(small_extreme=False), summary)
    assert "most favourable topic war" in text
    small = context_findings._target_finding(_findings_tables(False), {**summary, "small": True})
    assert "+0.90" not in small and "too few articles" in small


def sample_labels(p_true, matrix, n, seed=0):
    """Predicted labels of ``n`` items with true shares ``p_true`` passed through ``matrix``."""
    rng = np.random.default_rng(seed)
    true = rng.choice(3, size=n, p=p_true)
    return np.array([rng.choice(3, p=matrix[t]) for t in true])


def test_prevalence_recovers_known_true_shares():
    p_true = np.array([0.15, 0.25, 0.60])
    pred = sample_labels(p_true, M_TRUE, 20_000)
    observed = np.bincount(pred, minlength=3) / len(pred)
    assert np.abs(observed - p_true).max() > 0.05  # the raw shares are off
    assert np.abs(prevalence.corrected_shares(observed, M_TRUE) - p_true).max() < 0.02


def test_prevalence_identity_returns_raw_shares_and_stays_on_simplex():
    rng = np.random.default_rng(5)
    q = rng.dirichlet([1, 1, 1], size=200)
    assert np.allclose(prevalence.corrected_shares(q, np.eye(3)), q)
    for _ in range(20):
        matrix = rng.dirichlet([1, 1, 1], size=3)
        got = prevalence.corrected_shares(q, matrix)
        assert (got >= 0).all() and np.allclose(got.sum(axis=1), 1)
        for row, p in zip(q[:5], got[:5]):  # as good as a general constrained optimiser
            ref = minimize(lambda x, r=row: ((x @ matrix - r) ** 2).sum(), np.ones(3) / 3,
                           bounds=[(0, 1)] * 3, method="SLSQP",
                           constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1}],
                           options={"ftol": 1e-14})
            assert ((p @ matrix - row) ** 2).sum() <= ref.fun + 1e-9


def _corrected_run(counts, n_articles=40, seed=0):
    p_true = np.array([0.2, 0.3, 0.5])
    pred = sample_labels(p_true, M_TRUE, n_articles * 10, seed)
    labels = np.array(schema.LABELS)[pred]
    rows = [(f"a{i // 10}:s{i}", f"a{i // 10}", "Russia", lab, 0.0, 0.5) for i, lab in enumerate(labels)]
    return aggregate_stance(stance_rows(rows), by=[], n_boot=400, confusion=counts).iloc[0]


def test_aggregate_corrected_shares_cover_truth_and_widen_with_small_validation():
    big = _corrected_run(M_TRUE * 5000)
    small = _corrected_run(np.round(M_TRUE * 20))
    for label, truth in zip(schema.LABELS, (0.2, 0.3, 0.5)):
        assert big[f"share_{label}_corrected_low"] <= truth <= big[f"share_{label}_corrected_high"]
        width = lambda r: r[f"share_{label}_corrected_high"] - r[f"share_{label}_corrected_low"]  # noqa: E731
        assert width(small) > 1.3 * width(big), label
    assert big["share_favor"] != pytest.approx(big["share_favor_corrected"], abs=0.02)


def test_confusion_table_is_read_and_absent_matrix_gives_nan():
    table = pd.DataFrame([(g, p, int(M_TRUE[i, j] * 100)) for i, g in enumerate(schema.LABELS)
                          for j, p in enumerate(schema.LABELS)], columns=schema.STANCE_CONFUSION)
    assert np.allclose(prevalence.confusion_counts(table), M_TRUE * 100)
    assert prevalence.confusion_counts(pd.DataFrame(columns=schema.STANCE_CONFUSION)) is None
    out = aggregate_stance(four_articles(), by=[])
    assert out[[c for c in schema.STANCE_AGGREGATE if "corrected" in c]].isna().all().all()
    note = context_stance.corrected_note({}, out)
    assert "not available" in note and "validation" in note


def _run_inputs():
    frame = four_articles().drop(columns="source")
    articles = pd.DataFrame({"article_id": list("abcd"), "source": ["X", "X", "Y", "Y"],
                             "published": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-04-02",
                                                          "2024-04-09"])})
    sentences = pd.DataFrame({"article_id": list("aaaaaaaaaaaaabbbbbbbbbbccccccddddddxyz"[:32])})
    paragraph_topics = pd.DataFrame({"paragraph_id": frame["paragraph_id"].unique(), "topic": 0})
    return frame, articles, sentences, paragraph_topics


def test_stance_tables_writes_by_target_and_mention_rates():
    frame, articles, sentences, paragraph_topics = _run_inputs()
    tables = stance_tables(frame, paragraph_topics, articles, Config().stance, seed=0,
                           sentences=sentences, confusion=M_TRUE * 100)
    by_target = tables["stance_by_target"]
    assert list(by_target.columns) == schema.STANCE_BY_TARGET
    assert by_target.iloc[0]["n_articles"] == 4 and by_target["share_favor_corrected"].notna().all()
    by_source = tables["stance_by_source"].set_index("source")
    assert list(tables["stance_by_source"].columns) == schema.STANCE_BY_SOURCE
    assert by_source.loc["X", "n_source_sentences"] == 23  # 13 in a + 10 in b
    assert by_source.loc["X", "mentions_per_1000"] == pytest.approx(1000 * 12 / 23)
    assert mention_rates(tables["stance_by_source"], None, articles)["mentions_per_1000"].isna().all()
    given, _ = context_stance.overall_by_target(tables)
    assert given is tables["stance_by_target"]
    missing, why = context_stance.overall_by_target({"stance": frame})
    assert missing.empty and "no stance_by_target" in why


def test_time_lines_break_at_empty_periods():
    frame, articles, _, _ = _run_inputs()
    by_time = aggregate_stance(with_article_meta(frame, articles, "month"), by=["period"])
    assert by_time["period"].tolist() == ["2024-01", "2024-04"]
    fig = figures_groups.stance_over_time(by_time, "Russia")
    line = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "mean stance"][0]
    y = np.asarray(line.get_ydata(), dtype=float)
    assert len(y) == 4 and np.isnan(y[1:3]).all() and not np.isnan(y[[0, 3]]).any()
    weekly = aggregate_stance(with_article_meta(frame, articles, "week"), by=["period"])
    filled = figures_groups.complete_periods(weekly.assign(period=weekly["period"]))
    assert len(filled) == 15 and filled["mean_score"].isna().sum() == 15 - len(weekly)  # Jan 1 .. Apr 8


def test_topic_and_stance_periods_agree():
    frame, articles, _, _ = _run_inputs()
    units = pd.DataFrame({"paragraph_id": list("abcd"), "article_id": list("abcd"), "topic": 0})
    topics = pd.DataFrame({"topic": [0], "name": ["t"]})
    for window, freq in (("week", "W"), ("month", "M"), ("quarter", "Q")):
        starts = set(topics_over_time(units, articles, topics, freq)["period"])
        labels = with_article_meta(frame, articles, window)["period"].unique()
        assert starts == {figures_groups.period_bounds(p)[0] for p in labels}, window
