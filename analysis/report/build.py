"""Draw and save every report figure for a run.

:func:`build_figures` is the one place that knows which figures a report
has, what their files are called and how they are captioned. Its result is
the ``figures`` mapping :func:`analysis.report.render.render_report` takes.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from analysis.report import figures as fig_fns
from analysis.report._format import slug
from analysis.report._tables import targets_in

#: Sub-directory of the report directory that holds the figure files.
FIGURES_DIR = "figures"

_CI_NOTE = ("Dot: confidence-weighted mean sentence score (−1 against, +1 favor); "
            "line: 95% bootstrap percentile interval; n: scored sentences.")


def _plan(tables: dict[str, pd.DataFrame], targets: Sequence[str]) -> Iterable[tuple]:
    """(stem, section, target, draw, caption, note-if-missing) for each figure."""
    get = tables.get
    yield ("topic_sizes", "topics", None, lambda: fig_fns.topic_sizes(get("topics")),
           "Paragraphs per topic (share of all paragraphs in brackets). Grey: outliers, "
           "paragraphs the topic model assigned to no topic.",
           "No topics table: topic sizes omitted.")
    yield ("stance_distribution", "stance", None,
           lambda: fig_fns.stance_distribution(get("stance")),
           "Share of scored sentences labelled against, neutral and favor, per target "
           "(n: scored sentences).",
           "No scored sentences: stance label shares omitted.")
    keys: set[str] = set()
    for target in targets:
        key = slug(target)
        while key in keys:  # two targets with the same slug still get two files
            key += "_"
        keys.add(key)
        yield (f"stance_by_topic_{key}", "stance", target,
               lambda t=target: fig_fns.stance_by_topic(get("stance_by_topic"), get("topics"), t),
               f"Stance toward {target} by topic. {_CI_NOTE}",
               f"No topic-level stance toward {target}: stance by topic omitted.")
        yield (f"stance_by_article_{key}", "stance", target,
               lambda t=target: fig_fns.stance_by_article(
                   get("stance_by_article"), get("articles"), t),
               f"Stance toward {target} by article (titles shortened). {_CI_NOTE}",
               f"No article-level stance toward {target}: stance by article omitted.")


def build_figures(
    tables: dict[str, pd.DataFrame],
    out_dir: Path | str,
    targets: Sequence[str] | None = None,
) -> dict[str, dict]:
    """Draw every figure, save it under ``out_dir/figures/`` and describe it.

    Returns ``{stem: entry}`` in report order. A drawn figure's entry has
    ``png``, ``pdf`` (paths), ``caption``, ``section`` ("topics" or
    "stance") and ``target`` (``None`` for corpus-wide figures). A figure
    with no data is not drawn: its entry has ``caption``, ``section``,
    ``target`` and a ``note`` saying why it was left out, and no paths.
    ``targets`` defaults to those found in the stance tables.
    """
    if targets is None:
        targets = targets_in(tables)
    fig_dir = Path(out_dir) / FIGURES_DIR
    result: dict[str, dict] = {}
    for stem, section, target, draw, caption, missing in _plan(tables, list(targets)):
        entry = {"caption": caption, "section": section, "target": target}
        fig = draw()
        if fig is None:
            entry["note"] = missing
        else:
            entry.update(fig_fns.save_figure(fig, fig_dir, stem))
        result[stem] = entry
    return result


def omitted(figures: dict[str, dict]) -> list[str]:
    """The notes of figures that were left out for lack of data."""
    return [entry["note"] for entry in figures.values() if "png" not in entry and "note" in entry]

