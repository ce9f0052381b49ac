"""Generic units of work of the engines: pure functions of their arguments.

The in-process engine calls them directly; the Dask engine ships them to
workers. Stage-specific tasks live with their stage
(:func:`analysis.topics.sampled.assign_topics_chunk`,
:func:`analysis.stance.scoring.score_stance_part`) and are handed to the
engine's ``map_shared``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..embed.encode import encode_batch


def encode_parquet_part(spec: dict, path: str, sizes: list[int]) -> list[np.ndarray]:
    """Read one staged partition of texts and encode it batch by batch (``sizes`` = batch lengths)."""
    texts = pd.read_parquet(path, columns=["text"])["text"].tolist()
    out, start = [], 0
    for size in sizes:
        out.append(encode_batch(spec, texts[start:start + size]))
        start += size
    return out
