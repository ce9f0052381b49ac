"""Probability calibration and its measurement.

* :class:`TemperatureScaler`: one temperature ``T`` that divides the
  classifier's logits before the softmax, fitted by minimising the negative
  log-likelihood on held-out (dev) data (Guo et al., 2017). It keeps the
  arg-max, so labels do not change, only how sure the model claims to be.
  It is a single number, stored in the model's JSON.

Its measurement (reliability table, ECE) is in :mod:`analysis.stance.reliability`,
which needs neither scipy nor scikit-learn.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted


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
