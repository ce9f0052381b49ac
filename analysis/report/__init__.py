"""Figures and the HTML/Markdown report of a run.

Public API (``import analysis.report`` does not load matplotlib; each figure
function imports it when it draws):

* :func:`build_figures` (``build``): draw and save every figure of a run.
* :func:`render_report` (``render``): write ``report.html`` and ``report.md``.
* Figure functions, each from result tables to a ``Figure`` (or ``None``
  without data): :func:`topic_sizes`, :func:`stance_by_topic`,
  :func:`stance_by_article`, :func:`stance_distribution` (``figures``),
  :func:`paragraph_map` (``figures_map``), :func:`stance_over_time`,
  :func:`stance_by_source`, :func:`topic_source_heatmap`,
  :func:`stance_by_run` (``figures_groups``); topic and validation figures
  live in ``figures_topics`` and ``figures_validation``.
* :func:`save_figure` (PNG + PDF/SVG), :func:`png_bytes`.
* :func:`load_run`, :func:`compare_runs` (``compare``) and
  :func:`render_index` (``index``): reload finished runs and compare them.
"""
from __future__ import annotations

from analysis.report.build import build_figures
from analysis.report.compare import compare_runs, load_run
from analysis.report.figures import (png_bytes, save_figure, stance_by_article, stance_by_topic,
                                     stance_distribution, topic_sizes)
from analysis.report.figures_groups import (stance_by_run, stance_by_source, stance_over_time,
                                            topic_source_heatmap)
from analysis.report.figures_map import paragraph_map
from analysis.report.index import render_index
from analysis.report.render import render_report

__all__ = [
    "build_figures", "compare_runs", "load_run", "paragraph_map", "png_bytes", "render_index",
    "render_report", "save_figure", "stance_by_article", "stance_by_run", "stance_by_source",
    "stance_by_topic", "stance_distribution", "stance_over_time", "topic_sizes",
    "topic_source_heatmap",
]
