"""What every embedding backend shares: the fit/transform face, the counters, local batch mapping.

A backend subclasses :class:`BaseEmbedder`, stores its parameters in
``__init__`` and supplies

* ``_fit_model()``: find (or build) its model; set ``model_path_`` and ``fingerprint_``;
* ``spec_``: the plain dict a worker needs to compute its vectors;
* ``encode(spec, texts)`` (a static method): one batch of texts to vectors,
  the function engines run in-process or on Dask workers;
* ``_embed(texts, map_batches)``: how texts become batches (and, for a
  cached backend, which texts need computing at all).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .threads import BatchMap, map_on_threads


class BaseEmbedder:
    """Interchangeable embedding backend (see the module docstring)."""

    def fit(self, X=None, y=None):
        """Find the model (the static backend distills it on first use), fingerprint it, reset the counters."""
        self._fit_model()
        self.n_cached_ = 0
        self.n_embedded_ = 0
        return self

    def _fit_model(self) -> None:
        raise NotImplementedError

    @property
    def spec_(self) -> dict:
        raise NotImplementedError

    @staticmethod
    def encode(spec: dict, texts: list[str]) -> np.ndarray:
        """Vectors (float32, one row per text) for one batch described by ``spec``."""
        raise NotImplementedError

    @property
    def cache_key_(self) -> str:
        """The model's identity in the embedding cache: fingerprint and normalisation."""
        return f"{self.fingerprint_}:norm={int(self.normalize)}"

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Return one float32 row per text, in input order."""
        return self.transform_with(texts, self._map_locally)

    def transform_with(self, texts: Sequence[str], map_batches: BatchMap) -> np.ndarray:
        """Like :meth:`transform`, with the batches computed by ``map_batches`` (an engine)."""
        if not hasattr(self, "fingerprint_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit() first")
        return self._embed([str(t) for t in texts], map_batches)

    def _embed(self, texts: list[str], map_batches: BatchMap) -> np.ndarray:
        raise NotImplementedError

    def _map_locally(self, spec: dict, batches: list[list[str]]):
        """This backend's batches on a few threads of this process (see :func:`map_on_threads`)."""
        return map_on_threads(self.encode, spec, batches)

    def fit_transform(self, texts: Sequence[str], y=None) -> np.ndarray:
        return self.fit().transform(texts)
