"""The saved web pages of a large folder, parsed in several processes.

Extracting a page's main text costs tens of milliseconds (trafilatura parses
the whole page), so a folder of thousands of pages took minutes in one
process. When a folder holds at least :data:`MIN_PAGES` pages and the
machine more than one core, :func:`pooled_pages` reads them in worker
processes (joblib's loky workers: started fresh, safe beside the threads of
a live display or a notebook kernel, and they never re-run the caller's
script) while the folder reader goes through its files in order: the
records are those one process gives, in the same order.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ...machine import usable_cores
from ..errors import CorpusError
from ..records import ReadResult
from .htmlpage import read_html

#: Fewer pages than this are read in the folder reader's own process (starting workers costs a second).
MIN_PAGES = 100
#: Most worker processes.
MAX_WORKERS = 8
#: Pages handed to a worker at a time.
CHUNK = 8


def pooled_pages(pages: list[tuple[Path, str]]) -> Iterator[ReadResult | CorpusError] | None:
    """``read_html(file, label)`` of every ``(file, label)`` in order, computed by worker processes;
    ``None`` when the pages are too few or the machine has one core. A page that cannot be read at
    all gives its :class:`CorpusError` in its place. Close the iterator to stop early."""
    workers = min(MAX_WORKERS, usable_cores(), len(pages) // CHUNK)
    if len(pages) < MIN_PAGES or workers < 2:
        return None
    return _results(pages, workers)


class PagePool:
    """The pages of a folder from the workers, in order, for ``with`` use.

    :meth:`next` gives the next page's records (or its :class:`CorpusError`),
    or ``None`` when there are no workers, in which case the caller reads the
    page itself. If the workers fail (a worker killed for lack of memory, say),
    a warning is added to ``warnings`` and the remaining pages are left to the
    caller: nothing is lost.
    """

    def __init__(self, pages: list[tuple[Path, str]], label: str, warnings: list[str]):
        self._results = pooled_pages(pages)
        self._label, self._warnings = label, warnings

    def next(self) -> ReadResult | CorpusError | None:
        if self._results is None:
            return None
        try:
            return next(self._results)
        except Exception as err:  # the pool broke: read the rest in the caller's process
            self._warnings.append(f"{self._label}: the worker processes reading web pages failed "
                                  f"({type(err).__name__}: {str(err)[:200]}); the remaining pages were "
                                  "read in one process")
            self.close()
            return None

    def close(self) -> None:
        if self._results is not None:
            self._results.close()
            self._results = None

    def __enter__(self) -> "PagePool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _results(pages: list[tuple[Path, str]], workers: int) -> Iterator[ReadResult | CorpusError]:
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=workers, backend="loky", batch_size=CHUNK, return_as="generator")
    yield from parallel(delayed(_read_page)(page) for page in pages)


def _read_page(page: tuple[Path, str]) -> ReadResult | CorpusError:
    """In a worker: one page's records, or why it could not be read."""
    try:
        return read_html(*page)
    except CorpusError as err:
        return err
