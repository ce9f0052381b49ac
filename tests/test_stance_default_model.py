"""The shipped fast stance model (models/fast): data-only, built from the generated annotations, reproducible."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.stance.modelio import (
    FAST_MODEL_DIR, check_stance_model_dir, file_sha256, model_digest, read_model_info,
)
from analysis.stance.annotations import DEFAULT_ANNOTATIONS
from analysis.stance.train import build_fast_default


def test_shipped_model_is_data_only():
    assert sorted(p.name for p in FAST_MODEL_DIR.iterdir()) == ["model.json", "weights.npz"]
    check_stance_model_dir(FAST_MODEL_DIR)


def test_shipped_model_was_built_from_the_shipped_annotations():
    info = read_model_info("fast")
    assert info["training"]["sha256"] == file_sha256(DEFAULT_ANNOTATIONS), (
        "data/annotations/stance_annotations.csv changed: rebuild with `make model`")
    rows = info["training"]["rows"]
    assert rows["test"] >= 300 and rows["train"] >= 1000 and len(info["training"]["targets"]) >= 6


def test_learner_beats_the_lexicon_on_the_held_out_split():
    info = read_model_info("fast")
    learner, lexicon = info["metrics"], info["baseline_metrics"]
    assert learner["n"] == lexicon["n"] == info["training"]["rows"]["test"]
    assert learner["macro_f1_low"] > lexicon["macro_f1"]
    assert learner["ece"] < 0.1


def test_rebuild_is_deterministic_across_processes(tmp_path):
    """The build procedure (no cache, fixed seed, fixed file bytes) on a stratified subset.

    The full rebuild is checked by ``analysis stance build-default --check``
    (about two CPU minutes, too slow for the suite).
    """
    frame = pd.read_csv(DEFAULT_ANNOTATIONS, dtype=str, keep_default_na=False)
    subset = frame.groupby(["split", "label"], group_keys=False).head(12)
    csv = tmp_path / "subset.csv"
    subset.to_csv(csv, index=False)
    here = build_fast_default(tmp_path / "a", csv)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "analysis"), "stance", "build-default", "--fast", "--annotations",
         str(csv), "--out", str(tmp_path / "b")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert here.info["training"]["rows"] == {"train": 36, "dev": 36, "test": 36}
    with np.load(here.model_dir / "weights.npz") as a, np.load(tmp_path / "b" / "weights.npz") as b:
        assert all(np.array_equal(a[k], b[k]) for k in a.files)
    assert model_digest(here.model_dir) == model_digest(tmp_path / "b")
