"""Running the partitioned stages on a Dask cluster (``dask.distributed``).

Embedding batches and stance partitions are staged as Parquet files in a
folder the workers can read (``staging``: a local temporary folder for a
``LocalCluster``, a shared mount for a real cluster), and each task reads its
file. Fitted models travel once to every worker (``scatter``, broadcast).
Partitions are cut exactly as the in-process engine cuts them and the same
task functions run on them, so the results are the same.
"""
from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .tasks import encode_parquet_part


class DaskEngine:
    """Tasks on an existing Dask cluster.

    Parameters
    ----------
    scheduler : address of the scheduler (``tcp://host:8786``), or a
        ``distributed.Client`` to reuse.
    staging : folder for the Parquet partitions, readable by every worker
        (default: a new temporary folder, which suits a cluster on this machine).
    batches_per_task : embedding batches per task (and per staged file).
    """

    name = "dask"

    def __init__(self, scheduler, staging: str | Path | None = None, batches_per_task: int = 16):
        self.scheduler = scheduler
        self.staging = staging
        self.batches_per_task = batches_per_task

    # ------------------------------------------------------------ plumbing
    @property
    def client(self):
        if not hasattr(self, "client_"):
            from distributed import Client

            self.client_ = (self.scheduler if isinstance(self.scheduler, Client)
                            else Client(self.scheduler))
        return self.client_

    def _stage_dir(self) -> Path:
        if self.staging is None:
            return Path(tempfile.mkdtemp(prefix="analysis-dask-"))
        path = Path(self.staging) / f"analysis-{uuid.uuid4().hex[:12]}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    # ------------------------------------------------------------ operations
    def map_batches(self, spec: dict, batches: list[list[str]]) -> Iterator[tuple[int, np.ndarray]]:
        """Encode the batches on the workers, ``batches_per_task`` per staged Parquet file."""
        from distributed import as_completed

        if not batches:
            return
        stage = self._stage_dir()
        try:
            futures = {}
            for part, start in enumerate(range(0, len(batches), self.batches_per_task)):
                group = batches[start:start + self.batches_per_task]
                path = stage / f"texts-{part:05d}.parquet"
                pd.DataFrame({"text": [t for b in group for t in b]}).to_parquet(path, index=False)
                fut = self.client.submit(encode_parquet_part, spec, str(path), [len(b) for b in group],
                                         pure=False)
                futures[fut] = start
            for fut in as_completed(list(futures)):
                for offset, vecs in enumerate(fut.result()):
                    yield futures[fut] + offset, vecs
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def map_shared(self, fn: Callable, shared: Any, parts: Sequence[tuple]) -> list:
        """``fn(shared, *part)`` for every part on the workers, results in order.

        ``shared`` is sent once to every worker. A part whose first element
        is a DataFrame is staged as Parquet and read back by the task.
        """
        stage = self._stage_dir()
        try:
            shared_f = self.client.scatter(shared, broadcast=True, hash=False)
            futures = []
            for i, part in enumerate(parts):
                if part and isinstance(part[0], pd.DataFrame):
                    path = stage / f"part-{i:05d}.parquet"
                    part[0].to_parquet(path, index=False)
                    part = (str(path), *part[1:])
                futures.append(self.client.submit(fn, shared_f, *part, pure=False))
            return self.client.gather(futures)
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def describe(self) -> dict:
        """What the manifest records about the engine (the scheduler and its workers)."""
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        return {"name": self.name, "scheduler": info.get("address", str(self.scheduler)),
                "workers": len(workers), "threads": sum(w.get("nthreads", 0) for w in workers.values())}

    def close(self) -> None:
        """Close the client if this engine opened it (a passed-in client stays open)."""
        from distributed import Client

        client = self.__dict__.pop("client_", None)
        if client is not None and not isinstance(self.scheduler, Client):
            client.close()
