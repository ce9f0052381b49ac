"""Train a stance model from an annotations CSV and write a model directory.

Protocol of :func:`train_model` (also ``analysis stance train``):

1. Read and validate the CSV (:func:`analysis.stance.annotations.read_annotations`).
2. Rows with ``split == "train"`` train the learner (all rows if the file
   has no split column); ``dev`` rows fit the calibration temperature (with
   no dev rows, 5-fold cross-validated logits of the training rows do).
3. ``test`` rows, never seen before, are scored by the learner and by the
   lexicon baseline; their metrics (bootstrap intervals), confusion matrix
   and reliability table are stored in ``model.json`` together with the
   sha256 of the training file and the settings used.

The learner settings come from :class:`analysis.config.StanceTrainConfig`
(the ``[stance.train]`` section of a config). :func:`build_fast_default`
rebuilds the shipped fast learner (``models/fast``; the default model is the
cross-encoder, see :mod:`analysis.stance.crossencoder`) from the generated
set ``data/annotations/stance_annotations.csv``
with the built-in settings and no embedding cache, so the result depends on
nothing but the data, the code and the embedding model.
:func:`build_static_stance_model` trains the ``"static"`` model once into the
cache (see :mod:`analysis.stance.static_model`): the explicit step before
such a model is loaded.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from analysis.config import StanceTrainConfig
from analysis.io import build_dir_once
from analysis.paths import default_cache_dir
from analysis.stance.annotations import DEFAULT_ANNOTATIONS, annotation_input, read_annotations
from analysis.stance.calibration import TemperatureScaler
from analysis.stance.features import StanceFeaturizer
from analysis.stance.learner import CLASSES, StanceLearner
from analysis.stance.modelio import FAST_MODEL_DIR, MODEL_JSON, file_sha256, model_digest, save_model
from analysis.stance.registry import get_scorer
from analysis.stance.static_model import static_stance_model_dir, static_train_params
from analysis.stance.validation import evaluate_predictions, summary

__all__ = ["DEFAULT_ANNOTATIONS", "TrainResult", "build_fast_default", "build_static_stance_model",
           "fit_on_splits", "heldout_tables", "make_learner", "split_rows", "train_model"]


@dataclass
class TrainResult:
    """A trained model: where it was written, the learner, and its test-split tables."""

    model_dir: Path
    learner: Any = field(repr=False)
    info: dict[str, Any] = field(repr=False)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)


def make_learner(params=None, cache_dir: str | None = None, seed: int = 0):
    """A :class:`StanceLearner` from ``StanceTrainConfig``-style ``params``."""
    p = params if isinstance(params, StanceTrainConfig) else StanceTrainConfig(**(params or {}))
    featurizer = StanceFeaturizer(
        embed_model=p.embed_model, embed_backend=p.embed_backend, static_dims=p.static_dims,
        cache_dir=cache_dir, mask=p.mask, window=p.window,
        ngram_range=tuple(p.ngram_range) if p.ngrams else None, min_df=p.min_df,
        max_features=p.max_features, ngram_weight=p.ngram_weight,
        char_ngram_range=tuple(p.char_ngram_range) if p.char_ngram_range else None,
        target_prior=p.target_prior)
    return StanceLearner(featurizer=featurizer, C=p.C, class_weight=p.class_weight, seed=seed)


def split_rows(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rows per split; a file without splits is all ``train``."""
    splits = frame["split"].fillna("").str.lower()
    if not splits.isin(["train", "dev", "test"]).any():
        splits = pd.Series("train", index=frame.index)
    return {name: frame[splits == name].reset_index(drop=True) for name in ("train", "dev", "test")}


def fit_on_splits(parts: dict[str, pd.DataFrame], learner, targets=None, seed: int = 0):
    """Fit on train, calibrate on dev (or cross-validated train logits); return the learner."""
    train = annotation_input(parts["train"], targets)
    if len(parts["dev"]):
        dev = annotation_input(parts["dev"], targets)
        return learner.fit(train, parts["train"]["label"], dev, parts["dev"]["label"])
    learner.fit(train, parts["train"]["label"])
    if learner.calibrate:
        learner.temperature_ = _cv_temperature(learner, train, parts["train"]["label"], seed)
    return learner


def _cv_temperature(learner, X: pd.DataFrame, y: pd.Series, seed: int) -> float:
    """Temperature fitted on 5-fold out-of-fold logits (used when there is no dev split)."""
    y = np.asarray(y, dtype=object)
    counts = pd.Series(y).value_counts()
    n_splits = int(min(5, counts.min())) if len(counts) else 0
    if n_splits < 2:
        return 1.0
    logits = np.zeros((len(X), 3))
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for fit_idx, held_idx in folds.split(np.zeros(len(y)), y):
        fold = clone(learner).set_params(calibrate=False)
        fold.fit(X.iloc[fit_idx], y[fit_idx])
        logits[held_idx] = fold.decision_function(X.iloc[held_idx])
    return TemperatureScaler().fit(logits, [CLASSES.index(v) for v in y]).temperature_


