"""Seeded UMAP whose reduced vectors are cached, so clustering sweeps skip it.

The reduced vectors depend only on the input matrix (and the guiding labels,
if any), the UMAP parameters, the seed and the UMAP version. They are cached
under a key made of exactly those, in memory (a few recent results) and, when
a cache folder is given, on disk as ``<cache_dir>/reduced/<key>.npy``. A
parameter sweep over HDBSCAN settings, or a rerun, therefore reduces once.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import OrderedDict
from pathlib import Path

import numpy as np

from .umap_kernels import umap_class

#: Reduced matrices kept in memory (most recently used last).
_MEMORY: OrderedDict[str, np.ndarray] = OrderedDict()
_MEMORY_SIZE = 16


def reduction_key(X: np.ndarray, y, params: dict) -> str:
    """sha256 over the matrix bytes, the labels, the parameters and the UMAP version."""
    import umap

    h = hashlib.sha256()
    arr = np.ascontiguousarray(X, dtype=np.float32)
    h.update(str(arr.shape).encode())
    h.update(arr.tobytes())
    if y is not None:
        h.update(np.asarray(y, dtype=np.int64).tobytes())
    h.update(json.dumps({**params, "umap": umap.__version__}, sort_keys=True).encode())
    return h.hexdigest()[:32]


class CachedUMAP:
    """UMAP with a content-addressed cache of its reduced training vectors.

    Parameters mirror ``umap.UMAP``; ``cache_dir`` (or ``None``) adds a disk
    cache next to the in-memory one. ``transform`` of the training matrix
    returns the cached vectors; other data is mapped by a UMAP fitted on
    demand (seeded, so it agrees with the cached result). ``cache_hit_`` says
    whether ``fit`` found the vectors in a cache.
    """

    def __init__(self, n_neighbors: int = 15, n_components: int = 5, min_dist: float = 0.0,
                 metric: str = "cosine", random_state: int = 42, cache_dir: str | None = None):
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.min_dist = min_dist
        self.metric = metric
        self.random_state = random_state
        self.cache_dir = cache_dir

    def _params(self) -> dict:
        return {"n_neighbors": self.n_neighbors, "n_components": self.n_components,
                "min_dist": self.min_dist, "metric": self.metric, "random_state": self.random_state}

    def _umap(self):
        # seeded, so UMAP runs on one thread whatever n_jobs says; saying so keeps it from warning
        return umap_class()(**self._params(), low_memory=False, n_jobs=1)

    def fit(self, X: np.ndarray, y=None) -> "CachedUMAP":
        """Reduce ``X`` (from the cache when possible); ``y`` guides it (-1 = unlabelled)."""
        X = np.asarray(X)
        self.key_ = reduction_key(X, y, self._params())
        cached = _load(self.key_, self.cache_dir)
        self.cache_hit_ = cached is not None
        if cached is None:
            self.umap_ = self._umap().fit(X, y=None if y is None else np.asarray(y))
            cached = np.nan_to_num(np.asarray(self.umap_.embedding_, dtype=np.float32))
            _store(self.key_, cached, self.cache_dir)
        self.embedding_ = cached
        self._train = (X, y)
        return self

    def fit_transform(self, X: np.ndarray, y=None) -> np.ndarray:
        """Fit and return the reduced training vectors."""
        return self.fit(X, y).embedding_

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Reduced vectors of ``X``: cached for the training matrix, else mapped by UMAP."""
        if not hasattr(self, "key_"):
            raise RuntimeError("CachedUMAP is not fitted: call fit() first")
        X = np.asarray(X)
        train_X, train_y = self._train
        if X.shape == train_X.shape and np.array_equal(X, train_X):
            return self.embedding_
        if not hasattr(self, "umap_"):
            self.umap_ = self._umap().fit(train_X, y=None if train_y is None else np.asarray(train_y))
        return np.nan_to_num(self.umap_.transform(X))


def _load(key: str, cache_dir: str | None) -> np.ndarray | None:
    if key in _MEMORY:
        _MEMORY.move_to_end(key)
        return _MEMORY[key]
    if cache_dir:
        path = Path(cache_dir) / "reduced" / f"{key}.npy"
        if path.is_file():
            try:
                arr = np.load(path, allow_pickle=False)
            except (OSError, ValueError):
                return None
            _remember(key, arr)
            return arr
    return None


def _store(key: str, arr: np.ndarray, cache_dir: str | None) -> None:
    _remember(key, arr)
    if not cache_dir:
        return
    folder = Path(cache_dir) / "reduced"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        np.save(fh, arr, allow_pickle=False)
    os.replace(tmp, folder / f"{key}.npy")


def _remember(key: str, arr: np.ndarray) -> None:
    _MEMORY[key] = arr
    _MEMORY.move_to_end(key)
    while len(_MEMORY) > _MEMORY_SIZE:
        _MEMORY.popitem(last=False)


def clear_memory_cache() -> None:
    """Forget the reduced vectors held in memory (the disk cache stays)."""
    _MEMORY.clear()
