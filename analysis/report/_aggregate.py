"""Confidence-weighted mean stance with a bootstrap percentile interval.

The stance stage owns the aggregates written to ``stance_by_article`` and
``stance_by_topic``. The report only needs one more grouping (per target,
over the whole corpus) for its summary when no ``stance_by_target`` table is
given; this module computes it with the same rule.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis import schema

N_BOOT = 1000
LEVEL = 0.95
SEED = 0
#: Largest resample matrix (resamples x sentences) held in memory at once.
MAX_CELLS = 4_000_000


def weighted_mean(scores: np.ndarray, weights: np.ndarray) -> float:
    """Mean of ``scores`` weighted by ``weights``; the plain mean if all weights are 0."""
    total = float(weights.sum())
    if total <= 0:
        return float(scores.mean())
    return float((scores * weights).sum() / total)


def bootstrap_ci(
    scores: np.ndarray, weights: np.ndarray, n_boot: int = N_BOOT,
    level: float = LEVEL, seed: int = SEED,
) -> tuple[float, float]:
    """Percentile interval of the weighted mean over resampled sentences.

    Resamples are drawn in batches so memory stays bounded on large corpora.
    """
    rng = np.random.default_rng(seed)
    n = len(scores)
    batch = max(1, min(n_boot, MAX_CELLS // max(n, 1)))
    means = []
    for start in range(0, n_boot, batch):
        idx = rng.integers(0, n, size=(min(batch, n_boot - start), n))
        w = weights[idx]
        sums = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            means.append(np.where(sums > 0, (scores[idx] * w).sum(axis=1) / sums,
                                  scores[idx].mean(axis=1)))
    tail = 100 * (1 - level) / 2
    values = np.concatenate(means)
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def aggregate_stance(
    stance_df: pd.DataFrame, keys: Sequence[str], n_boot: int = N_BOOT, seed: int = SEED,
) -> pd.DataFrame:
    """Group sentence-level stance by ``keys`` (which must include ``target``).

    Returns the key columns followed by :data:`analysis.schema.STANCE_AGGREGATE`.
    """
    extra = [k for k in keys if k != "target"]
    columns = extra + schema.STANCE_AGGREGATE
    rows = []
    valid = stance_df.dropna(subset=["score"])
    for key, group in valid.groupby(list(keys), sort=True):
        values = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        scores = group["score"].to_numpy(dtype=float)
        weights = group["confidence"].fillna(0).to_numpy(dtype=float)
        low, high = bootstrap_ci(scores, weights, n_boot=n_boot, seed=seed)
        labels = group["label"].value_counts(normalize=True)
        rows.append({
            **values, "n_sentences": len(group), "mean_score": weighted_mean(scores, weights),
            "ci_low": low, "ci_high": high,
            **{f"share_{lab}": float(labels.get(lab, 0.0)) for lab in schema.LABELS},
        })
    return pd.DataFrame(rows, columns=columns)
