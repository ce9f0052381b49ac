"""The supervised stance learner and its registered scorer ``"stance.learner.v1"``.

:class:`StanceLearner` = :class:`~analysis.stance.features.StanceFeaturizer`
+ multinomial logistic regression + temperature scaling fitted on dev data.
Its learned state is plain arrays (``coef_``, ``intercept_``,
``temperature_`` and the featurizer's), so it is saved and loaded without
pickle by :mod:`analysis.stance.modelio`.

:func:`load_model` builds a fitted learner from a saved model directory
(read by :mod:`analysis.stance.modelio`; loading never trains).
:class:`LearnedStanceScorer` loads one (``"fast"`` or ``"default"`` = the
learner shipped in ``analysis/stance/models/fast``, the fast option next to
the default cross-encoder) and scores a stance-input table into a
``schema.STANCE`` table:

* ``p_favor, p_against, p_neutral``: calibrated probabilities;
* ``label``: the most probable class; ``confidence``: its probability;
* ``score = p_favor - p_against`` in [-1, 1].
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import softmax
from sklearn.base import BaseEstimator, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from analysis import schema
from analysis.stance.calibration import TemperatureScaler
from analysis.stance.features import StanceFeaturizer
from analysis.stance.modelio import ModelFormatError, read_model
from analysis.stance.registry import register
from analysis.stance.static_model import locate_model_dir
from analysis.stance.targets import STANCE_INPUT

CLASSES = list(schema.LABELS)  # favor, against, neutral


class StanceLearner(BaseEstimator):
    """Featurize, fit a logistic regression, calibrate on dev.

    Parameters
    ----------
    featurizer : StanceFeaturizer or None
        Feature settings (``None`` = defaults); cloned in ``fit``.
    C : float
        Inverse regularisation strength.
    class_weight : "balanced" or None
        Class weights of the regression.
    calibrate : bool
        Fit a temperature on the dev data given to ``fit`` (else ``T = 1``).
    seed : int
        ``random_state`` of the regression (lbfgs is deterministic; kept for contract).
    max_iter : int
        Iterations of the solver.
    """

    def __init__(self, featurizer=None, C=1.0, class_weight="balanced", calibrate=True, seed=0,
                 max_iter=3000):
        self.featurizer = featurizer
        self.C = C
        self.class_weight = class_weight
        self.calibrate = calibrate
        self.seed = seed
        self.max_iter = max_iter

    def fit(self, X: pd.DataFrame, y, X_dev: pd.DataFrame | None = None, y_dev=None):
        """Fit on ``X`` (stance-input rows) and labels ``y``; calibrate on the dev rows."""
        y = _check_labels(y)
        base = self.featurizer if self.featurizer is not None else StanceFeaturizer()
        self.featurizer_ = clone(base).fit(X)
        features = self.featurizer_.transform(X)
        clf = LogisticRegression(C=self.C, class_weight=self.class_weight,
                                 max_iter=self.max_iter, random_state=self.seed)
        clf.fit(features, [CLASSES.index(v) for v in y])
        coef, intercept = np.zeros((len(CLASSES), features.shape[1])), np.zeros(len(CLASSES))
        present = clf.classes_.astype(int)
        if len(present) == 2:  # binary problem: sklearn keeps one weight row
            coef[present[1]], intercept[present[1]] = clf.coef_[0], clf.intercept_[0]
        else:
            coef[present], intercept[present] = clf.coef_, clf.intercept_
        absent = np.setdiff1d(np.arange(len(CLASSES)), present)
        intercept[absent] = -1e3  # never predicted: no training example
        self.classes_ = np.array(CLASSES, dtype=object)
        self.coef_, self.intercept_ = coef, intercept
        self.temperature_ = 1.0
        if self.calibrate and X_dev is not None and len(X_dev):
            y_dev = [CLASSES.index(v) for v in _check_labels(y_dev)]
            self.temperature_ = TemperatureScaler().fit(self.decision_function(X_dev),
                                                        y_dev).temperature_
        return self

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Raw logits (n, 3) in the order favor, against, neutral."""
        check_is_fitted(self, "coef_")
        features = self.featurizer_.transform(X)
        return np.asarray(features @ self.coef_.T) + self.intercept_

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities (n, 3): favor, against, neutral."""
        logits = self.decision_function(X)
        return softmax(logits / self.temperature_, axis=1)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Most probable label per row."""
        best = self.predict_proba(X).argmax(axis=1)
        return self.classes_[best]


