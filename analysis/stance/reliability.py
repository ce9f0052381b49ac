"""Measuring calibration: the data of a reliability diagram and its summary.

* :func:`reliability_table`: the confidence of the predicted label in equal
  width bins against the accuracy in each bin.
* :func:`expected_calibration_error`: the bin-size weighted mean gap.

Only numpy and pandas are needed, so a report can draw its reliability
diagram without importing the fitting code of :mod:`analysis.stance.calibration`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.schema import STANCE_RELIABILITY

RELIABILITY = STANCE_RELIABILITY


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
