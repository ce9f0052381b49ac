"""Tests for the validation figures (analysis.report.figures_validation)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report import figures_validation as fv
from analysis.stance.validation import evaluate_predictions

GOLD = ["favor"] * 6 + ["against"] * 8 + ["neutral"] * 6
PRED = ["favor"] * 4 + ["neutral"] * 2 + ["against"] * 7 + ["favor"] + ["neutral"] * 5 + ["against"]


def tables():
    probs = np.tile([0.7, 0.2, 0.1], (len(GOLD), 1))
    return evaluate_predictions(GOLD, PRED, probs, n_boot=50)


def test_confusion_matrix_shows_counts_and_row_totals():
    fig = fv.confusion_matrix(tables()["confusion"])
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "4\n67%" in texts and "7\n88%" in texts and "5\n83%" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == ["favor", "against", "neutral"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["favor (n=6)", "against (n=8)", "neutral (n=6)"]
    assert fv.confusion_matrix(pd.DataFrame()) is None


def test_reliability_diagram_bars_match_table():
    rel = tables()["reliability"]
    fig = fv.reliability_diagram(rel)
    top, bottom = fig.axes[:2]
    used = rel[rel["n"] > 0]
    heights = [p.get_height() for p in top.patches]
    assert np.allclose(heights, used["accuracy"])
    assert [p.get_height() for p in bottom.patches] == rel["n"].tolist()
    assert fv.reliability_diagram(rel.assign(n=0)) is None


def test_validation_f1_has_one_series_per_scorer(tmp_path):
    m = tables()["metrics"]
    validation = pd.concat([m.assign(scorer="a"), m.assign(scorer="b")], ignore_index=True)
    fig = fv.validation_f1(validation)
    assert len(fig.axes[0].lines) >= 2
    saved = fv.save_validation_figures({"stance_validation": validation,
                                        "stance_confusion": tables()["confusion"]}, tmp_path)
    assert set(saved) == {"stance_validation_f1", "stance_confusion"}
    assert all(p.stat().st_size > 0 for entry in saved.values() for p in entry["paths"].values())


def test_figures_of_several_validation_sets_show_the_first_split():
    t = tables()
    confusion = pd.concat([t["confusion"].assign(split="real dev"),
                           t["confusion"].assign(split="generated test", count=99)])
    texts = [x.get_text() for x in fv.confusion_matrix(confusion).axes[0].texts]
    assert "4\n67%" in texts and not any(x.startswith("99") for x in texts)
    rel = pd.concat([t["reliability"].assign(split="real dev"),
                     t["reliability"].assign(split="generated test")])
    bottom = fv.reliability_diagram(rel).axes[1]
    assert [p.get_height() for p in bottom.patches] == t["reliability"]["n"].tolist()
    metrics = pd.concat([t["metrics"].assign(scorer="a", split="real dev"),
                         t["metrics"].assign(scorer="a", split="generated test")])
    assert fv.validation_f1(metrics) is not None
