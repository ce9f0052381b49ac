"""Tests for stance evaluation (analysis.eval.stance_evaluate, analysis.eval.corpora.ukraine_news_bias)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import EVAL

from analysis import schema
from analysis.eval.corpora import load_ukraine_news_bias, stance_from_framing
from analysis.eval.stance_evaluate import (
    classification_report_frame, evaluate_on_ukraine_news_bias, predict_against_gold,
)

UKRAINE_NEWS_BIAS = EVAL / "ukraine_news_bias"


def test_report_hand_computed():
    y_true = ["favor", "favor", "against", "neutral", "neutral", "against"]
    y_pred = ["favor", "neutral", "against", "favor", "neutral", "neutral"]
    out = classification_report_frame(y_true, y_pred).set_index("label")
    assert list(out.index) == ["favor", "against", "neutral", "macro", "f_avg"]
    assert out.loc["favor", "precision"] == pytest.approx(0.5)
    assert out.loc["favor", "recall"] == pytest.approx(0.5)
    assert out.loc["against", "precision"] == pytest.approx(1.0)
    assert out.loc["against", "f1"] == pytest.approx(2 / 3)
    assert out.loc["neutral", "f1"] == pytest.approx(0.4)
    assert out.loc["f_avg", "f1"] == pytest.approx((0.5 + 2 / 3) / 2)
    assert out.loc["macro", "f1"] == pytest.approx((0.5 + 2 / 3 + 0.4) / 3)
    assert out.loc["f_avg", "support"] == 4 and out.loc["macro", "support"] == 6


def test_report_zero_division_and_length_check():
    out = classification_report_frame(["neutral"] * 3, ["neutral"] * 3).set_index("label")
    assert out.loc["f_avg", "f1"] == 0.0 and out.loc["neutral", "f1"] == 1.0
    with pytest.raises(ValueError):
        classification_report_frame(["favor"], [])


@pytest.mark.parametrize("rule,score,label", [
    ("intensified", {"intensified": -1.5, "avg": -0.6, "maj": 0.0}, "against"),
    ("intensified", {"intensified": 2.0, "avg": 0.2, "maj": 0.0}, "favor"),
    ("intensified", {"intensified": 0.0, "avg": -0.4, "maj": 0.0}, "neutral"),
    ("avg", {"intensified": 0.0, "avg": -0.4, "maj": 0.0}, "against"),
    ("avg", {"intensified": 0.0, "avg": 0.2, "maj": 0.0}, "neutral"),
    ("maj", {"intensified": -2.0, "avg": -0.8, "maj": -1.0}, "against"),
])
def test_label_mapping(rule, score, label):
    assert stance_from_framing(score, rule) == label


def test_label_mapping_rejects_unknown_rule():
    with pytest.raises(ValueError):
        stance_from_framing({"avg": 0.0}, "median")


def write_tiny_dataset(root: Path) -> Path:
    """Two synthetic articles in the dataset's JSON layout."""
    folder = root / "all-data-as-json"
    folder.mkdir()
    texts = {
        0: [("Russia's aggression and war crimes shocked everyone.", -2.0, 0.0),
            ("The weather was mild.", 0.0, 0.0)],
        10: [("The West welcomed the partnership.", 0.0, 2.0)],
    }
    for number, sentences in texts.items():
        article = {"id": f"article_{number}", "sentences": [
            {"id": f"sent_{i}", "article": f"article_{number}", "position_in_article": i,
             "content": text,
             "framing": {"score": {
                 "russia": {"avg": r / 2, "maj": 0.0, "intensified": r},
                 "ukraine": {"avg": 0.0, "maj": 0.0, "intensified": 0.0},
                 "west": {"avg": w / 2, "maj": 0.0, "intensified": w}}}}
            for i, (text, r, w) in enumerate(sentences)]}
        (folder / f"article_{number}.json").write_text(json.dumps(article), encoding="utf-8")
    return root


