"""The default engine: everything runs in this process (embedding batches on a few threads of it)."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from ..embed.encode import map_batches_locally


class InProcessEngine:
    """Runs every task in the calling process (the default).

    An engine offers three operations to the pipeline: ``map_batches`` (the
    embedding batches), ``map_shared`` (a function over partitions that share
    one large read-only object, e.g. a fitted model) and ``close``.
    """

    name = "inprocess"

    def map_batches(self, spec: dict, batches: list[list[str]]) -> Iterator[tuple[int, np.ndarray]]:
        """Encode the batches on a few threads of this process; yields ``(index, vectors)`` in order."""
        yield from map_batches_locally(spec, batches)

    def map_shared(self, fn: Callable, shared: Any, parts: Sequence[tuple]) -> list:
        """``[fn(shared, *part) for part in parts]``."""
        return [fn(shared, *part) for part in parts]

    def describe(self) -> dict:
        """What the manifest records about the engine."""
        return {"name": self.name}

    def close(self) -> None:
        """Nothing to release."""
