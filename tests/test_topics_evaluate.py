"""Topic evaluation metrics against small cases computed by hand."""
import math

import numpy as np
import pandas as pd
import pytest

from analysis.topics.evaluate import (evaluate_assignments, label_agreement, size_summary,
                                      topic_diversity, topic_npmi)


def analyzer(text):
    return text.split()


DOCS = ["a b", "a b", "a c", "d", "c d"]  # 5 documents


def test_npmi_matches_hand_computation():
    # p(a)=3/5, p(b)=2/5, p(a,b)=2/5 -> pmi=log((2/5)/(6/25))=log(5/3), npmi=log(5/3)/-log(2/5)
    ab = math.log(5 / 3) / -math.log(2 / 5)
    # p(a)=3/5, p(c)=2/5, p(a,c)=1/5 -> log((1/5)/(6/25))/-log(1/5)
    ac = math.log(5 / 6) / -math.log(1 / 5)
    table = topic_npmi({0: ["a", "b"], 1: ["a", "b", "c"], 2: ["b", "d"]}, DOCS, analyzer)
    got = table.set_index("topic")["npmi"]
    assert got[0] == pytest.approx(ab)
    # b and c never co-occur: -1 by convention
    assert got[1] == pytest.approx((ab + ac - 1.0) / 3)
    assert got[2] == pytest.approx(-1.0)
    assert table.set_index("topic")["n_pairs_unseen"].tolist() == [0, 1, 1]


def test_npmi_of_words_always_together_is_one():
    table = topic_npmi({0: ["x", "y"]}, ["x y", "x y z", "z"], analyzer)
    # p(x)=p(y)=p(x,y)=2/3: pmi = log(1/p) = -log p -> npmi = 1
    assert table["npmi"].iloc[0] == pytest.approx(1.0)


def test_npmi_uses_only_top_n_words():
    table = topic_npmi({0: ["a", "b", "d"]}, DOCS, analyzer, top_n=2)
    assert table["n_words"].iloc[0] == 2
    assert table["npmi"].iloc[0] == pytest.approx(math.log(5 / 3) / -math.log(2 / 5))


def test_diversity_is_unique_share_and_skips_outliers():
    words = {-1: ["a", "b"], 0: ["a", "b", "c"], 1: ["a", "d", "e"]}
    assert topic_diversity(words, top_n=25) == pytest.approx(5 / 6)
    assert topic_diversity(words, top_n=1) == pytest.approx(1 / 2)


def test_label_agreement_perfect_and_permuted():
    topics = [0, 0, 1, 1, 2, 2]
    labels = ["x", "x", "y", "y", "z", "z"]
    perfect = label_agreement(topics, labels)
    assert perfect["nmi"] == pytest.approx(1.0) and perfect["ari"] == pytest.approx(1.0)
    assert perfect["v_measure"] == pytest.approx(1.0) and perfect["n_labels"] == 3
    # ARI of {0,0,1,1} vs {x,y,x,y}: hand computation gives -0.5
    assert label_agreement([0, 0, 1, 1], ["x", "y", "x", "y"])["ari"] == pytest.approx(-0.5)


def test_label_agreement_skips_missing_labels():
    out = label_agreement([0, 0, 1, 1], ["x", "x", None, "y"])
    assert out["n_labelled"] == 3 and out["ari"] == pytest.approx(1.0)


def test_size_summary_counts_outliers_apart():
    s = size_summary([-1, -1, 0, 0, 0, 1])
    assert s["n_topics"] == 2 and s["outlier_share"] == pytest.approx(2 / 6)
    assert s["size_max"] == 3 and s["size_min"] == 1 and s["largest_topic_share"] == pytest.approx(0.75)
    # entropy of (3/4, 1/4) normalised by log 2
    h = -(0.75 * np.log(0.75) + 0.25 * np.log(0.25)) / np.log(2)
    assert s["size_entropy"] == pytest.approx(h)


def test_evaluate_assignments_combines_everything():
    quality, summary = evaluate_assignments([0, 0, 1, 1, -1], {0: ["a", "b"], 1: ["c", "d"], -1: ["a"]},
                                            DOCS, analyzer, labels=list("xxyyx"))
    assert set(quality["topic"]) == {-1, 0, 1}
    assert summary["npmi_mean"] == pytest.approx(quality[quality["topic"] >= 0]["npmi"].mean())
    assert summary["diversity"] == 1.0 and summary["outlier_share"] == pytest.approx(0.2)
    assert 0 <= summary["nmi"] <= 1
    assert isinstance(quality, pd.DataFrame)
