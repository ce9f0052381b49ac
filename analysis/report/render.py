"""Render ``report.html`` and ``report.md`` from the result tables.

Two Jinja2 environments share one context (see :mod:`analysis.report.context`):

* HTML: ``autoescape=True``, so every corpus text, label and config string
  is escaped. The page is self-contained: inline CSS, figures as
  ``data:image/png`` URIs, and a Content-Security-Policy that forbids any
  external request. With ``report.interactive`` on, interactive plotly views
  sit beside the static figures: plotly.js is inlined once and the CSP
  allows only that script and one start script, by hash (see
  :mod:`analysis.report.interactive_page`); otherwise the page has no script.
* Markdown: no HTML autoescaping, but every printed value passes through
  :func:`md_text` (``finalize``), which neutralises ``<``, ``>`` and ``&``
  and Markdown link/table syntax, so raw HTML in an article cannot inject
  into a Markdown renderer. Figures are linked as relative paths.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import pandas as pd
from markupsafe import Markup

from analysis.manifest import config_of
from analysis.report._atomic import atomic_write_text
from analysis.report.context import build_context
from analysis.report.interactive_page import interactive_views, place_views

TEMPLATES = Path(__file__).parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*\[\]|#])")


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_text(value: Any) -> str:
    """Inline Markdown-safe text: one line, HTML and Markdown syntax neutralised.

    ``<``/``>``/``&`` become entities (no raw HTML reaches the renderer) and
    backslash, backtick, ``*``, brackets, ``|`` and ``#`` are
    backslash-escaped (no links, images, emphasis or broken table cells).
    Values already marked safe (:class:`markupsafe.Markup`) pass unchanged.
    """
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    flat = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", _html_escape(flat))


def md_code(value: Any) -> Markup:
    """Text for a fenced code block: line breaks kept, only ``<``, ``>``, ``&`` escaped."""
    return Markup(_html_escape(str(value)))


def md_url(value: Any) -> Markup:
    """A relative path as a Markdown link destination (percent-encoded)."""
    return Markup(quote(str(value), safe="/._-"))


def prepare_templates() -> tuple[jinja2.Template, jinja2.Template]:
    """The compiled templates of report.html and report.md (compiled once per process)."""
    html_env, md_env = _environments()
    return html_env.get_template("report.html.j2"), md_env.get_template("report.md.j2")


@cache
def _environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    loader = jinja2.FileSystemLoader(TEMPLATES)
    common = {"loader": loader, "undefined": jinja2.StrictUndefined,
              "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}
    html = jinja2.Environment(autoescape=True, **common)
    md = jinja2.Environment(autoescape=False, finalize=md_text, **common)
    md.filters.update(md_code=md_code, md_url=md_url)
    return html, md


def render_report(
    tables: dict[str, pd.DataFrame],
    manifest: dict,
    out_dir: Path,
    figures: dict[str, dict] | None = None,
    *,
    interactive: bool | None = None,
    views: list[dict] | None = None,
) -> dict[str, Path]:
    """Write ``report.html`` and ``report.md`` into ``out_dir``; return their paths.

    ``tables`` holds the result tables (any may be missing or empty),
    ``manifest`` the run manifest, and ``figures`` the mapping from
    :func:`analysis.report.build.build_figures` (stem -> ``png``, ``pdf``,
    ``caption``; entries without ``png`` are listed with their ``note``).
    ``interactive`` adds the interactive views to ``report.html``; by default
    it follows the run's ``report.interactive`` and ``report.figures``;
    ``views`` gives them already built (see
    :func:`analysis.report.interactive_page.interactive_views`). Both files
    are written atomically.
    """
    out = Path(out_dir)
    context = build_context(tables, manifest, out, figures)
    if interactive is None:
        settings = config_of(manifest, strict=False).report
        interactive = settings.interactive and settings.figures
    if not interactive:
        views = []
    place_views(context, interactive_views(tables) if views is None else views)
    html_template, md_template = prepare_templates()
    html = html_template.render(**context)
    md = md_template.render(**context)
    return {
        "html": atomic_write_text(out / "report.html", html),
        "md": atomic_write_text(out / "report.md", md),
    }
