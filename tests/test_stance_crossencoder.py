"""The cross-encoder scorer: marked inputs, training protocol, data-only folders, errors."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import softmax

from analysis import schema
from analysis.stance.annotations import AnnotationError, annotation_input, read_annotations
from analysis.stance.crossencoder import (
    Config, CrossEncoderScorer, ValidationSet, mark_mention, read_crossencoder, train_crossencoder,
)
from analysis.stance.crossencoder import io as ce_io
from analysis.stance.crossencoder.inputs import MAX_CHARS, encode_rows, to_schema_order
from analysis.stance.modelio import ModelFormatError

NEWSMTSC = Path(__file__).resolve().parents[1] / "data" / "annotations" / "newsmtsc"
TINY = Config(epochs=1, calibration_rows=12, mode="lora", lr=3e-4)


@pytest.fixture(scope="module")
def tiny_rows(tmp_path_factory) -> Path:
    """60 NewsMTSC training rows (48 train + 12 calibration)."""
    path = tmp_path_factory.mktemp("ce") / "tiny.jsonl"
    lines = (NEWSMTSC / "train.jsonl").read_text(encoding="utf-8").splitlines()[:60]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_dev(tmp_path_factory) -> ValidationSet:
    """The first 40 dev_rw rows as a validation set."""
    path = tmp_path_factory.mktemp("ce") / "dev.jsonl"
    lines = (NEWSMTSC / "dev_rw.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ValidationSet("tiny dev", path)


@pytest.fixture(scope="module")
def tiny_model(tiny_rows, tiny_dev, tmp_path_factory):
    return train_crossencoder(tiny_rows, tmp_path_factory.mktemp("ce") / "model", TINY,
                              validation=[tiny_dev])


def test_mention_is_marked_by_offsets():
    text, (a, b) = mark_mention("Yesterday Smith spoke.", 10, 15)
    assert text == "Yesterday [TGT] Smith [/TGT] spoke." and text[a:b] == "Smith"
    long = "x " * 400 + "Smith spoke."
    text, (a, b) = mark_mention(long, 800, 805)
    assert text[a:b] == "Smith" and len(text) <= MAX_CHARS + 20
    with pytest.raises(ValueError, match="do not fit"):
        mark_mention("short", 3, 9)


def test_span_mask_covers_the_mention_tokens():
    from analysis.stance.crossencoder.network import build_network

    tokenizer, _ = build_network(Config())
    enc = encode_rows(tokenizer, ["Critics said Smith lied again."], [13], [18], 128)[0]
    tokens = tokenizer.convert_ids_to_tokens([i for i, m in zip(enc["ids"], enc["span"]) if m])
    assert tokens == ["smith"]


def test_tiny_train_save_load_predict(tiny_model):
    folder = tiny_model.model_dir
    assert sorted(p.name for p in folder.iterdir()) == ["adapter.safetensors", "model.json"]
    info = json.loads((folder / "model.json").read_text())
    assert info["training"]["rows"] == {"total": 60, "train": 48, "calibration": 12}
    assert info["recipe"]["epochs"] == 1 and info["labels"] == ["against", "neutral", "favor"]
    scorer = CrossEncoderScorer(model=str(folder)).fit()
    rows = annotation_input(read_annotations(NEWSMTSC / "dev_rw.jsonl").head(8))
    out = scorer.predict_frame(rows)
    assert list(out.columns) == schema.STANCE and len(out) == 8
    probs = out[["p_favor", "p_against", "p_neutral"]].to_numpy()
    assert np.allclose(probs.sum(axis=1), 1) and np.allclose(out["score"], probs[:, 0] - probs[:, 1])
    assert scorer.predict_frame(rows.head(0)).empty
    stored = info["validation"][0]
    assert stored["name"] == "tiny dev" and stored["rows"] == 40


def test_training_is_deterministic(tiny_model, tiny_rows, tiny_dev, tmp_path):
    again = train_crossencoder(tiny_rows, tmp_path / "again", TINY, validation=[tiny_dev])
    for name in ("adapter.safetensors", "model.json"):
        assert (again.model_dir / name).read_bytes() == (tiny_model.model_dir / name).read_bytes()


def test_changed_weights_or_base_model_are_refused(tiny_model, tmp_path, monkeypatch):
    folder = tmp_path / "copy"
    folder.mkdir()
    for p in tiny_model.model_dir.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    monkeypatch.setattr(ce_io, "base_fingerprint", lambda path=None: "0" * 64)
    with pytest.raises(ModelFormatError, match="fingerprint"):
        read_crossencoder(folder)
    monkeypatch.undo()
    blob = bytearray((folder / "adapter.safetensors").read_bytes())
    blob[-1] ^= 1
    (folder / "adapter.safetensors").write_bytes(bytes(blob))
    with pytest.raises(ModelFormatError, match="sha256"):
        read_crossencoder(folder)
    with pytest.raises(ModelFormatError, match="adapter.safetensors"):
        read_crossencoder(tmp_path)


def _csv(tmp_path, rows, columns=("text", "target", "label")) -> Path:
    path = tmp_path / "ann.csv"
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False)
    return path


def test_bad_annotations_name_the_file_and_row(tmp_path):
    good = ("Moscow cut the gas.", "Russia", "against")
    path = _csv(tmp_path, [good, ("Moscow cut the gas.", "Russia", "angry")])
    with pytest.raises(AnnotationError, match=r"ann.csv, row 3: label 'angry'"):
        read_annotations(path)
    path = _csv(tmp_path, [good, ("Nothing to see here.", "Russia", "neutral")])
    with pytest.raises(AnnotationError, match=r"ann.csv, row 3: target 'Russia' is not found"):
        train_crossencoder(path, tmp_path / "m", TINY)
    path = _csv(tmp_path, [good + (0, 6, "Moscow"), good + (1, 6, "Moscow")],
                ("text", "target", "label", "start", "end", "mention"))
    with pytest.raises(AnnotationError, match=r"ann.csv, row 3: text\[1:6\] is 'oscow'"):
        read_annotations(path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"sentence": "Smith won.", "mention": "Smith", "from": 0, "to": 5,
                               "polarity": 2}) + "\n")
    with pytest.raises(AnnotationError, match=r"bad.jsonl, row 1: polarity 2"):
        read_annotations(bad)
    bad.write_text(json.dumps({"sentence": "Smith won.", "mention": "Smith", "from": 1, "to": 5,
                               "polarity": 1}) + "\n")
    with pytest.raises(AnnotationError, match=r"bad.jsonl, row 1: sentence\[1:5\]"):
        read_annotations(bad)


def test_start_end_columns_choose_the_labelled_mention(tmp_path):
    text = "Moscow praised Kyiv, and Russia then changed course."
    path = _csv(tmp_path, [(text, "Russia", "neutral", 25, 31), (text, "Russia", "neutral", "", "")],
                ("text", "target", "label", "start", "end"))
    X = annotation_input(read_annotations(path))
    assert X["mention"].tolist() == ["Russia", "Moscow"]
    assert X[["start", "end"]].values.tolist() == [[25, 31], [0, 6]]


def test_newsmtsc_benchmark_reports_dev_figures(tmp_path):
    from analysis.eval.stance import NEWSMTSC_COLUMNS, newsmtsc_benchmark

    for name, n in (("train.jsonl", 60), ("dev_rw.jsonl", 20), ("dev_mt.jsonl", 20)):
        lines = (NEWSMTSC / name).read_text(encoding="utf-8").splitlines()[:n]
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    table, info = newsmtsc_benchmark(tmp_path, tmp_path / "model", TINY, log=None, progress=False)
    assert list(table.columns) == NEWSMTSC_COLUMNS
    assert table["split"].tolist() == ["newsmtsc dev_rw (real, dev)", "newsmtsc dev_mt (real, dev)"]
    assert (table["n"] == 20).all() and table["macro_f1"].between(0, 1).all()
    assert info["training"]["rows"]["train"] == 48


def test_training_can_start_from_a_trained_model(tiny_model, tiny_rows, tmp_path):
    """``init``: the stored weights are the starting point (with learning rate 0 they stay as stored)."""
    from safetensors.numpy import load_file

    start = str(tiny_model.model_dir)
    frozen = Config(**{**TINY.to_dict(), "init": start, "lr": 0.0, "head_lr": 0.0})
    out = train_crossencoder(tiny_rows, tmp_path / "from", frozen).model_dir
    before = load_file(tiny_model.model_dir / "adapter.safetensors")
    after = load_file(out / "adapter.safetensors")
    assert sorted(before) == sorted(after) and all(np.array_equal(before[k], after[k]) for k in before)
    info = json.loads((out / "model.json").read_text())
    assert info["recipe"]["init"] == start
    assert info["init_weights_sha256"] == json.loads(
        (tiny_model.model_dir / "model.json").read_text())["weights"]["sha256"]
    assert "init" not in json.loads((tiny_model.model_dir / "model.json").read_text())["recipe"]
    with pytest.raises(ValueError, match="must match"):
        train_crossencoder(tiny_rows, tmp_path / "bad", Config(**{**frozen.to_dict(), "mode": "full"}))


def test_trained_folder_stores_the_ngram_companion_and_the_scorer_uses_it(tiny_model):
    info = json.loads((tiny_model.model_dir / "model.json").read_text())
    assert info["recipe"]["companion"] is True and "weight" in info["companion"]
    scorer = CrossEncoderScorer(model=str(tiny_model.model_dir)).fit()
    rows = annotation_input(read_annotations(NEWSMTSC / "dev_rw.jsonl").head(6))
    logits = scorer.decision_function(rows) / float(info["temperature"])
    logits += info["companion"]["weight"] * scorer.companion_.log_proba(rows["sentence"], rows["target"])
    assert np.allclose(scorer.predict_proba(rows), to_schema_order(softmax(logits, axis=1)))
    from types import SimpleNamespace

    from analysis.stance.from_config import scorer_info

    described = scorer_info(scorer, SimpleNamespace(scorer="stance.crossencoder.v1", model="x"))
    assert described["ngram_companion"] == (f"{len(info['companion']['models'])} regression(s), "
                                            f"weight {info['companion']['weight']:.3f}")
    shipped = CrossEncoderScorer().fit()
    assert "ngram_companion" not in scorer_info(shipped, SimpleNamespace(scorer="x", model="default"))


def test_stored_validation_is_measured_with_the_companion(tiny_model, tiny_dev):
    info = json.loads((tiny_model.model_dir / "model.json").read_text())
    rows = annotation_input(read_annotations(tiny_dev.path))
    labels = CrossEncoderScorer(model=str(tiny_model.model_dir)).fit().predict(rows)
    shares = pd.Series(labels).value_counts(normalize=True)
    stored = info["validation"][0]["predicted_shares"]
    assert all(abs(stored[k] - shares.get(k, 0.0)) < 1e-9 for k in ("favor", "against", "neutral"))