def heldout_tables(learner, test: pd.DataFrame, targets=None, n_boot: int = 1000,
                seed: int = 0) -> dict[str, pd.DataFrame]:
    """Validation tables on held-out rows: learner and lexicon-baseline metrics."""
    if test.empty:
        return {}
    X = annotation_input(test, targets)
    probs = learner.predict_proba(X)
    pred = np.asarray(learner.classes_)[probs.argmax(axis=1)]
    tables = evaluate_predictions(test["label"], pred, probs, n_boot=n_boot, seed=seed)
    lexicon = get_scorer("stance.lexicon.v1").fit().predict(X)
    base = evaluate_predictions(test["label"], lexicon, n_boot=n_boot, seed=seed)
    tables["baseline"], tables["baseline_confusion"] = base["metrics"], base["confusion"]
    per_target = []
    for target, rows in test.groupby("target", sort=True):
        idx = rows.index.to_numpy()
        m = evaluate_predictions(rows["label"], pred[idx], n_boot=n_boot, seed=seed)["metrics"]
        per_target.append(m.assign(target=target))
    tables["per_target"] = pd.concat(per_target, ignore_index=True)
    return tables


def train_model(annotations: str | Path, out_dir: str | Path, params=None, *,
                targets: list[dict] | None = None, cache_dir: str | None = None,
                seed: int = 0, n_boot: int = 1000) -> TrainResult:
    """Train on an annotations CSV, evaluate on its test split, write ``out_dir``.

    ``params`` is a :class:`analysis.config.StanceTrainConfig` or a dict of
    its fields (``None`` = defaults); ``targets`` are target definitions used
    to find (and mask) mentions, falling back to the built-in catalogue.
    """
    started = time.perf_counter()
    annotations = Path(annotations)
    p = params if isinstance(params, StanceTrainConfig) else StanceTrainConfig(**(params or {}))
    frame = read_annotations(annotations)
    parts = split_rows(frame)
    if parts["train"]["label"].nunique() < 2:
        raise ValueError(f"{annotations}: the training rows need at least two different labels")
    learner = fit_on_splits(parts, make_learner(p, cache_dir, seed), targets, seed)
    tables = heldout_tables(learner, parts["test"], targets, n_boot, seed)
    info = {
        "training": {
            "data": annotations.name, "sha256": file_sha256(annotations), "seed": seed,
            "rows": {k: int(len(v)) for k, v in parts.items()},
            "labels": {k: v["label"].value_counts().sort_index().to_dict() for k, v in parts.items()},
            "targets": sorted(frame["target"].unique().tolist()),
            "calibration": "dev split" if len(parts["dev"]) else "5-fold cross-validation",
            "params": p.model_dump(mode="json"),
        },
        "metrics": summary(tables) if tables else {},
        "baseline_metrics": summary({"metrics": tables["baseline"]}) if tables else {},
        "validation": {name: df.to_dict(orient="records") for name, df in tables.items()},
    }
    model_dir = save_model(learner, out_dir, info)
    info["digest"] = model_digest(model_dir)
    info["seconds"] = round(time.perf_counter() - started, 1)
    return TrainResult(model_dir=model_dir, learner=learner, info=info, tables=tables)


def build_fast_default(out_dir: str | Path = FAST_MODEL_DIR,
                       annotations: str | Path = DEFAULT_ANNOTATIONS, n_boot: int = 1000) -> TrainResult:
    """Rebuild the shipped fast learner (``models/fast``): built-in settings, seed 0, no embedding cache."""
    return train_model(annotations, out_dir, None, targets=None, cache_dir=None, seed=0,
                       n_boot=n_boot)


def build_static_stance_model(cache_dir: str | Path | None = None,
                              annotations: str | Path | None = None, params=None) -> Path:
    """Train the ``"static"`` stance model unless it is cached; return its folder.

    The explicit build step before loading ``stance.model = "static"``: the
    shipped recipe (``params`` = the ``[stance.train]`` settings, ``None`` =
    defaults, forced onto static features; seed 0) on ``annotations`` (``None``
    = the shipped CSV), kept in :func:`~analysis.stance.static_model.static_stance_model_dir`.
    Built through :func:`analysis.io.build_dir_once`, so concurrent first
    uses do not clash and a crash leaves nothing half-written.
    """
    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    annotations = Path(annotations) if annotations else DEFAULT_ANNOTATIONS
    settings = static_train_params(params)
    target = static_stance_model_dir(cache, annotations, settings)
    return build_dir_once(target, MODEL_JSON,
                          lambda tmp: train_model(annotations, tmp, settings, cache_dir=str(cache), seed=0))
