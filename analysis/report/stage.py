"""The report stage of a run: its figures and ``report.html`` / ``report.md`` from its tables.

The pipeline's last stage and the edits of a finished run
(:mod:`analysis.edit`) both end here, so an edited report is drawn by the
same code as the run's own. Needs matplotlib but no model library.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.config import Config
from analysis.report.build import start_figures
from analysis.report.interactive_page import interactive_views
from analysis.report.render import prepare_templates, render_report


def report_node(tables: dict[str, pd.DataFrame], manifest: dict, run_dir: Path, cfg: Config,
                keep=None, processes: int = 1) -> Path:
    """Draw the figures and render report.html / report.md.

    ``keep`` (see :func:`analysis.report.build_figures`) names figures already
    on disk that an edit of a finished run does not need to draw again;
    ``processes`` > 1 draws the figures in forked processes (edits do: no
    model library is loaded there).
    """
    targets = [t.name for t in cfg.stance.targets]
    rcfg = cfg.report
    if not rcfg.figures:
        return render_report(tables, manifest, run_dir, {})["html"]
    drawing = start_figures(tables, run_dir, targets, dpi=rcfg.dpi, html_dpi=rcfg.html_dpi,
                            vector=rcfg.vector_format, keep=keep, processes=processes)
    try:  # while the figures are drawn in other processes
        views = interactive_views(tables) if rcfg.interactive else []
        prepare_templates()
    finally:
        figures = drawing.result()  # never leave the drawing processes behind
    return render_report(tables, manifest, run_dir, figures, views=views)["html"]
