"""Run-level stance tables: aggregates and evidence.

:func:`stance_tables` turns the scored sentences into every aggregate table
of a run. Aggregation rule (all levels): the confidence-weighted mean of the
sentence scores with a percentile bootstrap interval that resamples articles
(sentences within one article), raw and error-corrected label shares, and the
numbers of sentences and articles (:func:`analysis.stance.aggregate.aggregate_stance`).
:func:`run_period` is the period code of ``stance_by_time``. The scorer a run
uses is built in :mod:`analysis.stance.from_config`; this module needs no model
library, so an edit of a finished run recomputes its tables without loading one.
"""
from __future__ import annotations

import pandas as pd

from analysis.stance.aggregate import (
    aggregate_present, aggregate_stance, mention_rates, select_evidence, with_article_meta,
)
from analysis.stance.contrast import stance_contrasts
from analysis.topics.temporal import resolve_freq


def stance_tables(stance: pd.DataFrame, paragraph_topics: pd.DataFrame, articles: pd.DataFrame,
                  scfg, seed: int, sentences: pd.DataFrame | None = None,
                  confusion: pd.DataFrame | None = None, period: str | None = None,
                  ) -> dict[str, pd.DataFrame]:
    """``stance_by_target / _article / _topic / _source / _time``, ``stance_contrasts`` and ``evidence``.

    ``stance_by_target`` covers the whole corpus per target. ``stance_by_source``
    and ``stance_by_time`` cover the sentences whose article has a source / a
    published date (empty tables otherwise); ``stance_by_source`` also gives
    mentions per 1,000 of the outlet's ``sentences``. ``confusion`` (the run
    table ``stance_confusion``) corrects the label shares for the scorer's
    errors at every level above the article; without it, and in
    ``stance_by_article``, the corrected columns are NaN. Groups with fewer than
    ``scfg.min_articles`` units are flagged ``small_group``. Evidence: the
    ``scfg.n_evidence`` most confident favor and against sentences per
    article x target and per topic x target. ``period`` (a code such as
    ``"M"``) is the resolved period of ``stance_by_time``; by default
    ``scfg.time_window``, resolved over the articles' dates when ``"auto"``.
    ``stance_contrasts`` compares the outlets pairwise (the ten with the most
    articles; :func:`analysis.stance.contrast.stance_contrasts`).
    """
    period = period or resolve_freq(articles["published"], scfg.time_window)
    boot = {"n_boot": scfg.n_bootstrap, "ci": scfg.ci, "seed": seed,
            "min_articles": scfg.min_articles, "confusion": confusion}
    with_topic = stance.merge(paragraph_topics[["paragraph_id", "topic"]], on="paragraph_id",
                              how="left")
    with_meta = with_article_meta(stance, articles, period)
    evidence = pd.concat([
        select_evidence(stance, level="article", key_col="article_id", n=scfg.n_evidence),
        select_evidence(with_topic, level="topic", key_col="topic", n=scfg.n_evidence),
    ], ignore_index=True)
    by_source = aggregate_present(with_meta, "source", **boot)
    return {
        "stance_by_target": aggregate_stance(stance, by=[], **boot),
        # corrected shares of one article rest on a handful of sentences: left out (NaN)
        "stance_by_article": aggregate_stance(stance, by=["article_id"], **{**boot, "confusion": None}),
        "stance_by_topic": aggregate_stance(with_topic, by=["topic"], **boot),
        "stance_by_source": mention_rates(by_source, sentences, articles),
        "stance_by_time": aggregate_present(with_meta, "period", **boot),
        "stance_contrasts": stance_contrasts(with_meta, "source", n_boot=scfg.n_bootstrap, ci=scfg.ci,
                                             seed=seed, min_articles=scfg.min_articles),
        "evidence": evidence,
    }


def run_period(cfg, articles: pd.DataFrame) -> str:
    """The period code of stance over time: ``stance.time_window``, or with ``auto`` that of topics over time."""
    setting = cfg.stance.time_window
    return resolve_freq(articles["published"], cfg.topics.time_freq if setting == "auto" else setting)
