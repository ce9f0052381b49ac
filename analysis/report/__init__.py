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
  :func:`stance_by_run` (``figures_groups``); :func:`topic_quality`,
  :func:`topic_stability`, :func:`topics_over_time`, :func:`topics_by_source`
  (``figures_topics``); :func:`confusion_matrix`, :func:`reliability_diagram`
  (``figures_validation``).
* :func:`save_figure` (PNG + PDF/SVG), :func:`png_bytes`.
* Interactive views, from result tables to a plotly ``Figure`` (plotly is
  imported when one is made): :func:`document_map`, :func:`topic_word_bars`
  (``interactive``); ``interactive_page`` puts them into ``report.html``.
* :func:`load_run`, :func:`compare_runs` (``compare``) and
  :func:`render_index` (``index``): reload finished runs and compare them.
"""
from __future__ import annotations

from analysis.report.build import build_figures
from analysis.report.compare import compare_runs, load_run
from analysis.report.figure_files import png_bytes, save_figure
from analysis.report.figures import stance_by_article, stance_by_topic, stance_distribution, topic_sizes
from analysis.report.figures_groups import (stance_by_run, stance_by_source, stance_over_time,
                                            topic_source_heatmap)
from analysis.report.figures_map import paragraph_map
from analysis.report.figures_topics import (topic_quality, topic_stability, topics_by_source,
                                             topics_over_time)
from analysis.report.figures_validation import confusion_matrix, reliability_diagram
from analysis.report.index import render_index
from analysis.report.interactive import document_map, topic_word_bars
from analysis.report.render import render_report

__all__ = [
    "build_figures", "compare_runs", "confusion_matrix", "document_map", "load_run", "paragraph_map",
    "png_bytes",
    "reliability_diagram", "render_index", "render_report", "save_figure", "stance_by_article",
    "stance_by_run", "stance_by_source", "stance_by_topic", "stance_distribution", "stance_over_time",
    "topic_quality", "topic_sizes", "topic_source_heatmap", "topic_stability", "topics_by_source",
    "topics_over_time", "topic_word_bars",
]