def _check_labels(y) -> list[str]:
    values = [str(v) for v in y]
    bad = sorted(set(values) - set(CLASSES))
    if bad:
        raise ValueError(f"labels must be one of {CLASSES}; got {bad}")
    return values


def stance_frame(X: pd.DataFrame, probs: np.ndarray) -> pd.DataFrame:
    """Assemble a ``schema.STANCE`` table from input rows and (favor, against, neutral) probabilities."""
    probs = np.asarray(probs, dtype=float).reshape(-1, 3)
    best = probs.argmax(axis=1)
    out = pd.DataFrame({
        "sentence_id": X["sentence_id"].to_numpy(), "paragraph_id": X["paragraph_id"].to_numpy(),
        "article_id": X["article_id"].to_numpy(), "target": X["target"].to_numpy(),
        "mention": X["mention"].to_numpy(),
        "label": np.array(CLASSES, dtype=object)[best] if len(probs) else np.array([], dtype=object),
        "score": probs[:, 0] - probs[:, 1],
        "confidence": probs[np.arange(len(probs)), best],
        "p_favor": probs[:, 0], "p_against": probs[:, 1], "p_neutral": probs[:, 2],
        "sentence": X["sentence"].to_numpy(),
    })
    return out[schema.STANCE]


def load_model(model: str | Path, cache_dir: str | None = None, train=None):
    """Load a model directory (``"default"``, ``"static"`` or a path); return ``(learner, info)``.

    The embedding model named in ``model.json`` is resolved locally and its
    fingerprint must equal the recorded one: features from another model
    would silently give wrong predictions. ``train`` are the settings of a
    ``"static"`` model, which must have been built before (see
    :func:`analysis.stance.static_model.locate_model_dir`).
    """
    path = locate_model_dir(model, cache_dir, train)
    info, arrays = read_model(path)
    params = dict(info["featurizer"])
    for key in ("ngram_range", "char_ngram_range"):
        params[key] = tuple(params[key]) if params.get(key) else None
    feat = StanceFeaturizer(**params, cache_dir=cache_dir)
    feat._fit_embedder()
    if feat.embedding_fingerprint_ != info["embedding"]["fingerprint"]:
        raise ModelFormatError(
            f"stance model {path} was trained on embedding model {info['embedding']['model']} "
            f"with fingerprint {info['embedding']['fingerprint'][:12]}, but the local model has "
            f"{feat.embedding_fingerprint_[:12]}")
    feat.mean_, feat.scale_, feat.idf_ = arrays["mean"], arrays["scale"], arrays["idf"]
    feat.char_idf_, feat.char_vocabulary_ = arrays["char_idf"], list(info["char_vocabulary"])
    feat.vocabulary_, feat.targets_ = list(info["vocabulary"]), list(info["targets"])
    clf = info["classifier"]
    learner = StanceLearner(featurizer=feat, C=clf["C"], class_weight=clf["class_weight"],
                            max_iter=clf["max_iter"])
    learner.featurizer_ = feat
    learner.classes_ = np.array(info["classes"], dtype=object)
    learner.coef_, learner.intercept_ = arrays["coef"], arrays["intercept"]
    learner.temperature_ = float(info["temperature"])
    return learner, info


