"""Two-target sentences are measured: the annotation splits hold them in dev and test too."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def test_generated_set_places_two_target_sentences_in_every_split():
    rows = pd.read_csv(ROOT / "data/annotations/stance_annotations.csv")
    two = rows[rows.groupby("text")["target"].transform("nunique") >= 2]
    per_split = two.drop_duplicates("text")["split"].value_counts()
    assert per_split.get("dev", 0) >= 5 and per_split.get("test", 0) >= 5, per_split.to_dict()
    assert (two["phenomenon"] == "contrast").all()


def test_real_multi_target_validation_set_is_shipped():
    dev_mt = pd.read_json(ROOT / "data/annotations/newsmtsc/dev_mt.jsonl", lines=True)
    per_sentence = dev_mt.groupby("sentence")["mention"].nunique()
    assert len(dev_mt) == 442 and (per_sentence >= 2).mean() > 0.9
