"""Encoding one batch of texts from a plain description of the model.

A *spec* is a small dict (``kind``, ``path``, ``normalize``, ...) that any
process can turn into vectors: the in-process engine and Dask workers call the
same :func:`encode_batch`, so both give the same vectors for the same batch.
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np

#: ``map_batches(spec, batches)`` yields ``(index, vectors)`` for every batch, in any order.
BatchMap = Callable[[dict, list[list[str]]], Iterable[tuple[int, np.ndarray]]]


def encode_batch(spec: dict, texts: list[str]) -> np.ndarray:
    """Vectors (float32, one row per text) for one batch, computed as one forward pass.

    The forward pass runs on one intra-op thread: a matrix product split over
    several threads is split differently for different batch sizes, which
    changes the last bits of a text's vector with its batch-mates. Parallelism
    comes from running several batches at once (:func:`map_batches_locally`,
    or the workers of a Dask cluster) instead.
    """
    if spec["kind"] == "static":
        return _encode_static(spec, texts)
    model = _model_for_this_thread(spec["path"])
    # a lone text takes another code path than any batch of two or more (its vector differs in
    # the last bits for short texts), so it is encoded twice in one batch
    batch = texts * 2 if len(texts) == 1 else texts
    with one_intra_op_thread():
        vecs = model.encode(batch, batch_size=max(1, len(batch)), normalize_embeddings=spec["normalize"],
                            convert_to_numpy=True, show_progress_bar=False)
    return np.asarray(vecs[:len(texts)], dtype=np.float32)


@contextmanager
def one_intra_op_thread():
    """Run torch operations of the calling thread on one intra-op thread.

    The main thread gets its setting back afterwards. Any other thread (of
    this process's pool or of a Dask worker) keeps one thread: restoring
    there could change the setting under a batch that another thread runs.
    """
    import torch

    before = torch.get_num_threads()
    if before != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if before != 1 and threading.current_thread() is threading.main_thread():
            torch.set_num_threads(before)


_THREAD = threading.local()


def _model_for_this_thread(path: str, static: bool = False):
    """The model at ``path``: shared in the main thread, one copy per other thread.

    A fast tokenizer must not be used by two threads at once ("Already
    borrowed"), so each encoding thread (of this process's pool, or of a Dask
    worker) keeps a model of its own.
    """
    from .model import load_sentence_transformer
    from .static import load_static_model

    load = load_static_model if static else load_sentence_transformer
    if threading.current_thread() is threading.main_thread():
        return load(path)
    models = _THREAD.__dict__.setdefault("models", {})
    if (path, static) not in models:
        models[path, static] = load.__wrapped__(path)
    return models[path, static]


def default_workers() -> int:
    """Batches encoded at once in this process: one per core torch would use (at least one)."""
    import torch

    return max(1, torch.get_num_threads())


#: A prefix of ``limit * _CHARS_PER_TOKEN`` characters almost always reaches the token limit.
_CHARS_PER_TOKEN = 8


def token_counts(spec: dict, texts: list[str]) -> np.ndarray:
    """Tokens the transformer of ``spec`` sees for each text (special tokens included, truncated).

    Texts of equal count form batches without padding, and without padding a
    text's vector does not depend on the other texts of its batch. Long texts
    are counted on a prefix first (a prefix that already reaches the limit has
    the same count as the whole text) and in full only when the prefix falls short.
    """
    from .model import load_sentence_transformer

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


def _encode_static(spec: dict, texts: list[str]) -> np.ndarray:
    from .model import model_fingerprint
    from .static import distill_static_model, static_model_dir

    path = Path(spec["path"])
    if not (path / "config.json").is_file():
        # a worker that cannot see the client's cache distills its own copy and checks it is the same model
        from ..paths import default_cache_dir
        from .model import resolve_model_path

        source = resolve_model_path(spec["source"])
        path = distill_static_model(source, static_model_dir(default_cache_dir(), spec["source_fingerprint"],
                                                             spec["dims"]), spec["dims"])
        if model_fingerprint(path) != spec["fingerprint"]:
            raise RuntimeError(f"static model distilled on this worker ({path}) differs from the client's")
    model = _model_for_this_thread(str(path), static=True)
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    vecs = model.encode(texts, batch_size=max(1, len(texts)), show_progress_bar=False,
                        max_length=None, use_multiprocessing=False).astype(np.float32)
    if spec["normalize"]:
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs = vecs / np.where(norms == 0, 1, norms)
    return vecs


_POOLS: dict[int, ThreadPoolExecutor] = {}


def _pool(workers: int) -> ThreadPoolExecutor:
    """A lasting pool of ``workers`` encoding threads (their models are loaded once)."""
    if workers not in _POOLS:
        _POOLS[workers] = ThreadPoolExecutor(workers, thread_name_prefix="encode")
    return _POOLS[workers]


def map_batches_locally(spec: dict, batches: list[list[str]],
                        workers: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """The in-process batch map; yields ``(index, vectors)`` in order.

    Batches are encoded by ``workers`` threads at once (default
    :func:`default_workers`), each on one intra-op thread, with at most
    ``2 * workers`` batches in flight so memory stays bounded.
    """
    workers = workers or default_workers()
    if workers == 1 or len(batches) <= 1:
        for i, batch in enumerate(batches):
            yield i, encode_batch(spec, batch)
        return
    pool, window = _pool(workers), deque()
    for i, batch in enumerate(batches):
        window.append((i, pool.submit(encode_batch, spec, batch)))
        if len(window) >= 2 * workers:
            j, fut = window.popleft()
            yield j, fut.result()
    while window:
        j, fut = window.popleft()
        yield j, fut.result()
