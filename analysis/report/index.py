"""``index.html`` of a batch: several runs compared on one self-contained page.

:func:`render_index` takes a :class:`analysis.report.compare.Comparison`
and writes a page with the runs (linked to their reports), the config
settings that differ, topic counts and quality metrics, stance per target
side by side (table and figure), and each run's topics. Like the run
report it is self-contained (inline CSS, the figure as a data URI, a
Content-Security-Policy forbidding requests) and escapes every value.
"""
from __future__ import annotations

import base64
from pathlib import Path

from analysis.report._atomic import atomic_write_text
from analysis.report._format import fmt_ci, fmt_int, fmt_num, fmt_pct, fmt_score, is_na, shorten
from analysis.report.figure_files import png_bytes
from analysis.report.figures_groups import stance_by_run
from analysis.report.render import _environments

#: Topics listed per run on the index page.
MAX_TOPICS = 25


def _metric(name: str, value) -> str:
    if is_na(value):
        return "–"
    if "share" in name:
        return fmt_pct(value, 1)
    if name.startswith(("n_", "size_")):
        return fmt_int(value)
    return fmt_num(value, 3)


def _stance_rows(comparison) -> list[dict]:
    stance = comparison.stance
    out = []
    for target in sorted(stance["target"].unique()) if not stance.empty else []:
        cells = []
        for label in comparison.labels:
            row = stance[(stance["target"] == target) & (stance["run"] == label)]
            if row.empty:
                cells.append("–")
                continue
            r = row.iloc[0]
            cells.append(f"{fmt_score(r['mean_score'])} {fmt_ci(r['ci_low'], r['ci_high'])} "
                         f"n={fmt_int(r['n_sentences'])}")
        out.append({"target": str(target), "cells": cells})
    return out


def _topics(comparison) -> list[dict]:
    out = []
    for label in comparison.labels:
        mine = comparison.topics[comparison.topics["run"] == label]
        mine = mine.assign(_out=mine["topic"].astype(int) == -1).sort_values(
            ["_out", "size"], ascending=[True, False])
        out.append({"run": label, "more": max(len(mine) - MAX_TOPICS, 0), "rows": [
            (str(int(r["topic"])), "Outliers" if int(r["topic"]) == -1 else shorten(r["name"], 80),
             fmt_int(r["size"]), fmt_pct(r["share"], 1), fmt_num(r.get("npmi"), 3))
            for _, r in mine.head(MAX_TOPICS).iterrows()]})
    return out


def _figure(comparison, dpi: int) -> str | None:
    fig = stance_by_run(comparison.stance)
    if fig is None:
        return None
    return "data:image/png;base64," + base64.b64encode(png_bytes(fig, dpi)).decode("ascii")


def index_context(comparison, links: dict[str, str] | None = None, title: str = "Runs compared",
                  dpi: int = 150) -> dict:
    """Plain data for the index template; ``links`` maps run labels to report paths."""
    links = links or {}
    runs = comparison.runs
    return {
        "title": title, "labels": comparison.labels,
        "runs": [{"label": str(r["run"]), "link": links.get(r["run"]), "run_id": str(r["run_id"]),
                  "created": str(r["created"] or "–"), "articles": fmt_int(r["articles"]),
                  "paragraphs": fmt_int(r["paragraphs"]), "topics": fmt_int(r["topics"]),
                  "mentions": fmt_int(r["mentions"]),
                  "cache_hits": fmt_int(r["embedding_cache_hits"]), "seconds": fmt_num(r["seconds"], 1)}
                 for _, r in runs.iterrows()],
        "config": [(str(r["setting"]), [shorten(r[lab], 120) for lab in comparison.labels])
                   for _, r in comparison.config.iterrows()],
        "quality": [(str(r["metric"]), [_metric(str(r["metric"]), r[lab]) for lab in comparison.labels])
                    for _, r in comparison.quality.iterrows()],
        "stance": _stance_rows(comparison), "figure": _figure(comparison, dpi),
        "topics": _topics(comparison),
    }


def render_index(comparison, out_dir: str | Path, links: dict[str, str] | None = None,
                 title: str = "Runs compared") -> Path:
    """Write ``out_dir/index.html`` comparing the runs; returns its path."""
    html_env, _ = _environments()
    page = html_env.get_template("index.html.j2").render(**index_context(comparison, links, title))
    return atomic_write_text(Path(out_dir) / "index.html", page)

