"""Fixed partitions: where the data is cut depends only on the data, never on the engine."""
from __future__ import annotations

import numpy as np
import pandas as pd


def chunk_bounds(n: int, size: int) -> list[tuple[int, int]]:
    """``[start, end)`` pairs cutting ``range(n)`` into pieces of ``size`` (the last may be shorter)."""
    return [(i, min(i + size, n)) for i in range(0, n, max(1, size))]


def group_bounds(keys: pd.Series, target_rows: int) -> list[tuple[int, int]]:
    """Contiguous row ranges of about ``target_rows`` rows that never split a run of equal keys.

    Used to cut the sentence table at article boundaries.
    """
    n = len(keys)
    if n == 0:
        return []
    values = keys.to_numpy()
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    bounds, begin = [], 0
    for s in starts[1:]:
        if s - begin >= target_rows:
            bounds.append((begin, int(s)))
            begin = int(s)
    bounds.append((begin, n))
    return bounds
