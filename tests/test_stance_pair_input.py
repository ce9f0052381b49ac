"""Rows whose target is not named: ``target [SEP] text`` input, the explicit opt-in, benchmarks."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import schema
from analysis.cli import app
from analysis.stance.annotations import AnnotationError, annotation_input, read_annotations
from analysis.stance.crossencoder import Config, CrossEncoderScorer, mark_mention, train_crossencoder
from analysis.stance.crossencoder.inputs import encode_rows

TINY = Config(epochs=1, calibration_rows=4, mode="lora", lr=3e-4)
NEWSMTSC = Path(__file__).resolve().parents[1] / "data" / "annotations" / "newsmtsc"

#: Tweets in the style of SemEval-2016: the target is never named in the text.
ROWS = [
    ("God is the answer to every question.", "Atheism", "against"),
    ("Religion poisons everything it touches.", "Atheism", "favor"),
    ("Going to church again this Sunday, feeling blessed.", "Atheism", "against"),
    ("Reason and evidence, not faith.", "Atheism", "favor"),
    ("Nice weather in Leeds today.", "Atheism", "neutral"),
    ("Women deserve equal pay. Full stop.", "Feminist Movement", "favor"),
    ("Stop whining about the patriarchy, ladies.", "Feminist Movement", "against"),
    ("My sister just got promoted, proud of her!", "Feminist Movement", "neutral"),
    ("Equal rights for all genders now.", "Feminist Movement", "favor"),
    ("These activists hate men, plain and simple.", "Feminist Movement", "against"),
    ("Watching the game tonight.", "Feminist Movement", "neutral"),
    ("Prayer changes things.", "Atheism", "against"),
]


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from analysis.stance.crossencoder import base_model_path

    return AutoTokenizer.from_pretrained(str(base_model_path()), local_files_only=True)


def _csv(path: Path, rows, columns=("text", "target", "label")) -> Path:
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False)
    return path


def test_pair_input_is_used_exactly_when_there_is_no_span(tokenizer):
    sentences = ["Critics said Smith lied again.", "God is the answer."]
    enc = encode_rows(tokenizer, sentences, [13, 0], [18, 0], 128, targets=["Smith", "Atheism"],
                      pair_pooling="target")
    marked, _ = mark_mention(sentences[0], 13, 18)
    assert enc[0]["ids"] == tokenizer(marked)["input_ids"]  # a row with a span: as before
    pair = tokenizer("Atheism", sentences[1])
    assert enc[1]["ids"] == pair["input_ids"] and enc[1]["types"] == pair["token_type_ids"]
    span = [i for i, m in zip(enc[1]["ids"], enc[1]["span"]) if m]
    assert tokenizer.decode(span) == "atheism"  # the target's tokens, no special tokens
    cls = encode_rows(tokenizer, sentences[1:], [0], [0], 128, targets=["Atheism"])  # the default
    assert cls[0]["span"] == [1] + [0] * (len(cls[0]["ids"]) - 1)
    mean = encode_rows(tokenizer, sentences[1:], [0], [0], 128, targets=["Atheism"], pair_pooling="mean")
    assert all(mean[0]["span"])
    with pytest.raises(ValueError, match="needs its target name"):
        encode_rows(tokenizer, sentences[1:], [0], [0], 128)


def test_newsmtsc_rows_are_encoded_as_before(tokenizer):
    """Every NewsMTSC row has a span, so the shipped model reads exactly the marked sentences."""
    X = annotation_input(read_annotations(NEWSMTSC / "dev_rw.jsonl").head(30))
    assert (X["start"] < X["end"]).all()
    enc = encode_rows(tokenizer, X["sentence"], X["start"], X["end"], 128, targets=X["target"])
    for item, row in zip(enc, X.itertuples(index=False)):
        text, _ = mark_mention(row.sentence, row.start, row.end)
        assert item["ids"] == tokenizer(text, truncation=True, max_length=128)["input_ids"]


def test_unmentioned_targets_error_unless_pair_is_asked_for(tmp_path):
    path = _csv(tmp_path / "tweets.csv", ROWS)
    with pytest.raises(AnnotationError, match=r"tweets.csv, row 2: target 'Atheism' is not found"):
        train_crossencoder(path, tmp_path / "m", TINY)
    result = CliRunner().invoke(app, ["stance", "train", str(path), "--out", str(tmp_path / "m")])
    said = " ".join(result.output.split())  # the console wraps long lines
    assert result.exit_code == 2 and "tweets.csv, row 2" in said and "--pair" in said


def test_tiny_finetune_on_unmentioned_targets_predicts(tmp_path):
    rows = [r + ("train",) for r in ROWS] + [r + ("dev",) for r in ROWS[:4]]
    path = _csv(tmp_path / "tweets.csv", rows, ("text", "target", "label", "split"))
    result = train_crossencoder(path, tmp_path / "m", TINY, pair=True)
    info = json.loads((result.model_dir / "model.json").read_text())
    assert info["recipe"]["pair_pooling"] == "cls"
    assert info["training"]["rows"] == {"total": 12, "train": 10, "calibration": 2}
    dev = info["validation"][0]
    assert dev["name"] == "tweets.csv dev" and dev["rows"] == 4 and dev["not_found"] == []
    X = annotation_input(read_annotations(path))
    assert not X["mentioned"].any()
    out = CrossEncoderScorer(model=str(result.model_dir)).fit().predict_frame(X)
    assert list(out.columns) == schema.STANCE and len(out) == len(X)
    assert np.allclose(out[["p_favor", "p_against", "p_neutral"]].sum(axis=1), 1)


def test_crossencoder_benchmark_reads_unmentioned_rows_as_pairs(tmp_path):
    from analysis.eval.stance import CE_COLUMNS, crossencoder_benchmark, holdout

    frame = pd.DataFrame(ROWS, columns=["text", "target", "label"]).assign(
        id=[f"t{i}" for i in range(len(ROWS))])
    fit, dev = holdout(frame, 0.25, seed=0)
    assert len(dev) == 3 and not set(fit["id"]) & set(dev["id"])
    table = crossencoder_benchmark(fit, {"dev": dev}, tmp_path, {"data": "toy", "sha256": "0"},
                                   TINY, seeds=(3,), log=None)
    assert list(table.columns) == CE_COLUMNS and table["seed"].tolist() == [3]
    assert (table["pair_share"] == 1.0).all() and table["f_avg"].between(0, 1).all()
    assert json.loads((tmp_path / "seed3" / "model.json").read_text())["recipe"]["seed"] == 3
