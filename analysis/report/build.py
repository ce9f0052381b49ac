"""Draw and save every report figure for a run.

:func:`build_figures` is the one place that knows which figures a report
has, what their files are called and how they are captioned. Its result is
the ``figures`` mapping :func:`analysis.report.render.render_report` takes.
The plan itself (which figure, from which table, with which caption) is in
:mod:`analysis.report.plan`.
"""
from __future__ import annotations

import importlib
import multiprocessing
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from analysis.report._tables import targets_in
from analysis.report.figure_files import resolved, save_figure, save_figure_async
from analysis.report.plan import PlannedFigure, figure_plan

#: Sub-directory of the report directory that holds the figure files.
FIGURES_DIR = "figures"
#: Figures that take longest to draw; a forked drawing starts with them.
_SLOWEST = ("paragraph_map",)
#: What every figure needs (the paragraph map also needs adjustText): imported before forking.
_DRAWING_MODULES = ("matplotlib.pyplot", "matplotlib.backends.backend_agg",
                    "matplotlib.backends.backend_pdf", "PIL.PngImagePlugin")
#: The figures a forked drawing process draws, by index (set before the processes start).
_FORKED: list[PlannedFigure] = []


def build_figures(
    tables: dict[str, pd.DataFrame],
    out_dir: Path | str,
    targets: Sequence[str] | None = None,
    *,
    dpi: int = 300,
    html_dpi: int | None = 150,
    vector: str = "pdf",
    keep: Callable[[PlannedFigure], dict | None] | None = None,
    processes: int = 1,
) -> dict[str, dict]:
    """Draw every figure, save it under ``out_dir/figures/`` and describe it.

    Returns ``{stem: entry}`` in report order. A drawn figure's entry has
    ``png`` (``dpi``), ``pdf`` or ``svg`` (paths), ``html_png`` (PNG bytes at
    ``html_dpi`` for embedding; absent when ``html_dpi`` is None),
    ``caption``, ``section`` ("topics", "stance" or "validation") and
    ``target`` (``None`` for corpus-wide figures). A figure with no data is
    not drawn: its entry has ``caption``, ``section``, ``target`` and a
    ``note`` saying why it was left out, and no paths. A figure whose drawing
    fails is left out the same way, with the error in its note and a warning.
    ``targets`` defaults to those found in the stance tables. ``keep(item)``
    may return the entry fields (paths, ``html_png``) of a figure already on
    disk that need not be drawn again (used by edits of a finished run).
    ``processes`` > 1 draws the figures in that many forked processes (on
    Linux, where no other thread runs, so not inside a notebook kernel), with
    the same files as a result.
    """
    return start_figures(tables, out_dir, targets, dpi=dpi, html_dpi=html_dpi, vector=vector,
                         keep=keep, processes=processes).result()


class PendingFigures:
    """Figures being drawn: :meth:`result` waits for them and gives :func:`build_figures`' mapping."""

    def __init__(self, entries: dict[str, dict], finish: Callable[[], dict[str, dict]]):
        self._entries, self._finish, self._done = entries, finish, None

    def result(self) -> dict[str, dict]:
        if self._done is None:
            drawn = self._finish()
            self._done = {stem: {**entry, **drawn.get(stem, {})} for stem, entry in self._entries.items()}
        return self._done


def start_figures(tables: dict[str, pd.DataFrame], out_dir: Path | str,
                  targets: Sequence[str] | None = None, *, dpi: int = 300,
                  html_dpi: int | None = 150, vector: str = "pdf",
                  keep: Callable[[PlannedFigure], dict | None] | None = None,
                  processes: int = 1) -> PendingFigures:
    """:func:`build_figures` that returns while forked processes draw (``processes`` > 1).

    With one process the figures are drawn before it returns. Either way,
    ``.result()`` of the returned object gives the mapping; the caller may
    do other work (the report page's other parts) in between.
    """
    if targets is None:
        targets = targets_in(tables)
    fig_dir = Path(out_dir) / FIGURES_DIR
    options = {"dpi": dpi, "vector": vector, "html_dpi": html_dpi}
    entries: dict[str, dict] = {}
    pending: list[PlannedFigure] = []
    for item in figure_plan(tables, list(targets)):
        entries[item.stem] = {"caption": item.caption, "section": item.section, "target": item.target}
        kept = keep(item) if keep is not None else None
        if kept:
            entries[item.stem].update(kept)
        else:
            pending.append(item)
    if processes > 1 and len(pending) > 1 and _can_fork():
        return PendingFigures(entries, _fork_drawing(pending, fig_dir, options, processes))
    drawn = _draw_here(pending, fig_dir, options)
    return PendingFigures(entries, lambda: drawn)


