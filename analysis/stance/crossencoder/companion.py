"""An n-gram companion of the cross-encoder, stacked with its logits on the calibration rows.

Word and character n-grams (TF-IDF) with a logistic regression catch what a
small transformer reading one marked mention misses in short, target-specific
text (hashtags, slogans, a target's own vocabulary). :class:`NgramCompanion`
fits one regression per target with at least ``min_target_rows`` training
rows and two labels, and one pooled regression on all rows for every other
(or unseen) target. :func:`stack` then fits two weights on the held-out
calibration rows, ``logits = a * network_logits + b * companion_log_probs``,
by log-loss (``a`` plays the temperature's part; ``b = 0`` switches the
companion off where it does not help). Everything learned is plain arrays
and strings (:meth:`NgramCompanion.to_arrays`, :meth:`NgramCompanion.from_arrays`),
stored without pickles beside the network's weights.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import minimize
from scipy.special import log_softmax
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

#: Prefix of the companion's arrays among the folder's stored tensors.
COMPANION_PREFIX = "companion."
#: Name of the pooled model (all training rows), used for targets without their own.
POOLED = "*"
_EPS = 1e-6


def _vectorizer(analyzer: str, ngram_range, vocabulary=None, max_features=None, min_df=1):
    return TfidfVectorizer(analyzer=analyzer, ngram_range=tuple(ngram_range), lowercase=True,
                           sublinear_tf=True, vocabulary=vocabulary, dtype=np.float64,
                           max_features=None if vocabulary else max_features,
                           min_df=1 if vocabulary else min_df)


class NgramCompanion(BaseEstimator):
    """Per-target TF-IDF n-gram logistic regressions (see the module docstring).

    ``fit(texts, targets, labels)`` takes label indices (the network's order);
    :meth:`log_proba` gives ``(n, 3)`` log-probabilities in that order.
    """

    def __init__(self, word_range=(1, 3), char_range=(2, 5), C=1.0, max_features=20000,
                 min_target_rows=50, n_labels=3):
        self.word_range = word_range
        self.char_range = char_range
        self.C = C
        self.max_features = max_features
        self.min_target_rows = min_target_rows
        self.n_labels = n_labels

    def fit(self, texts, targets, labels) -> "NgramCompanion":
        texts, targets = list(texts), np.asarray([str(t) for t in targets], dtype=object)
        labels = np.asarray(labels, dtype=np.int64)
        groups = {POOLED: np.arange(len(texts))}
        for target in sorted(set(targets)):
            rows = np.flatnonzero(targets == target)
            if len(rows) >= self.min_target_rows and len(np.unique(labels[rows])) >= 2:
                groups[target] = rows
        self.models_ = {name: self._fit_one([texts[i] for i in rows], labels[rows])
                        for name, rows in groups.items()}
        return self

    def _fit_one(self, texts: list[str], labels: np.ndarray) -> dict:
        parts = []
        for analyzer, ngrams in (("word", self.word_range), ("char_wb", self.char_range)):
            vec = _vectorizer(analyzer, ngrams, max_features=self.max_features,
                              min_df=2 if analyzer == "char_wb" else 1).fit(texts)
            parts.append(vec)
        features = _stack_features(parts, texts)
        model = LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced")
        model.fit(features, labels)
        coef = np.zeros((self.n_labels, features.shape[1]))
        intercept = np.full(self.n_labels, np.log(_EPS))
        if len(model.classes_) == 2:  # binary: sklearn keeps one row for the second class
            coef[model.classes_[1]], intercept[model.classes_[1]] = model.coef_[0], model.intercept_[0]
            intercept[model.classes_[0]] = 0.0
        else:
            coef[model.classes_], intercept[model.classes_] = model.coef_, model.intercept_
        return {"vectorizers": parts, "coef": coef, "intercept": intercept}

    def log_proba(self, texts, targets) -> np.ndarray:
        """``(n, n_labels)`` log-probabilities; each row by its target's model (or the pooled one)."""
        texts = list(texts)
        names = np.asarray([t if t in self.models_ else POOLED for t in map(str, targets)], dtype=object)
        out = np.zeros((len(texts), self.n_labels))
        for name in set(names):
            rows = np.flatnonzero(names == name)
            model = self.models_[name]
            features = _stack_features(model["vectorizers"], [texts[i] for i in rows])
            out[rows] = log_softmax(features @ model["coef"].T + model["intercept"], axis=1)
        return out

    # ------------------------------------------------------------------ storage
    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray]]:
        """``(json-able doc, arrays)``: vocabularies in the doc, idf and weights as arrays."""
        doc, arrays = {"params": self.get_params(), "models": []}, {}
        for k, (name, model) in enumerate(sorted(self.models_.items())):
            vocabularies = []
            for j, vec in enumerate(model["vectorizers"]):
                vocabularies.append(sorted(vec.vocabulary_, key=vec.vocabulary_.get))
                arrays[f"{COMPANION_PREFIX}{k}.idf{j}"] = vec.idf_
            arrays[f"{COMPANION_PREFIX}{k}.coef"] = model["coef"]
            arrays[f"{COMPANION_PREFIX}{k}.intercept"] = model["intercept"]
            doc["models"].append({"target": name, "vocabularies": vocabularies})
        return doc, arrays

    @classmethod
    def from_arrays(cls, doc: dict, arrays: dict) -> "NgramCompanion":
        params = {k: tuple(v) if isinstance(v, list) else v for k, v in doc["params"].items()}
        companion = cls(**params)
        companion.models_ = {}
        analyzers = (("word", companion.word_range), ("char_wb", companion.char_range))
        for k, entry in enumerate(doc["models"]):
            vecs = []
            for j, ((analyzer, ngrams), vocab) in enumerate(zip(analyzers, entry["vocabularies"])):
                vec = _vectorizer(analyzer, ngrams, vocabulary={w: i for i, w in enumerate(vocab)})
                vec.fit([""] if not vocab else vocab[:1])  # sets the fixed vocabulary
                vec.idf_ = np.asarray(arrays[f"{COMPANION_PREFIX}{k}.idf{j}"], dtype=np.float64)
                vecs.append(vec)
            companion.models_[entry["target"]] = {
                "vectorizers": vecs, "coef": np.asarray(arrays[f"{COMPANION_PREFIX}{k}.coef"], dtype=np.float64),
                "intercept": np.asarray(arrays[f"{COMPANION_PREFIX}{k}.intercept"], dtype=np.float64)}
        return companion


def _stack_features(vectorizers, texts):
    return sparse.hstack([vec.transform(texts) for vec in vectorizers]).tocsr()


def stack(network_logits: np.ndarray, companion_log_proba: np.ndarray, labels) -> tuple[float, float]:
    """``(a, b)`` minimising the log-loss of ``a * network_logits + b * companion_log_proba``."""
    labels = np.asarray(labels, dtype=np.int64)

    def loss(w):
        z = log_softmax(w[0] * network_logits + w[1] * companion_log_proba, axis=1)
        return -float(z[np.arange(len(labels)), labels].mean())

    best = minimize(loss, x0=np.array([1.0, 0.5]), method="L-BFGS-B", bounds=[(0.01, 10.0), (0.0, 10.0)])
    return float(best.x[0]), float(best.x[1])
