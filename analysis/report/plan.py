"""Which figures a report has: file stem, section, caption, and the note used when one is left out.

:func:`figure_plan` yields one :class:`PlannedFigure` per figure, in report
order. Drawing is deferred (``draw`` is a callable), so a plan can be listed
without matplotlib. Figures whose data a run lacks (no dates, one outlet, no
validation data) return ``None`` from ``draw`` and are left out with
``missing`` as their note; when a whole table is absent, one corpus-level
note replaces the per-target ones.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.report import figures, figures_groups, figures_map, figures_topics, figures_validation
from analysis.report._format import slug
from analysis.report.context_topics import stability_summary

CI_NOTE = ("Dot: confidence-weighted mean sentence score (−1 against, +1 favor); "
           "line: 95% bootstrap percentile interval (articles resampled); n: scored sentences; "
           "faded: small group (fewer articles than stance.min_articles).")


@dataclass
class PlannedFigure:
    """One figure of the report, not yet drawn."""

    stem: str
    section: str
    target: str | None
    draw: Callable[[], Any]
    caption: str
    missing: str


def _has(tables: dict, name: str) -> bool:
    df = tables.get(name)
    return df is not None and not df.empty


def _distinct(tables: dict, name: str, column: str, where: tuple[str, str] | None = None) -> int:
    df = tables.get(name)
    if df is None or df.empty or column not in df.columns:
        return 0
    if where is not None and where[0] in df.columns:
        df = df[df[where[0]] == where[1]]
    return int(df[column].nunique())


def _topic_figs(tables: dict) -> Iterator[PlannedFigure]:
    get = tables.get
    yield PlannedFigure(
        "topic_sizes", "topics", None, lambda: figures.topic_sizes(get("topics")),
        "Paragraphs per topic (share of all paragraphs in brackets). Grey: outliers, "
        "paragraphs the topic model assigned to no topic.",
        "No topics table: topic sizes omitted.")
    yield PlannedFigure(
        "paragraph_map", "topics", None,
        lambda: figures_map.paragraph_map(get("paragraph_map"), get("topics")),
        "Map of the paragraphs: each dot is a paragraph, placed by a seeded two-dimensional "
        "UMAP of its embedding so that similar paragraphs lie close together, coloured by its "
        "topic; names sit at the middle of each topic. Distances between far-apart groups "
        "carry little meaning.",
        "No paragraph map: too few modelled paragraphs (or report.paragraph_map is off).")
    yield PlannedFigure(
        "topic_quality", "topics", None, lambda: figures_topics.topic_quality(get("topic_quality")),
        "Coherence of each topic: NPMI of its top words, computed on the paragraphs of this "
        "corpus (−1: never together, 0: independent, +1: always together); n: paragraphs.",
        "No topic quality table: topic coherence omitted.")
    yield PlannedFigure(
        "topic_hierarchy", "topics", None,
        lambda: figures_topics.topic_hierarchy(get("topic_hierarchy"), get("topics")),
        "How the topics merge: a dendrogram of the topics' keyword profiles (c-TF-IDF); "
        "topics that join at a small distance use similar words.",
        "Fewer than two topics: topic hierarchy omitted.")
    yield _stability_fig(tables)
    periods = _distinct(tables, "topics_over_time", "period")
    yield PlannedFigure(
        "topics_over_time", "topics", None,
        lambda: figures_topics.topics_over_time(get("topics_over_time")) if periods >= 2 else None,
        "Topics over time: share of each period's paragraphs in the largest topics (lines), "
        "and paragraphs per period (bars), by the articles' publication dates.",
        "No dated articles: topics over time omitted." if periods == 0 else
        "All dated articles fall in one period: topics over time omitted.")
    yield PlannedFigure(
        "topics_by_outlet", "topics", None,
        lambda: figures_groups.topic_source_heatmap(get("topics_by_source")),
        "Topics per outlet: each row is an outlet, each cell the share of its paragraphs in a "
        "topic (rows add up to 100%).",
        "Fewer than two outlets (article sources): topics per outlet omitted.")
    if _distinct(tables, "topics_by_source", "group", ("field", "tag")) >= 2:
        yield PlannedFigure(
            "topics_by_tag", "topics", None,
            lambda: figures_topics.topics_by_source(get("topics_by_source"), field="tag"),
            "Topics per tag: share of each tag's paragraphs in the largest topics.",
            "Fewer than two tags: topics per tag omitted.")


def _stability_fig(tables: dict) -> PlannedFigure:
    """Topic stability across seeds; a "not run" note when ``topics.stability_seeds`` is off."""
    seeds, mean_ari = stability_summary(tables)
    ran = bool(seeds)
    ari = f"{mean_ari:.2f}" if ran else "–"
    return PlannedFigure(
        "topic_stability", "topics", None,
        lambda: figures_topics.topic_stability(tables.get("topic_stability")) if ran else None,
        f"Stability of the topics: the model was refitted on the same modelled texts and vectors under "
        f"{len(seeds)} seeds ({', '.join(str(s) for s in seeds)}; the first is this run's). Bar: share of "
        "the other fits in which the topic recurs (a topic sharing at least half of its texts, "
        "Jaccard overlap ≥ 0.5); right: mean best overlap; grey: recurs in fewer than half. "
        f"Mean pairwise adjusted Rand index of the assignments: {ari} (1 = identical).",
        "Topic stability not run (topics.stability_seeds = 0; set it to 2 or more to refit under "
        "several seeds)." if not ran else "No topics to compare across seeds: topic stability omitted.")


def _target_figs(tables: dict, target: str, key: str) -> Iterator[PlannedFigure]:
    get = tables.get
    yield PlannedFigure(
        f"stance_by_topic_{key}", "stance", target,
        lambda: figures.stance_by_topic(get("stance_by_topic"), get("topics"), target),
        f"Stance toward {target} by topic. {CI_NOTE}",
        f"No topic-level stance toward {target}: stance by topic omitted.")
    yield PlannedFigure(
        f"stance_by_article_{key}", "stance", target,
        lambda: figures.stance_by_article(get("stance_by_article"), get("articles"), target),
        f"Stance toward {target} by article (titles shortened). {CI_NOTE}",
        f"No article-level stance toward {target}: stance by article omitted.")
    if _has(tables, "stance_by_time"):
        yield PlannedFigure(
            f"stance_over_time_{key}", "stance", target,
            lambda: figures_groups.stance_over_time(get("stance_by_time"), target),
            f"Stance toward {target} over time: mean per period (line) with its 95% bootstrap "
            "interval, articles resampled (band); gaps: periods without sentences; hollow: small "
            "period; bars: scored sentences per period.",
            f"Sentences toward {target} fall in fewer than two dated periods: stance over time omitted.")
    if _distinct(tables, "stance_by_source", "source") >= 2:
        yield PlannedFigure(
            f"stance_by_outlet_{key}", "stance", target,
            lambda: figures_groups.stance_by_source(get("stance_by_source"), target),
            f"Stance toward {target} by outlet. {CI_NOTE}",
            f"Fewer than two outlets with sentences toward {target}: stance by outlet omitted.")


def _stance_figs(tables: dict, targets: Sequence[str]) -> Iterator[PlannedFigure]:
    yield PlannedFigure(
        "stance_distribution", "stance", None,
        lambda: figures.stance_distribution(tables.get("stance"), tables.get("stance_by_target")),
        "Share of scored sentences labelled against, neutral and favor, per target (n: scored "
        "sentences). Raw: shares of the predicted labels; corrected (when the scorer has a "
        "validation confusion matrix): shares corrected for classifier error.",
        "No scored sentences: stance label shares omitted.")
    if not _has(tables, "stance_by_time"):
        yield PlannedFigure("stance_over_time", "stance", None, lambda: None, "",
                            "No scored sentence comes from a dated article: stance over time omitted.")
    if _distinct(tables, "stance_by_source", "source") < 2:
        yield PlannedFigure("stance_by_outlet", "stance", None, lambda: None, "",
                            "Scored sentences come from fewer than two outlets: stance by outlet omitted.")
    keys: set[str] = set()
    for target in targets:
        key = slug(target)
        while key in keys:  # two targets with the same slug still get two files
            key += "_"
        keys.add(key)
        yield from _target_figs(tables, target, key)


#: Short names of the validation figures, for the note when one is left out.
VALIDATION_NAMES = {"stance_confusion": "confusion matrix", "stance_reliability": "reliability diagram",
                    "stance_validation_f1": "F1 per class"}


def _validation_figs(tables: dict) -> Iterator[PlannedFigure]:
    """The scorer's validation figures; none when no validation table exists (the section says so)."""
    plan = figures_validation.VALIDATION_FIGURES
    if not any(_has(tables, name) for _, _, name, _ in plan):
        return
    for stem, draw, name, caption in plan:
        yield PlannedFigure(stem, "validation", None, lambda d=draw, n=name: d(tables.get(n)),
                            caption, f"No {name} table: {VALIDATION_NAMES.get(stem, stem)} omitted.")


def figure_plan(tables: dict[str, pd.DataFrame], targets: Sequence[str]) -> Iterator[PlannedFigure]:
    """Every figure of the report in order: topics, stance (corpus, then per target), validation."""
    yield from _topic_figs(tables)
    yield from _stance_figs(tables, targets)
    yield from _validation_figs(tables)
