"""Label shares corrected for the classifier's errors (adjusted classify-and-count).

The classifier's confusion on held-out validation data gives
``M[i, j] = P(predicted = j | true = i)`` over ``schema.LABELS`` (favor,
against, neutral). Predicted shares then follow ``q = Mᵀ p`` from the true
shares ``p``. :func:`corrected_shares` inverts that: it returns the point of
the probability simplex (``p >= 0``, ``sum(p) = 1``) whose implied predicted
shares are closest to the observed ones in squared error. The constrained
problem is solved exactly, by evaluating every support (the 7 non-empty
subsets of the three labels) in closed form and keeping the feasible
solution with the smallest residual; no clipping or renormalising of an
unconstrained solution.

The uncertainty of ``M`` enters the intervals through :func:`draw_matrices`:
each bootstrap replicate draws every row of ``M`` from its Dirichlet
posterior (validation counts + 1, i.e. a uniform prior), so a small
validation set gives wide intervals.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from analysis import schema

#: The supports tried by the exact simplex solver: every non-empty label subset.
SUPPORTS = [s for k in (1, 2, 3) for s in combinations(range(3), k)]
_FEASIBLE_TOL = 1e-9


def confusion_counts(confusion: pd.DataFrame | np.ndarray | None) -> np.ndarray | None:
    """3 x 3 counts (rows true, columns predicted, in ``schema.LABELS`` order), or ``None``.

    Takes the run table ``stance_confusion`` (``gold, predicted, count``) or
    a 3 x 3 array. ``None`` when absent, empty or all zero: no correction is
    then possible. A table with a ``split`` column holding several validation
    sets contributes its first split's rows only (the run table lists the
    real validation split first).
    """
    if confusion is None:
        return None
    if isinstance(confusion, pd.DataFrame):
        if confusion.empty:
            return None
        schema.check_columns(confusion, schema.STANCE_CONFUSION, "stance_confusion")
        if "split" in confusion.columns:
            confusion = confusion[confusion["split"] == confusion["split"].iloc[0]]
        wide = confusion.pivot_table(index="gold", columns="predicted", values="count",
                                     aggfunc="sum", fill_value=0)
        counts = wide.reindex(index=list(schema.LABELS), columns=list(schema.LABELS),
                              fill_value=0).to_numpy(dtype=float)
    else:
        counts = np.asarray(confusion, dtype=float)
    if counts.shape != (3, 3) or (counts < 0).any() or not np.isfinite(counts).all():
        raise ValueError(f"confusion counts must be a non-negative 3 x 3 array, got {counts!r}")
    return counts if counts.sum() > 0 else None


def posterior_mean(counts: np.ndarray) -> np.ndarray:
    """Row-wise Dirichlet posterior mean of ``M`` under a uniform prior: ``(c + 1) / (n + 3)``."""
    alpha = np.asarray(counts, dtype=float) + 1.0
    return alpha / alpha.sum(axis=1, keepdims=True)


def draw_matrices(counts: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` confusion matrices (n, 3, 3), each row drawn from Dirichlet(counts + 1)."""
    alpha = np.asarray(counts, dtype=float) + 1.0
    draws = rng.gamma(alpha, size=(n, 3, 3))
    return draws / draws.sum(axis=2, keepdims=True)


def solver(matrices: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precomputed affine maps of the constrained solution on each support, per matrix.

    ``matrices`` is (b, 3, 3), rows true, columns predicted. Returns ``M``
    laid out as (3, 3, b) (predicted shares of true shares ``p`` are
    ``p @ M``), ``G`` (3, b, 21) and ``h`` (b, 21) such that on support ``s``
    the sum-to-one least-squares solution is entries ``3s .. 3s+2`` of
    ``sum_j G[j] * q[:, j] + h`` (zero outside the support).
    """
    A = np.transpose(np.asarray(matrices, dtype=float), (0, 2, 1))
    b = A.shape[0]
    G = np.zeros((b, len(SUPPORTS), 3, 3))
    h = np.zeros((b, len(SUPPORTS), 3))
    for s, support in enumerate(SUPPORTS):
        cols = list(support)
        k = len(cols)
        sub = A[:, :, cols]                                   # (b, 3, k)
        kkt = np.zeros((b, k + 1, k + 1))
        kkt[:, :k, :k] = 2 * np.einsum("bik,bil->bkl", sub, sub)
        kkt[:, :k, k] = kkt[:, k, :k] = 1.0
        inv = np.linalg.pinv(kkt)                             # (b, k+1, k+1)
        G[:, s, cols, :] = 2 * np.einsum("bkl,bil->bki", inv[:, :k, :k], sub)
        h[:, s, cols] = inv[:, :k, k]
    G = np.ascontiguousarray(np.transpose(G.reshape(b, 3 * len(SUPPORTS), 3), (2, 0, 1)))
    M = np.ascontiguousarray(np.transpose(np.asarray(matrices, dtype=float), (1, 2, 0)))
    return M, G, h.reshape(b, 3 * len(SUPPORTS))


def solve(q: np.ndarray, M: np.ndarray, G: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Simplex-constrained least-squares true shares for observed shares ``q`` (b, 3).

    Every support's solution is computed, infeasible ones (a negative
    share) are discarded, and the one with the smallest residual is kept.
    Written with element-wise products: the 3 x 3 systems are too small for
    batched matrix products to pay off.
    """
    q = np.asarray(q, dtype=float)
    b = q.shape[0]
    cand = (G[0] * q[:, 0:1] + G[1] * q[:, 1:2] + G[2] * q[:, 2:3] + h).reshape(b, len(SUPPORTS), 3)
    c0, c1, c2 = cand[:, :, 0], cand[:, :, 1], cand[:, :, 2]
    resid = np.zeros((b, len(SUPPORTS)))
    for j in range(3):
        diff = c0 * M[0, j][:, None] + c1 * M[1, j][:, None] + c2 * M[2, j][:, None] - q[:, j:j + 1]
        resid += diff * diff
    ok = (cand >= -_FEASIBLE_TOL).all(axis=2) & (np.abs(cand.sum(axis=2) - 1) < 1e-6)
    best = cand[np.arange(b), np.where(ok, resid, np.inf).argmin(axis=1)]
    best = np.clip(best, 0.0, None)                           # remove -1e-12 round-off only
    return best / best.sum(axis=1, keepdims=True)


def corrected_shares(shares, matrix) -> np.ndarray:
    """True shares (favor, against, neutral) on the simplex for observed ``shares`` and ``M``.

    ``shares`` is a length-3 vector or (n, 3) array of predicted-label
    shares; ``matrix`` a 3 x 3 row-stochastic ``M`` (rows true, columns
    predicted). With the identity matrix the observed shares come back.
    """
    q = np.atleast_2d(np.asarray(shares, dtype=float))
    m = np.asarray(matrix, dtype=float)
    if m.shape != (3, 3) or not np.allclose(m.sum(axis=1), 1.0):
        raise ValueError("matrix must be 3 x 3 with rows summing to 1 (P(predicted | true))")
    A, G, h = solver(np.broadcast_to(m, (q.shape[0], 3, 3)))
    out = solve(q, A, G, h)
    return out[0] if np.ndim(shares) == 1 else out