@register("stance.learner.v1")
class LearnedStanceScorer(BaseEstimator):
    """Score stance with a saved :class:`StanceLearner` model directory.

    Parameters
    ----------
    model : str
        ``"fast"`` / ``"default"`` (the shipped learner, ``models/fast``), ``"static"`` (the shipped recipe on
        static features, built beforehand by
        :func:`analysis.stance.train.build_static_stance_model`) or a model directory written by
        ``analysis stance train`` / :func:`analysis.stance.train.train_model`.
    cache_dir : str or None
        Embedding cache for the sentences it scores (``None`` = no cache);
        for ``"static"`` also where the static and stance models are kept.
    train : dict or None
        Training settings of the ``"static"`` model (``StanceTrainConfig``
        fields; ``None`` = the shipped recipe); ignored for other models.
    """

    def __init__(self, model="default", cache_dir=None, train=None):
        self.model = model
        self.cache_dir = cache_dir
        self.train = train

    def fit(self, X=None, y=None) -> "LearnedStanceScorer":
        """Load the model directory (safety-checked, no pickle, never trained here); return ``self``."""
        self.model_dir_ = locate_model_dir(self.model, self.cache_dir, self.train)
        self.learner_, self.info_ = load_model(self.model_dir_, cache_dir=self.cache_dir)
        return self

    def predict_frame(self, X: pd.DataFrame) -> pd.DataFrame:
        """Score each row of a stance-input table; return a ``schema.STANCE`` table."""
        check_is_fitted(self, "learner_")
        schema.check_columns(X, STANCE_INPUT, "stance input")
        if X.empty:
            return stance_frame(X, np.zeros((0, 3)))
        return stance_frame(X, self.learner_.predict_proba(X))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Stance labels of :meth:`predict_frame` as an array."""
        return self.predict_frame(X)["label"].to_numpy()

    def explain(self, sentence: str, target: str, spans=None, k: int = 8) -> pd.DataFrame:
        """What pushed one prediction toward its label: ``feature, value, contribution``.

        ``spans`` are the target's mentions in ``sentence`` (``[(start, end), ...]``).
        A feature's contribution is its value times (its weight for the
        predicted label minus its mean weight for the other two), in logits.
        The embedding block is one row (``[sentence embedding]``); n-grams and
        the target prior are listed individually; the ``k`` largest by
        absolute contribution are returned, plus the ``[bias]`` row.
        """
        check_is_fitted(self, "learner_")
        spans = [list(s) for s in (spans or [])]
        start, end = (spans[0] if spans else (0, 0))
        X = pd.DataFrame({"sentence_id": ["x"], "paragraph_id": [""], "article_id": [""],
                          "target": [target], "mention": [sentence[start:end]], "start": [start],
                          "end": [end], "sentence": [sentence], "spans": [spans]})
        learner, feat = self.learner_, self.learner_.featurizer_
        x = np.asarray(feat.transform(X).todense()).ravel()
        best = int(learner.predict_proba(X).argmax(axis=1)[0])
        others = [c for c in range(len(CLASSES)) if c != best]
        weight = learner.coef_[best] - learner.coef_[others].mean(axis=0)
        contrib = x * weight
        n_dense = len(feat.mean_)
        names = (feat.vocabulary_ + [f"char:{g}" for g in feat.char_vocabulary_]
                 + [f"target={t}" for t in feat.targets_])
        rows = [("[sentence embedding]", float(np.linalg.norm(x[:n_dense])), float(contrib[:n_dense].sum()))]
        sparse_part = contrib[n_dense:]
        for i in np.flatnonzero(sparse_part):
            rows.append((names[i], float(x[n_dense + i]), float(sparse_part[i])))
        bias = float(learner.intercept_[best] - learner.intercept_[others].mean())
        out = pd.DataFrame(rows, columns=["feature", "value", "contribution"])
        out = out.reindex(out["contribution"].abs().sort_values(ascending=False).index).head(k)
        bias_row = pd.DataFrame([("[bias]", 1.0, bias)], columns=out.columns)
        return pd.concat([out, bias_row], ignore_index=True).assign(label=CLASSES[best])
