"""The interactive views inside ``report.html``: plotly.js inlined once, figures as JSON data.

The page stays one self-contained file that works offline:

* plotly.js (the installed plotly package's ``plotly.min.js``) is inlined once, in
  one ``<script>``, followed by one small start script (:data:`BOOT_SCRIPT`)
  that draws every ``div.plotly-view`` from its JSON data block;
* each figure's JSON sits in a ``<script type="application/json">`` block,
  which the browser never runs; every ``<``, ``>`` and ``&`` in it is written
  as a ``\\u`` escape, so no text from the data can close the block;
* the page's Content-Security-Policy allows exactly these two scripts by
  their sha256 hashes (no ``'unsafe-inline'``, no ``'unsafe-eval'``), so not
  even an escaping mistake could run a script from the data.

:func:`interactive_views` builds the views from the result tables,
:func:`page_scripts` the two scripts and their CSP sources, and
:func:`place_views` puts the views into the report context: each beside its
static figure, the rest after the topic figures.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from analysis.report import interactive

#: plotly's options for every view: no logo, resizes with the page.
PLOT_CONFIG = {"responsive": True, "displaylogo": False, "scrollZoom": False}
#: Draws every view from its data block; redraws a view at full width when its block is opened.
BOOT_SCRIPT = """(function () {
  "use strict";
  function draw(div) {
    var spec = JSON.parse(document.getElementById(div.getAttribute("data-spec")).textContent);
    Plotly.newPlot(div, spec.data, spec.layout, spec.config);
  }
  document.querySelectorAll("div.plotly-view").forEach(draw);
  document.querySelectorAll("details.interactive").forEach(function (block) {
    block.addEventListener("toggle", function () {
      if (block.open) { block.querySelectorAll("div.plotly-view").forEach(Plotly.Plots.resize); }
    });
  });
})();"""
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                 ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value: Any) -> str:
    """JSON text safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left.

    ``value`` is plain JSON data (NumPy values are written as numbers and
    lists; a missing or infinite number is an error, not invalid JSON). The
    escapes are JSON string escapes, so ``JSON.parse`` gives back the
    original text.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_plain)
    for raw, escaped in _JSON_ESCAPES:
        text = text.replace(raw, escaped)
    return text


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def _view(key: str, after: str | None, title: str, caption: str, spec: dict) -> dict:
    layout = dict(spec["layout"])
    if isinstance(layout.get("template"), str):
        layout["template"] = plotly_template(layout["template"])
    full = {"data": spec["data"], "layout": layout, "config": PLOT_CONFIG}
    return {"id": f"iv-{key}", "after": after, "title": title, "caption": caption,
            "json": Markup(script_json(full))}


def _planned(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str | None, str, str, Callable]]:
    """(key, static figure it goes with, title, caption, draw) of every interactive view."""
    get = tables.get
    return [
        ("paragraph_map", "paragraph_map", "map of paragraphs", interactive.MAP_CAPTION,
         lambda: interactive.document_map_spec(get("paragraph_map"), get("topics"), get("paragraphs"),
                                               get("articles"))),
        ("topic_words", None, "keywords per topic", interactive.WORDS_CAPTION,
         lambda: interactive.topic_word_bars_spec(get("topics"), get("paragraph_map"))),
    ]


def interactive_views(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """The interactive views the tables allow, each with its escaped JSON spec.

    A view without data is left out; one whose drawing fails is left out
    with a warning (the static figures still carry the report).
    """
    views = []
    for key, after, title, caption, draw in _planned(tables):
        try:
            fig = draw()
        except Exception as err:  # one broken view must not cost the whole report
            warnings.warn(f"interactive view {key} could not be drawn: {err}", RuntimeWarning,
                          stacklevel=2)
            continue
        if fig is not None:
            views.append(_view(key, after, title, caption, fig))
    return views


def _plotly_data(*parts: str) -> Path:
    """A file of the installed plotly package's ``package_data`` (found without importing plotly)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("plotly is not installed; the interactive views need its plotly.js")
    return Path(next(iter(spec.submodule_search_locations)), "package_data", *parts)


@cache
def plotly_template(name: str) -> dict:
    """A plotly layout template (e.g. ``simple_white``) as plotly.js data, from the installed plotly."""
    return json.loads(_plotly_data("templates", f"{name}.json").read_text(encoding="utf-8"))


@cache
def plotly_bundle() -> str:
    """plotly.js, minified, as shipped with the installed plotly package (no network)."""
    js = _plotly_data("plotly.min.js").read_text(encoding="utf-8")
    if "</script" in js.lower():  # would end the inline script early
        raise ValueError("the plotly.js bundle contains '</script' and cannot be inlined")
    return js


def _csp_source(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def page_scripts() -> dict:
    """The two scripts of the page (plotly.js, then the start script) and their CSP sources."""
    bundle = plotly_bundle()
    return {"plotly_js": Markup(bundle), "boot": Markup(BOOT_SCRIPT),
            "csp": Markup(f"{_csp_source(bundle)} {_csp_source(BOOT_SCRIPT)}")}


def place_views(ctx: dict, views: list[dict]) -> None:
    """Put the views into the report context.

    A view goes beside its static figure when the topics section shows it;
    the others are listed in ``ctx["topics_interactive"]``. ``ctx["interactive"]``
    holds the page scripts, or ``None`` when there is no view (no script at all).
    """
    by_stem = {item["stem"]: item for item in ctx["topics_figures"] if item.get("data_uri")}
    ctx["topics_interactive"] = []
    for view in views:
        if view["after"] in by_stem:
            by_stem[view["after"]]["interactive"] = view
        else:
            ctx["topics_interactive"].append(view)
    ctx["interactive"] = page_scripts() if views else None
