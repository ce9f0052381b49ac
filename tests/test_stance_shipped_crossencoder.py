"""The shipped cross-encoder (models/newsmtsc-minilm): data-only, trained on the shipped NewsMTSC
train file, and its stored dev figures are what the folder gives."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.stance.annotations import annotation_input, read_annotations
from analysis.stance.crossencoder import CROSSENCODER_MODEL_DIR, CrossEncoderScorer, read_crossencoder_info
from analysis.stance.modelio import check_stance_model_dir, file_sha256
from analysis.stance.prevalence import confusion_counts
from analysis.stance.validation import evaluate_predictions, run_validation_tables, summary

NEWSMTSC = CROSSENCODER_MODEL_DIR.parents[3] / "data" / "annotations" / "newsmtsc"


def test_shipped_folder_is_data_only_and_built_from_the_shipped_data():
    assert sorted(p.name for p in CROSSENCODER_MODEL_DIR.iterdir()) == ["adapter.safetensors", "model.json"]
    check_stance_model_dir(CROSSENCODER_MODEL_DIR)
    info = read_crossencoder_info("default")
    assert info["training"]["sha256"] == file_sha256(NEWSMTSC / "train.jsonl"), (
        "data/annotations/newsmtsc/train.jsonl changed: rebuild with `make model`")
    assert info["training"]["rows"]["total"] == 8739
    names = [v["name"] for v in info["validation"]]
    assert names[:3] == ["newsmtsc dev_rw (real)", "newsmtsc dev_mt (real)", "generated test"]


def test_shipped_model_predicts_and_its_stored_dev_rw_figures_hold():
    scorer = CrossEncoderScorer().fit()
    frame = read_annotations(NEWSMTSC / "dev_rw.jsonl")
    X = annotation_input(frame)
    head = scorer.predict_frame(X.head(20))
    assert len(head) == 20 and set(head["label"]) <= {"favor", "against", "neutral"}
    probs = scorer.predict_proba(X)
    pred = np.array(["favor", "against", "neutral"], dtype=object)[probs.argmax(axis=1)]
    again = summary(evaluate_predictions(frame["label"], pred, probs, n_boot=1000, seed=0))
    stored = read_crossencoder_info("default")["validation"][0]
    assert stored["name"] == "newsmtsc dev_rw (real)" and stored["rows"] == 343
    assert again["macro_f1"] == stored["summary"]["macro_f1"]
    assert abs(again["ece"] - stored["summary"]["ece"]) < 1e-9


def test_prevalence_correction_uses_the_real_dev_split():
    tables = run_validation_tables("stance.crossencoder.v1", "default")
    confusion = tables["stance_confusion"]
    assert confusion["split"].nunique() >= 3
    real = confusion[confusion["split"] == "newsmtsc dev_rw (real)"]
    expected = real.pivot_table(index="gold", columns="predicted", values="count", aggfunc="sum")
    expected = expected.reindex(index=["favor", "against", "neutral"],
                                columns=["favor", "against", "neutral"]).to_numpy(dtype=float)
    assert np.array_equal(confusion_counts(confusion), expected)
    shuffled = pd.concat([real, confusion[confusion["split"] != real["split"].iloc[0]]])
    assert np.array_equal(confusion_counts(shuffled), expected)


def test_build_default_uses_the_shipped_models_recipe():
    """`analysis stance build-default` trains with the recipe stored in the shipped model.json."""
    from analysis.stance.crossencoder import Config
    from analysis.stance.crossencoder.build import SHIPPED_RECIPE

    assert read_crossencoder_info("default")["recipe"] == SHIPPED_RECIPE.to_dict()
    assert SHIPPED_RECIPE.lr == 1e-4 and Config().lr == 2e-4  # the training default differs on purpose
    assert not SHIPPED_RECIPE.class_weights and Config().class_weights