def _draw_here(items: list[PlannedFigure], fig_dir: Path, options: dict) -> dict[str, dict]:
    """Draw and save ``items`` in this process, PNG encoding in a thread beside the drawing."""
    out: dict[str, dict] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="png") as encoder:
        for item in items:
            fig = _draw(item)
            out[item.stem] = ({"note": item.missing} if fig is None else
                              save_figure_async(fig, fig_dir, item.stem, submit=encoder.submit, **options))
    return {stem: resolved(entry) for stem, entry in out.items()}


def _fork_drawing(items: list[PlannedFigure], fig_dir: Path, options: dict,
                  processes: int) -> Callable[[], dict[str, dict]]:
    """Start drawing ``items`` in ``processes`` forked processes; returns the function that waits.

    The processes are forks of this one, so they share its tables and
    imported modules without copying; each draws and saves whole figures,
    the slowest (:data:`_SLOWEST`) first, into the files :func:`_draw_here`
    would write. Warnings raised while drawing are raised again on waiting.
    """
    global _FORKED
    _preload(items)
    _FORKED = items
    pool = ProcessPoolExecutor(max_workers=min(processes, len(items)),
                               mp_context=multiprocessing.get_context("fork"))
    order = sorted(range(len(items)), key=lambda i: items[i].stem not in _SLOWEST)
    futures = {i: pool.submit(_draw_one, i, fig_dir, options) for i in order}

    def finish() -> dict[str, dict]:
        global _FORKED
        try:
            done = {i: future.result() for i, future in futures.items()}
        finally:
            pool.shutdown(cancel_futures=True)
            _FORKED = []
        out: dict[str, dict] = {}
        for i, item in enumerate(items):
            entry, caught = done[i]
            for message in caught:
                warnings.warn(message, RuntimeWarning, stacklevel=4)
            out[item.stem] = entry
        return out

    return finish


def _draw_one(index: int, fig_dir: Path, options: dict) -> tuple[dict, list[str]]:
    """In a forked process: draw and save figure ``index``; its entry and the warnings raised."""
    import matplotlib.pyplot as plt

    item = _FORKED[index]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = _draw(item)
        entry = {"note": item.missing} if fig is None else save_figure(fig, fig_dir, item.stem, **options)
    plt.close("all")
    return entry, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


def _preload(items: list[PlannedFigure]) -> None:
    """Import the drawing libraries once, before forking, rather than once in every process."""
    for name in _DRAWING_MODULES + (("adjustText",) if any(i.stem in _SLOWEST for i in items) else ()):
        importlib.import_module(name)


def _can_fork() -> bool:
    """Forking is safe: Linux (macOS system libraries may crash in a forked child; Windows cannot
    fork), and no other thread (a notebook kernel has several) could hold a lock the child needs."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _draw(item: PlannedFigure):
    """The planned figure, or ``None`` with ``item.missing`` saying why (a failed drawing warns)."""
    try:
        return item.draw()
    except Exception as err:  # one broken figure must not cost the whole report
        warnings.warn(f"figure {item.stem} could not be drawn: {err}", RuntimeWarning, stacklevel=3)
        item.missing = f"Figure {item.stem} could not be drawn ({err})."
        return None


def omitted(figures: dict[str, dict]) -> list[str]:
    """The notes of figures that were left out for lack of data."""
    return [entry["note"] for entry in figures.values() if "png" not in entry and "note" in entry]
