"""Encoding batches of texts from a plain description of the model (a *spec*).

A spec is a small dict (``kind``, ``path``, ``normalize``, ...) that any
process can turn into vectors: the in-process engine and Dask workers call the
same :func:`encode_batch`, which hands the batch to the ``encode`` function of
the backend named by ``kind``, so both give the same vectors for the same batch.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .backends import BACKENDS
from .threads import BatchMap, map_on_threads

__all__ = ["BatchMap", "encode_batch", "map_batches_locally"]


def encode_batch(spec: dict, texts: list[str]) -> np.ndarray:
    """Vectors (float32, one row per text) for one batch, by the backend ``spec["kind"]``."""
    return BACKENDS[spec["kind"]].encode(spec, texts)


def map_batches_locally(spec: dict, batches: list[list[str]],
                        workers: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """The in-process batch map; yields ``(index, vectors)`` in order.

    Batches are encoded by ``workers`` threads at once (default: one per core
    torch would use), each on one intra-op thread, with at most ``2 * workers``
    batches in flight so memory stays bounded.
    """
    return map_on_threads(encode_batch, spec, batches, workers)
