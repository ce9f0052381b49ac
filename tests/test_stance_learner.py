"""Tests for the supervised stance learner: features, training, data-only model files."""
from __future__ import annotations

import json
import pickle
import shutil

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from analysis import schema
from analysis.stance.annotations import AnnotationError, annotation_input, read_annotations
from analysis.stance.features import StanceFeaturizer, masked_sentence, mention_window
from analysis.stance.learner import LearnedStanceScorer, load_model
from analysis.stance.modelio import (
    ModelFormatError, check_stance_model_dir, model_digest, read_model_info,
)
from analysis.stance.registry import available_scorers, get_scorer
from analysis.stance.train import make_learner, train_model
from conftest import ROOT

ANNOTATIONS = ROOT / "data" / "annotations" / "stance_annotations.csv"
PARAMS = {"char_ngram_range": (2, 4), "C": 0.5}


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory):
    """A real slice of the shipped annotations: 20 / 6 / 8 rows per label in train / dev / test."""
    frame = read_annotations(ANNOTATIONS)
    per = {"train": 20, "dev": 6, "test": 8}
    parts = [g.head(per[split]) for (split, _), g in frame.groupby(["split", "label"], sort=True)]
    path = tmp_path_factory.mktemp("ann") / "small.csv"
    pd.concat(parts).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def trained(small_csv, tmp_path_factory, cache_dir):
    out = tmp_path_factory.mktemp("model") / "m"
    return train_model(small_csv, out, PARAMS, cache_dir=str(cache_dir), n_boot=100)


def test_masking_and_window():
    s = "Critics say Moscow's grip on Minsk has tightened, and Moscow denies it."
    spans = [(12, 18), (54, 60)]
    assert masked_sentence(s, spans, "[TARGET]") == (
        "Critics say [TARGET]'s grip on Minsk has tightened, and [TARGET] denies it.")
    assert masked_sentence(s, spans, None) == s and masked_sentence(s, [], "[T]") == s
    assert mention_window(s, spans, 2, "[T]") == "Critics say [T]'s grip on"


