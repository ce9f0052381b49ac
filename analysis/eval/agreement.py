"""Agreement between two annotators' stance labels.

Two measures on the items both annotators labelled: Cohen's kappa
(scikit-learn) and Krippendorff's alpha for nominal data (the
``krippendorff`` package), plus raw agreement, each with a percentile
bootstrap interval from resampling the items.
"""
from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from ..schema import LABELS

AGREEMENT = ["measure", "value", "ci_low", "ci_high", "n"]


def krippendorff_alpha(a, b) -> float:
    """Nominal Krippendorff's alpha of two label sequences (NaN when undefined)."""
    index = {lab: i for i, lab in enumerate(LABELS)}
    data = np.array([[index[x] for x in a], [index[x] for x in b]], dtype=float)
    if len(np.unique(data)) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal",
                                    value_domain=list(range(len(LABELS)))))


def _from_confusion(conf: np.ndarray) -> np.ndarray:
    """Agreement, Cohen's kappa and nominal Krippendorff's alpha from (..., k, k) counts.

    Used for the bootstrap (vectorised); the point values come from the
    libraries, and a test checks that both agree.
    """
    conf = conf.astype(float)
    n = conf.sum(axis=(-2, -1))
    trace = np.trace(conf, axis1=-2, axis2=-1)
    rows, cols = conf.sum(axis=-1), conf.sum(axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = trace / n
        expected = (rows * cols).sum(axis=-1) / n ** 2
        kappa = np.where(expected < 1, (observed - expected) / (1 - expected), np.nan)
        coinc = conf + np.swapaxes(conf, -2, -1)  # two coders: each unit pairs both ways
        totals = coinc.sum(axis=-1)
        big_n = 2 * n
        disagree = big_n - np.trace(coinc, axis1=-2, axis2=-1)
        chance = big_n ** 2 - (totals ** 2).sum(axis=-1)
        alpha = np.where(chance > 0, 1 - (big_n - 1) * disagree / chance, np.nan)
    return np.stack([observed, kappa, alpha], axis=-1)


def agreement_table(a, b, n_boot: int = 1000, ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """``measure, value, ci_low, ci_high, n`` for raw agreement, Cohen's kappa, Krippendorff's alpha.

    Items where either label is missing are left out; ``n`` counts the rest.
    """
    a, b = pd.Series(list(a), dtype=object), pd.Series(list(b), dtype=object)
    both = a.notna() & b.notna()
    a, b = a[both].to_numpy(dtype=object), b[both].to_numpy(dtype=object)
    n, k = len(a), len(LABELS)
    index = {lab: i for i, lab in enumerate(LABELS)}
    codes = np.array([index[x] * k + index[y] for x, y in zip(a, b)], dtype=np.int64)
    values = [float(np.mean(a == b)) if n else np.nan,
              float(cohen_kappa_score(a, b, labels=list(LABELS))) if len(set(a) | set(b)) > 1 else np.nan,
              krippendorff_alpha(a, b) if n else np.nan]
    low = high = np.full(3, np.nan)
    if n:
        idx = np.random.default_rng(seed).integers(0, n, size=(n_boot, n))
        flat = codes[idx] + k * k * np.arange(n_boot)[:, None]
        conf = np.bincount(flat.ravel(), minlength=k * k * n_boot).reshape(n_boot, k, k)
        boot = _from_confusion(conf)
        alpha = (1 - ci) / 2
        with np.errstate(all="ignore"):
            low, high = np.nanquantile(boot, [alpha, 1 - alpha], axis=0)
    names = ("agreement", "cohen_kappa", "krippendorff_alpha")
    rows = [(name, values[j], float(low[j]), float(high[j]), n) for j, name in enumerate(names)]
    return pd.DataFrame(rows, columns=AGREEMENT).astype({"n": "int64"})
