"""Figures and the HTML/Markdown report of a run.

Public API (imported lazily, so ``import analysis.report`` loads neither
matplotlib nor jinja2):

* :func:`build_figures` (``build``): draw and save every figure of a run.
* :func:`render_report` (``render``): write ``report.html`` and ``report.md``.
* Figure functions (``figures``): :func:`topic_sizes`, :func:`stance_by_topic`,
  :func:`stance_by_article`, :func:`stance_distribution`, :func:`save_figure`.
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
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
