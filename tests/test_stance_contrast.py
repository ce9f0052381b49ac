"""Stance differences between outlets and periods: intervals that resample articles, honest edge cases."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import analysis
from analysis.cli import app
from analysis.stance import aggregate_stance
from analysis.stance.contrast import CONTRASTS, run_contrasts, stance_contrasts


def _stance(groups: dict[str, tuple[int, float]], seed: int = 0, by: str = "source") -> pd.DataFrame:
    """Four sentences per article; scores near each group's centre."""
    rng = np.random.default_rng(seed)
    rows = []
    for name, (n_articles, centre) in groups.items():
        for a in range(n_articles):
            for s in range(4):
                score = float(np.clip(centre + rng.normal(0, 0.3), -1, 1))
                label = "favor" if score > 0.3 else "against" if score < -0.3 else "neutral"
                rows.append({by: name, "target": "Russia", "article_id": f"{name}-{a}", "label": label,
                             "score": score, "confidence": 1.0, "sentence_id": f"{name}-{a}-{s}"})
    return pd.DataFrame(rows)


def test_clear_and_absent_differences():
    stance = _stance({"Outlet A": (30, -0.6), "Outlet B": (30, 0.2), "Outlet C": (30, 0.2)})
    table = stance_contrasts(stance, "source", n_boot=500, seed=1)
    assert list(table.columns) == CONTRASTS and len(table) == 3
    pairs = {(r.group_a, r.group_b): r for r in table.itertuples()}
    ab = pairs.get(("Outlet A", "Outlet B"))
    assert ab.excludes_zero and ab.ci_high < 0 and ab.ci_low <= ab.difference <= ab.ci_high
    assert not pairs[("Outlet B", "Outlet C")].excludes_zero
    means = aggregate_stance(stance, by=["source"], n_boot=10).set_index("source")["mean_score"]
    assert ab.mean_a == pytest.approx(means["Outlet A"]) and ab.difference == pytest.approx(
        means["Outlet A"] - means["Outlet B"])
    pd.testing.assert_frame_equal(table, stance_contrasts(stance, "source", n_boot=500, seed=1))


def test_small_and_single_article_groups_and_group_cap():
    stance = _stance({"Big": (12, -0.5), "Small": (3, 0.5), "One": (1, 0.9), "Tiny": (2, 0.0)})
    table = stance_contrasts(stance, "source", n_boot=200, min_articles=5, max_groups=3)
    assert set(table["group_a"]) | set(table["group_b"]) == {"Big", "Small", "Tiny"}  # "One" is the smallest
    assert table["small_group"].all()
    with_one = stance_contrasts(stance, "source", n_boot=200, max_groups=4)
    single = with_one[(with_one["group_b"] == "One") | (with_one["group_a"] == "One")]
    assert len(single) == 3 and single["ci_low"].isna().all() and not single["excludes_zero"].any()


def test_periods_are_compared_later_minus_earlier():
    stance = _stance({"2024-01": (10, -0.5), "2024-02": (10, 0.0), "2024-03": (12, 0.4)}, by="period")
    table = stance_contrasts(stance, "period", n_boot=200)
    assert list(zip(table["group_a"], table["group_b"])) == [("2024-03", "2024-02"), ("2024-03", "2024-01"),
                                                             ("2024-02", "2024-01")]
    assert (table["difference"] > 0).all()


def test_a_run_without_outlets_has_nothing_to_compare(sample_run):
    assert run_contrasts(sample_run, "source").empty and analysis.run_contrasts is run_contrasts
    with pytest.raises(ValueError, match="by must be one of"):
        run_contrasts(sample_run, "topic")
    result = CliRunner().invoke(app, ["contrast", str(sample_run.run_dir)])
    assert result.exit_code == 0 and "nothing to compare" in result.output


def test_cli_prints_and_writes_the_table(sample_run, tmp_path, monkeypatch):
    table = stance_contrasts(_stance({"TASS": (20, -0.6), "BBC": (20, 0.3)}), "source", n_boot=200)
    monkeypatch.setattr(analysis, "run_contrasts", lambda run_dir, by, max_groups: table)
    out = tmp_path / "contrasts.csv"
    result = CliRunner().invoke(app, ["contrast", str(sample_run.run_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Stance differences by source" in result.output and "*" in result.output
    assert pd.read_csv(out)["excludes_zero"].tolist() == [True]
    missing = CliRunner().invoke(app, ["contrast", str(tmp_path)])
    assert missing.exit_code == 2 and "not a run folder" in missing.output


def test_report_lists_clear_differences_in_proportion():
    from analysis.report.context_stance import contrast_block

    big = stance_contrasts(_stance({"TASS": (20, -0.6), "BBC": (20, 0.3), "DW": (20, 0.3), "Tiny": (2, 0.9)}),
                           "source", n_boot=300)
    block = contrast_block({"stance_contrasts": big}, "Russia")
    assert {(r["a"], r["b"]) for r in block["rows"]} == {("BBC", "TASS"), ("DW", "TASS")}  # not BBC/DW, not Tiny
    assert all(r["difference"].startswith("+") for r in block["rows"])
    assert block["note"].startswith("2 of 3 pair(s) of outlets differ") and "3 pair(s) with an outlet" in block["note"]
    small_only = stance_contrasts(_stance({"A": (3, -0.6), "B": (3, 0.6)}), "source", n_boot=100)
    assert contrast_block({"stance_contrasts": small_only}, "Russia")["note"].startswith("All 1 pair(s)")
    assert contrast_block({"stance_contrasts": small_only}, "the West") is None
    assert contrast_block({}, "Russia") is None


def test_key_finding_states_outlet_differences_in_proportion():
    from analysis.report.context_findings import _outlet_differences

    table = stance_contrasts(_stance({"TASS": (20, -0.6), "BBC": (20, 0.3), "DW": (20, 0.3), "Tiny": (2, 0.9)}),
                             "source", n_boot=300)
    text = _outlet_differences({"stance_contrasts": table}, "Russia")
    assert text.startswith("; 2 of 3 outlet pairs differ beyond their interval") and "vs TASS" in text
    same = stance_contrasts(_stance({"A": (20, 0.1), "B": (20, 0.1)}), "source", n_boot=300)
    assert _outlet_differences({"stance_contrasts": same}, "Russia") == (
        "; no pair of outlets differs beyond its interval (1 compared)")
    assert _outlet_differences({}, "Russia") == ""
