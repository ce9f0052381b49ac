"""The report stage of a run: its figures and ``report.html`` / ``report.md`` from its tables.

The pipeline's last stage and the edits of a finished run
(:mod:`analysis.edit`) both end here, so an edited report is drawn by the
same code as the run's own. Needs matplotlib but no model library.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.config import Config
from analysis.report.build import build_figures
from analysis.report.render import render_report


def report_node(tables: dict[str, pd.DataFrame], manifest: dict, run_dir: Path, cfg: Config,
                keep=None) -> Path:
    """Draw the figures and render report.html / report.md.

    ``keep`` (see :func:`analysis.report.build_figures`) names figures already
    on disk that an edit of a finished run does not need to draw again.
    """
    targets = [t.name for t in cfg.stance.targets]
    rcfg = cfg.report
    figures = build_figures(tables, run_dir, targets, dpi=rcfg.dpi, html_dpi=rcfg.html_dpi,
                            vector=rcfg.vector_format, keep=keep) if rcfg.figures else {}
    return render_report(tables, manifest, run_dir, figures)["html"]
