"""Tests for `analysis stance ...` commands on small real inputs."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.stance.annotations import read_annotations
from conftest import ROOT

ANNOTATIONS = ROOT / "data" / "annotations" / "stance_annotations.csv"


@pytest.fixture(scope="module")
def gold_csv(tmp_path_factory):
    """30 test-split rows of the shipped annotations, with a second annotator column."""
    frame = read_annotations(ANNOTATIONS)
    rows = pd.concat([g.head(10) for _, g in frame[frame["split"] == "test"].groupby("label")])
    rows = rows.assign(label_2=rows["label"].where(rows.index % 4 != 0, "neutral"))
    path = tmp_path_factory.mktemp("gold") / "gold.csv"
    rows.to_csv(path, index=False)
    return path


def test_evaluate_lexicon_writes_validation_report(gold_csv, tmp_path, cache_dir):
    out = tmp_path / "val"
    result = CliRunner().invoke(app, ["stance", "evaluate", "--gold", str(gold_csv),
                                      "--scorer", "stance.lexicon.v1", "--out", str(out),
                                      "--cache-dir", str(cache_dir)])
    assert result.exit_code == 0, result.output
    assert "30 items" in result.output and "kappa" in result.output
    metrics = pd.read_csv(out / "metrics.csv").set_index("label")
    assert metrics.loc["macro", "support"] == 30
    agreement = pd.read_csv(out / "agreement.csv").set_index("measure")
    assert 0 < agreement.loc["agreement", "value"] < 1
    report = (out / "report.md").read_text()
    assert "F_avg" in report and "Confusion matrix" in report and "Agreement" in report
    assert (out / "figures" / "confusion.png").is_file()
    assert not (out / "reliability.csv").exists()  # lexicon probabilities are not calibrated


def test_train_then_evaluate_model(gold_csv, tmp_path, cache_dir):
    frame = read_annotations(ANNOTATIONS)
    train = pd.concat([g.head(15) for _, g in frame[frame["split"] == "train"].groupby("label")])
    path = tmp_path / "train.csv"
    train.drop(columns="split").to_csv(path, index=False)
    model = tmp_path / "model"
    result = CliRunner().invoke(app, ["stance", "train", str(path), "--fast", "--out", str(model),
                                      "--cache-dir", str(cache_dir)])
    assert result.exit_code == 0, result.output
    assert "calibration: 5-fold cross-validation" in result.output
    result = CliRunner().invoke(app, ["stance", "evaluate", "--gold", str(gold_csv), "--model", str(model),
                                      "--scorer", "stance.learner.v1",
                                      "--out", str(tmp_path / "v"), "--cache-dir", str(cache_dir)])
    assert result.exit_code == 0, result.output
    assert "ECE" in result.output and (tmp_path / "v" / "reliability.csv").is_file()


def test_train_crossencoder_on_newsmtsc_jsonl(tmp_path):
    lines = (ROOT / "data" / "annotations" / "newsmtsc" / "train.jsonl").read_text().splitlines()
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(lines[:40]) + "\n")
    result = CliRunner().invoke(app, ["stance", "train", str(path), "--out", str(tmp_path / "m"),
                                      "--set", "epochs=1", "--set", "calibration_rows=8"])
    assert result.exit_code == 0, result.output
    assert "rows used: 32 training + 8 calibration (of 40)" in result.output
    assert "warning: only 40 labelled rows: a model trained on so few is not worth quoting" in result.output
    assert (tmp_path / "m" / "adapter.safetensors").is_file()
    assert "n-gram companion: 1 model(s)" in result.output
    result = CliRunner().invoke(app, ["stance", "train", str(path), "--out", str(tmp_path / "off"),
                                      "--set", "epochs=1", "--set", "calibration_rows=8",
                                      "--set", "companion=false"])
    assert result.exit_code == 0 and "n-gram companion: off" in result.output, result.output
    assert "companion" not in json.loads((tmp_path / "off" / "model.json").read_text())
    four = tmp_path / "four.jsonl"
    four.write_text("\n".join(lines[:4]) + "\n")
    result = CliRunner().invoke(app, ["stance", "train", str(four), "--out", str(tmp_path / "four"),
                                      "--set", "epochs=1"])
    assert result.exit_code == 0, result.output  # neutral and negative rows: two labels
    assert "too few rows to hold out calibration rows" in result.output
    assert "the probabilities stay uncalibrated (temperature 1) and the n-gram companion is off" in result.output
    result = CliRunner().invoke(app, ["stance", "train", str(path), "--out", str(tmp_path / "m"),
                                      "--set", "epoch=1"])
    assert result.exit_code == 2 and "expected key=value" in result.output


def test_errors_are_one_line_with_exit_code_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,target\nRussia won.,Russia\n")
    result = CliRunner().invoke(app, ["stance", "train", str(bad), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "missing column" in result.output
    result = CliRunner().invoke(app, ["stance", "evaluate", "--gold", str(bad), "--model", str(tmp_path)])
    assert result.exit_code == 2


def test_benchmark_skips_cleanly_without_data(tmp_path):
    result = CliRunner().invoke(app, ["stance", "benchmark", "semeval", "--data", str(tmp_path / "none")])
    assert result.exit_code == 0 and "skipped" in result.output
    result = CliRunner().invoke(app, ["stance", "benchmark", "nope", "--data", str(tmp_path)])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["stance", "benchmark", "ruw", "--data", str(tmp_path),
                                      "--backend", "onnx"])
    assert result.exit_code == 2 and "unknown backend" in result.output


def test_benchmark_grid_on_static_features():
    from analysis.eval.stance import GRID, with_backend

    static = with_backend(GRID, "static")
    assert len(static) == len(GRID) and all(p["embed_backend"] == "static" for p in static)
    assert all({k: v for k, v in p.items() if k != "embed_backend"} == g for p, g in zip(static, GRID))


def test_pstance_benchmark_on_a_slice_reads_only_train_and_val(tmp_path):
    """Train and val slices of the real files (the test files are not copied, so never needed)."""
    from conftest import eval_path

    source = eval_path("pstance")
    for split, n in (("train", 40), ("val", 12)):
        for name in ("trump", "biden", "bernie"):
            frame = pd.read_csv(source / f"raw_{split}_{name}.csv", dtype=str, keep_default_na=False)
            frame.head(n).to_csv(tmp_path / f"raw_{split}_{name}.csv", index=False)
    from analysis.eval.corpora import load_pstance

    data = load_pstance(tmp_path)
    assert len(data) == 3 * 52 and set(data["label"]) <= {"favor", "against"}
    assert set(data["target"]) == {"Donald Trump", "Joe Biden", "Bernie Sanders"}
    result = CliRunner().invoke(app, ["stance", "benchmark", "pstance", "--data", str(tmp_path),
                                      "--set", "epochs=1", "--set", "calibration_rows=20"])
    assert result.exit_code == 0, result.output
    assert "P-Stance (favor / against only)" in result.output and "P-Stance val" in result.output
    assert "n=36" in result.output
    result = CliRunner().invoke(app, ["stance", "benchmark", "pstance-default", "--data", str(tmp_path)])
    assert result.exit_code == 0 and "model 'default' (not trained on it)" in result.output, result.output
    found = float(result.output.split("target found in ")[1].split("%")[0])
    assert found > 40  # the surnames find the candidates (the full names alone would not)
