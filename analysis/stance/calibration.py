"""Probability calibration and its measurement.

* :class:`TemperatureScaler`: one temperature ``T`` that divides the
  classifier's logits before the softmax, fitted by minimising the negative
  log-likelihood on held-out (dev) data (Guo et al., 2017). It keeps the
  arg-max, so labels do not change, only how sure the model claims to be.
  It is a single number, stored in the model's JSON.
* :func:`reliability_table` and :func:`expected_calibration_error`: the
  data of a reliability diagram (confidence of the predicted label in equal
  width bins vs. the accuracy in each bin) and its summary.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from analysis.schema import STANCE_RELIABILITY

RELIABILITY = STANCE_RELIABILITY


class TemperatureScaler(BaseEstimator):
    """Fit ``T`` in ``[bounds]`` minimising the NLL of ``softmax(logits / T)``.

    Parameters
    ----------
    bounds : tuple of float
        Search interval for ``T``.
    """

    def __init__(self, bounds=(0.05, 20.0)):
        self.bounds = bounds

    def fit(self, logits, y) -> "TemperatureScaler":
        """``logits``: (n, k) array; ``y``: integer class indices."""
        logits = np.asarray(logits, dtype=float)
        y = np.asarray(y, dtype=int)
        if len(y) == 0:
            self.temperature_ = 1.0
            return self
        rows = np.arange(len(y))

        def nll(log_t: float) -> float:
            return -float(log_softmax(logits / np.exp(log_t), axis=1)[rows, y].mean())

        lo, hi = np.log(self.bounds[0]), np.log(self.bounds[1])
        result = minimize_scalar(nll, bounds=(lo, hi), method="bounded",
                                 options={"xatol": 1e-6})
        self.temperature_ = float(np.exp(result.x))
        return self

    def transform(self, logits) -> np.ndarray:
        """Calibrated probabilities."""
        check_is_fitted(self, "temperature_")
        return softmax(np.asarray(logits, dtype=float) / self.temperature_, axis=1)


def reliability_table(correct, confidence, n_bins: int = 10) -> pd.DataFrame:
    """Equal-width confidence bins: ``bin, bin_low, bin_high, n, confidence, accuracy``.

    ``correct`` says whether each predicted label was right, ``confidence``
    is the probability given to it. Empty bins are kept with ``n = 0`` and
    NaN means, so every table has ``n_bins`` rows.
    """
    correct = np.asarray(correct, dtype=float)
    confidence = np.asarray(confidence, dtype=float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, n_bins - 1)
    rows = []
    for b in range(n_bins):
        inside = which == b
        n = int(inside.sum())
        rows.append((b, edges[b], edges[b + 1], n,
                     float(confidence[inside].mean()) if n else np.nan,
                     float(correct[inside].mean()) if n else np.nan))
    return pd.DataFrame(rows, columns=RELIABILITY).astype({"bin": "int64", "n": "int64"})


def expected_calibration_error(table: pd.DataFrame) -> float:
    """``sum(n_b / n * |accuracy_b - confidence_b|)`` over the non-empty bins of a reliability table."""
    used = table[table["n"] > 0]
    total = used["n"].sum()
    if total == 0:
        return float("nan")
    gap = (used["accuracy"] - used["confidence"]).abs()
    return float((used["n"] * gap).sum() / total)
