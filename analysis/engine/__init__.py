"""Execution engines: where the partitioned stages (embedding, topic assignment, stance) run.

``inprocess`` (the default) runs them here; ``dask`` runs them as tasks on a
``dask.distributed`` cluster. An engine holds no stage logic: the stages cut
their data into fixed partitions (:mod:`analysis.engine.partition`) and hand
a module-level task function to the engine, which runs it on every
partition, so a run's tables do not depend on the engine.
"""
from __future__ import annotations

from .dask_engine import DaskEngine
from .local import InProcessEngine

ENGINES = ("inprocess", "dask")


def get_engine(name: str = "inprocess", scheduler=None, staging=None):
    """An engine by name; ``dask`` needs the ``scheduler`` address (or a ``distributed.Client``)."""
    if name == "inprocess":
        return InProcessEngine()
    if name == "dask":
        if scheduler is None:
            raise ValueError("the dask engine needs a scheduler address (--scheduler tcp://host:8786)")
        return DaskEngine(scheduler, staging=staging)
    raise ValueError(f"unknown engine '{name}'; known: {', '.join(ENGINES)}")


__all__ = ["DaskEngine", "ENGINES", "InProcessEngine", "get_engine"]
