"""Cluster-bootstrap primitives shared by stance aggregation and outlet contrasts.

A group of scored sentences becomes one row of sums per resampling unit
(:func:`unit_sums`: articles, or sentences); a resample is a sum of units
drawn with replacement (:func:`resample_sums`); the statistic of a sum row is
the confidence-weighted mean score (:func:`weighted_means`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema

#: Upper bound on resampled values held in memory per bootstrap chunk.
BOOT_CHUNK_VALUES = 2_000_000
#: Columns of the per-unit sums: sum(w*s), sum(w), sum(s), n, then label counts.
SW, W, S, N, COUNTS = 0, 1, 2, 3, slice(4, 7)


def check_boot_args(n_boot: int, ci: float) -> None:
    """Validate bootstrap parameters."""
    if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 1):
        raise ValueError(f"n_boot must be an integer >= 1, got {n_boot!r}")
    if not 0.0 < ci < 1.0:
        raise ValueError(f"ci must be in (0, 1), got {ci!r}")


def unit_sums(group: pd.DataFrame, clustered: bool) -> np.ndarray:
    """(units, 7) sums per resampling unit: articles if ``clustered``, else sentences."""
    s = group["score"].to_numpy(dtype=float)
    w = group["confidence"].to_numpy(dtype=float)
    labels = group["label"].to_numpy()
    onehot = [(labels == lab).astype(float) for lab in schema.LABELS]
    rows = np.column_stack([w * s, w, s, np.ones_like(s), *onehot])
    if not clustered:
        return rows
    codes = pd.factorize(group["article_id"])[0]
    out = np.zeros((codes.max() + 1, rows.shape[1]))
    np.add.at(out, codes, rows)
    return out


def weighted_means(sums: np.ndarray) -> np.ndarray:
    """Weighted means of (..., 7) sums (plain means where the weights sum to 0)."""
    w = sums[..., W]
    plain = sums[..., S] / sums[..., N]
    return np.where(w > 0, sums[..., SW] / np.where(w > 0, w, 1.0), plain)


def resample_sums(units: np.ndarray, n_boot: int, rng) -> np.ndarray:
    """(n_boot, 7) sums over ``n_boot`` resamples of the units with replacement."""
    k = len(units)
    if k == 1:
        return np.repeat(units, n_boot, axis=0)
    chunk = max(1, BOOT_CHUNK_VALUES // (k * units.shape[1]))
    parts = []
    for done in range(0, n_boot, chunk):
        idx = rng.integers(0, k, size=(min(chunk, n_boot - done), k))
        parts.append(units[idx].sum(axis=1))
    return np.concatenate(parts)
