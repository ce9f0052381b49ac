"""Tests for stance aggregation and evidence selection (analysis.stance.aggregate)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import schema
from analysis.stance import aggregate, bootstrap
from analysis.stance.aggregate import aggregate_stance, select_evidence


def stance_rows(rows):
    """A STANCE table from (sentence_id, article_id, target, label, score, confidence)."""
    out = pd.DataFrame(rows, columns=["sentence_id", "article_id", "target", "label", "score",
                                      "confidence"])
    out["paragraph_id"] = out["article_id"] + ":p0"
    out["mention"] = out["target"]
    out["p_favor"] = out["p_against"] = out["p_neutral"] = 1 / 3
    out["sentence"] = "text of " + out["sentence_id"]
    return out[schema.STANCE]


SMALL = stance_rows([
    ("a:s1", "a", "Russia", "favor", 0.5, 0.8),
    ("a:s2", "a", "Russia", "against", -0.5, 0.4),
    ("a:s3", "a", "Russia", "neutral", 0.2, 0.5),
    ("a:s1", "a", "the West", "against", -0.6, 0.9),
    ("b:s1", "b", "Russia", "against", -0.7, 0.6),
])


def test_hand_computed_small_case():
    out = aggregate_stance(SMALL, by=["article_id"], n_boot=200, seed=0)
    assert list(out.columns) == ["article_id"] + schema.STANCE_AGGREGATE
    assert out[["article_id", "target"]].values.tolist() == [["a", "Russia"], ["a", "the West"],
                                                             ["b", "Russia"]]
    first = out.iloc[0]
    assert first["n_sentences"] == 3
    assert first["mean_score"] == pytest.approx((0.8 * 0.5 - 0.4 * 0.5 + 0.5 * 0.2) / 1.7)
    assert (first["share_favor"], first["share_against"], first["share_neutral"]) == pytest.approx(
        (1 / 3, 1 / 3, 1 / 3))
    assert out["n_sentences"].dtype == "int64"


def test_single_sentence_group_gets_the_full_score_range():
    out = aggregate_stance(SMALL, by=["article_id"]).set_index(["article_id", "target"])
    for key, score in ((("a", "the West"), -0.6), (("b", "Russia"), -0.7)):
        row = out.loc[key]
        assert row["mean_score"] == score
        assert (row["ci_low"], row["ci_high"]) == (-1.0, 1.0)
        assert row["n_sentences"] == 1 and row["n_articles"] == 1 and row["small_group"]


def test_ci_contains_mean_and_is_ordered():
    rng = np.random.default_rng(7)
    rows = [(f"{art}:s{i}", art, "Russia", "neutral", float(s), float(c))
            for art in "abc" for i, (s, c) in enumerate(zip(rng.uniform(-1, 1, 15),
                                                            rng.uniform(0, 1, 15)))]
    out = aggregate_stance(stance_rows(rows), by=["article_id"], n_boot=300)
    assert ((out["ci_low"] <= out["mean_score"]) & (out["mean_score"] <= out["ci_high"])).all()
    assert (out["ci_low"] < out["ci_high"]).all()


def test_identical_scores_still_give_an_interval_wider_than_zero():
    for n in (4, 40):  # 4 < min_articles (small), 40 not small: both degenerate bootstraps
        rows = [(f"a:s{i}", "a", "Russia", "favor", 0.3, 0.7) for i in range(n)]
        out = aggregate_stance(stance_rows(rows), by=["article_id"])
        low, high = aggregate.wilson_interval(0.65, n, 0.95)
        assert out.loc[0, "ci_low"] == pytest.approx(2 * low - 1)
        assert out.loc[0, "ci_high"] == pytest.approx(2 * high - 1)
        assert out.loc[0, "ci_high"] - out.loc[0, "ci_low"] > 0.05
        assert out.loc[0, "mean_score"] == pytest.approx(0.3)
        assert out.loc[0, "small_group"] == (n < 5)


def test_zero_confidence_falls_back_to_plain_mean():
    rows = [("a:s1", "a", "Russia", "neutral", 0.2, 0.0), ("a:s2", "a", "Russia", "neutral", 0.4, 0.0)]
    out = aggregate_stance(stance_rows(rows), by=["article_id"], n_boot=50, min_articles=1)
    assert out.loc[0, "mean_score"] == pytest.approx(0.3)
    assert 0.2 <= out.loc[0, "ci_low"] <= out.loc[0, "ci_high"] <= 0.4


def test_same_seed_identical_different_seed_differs():
    rng = np.random.default_rng(1)
    rows = [(f"a:s{i}", "a", "Russia", "neutral", float(s), 0.5) for i, s in
            enumerate(rng.uniform(-1, 1, 30))]
    frame = stance_rows(rows)
    a = aggregate_stance(frame, by=["article_id"], seed=3)
    pd.testing.assert_frame_equal(a, aggregate_stance(frame, by=["article_id"], seed=3))
    b = aggregate_stance(frame, by=["article_id"], seed=4)
    assert (a["ci_low"] != b["ci_low"]).any() or (a["ci_high"] != b["ci_high"]).any()
    assert a["mean_score"].equals(b["mean_score"])


def test_chunked_bootstrap_equals_one_shot(monkeypatch):
    rows = [(f"a:s{i}", "a", "Russia", "neutral", s, 0.5) for i, s in enumerate([0.1, -0.4, 0.9])]
    frame = stance_rows(rows)
    whole = aggregate_stance(frame, by=["article_id"], n_boot=100, min_articles=1)
    monkeypatch.setattr(bootstrap, "BOOT_CHUNK_VALUES", 7)
    pd.testing.assert_frame_equal(whole, aggregate_stance(frame, by=["article_id"], n_boot=100,
                                                          min_articles=1))


def test_grouping_keys_first_and_target_not_duplicated():
    out = aggregate_stance(SMALL, by=["target", "article_id"], n_boot=10)
    assert list(out.columns) == ["target", "article_id"] + schema.STANCE_AGGREGATE[1:]
    overall = aggregate_stance(SMALL, by=[], n_boot=10)
    assert list(overall.columns) == schema.STANCE_AGGREGATE
    assert overall.set_index("target")["n_sentences"].to_dict() == {"Russia": 4, "the West": 1}


def test_extra_key_column_and_empty_input():
    frame = SMALL.assign(topic=[0, 0, 1, 0, 1])
    out = aggregate_stance(frame, by=["topic"], n_boot=10)
    assert out[["topic", "target", "n_sentences"]].values.tolist() == [
        [0, "Russia", 2], [0, "the West", 1], [1, "Russia", 2]]
    empty = aggregate_stance(SMALL.iloc[:0], by=["article_id"])
    assert empty.empty and list(empty.columns) == ["article_id"] + schema.STANCE_AGGREGATE


@pytest.mark.parametrize("kwargs", [{"n_boot": 0}, {"ci": 1.0}, {"ci": 0}])
def test_bad_arguments_raise(kwargs):
    with pytest.raises(ValueError):
        aggregate_stance(SMALL, by=["article_id"], **kwargs)


def test_missing_scores_raise():
    frame = SMALL.copy()
    frame.loc[0, "score"] = np.nan
    with pytest.raises(ValueError, match="missing"):
        aggregate_stance(frame, by=["article_id"])


EVIDENCE_ROWS = stance_rows([
    ("a:s5", "a", "Russia", "favor", 0.6, 0.9),
    ("a:s2", "a", "Russia", "favor", 0.5, 0.8),
    ("a:s1", "a", "Russia", "favor", 0.5, 0.8),
    ("a:s3", "a", "Russia", "favor", 0.2, 0.6),
    ("a:s4", "a", "Russia", "favor", 0.9, 0.95),
    ("a:s6", "a", "Russia", "against", -0.4, 0.7),
    ("a:s7", "a", "Russia", "neutral", 0.0, 0.99),
    ("a:s8", "a", "the West", "against", -0.8, 0.9),
    ("b:s1", "b", "Russia", "against", -0.3, 0.6),
])


def test_evidence_order_ranks_and_ties():
    out = select_evidence(EVIDENCE_ROWS, "article", "article_id", n=3)
    assert list(out.columns) == schema.EVIDENCE
    got = out[["key", "target", "label", "rank", "sentence_id"]].values.tolist()
    assert got == [
        ["a", "Russia", "favor", 1, "a:s4"],
        ["a", "Russia", "favor", 2, "a:s5"],
        ["a", "Russia", "favor", 3, "a:s1"],  # tie at 0.8 broken by sentence_id
        ["a", "Russia", "against", 1, "a:s6"],
        ["a", "the West", "against", 1, "a:s8"],
        ["b", "Russia", "against", 1, "b:s1"],
    ]
    assert (out["level"] == "article").all() and out["rank"].dtype == "int64"


def test_evidence_n_per_direction_and_deterministic():
    for n in (1, 2, 10):
        out = select_evidence(EVIDENCE_ROWS, "article", "article_id", n=n)
        counts = out.groupby(["key", "target", "label"]).size()
        assert counts.max() <= n
        assert counts[("a", "Russia", "favor")] == min(n, 5)
    shuffled = EVIDENCE_ROWS.sample(frac=1, random_state=0)
    pd.testing.assert_frame_equal(select_evidence(shuffled, "article", "article_id"),
                                  select_evidence(EVIDENCE_ROWS, "article", "article_id"))


def test_evidence_topic_keys_are_text_in_numeric_order():
    frame = EVIDENCE_ROWS.assign(topic=[10, 10, 2, 2, -1, 2, 2, 10, 10]).astype({"topic": float})
    out = select_evidence(frame, "topic", "topic", n=1)
    assert out["key"].drop_duplicates().tolist() == ["-1", "2", "10"]
    assert (out["level"] == "topic").all()


def test_evidence_bad_arguments():
    with pytest.raises(ValueError):
        select_evidence(EVIDENCE_ROWS, "", "article_id")
    with pytest.raises(ValueError):
        select_evidence(EVIDENCE_ROWS, "article", "article_id", n=0)
    with pytest.raises(ValueError, match="lacks columns"):
        select_evidence(EVIDENCE_ROWS, "topic", "topic")
