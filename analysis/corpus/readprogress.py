"""Progress of reading a folder, file by file, for whoever shows it (the run's live display).

Reading a folder of thousands of saved web pages can take minutes (each page
is parsed and its main text extracted). Readers stay plain functions of a path;
a caller that shows progress sets a callback for the duration of the read
with :func:`reading_progress`, and :func:`report` calls it after each file.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: ``callback(files done, files in all)``, or ``None`` when nobody is listening.
_CALLBACK: ContextVar[Callable[[int, int], None] | None] = ContextVar("analysis_read_progress", default=None)


@contextmanager
def reading_progress(callback: Callable[[int, int], None] | None) -> Iterator[None]:
    """Within the block, folder readers call ``callback(done, total)`` after each file."""
    token = _CALLBACK.set(callback)
    try:
        yield
    finally:
        _CALLBACK.reset(token)


def report(done: int, total: int) -> None:
    """Tell the listener, if any, that ``done`` of ``total`` files are read."""
    callback = _CALLBACK.get()
    if callback is not None:
        callback(done, total)
