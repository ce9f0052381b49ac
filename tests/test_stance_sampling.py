"""Tests for annotation sampling (analysis.stance.sampling, `analysis annotate sample`)."""
from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis.stance.annotations import read_annotations
from analysis.stance.sampling import SHEET, allocate, annotation_sheet, stratified_sample


@pytest.mark.parametrize("sizes,n,expected", [
    ([10, 10, 10], 9, [3, 3, 3]),
    ([1, 10, 10], 9, [1, 4, 4]),
    ([2, 2], 10, [2, 2]),
    ([0, 5], 3, [0, 3]),
])
def test_equal_allocation(sizes, n, expected):
    assert allocate(sizes, n) == expected


def test_proportional_allocation_sums_to_n():
    take = allocate([50, 30, 20], 10, "proportional")
    assert take == [5, 3, 2]
    assert sum(allocate([7, 3, 1], 5, "proportional")) == 5
    with pytest.raises(ValueError):
        allocate([1], 1, "random")


def test_stratified_sample_is_seeded_and_covers_strata():
    rows = pd.DataFrame({"topic": [0] * 20 + [1] * 5, "target": ["R", "W"] * 12 + ["R"],
                         "x": range(25)})
    a = stratified_sample(rows, 8, seed=1)
    b = stratified_sample(rows, 8, seed=1)
    assert a["x"].tolist() == b["x"].tolist() and len(a) == 8
    assert a.groupby(["topic", "target"]).ngroups == 4
    assert not a["x"].duplicated().any()


def test_sheet_from_a_run_round_trips_as_annotations(sample_run, tmp_path):
    sheet = annotation_sheet(sample_run.stance, sample_run.paragraph_topics, 12, seed=0)
    assert list(sheet.columns) == SHEET and len(sheet) == min(12, len(sample_run.stance))
    assert set(sheet["target"]) <= {"Russia", "the West"}
    assert sheet["topic"].notna().all()
    path = tmp_path / "sheet.csv"
    sheet.to_csv(path, index=False)
    assert read_annotations(path).empty  # nothing labelled yet
    labelled = pd.read_csv(path, dtype=str, keep_default_na=False)
    labelled["label"] = "neutral"
    labelled.to_csv(path, index=False)
    assert len(read_annotations(path)) == len(sheet)


def test_cli_sample_from_run_folder(sample_run, tmp_path):
    from analysis.cli import app

    out = tmp_path / "to_label.csv"
    result = CliRunner().invoke(app, ["annotate", "sample", "--run", str(sample_run.run_dir),
                                      "--n", "6", "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = pd.read_csv(out)
    assert len(sheet) == 6 and "wrote 6 rows" in result.output
    bad = CliRunner().invoke(app, ["annotate", "sample", "--run", str(tmp_path), "--out", str(out)])
    assert bad.exit_code == 2 and "not a run folder" in bad.output
