"""Tests for stance metrics, calibration and agreement (validation, calibration, agreement)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import softmax
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from analysis.schema import LABELS
from analysis.eval.agreement import _from_confusion, agreement_table, krippendorff_alpha
from analysis.stance.calibration import TemperatureScaler
from analysis.stance.reliability import expected_calibration_error, reliability_table
from analysis.stance.validation import confusion_counts, evaluate_predictions, summary


def random_labels(n, seed):
    rng = np.random.default_rng(seed)
    return rng.choice(LABELS, size=n).astype(object)


def test_metrics_match_sklearn_and_intervals_contain_point():
    gold, pred = random_labels(300, 1), random_labels(300, 2)
    pred[:150] = gold[:150]  # better than chance
    out = evaluate_predictions(gold, pred, n_boot=300, seed=3)["metrics"].set_index("label")
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(LABELS), zero_division=0)
    assert np.allclose(out.loc[list(LABELS), "f1"], f)
    assert np.allclose(out.loc[list(LABELS), "precision"], p)
    assert out.loc["f_avg", "f1"] == pytest.approx(f[:2].mean())
    assert out.loc["macro", "f1"] == pytest.approx(f.mean())
    assert out.loc["accuracy", "f1"] == pytest.approx(np.mean(gold == pred))
    assert (out["f1_low"] <= out["f1"] + 1e-12).all() and (out["f1"] <= out["f1_high"] + 1e-12).all()
    assert list(out["support"].loc[list(LABELS)]) == list(s)


def test_bootstrap_is_seeded():
    gold, pred = random_labels(80, 4), random_labels(80, 5)
    a = evaluate_predictions(gold, pred, n_boot=100, seed=7)["metrics"]
    b = evaluate_predictions(gold, pred, n_boot=100, seed=7)["metrics"]
    pd.testing.assert_frame_equal(a, b)


def test_confusion_and_bad_labels():
    conf = confusion_counts(["favor", "against", "against"], ["favor", "neutral", "against"])
    assert conf.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 0]]
    with pytest.raises(ValueError, match="labels must be one of"):
        evaluate_predictions(["pro"], ["favor"])


def test_temperature_scaler_recovers_temperature():
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=4.0, size=(4000, 3))
    probs = softmax(logits / 2.5, axis=1)
    y = np.array([rng.choice(3, p=row) for row in probs])
    scaler = TemperatureScaler().fit(logits, y)
    assert scaler.temperature_ == pytest.approx(2.5, rel=0.1)
    assert np.allclose(scaler.transform(logits).sum(axis=1), 1.0)


def test_reliability_table_hand_computed():
    table = reliability_table([1, 0, 1, 1], [0.35, 0.38, 0.95, 0.91], n_bins=10)
    assert len(table) == 10 and table["n"].sum() == 4
    row3, row9 = table.set_index("bin").loc[3], table.set_index("bin").loc[9]
    assert row3["n"] == 2 and row3["accuracy"] == 0.5 and row3["confidence"] == pytest.approx(0.365)
    assert row9["n"] == 2 and row9["accuracy"] == 1.0
    expected = 0.5 * abs(0.5 - 0.365) + 0.5 * abs(1.0 - 0.93)
    assert expected_calibration_error(table) == pytest.approx(expected)


def test_summary_has_headline_figures():
    gold = random_labels(50, 8)
    probs = np.full((50, 3), 1 / 3)
    s = summary(evaluate_predictions(gold, gold, probs, n_boot=50))
    assert s["macro_f1"] == 1.0 and s["accuracy"] == 1.0 and s["n"] == 50
    assert s["ece"] == pytest.approx(1 - 1 / 3)


def test_agreement_matches_libraries():
    a = random_labels(200, 10)
    b = a.copy()
    b[:80] = random_labels(80, 11)
    table = agreement_table(a, b, n_boot=200, seed=1).set_index("measure")
    assert table.loc["cohen_kappa", "value"] == pytest.approx(cohen_kappa_score(a, b))
    vectorised = _from_confusion(confusion_counts(a, b))
    assert vectorised[1] == pytest.approx(cohen_kappa_score(a, b))
    assert vectorised[2] == pytest.approx(krippendorff_alpha(a, b))
    assert table.loc["agreement", "value"] == pytest.approx(np.mean(a == b))
    for measure in table.index:
        assert table.loc[measure, "ci_low"] <= table.loc[measure, "value"] <= table.loc[measure, "ci_high"]


def test_agreement_skips_missing_labels():
    table = agreement_table(["favor", "against", None], ["favor", "favor", "neutral"], n_boot=20)
    assert (table["n"] == 2).all()