def test_loader_on_synthetic_data(tmp_path):
    sentences, gold = load_ukraine_news_bias(write_tiny_dataset(tmp_path))
    assert list(sentences.columns) == schema.SENTENCES
    assert sentences["article_id"].tolist() == ["article_0", "article_0", "article_10"]
    assert sentences["sentence_id"].iloc[1] == "article_0:p0:s1"
    assert sentences.loc[1, "start"] == sentences.loc[0, "end"] + 1
    assert gold["gold"].tolist() == ["against", "neutral", "neutral", "neutral", "neutral", "favor"]
    one, _ = load_ukraine_news_bias(tmp_path / "all-data-as-json", max_articles=1)
    assert one["article_id"].unique().tolist() == ["article_0"]


def test_predictions_and_metrics_on_synthetic_data(tmp_path):
    root = write_tiny_dataset(tmp_path)
    joined = predict_against_gold(*load_ukraine_news_bias(root))
    assert joined[["target", "mentioned", "pred"]].values.tolist() == [
        ["Russia", True, "against"], ["the West", False, "neutral"],
        ["Russia", False, "neutral"], ["the West", False, "neutral"],
        ["Russia", False, "neutral"], ["the West", True, "favor"]]
    metrics = evaluate_on_ukraine_news_bias(root)
    f_avg = metrics[(metrics.subset == "all") & (metrics.label == "f_avg")]
    assert f_avg.set_index("target")["f1"].to_dict() == {"Russia": 0.5, "the West": 0.5}


def test_missing_folder_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_ukraine_news_bias(tmp_path)


def test_evaluate_on_real_slice():
    if not UKRAINE_NEWS_BIAS.is_dir():
        pytest.skip(f"evaluation set not present at {UKRAINE_NEWS_BIAS}")
    metrics = evaluate_on_ukraine_news_bias(UKRAINE_NEWS_BIAS, max_articles=10)
    assert list(metrics.columns) == ["target", "subset", "label", "precision", "recall", "f1",
                                     "support"]
    assert set(metrics["target"]) == {"Russia", "the West"}
    assert metrics[["precision", "recall", "f1"]].stack().between(0, 1).all()
    sentences, _ = load_ukraine_news_bias(UKRAINE_NEWS_BIAS, max_articles=10)
    all_rows = metrics[(metrics.subset == "all") & (metrics.label == "macro")]
    assert (all_rows["support"] == len(sentences)).all() and len(sentences) > 0
    mentioned = metrics[(metrics.subset == "mentioned") & (metrics.label == "macro")]
    assert (mentioned["support"].to_numpy() <= len(sentences)).all()
    again = evaluate_on_ukraine_news_bias(UKRAINE_NEWS_BIAS, max_articles=10)
    pd.testing.assert_frame_equal(metrics, again)


def test_label_shares_on_a_real_slice():
    """Predicted and crowd shares among sentences naming each target, each summing to 1."""
    if not UKRAINE_NEWS_BIAS.is_dir():
        pytest.skip(f"evaluation set not present at {UKRAINE_NEWS_BIAS}")
    from analysis.eval.stance_evaluate import SHARE_COLUMNS, label_shares_on_ukraine_news_bias

    table = label_shares_on_ukraine_news_bias(UKRAINE_NEWS_BIAS, max_articles=5)
    assert list(table.columns) == SHARE_COLUMNS and set(table["target"]) == {"Russia", "the West"}
    russia = table.set_index("target").loc["Russia"]
    assert russia["n_mentioned"] > 0
    for side in ("pred", "gold"):
        assert abs(sum(russia[f"{side}_{lab}"] for lab in ("favor", "against", "neutral")) - 1) < 1e-9
    _, gold = load_ukraine_news_bias(UKRAINE_NEWS_BIAS, max_articles=5)
    assert russia["n_mentioned"] < len(gold[gold["target"] == "Russia"])  # only sentences naming it
