"""Figures and the HTML/Markdown report of a run.

Public API (imported lazily, so ``import analysis.report`` loads neither
matplotlib nor jinja2):

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

import importlib
from typing import Any

_EXPORTS = {
    "build_figures": "build",
    "render_report": "render",
    "topic_sizes": "figures",
    "stance_by_topic": "figures",
    "stance_by_article": "figures",
    "stance_distribution": "figures",
    "save_figure": "figures",
    "png_bytes": "figures",
    "paragraph_map": "figures_map",
    "stance_over_time": "figures_groups",
    "stance_by_source": "figures_groups",
    "topic_source_heatmap": "figures_groups",
    "stance_by_run": "figures_groups",
    "load_run": "compare",
    "compare_runs": "compare",
    "render_index": "index",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
