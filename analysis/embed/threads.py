"""Encoding threads: one intra-op thread per forward pass, one model copy per thread, a lasting pool.

Nothing here knows a backend: a backend hands in its loader (``load(path)``,
an ``lru_cache``-wrapped function) or its encode function (``encode(spec, texts)``).
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np

#: ``map_batches(spec, batches)`` yields ``(index, vectors)`` for every batch, in any order.
BatchMap = Callable[[dict, list[list[str]]], Iterable[tuple[int, np.ndarray]]]
#: ``encode(spec, texts)``: one batch of texts to a float32 matrix.
Encode = Callable[[dict, list[str]], np.ndarray]


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


def model_for_this_thread(load: Callable, path: str):
    """``load(path)``: shared in the main thread, one copy per other thread.

    A fast tokenizer must not be used by two threads at once ("Already
    borrowed"), so each encoding thread (of this process's pool, or of a Dask
    worker) keeps a model of its own. ``load`` is ``lru_cache``-wrapped; other
    threads call the function it wraps.
    """
    if threading.current_thread() is threading.main_thread():
        return load(path)
    models = _THREAD.__dict__.setdefault("models", {})
    if (path, load) not in models:
        models[path, load] = load.__wrapped__(path)
    return models[path, load]


def default_workers() -> int:
    """Batches encoded at once in this process: one per core torch would use (at least one)."""
    import torch

    return max(1, torch.get_num_threads())


_POOLS: dict[int, ThreadPoolExecutor] = {}


def _pool(workers: int) -> ThreadPoolExecutor:
    """A lasting pool of ``workers`` encoding threads (their models are loaded once)."""
    if workers not in _POOLS:
        _POOLS[workers] = ThreadPoolExecutor(workers, thread_name_prefix="encode")
    return _POOLS[workers]


def map_on_threads(encode: Encode, spec: dict, batches: list[list[str]],
                   workers: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """``encode(spec, batch)`` for every batch in this process; yields ``(index, vectors)`` in order.

    Batches are encoded by ``workers`` threads at once (default
    :func:`default_workers`), each on one intra-op thread, with at most
    ``2 * workers`` batches in flight so memory stays bounded.
    """
    workers = workers or default_workers()
    if workers == 1 or len(batches) <= 1:
        for i, batch in enumerate(batches):
            yield i, encode(spec, batch)
        return
    pool, window = _pool(workers), deque()
    for i, batch in enumerate(batches):
        window.append((i, pool.submit(encode, spec, batch)))
        if len(window) >= 2 * workers:
            j, fut = window.popleft()
            yield j, fut.result()
    while window:
        j, fut = window.popleft()
        yield j, fut.result()
