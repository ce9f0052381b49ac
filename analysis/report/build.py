"""Draw and save every report figure for a run.

:func:`build_figures` is the one place that knows which figures a report
has, what their files are called and how they are captioned. Its result is
the ``figures`` mapping :func:`analysis.report.render.render_report` takes.
The plan itself (which figure, from which table, with which caption) is in
:mod:`analysis.report.plan`.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from analysis.report._tables import targets_in
from analysis.report.figure_files import resolved, save_figure_async
from analysis.report.plan import PlannedFigure, figure_plan

#: Sub-directory of the report directory that holds the figure files.
FIGURES_DIR = "figures"


def build_figures(
    tables: dict[str, pd.DataFrame],
    out_dir: Path | str,
    targets: Sequence[str] | None = None,
    *,
    dpi: int = 300,
    html_dpi: int | None = 150,
    vector: str = "pdf",
    keep: Callable[[PlannedFigure], dict | None] | None = None,
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
    """
    if targets is None:
        targets = targets_in(tables)
    fig_dir = Path(out_dir) / FIGURES_DIR
    result: dict[str, dict] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="png") as encoder:  # PNGs beside drawing
        for item in figure_plan(tables, list(targets)):
            entry = {"caption": item.caption, "section": item.section, "target": item.target}
            kept = keep(item) if keep is not None else None
            if kept:
                result[item.stem] = {**entry, **kept}
                continue
            fig = _draw(item)
            if fig is None:
                entry["note"] = item.missing
            else:
                entry.update(save_figure_async(fig, fig_dir, item.stem, dpi=dpi, vector=vector,
                                               html_dpi=html_dpi, submit=encoder.submit))
            result[item.stem] = entry
    return {stem: resolved(entry) for stem, entry in result.items()}


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
