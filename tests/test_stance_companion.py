"""The n-gram companion of the cross-encoder: per-target models, storage without pickles, stacking.

Its use inside a trained folder is tested with the tiny model in test_stance_crossencoder.py.
"""
from __future__ import annotations

import json

import numpy as np
from scipy.special import softmax

from analysis.stance.crossencoder.companion import POOLED, NgramCompanion, stack

TEXTS = (["god is great #faith", "pray every day", "religion poisons everything", "no god needed",
          "the weather is mild", "meeting at noon"] * 10)
TARGETS = ["Atheism"] * 40 + ["Climate"] * 20
LABELS = np.array(([0, 0, 2, 2, 1, 1] * 10))


def test_one_model_per_target_with_enough_rows_and_a_pooled_one():
    comp = NgramCompanion(min_target_rows=30).fit(TEXTS, TARGETS, LABELS)
    assert set(comp.models_) == {POOLED, "Atheism"}  # Climate has 20 rows
    lp = comp.log_proba(["pray every day", "no god needed", "pray every day"], ["Atheism", "Atheism", "Unseen"])
    assert np.allclose(np.exp(lp).sum(axis=1), 1)
    assert lp[0].argmax() == 0 and lp[1].argmax() == 2


def test_stored_arrays_give_the_same_log_probabilities():
    comp = NgramCompanion(min_target_rows=30).fit(TEXTS, TARGETS, LABELS)
    doc, arrays = comp.to_arrays()
    again = NgramCompanion.from_arrays(json.loads(json.dumps(doc)), arrays)
    probe = ["god is great", "mild weather today", "no religion"], ["Atheism", "Climate", "Other"]
    assert np.array_equal(comp.log_proba(*probe), again.log_proba(*probe))


def test_stack_ignores_a_useless_companion_and_uses_a_useful_one():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 400)
    good = np.eye(3)[labels] * 2 + rng.normal(0, 1, (400, 3))
    noise = np.log(softmax(rng.normal(0, 1, (400, 3)), axis=1))
    _, weight = stack(good, noise, labels)
    assert weight < 0.1
    _, weight = stack(rng.normal(0, 1, (400, 3)), np.log(softmax(good, axis=1)), labels)
    assert weight > 0.5