def test_read_annotations_maps_and_rejects_labels(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("text,target,label\nRussia won.,Russia,FAVOR\nRussia lost.,Russia,NONE\n")
    frame = read_annotations(path)
    assert frame["label"].tolist() == ["favor", "neutral"] and frame["split"].eq("").all()
    path.write_text("text,target,label\nRussia won.,Russia,maybe\n")
    with pytest.raises(AnnotationError, match="row 2"):
        read_annotations(path)
    path.write_text("text,label\nx,favor\n")
    with pytest.raises(AnnotationError, match="missing column"):
        read_annotations(path)


def test_annotation_input_finds_and_lists_mentions():
    frame = pd.DataFrame({"id": ["a", "b"], "target": ["China", "Narnia"],
                          "text": ["Beijing and China's banks.", "Narnia's king spoke."]})
    X = annotation_input(frame)
    assert X.loc[0, "spans"] == [[0, 7], [12, 17]] and X.loc[0, "mention"] == "Beijing"
    assert X.loc[1, "mention"] == "Narnia" and bool(X.loc[1, "mentioned"])


def test_featurizer_blocks(small_csv, cache_dir):
    X = annotation_input(read_annotations(small_csv))
    feat = StanceFeaturizer(cache_dir=str(cache_dir), char_ngram_range=(2, 3), target_prior=True,
                            window=3).fit(X)
    matrix = feat.transform(X)
    assert matrix.shape == (len(X), feat.n_features_)
    assert len(feat.mean_) == 2 * 384  # sentence + window embeddings
    assert feat.targets_ == sorted(X["target"].unique())
    assert "[target]" not in " ".join(feat.vocabulary_)  # the mask is one token, not a word n-gram


def test_learner_contract(small_csv, cache_dir):
    frame = read_annotations(small_csv)
    X, y = annotation_input(frame), frame["label"]
    learner = make_learner(PARAMS, str(cache_dir), seed=3)
    with pytest.raises(NotFittedError):
        learner.predict(X)
    a = clone(learner).fit(X, y)
    b = clone(learner).fit(X, y)
    assert np.array_equal(a.coef_, b.coef_) and clone(learner).get_params()["C"] == 0.5
    probs = a.predict_proba(X)
    assert probs.shape == (len(X), 3) and np.allclose(probs.sum(axis=1), 1)
    with pytest.raises(ValueError, match="labels must be one of"):
        clone(learner).fit(X, ["maybe"] * len(X))


def test_trained_model_is_data_only_and_reloads_exactly(trained, small_csv, cache_dir):
    files = sorted(p.name for p in trained.model_dir.iterdir())
    assert files == ["model.json", "weights.npz"]
    info = read_model_info(trained.model_dir)
    assert info["training"]["rows"] == {"train": 60, "dev": 18, "test": 24}
    assert info["training"]["calibration"] == "dev split" and info["temperature"] > 0
    assert len(info["embedding"]["fingerprint"]) == 64
    with np.load(trained.model_dir / "weights.npz", allow_pickle=False) as npz:
        assert npz["coef"].shape[0] == 3
    X = annotation_input(read_annotations(small_csv))
    learner, _ = load_model(trained.model_dir, cache_dir=str(cache_dir))
    assert np.allclose(learner.predict_proba(X), trained.learner.predict_proba(X), atol=1e-12)
    metrics = pd.DataFrame(info["validation"]["metrics"]).set_index("label")
    assert metrics.loc["macro", "support"] == 24
    assert 0.0 <= metrics.loc["macro", "f1_low"] <= metrics.loc["macro", "f1"] <= metrics.loc["macro", "f1_high"]


def test_scorer_is_registered_and_scores_a_stance_table(trained, cache_dir):
    assert "stance.learner.v1" in available_scorers()
    scorer = get_scorer("stance.learner.v1", model=str(trained.model_dir), cache_dir=str(cache_dir))
    with pytest.raises(NotFittedError):
        scorer.predict_frame(pd.DataFrame())
    scorer.fit()
    X = pd.DataFrame({"sentence_id": ["s1", "s2"], "paragraph_id": "p", "article_id": "a",
                      "target": ["Russia", "the West"], "mention": ["Moscow", "Brussels"],
                      "start": [0, 0], "end": [6, 8],
                      "sentence": ["Moscow shelled the hospital again.", "Brussels pledged aid."]})
    out = scorer.predict_frame(X)
    assert list(out.columns) == schema.STANCE
    assert np.allclose(out["score"], out["p_favor"] - out["p_against"])
    assert np.allclose(out[["p_favor", "p_against", "p_neutral"]].sum(axis=1), 1)
    assert scorer.predict_frame(X.iloc[:0]).empty


def test_same_data_same_bytes(trained, small_csv, tmp_path, cache_dir):
    again = train_model(small_csv, tmp_path / "again", PARAMS, cache_dir=str(cache_dir), n_boot=100)
    assert model_digest(again.model_dir) == model_digest(trained.model_dir)


def test_loader_refuses_pickles_and_foreign_embeddings(trained, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(trained.model_dir, bad)
    (bad / "extra.bin").write_bytes(pickle.dumps({"x": 1}))
    with pytest.raises(ModelFormatError, match="refusing"):
        check_stance_model_dir(bad)
    with pytest.raises(ModelFormatError):
        LearnedStanceScorer(str(bad)).fit()
    (bad / "extra.bin").unlink()
    doc = json.loads((bad / "model.json").read_text())
    doc["embedding"]["fingerprint"] = "0" * 64
    (bad / "model.json").write_text(json.dumps(doc))
    with pytest.raises(ModelFormatError, match="fingerprint"):
        load_model(bad)
    with pytest.raises(ModelFormatError, match="needs model.json"):
        LearnedStanceScorer(str(tmp_path / "nowhere")).fit()


def test_training_without_splits_uses_cross_validated_calibration(small_csv, tmp_path, cache_dir):
    frame = read_annotations(small_csv).drop(columns="split")
    path = tmp_path / "nosplit.csv"
    frame.to_csv(path, index=False)
    result = train_model(path, tmp_path / "m", PARAMS, cache_dir=str(cache_dir), n_boot=50)
    assert result.info["training"]["rows"]["train"] == len(frame)
    assert result.info["training"]["calibration"] == "5-fold cross-validation"
    assert result.info["metrics"] == {} and result.learner.temperature_ != 1.0


def test_explain_lists_contributions_toward_the_label(trained, cache_dir):
    scorer = LearnedStanceScorer(str(trained.model_dir), cache_dir=str(cache_dir)).fit()
    sentence = "Moscow's reckless shelling of the port drew condemnation."
    table = scorer.explain(sentence, "Russia", [(0, 6)], k=5)
    assert list(table.columns) == ["feature", "value", "contribution", "label"]
    assert table["feature"].iloc[-1] == "[bias]" and len(table) <= 6
    assert "[sentence embedding]" in set(table["feature"]) or len(table) == 6
    label = scorer.predict_frame(pd.DataFrame({
        "sentence_id": ["x"], "paragraph_id": [""], "article_id": [""], "target": ["Russia"],
        "mention": ["Moscow"], "start": [0], "end": [6], "sentence": [sentence]}))["label"].iloc[0]
    assert (table["label"] == label).all()
