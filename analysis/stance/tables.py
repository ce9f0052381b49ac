"""Run-level stance tables: scorer from the config, aggregates, evidence.

:func:`scorer_from_config` builds the configured scorer (passing the model
directory to the model-based scorers and the embedding cache to ``stance.learner.v1``);
:func:`stance_tables` turns the scored sentences into every aggregate table
of a run. Aggregation rule (all levels): the confidence-weighted mean of the
sentence scores with a percentile bootstrap interval that resamples articles
(sentences within one article), raw and error-corrected label shares, and the
numbers of sentences and articles (:func:`analysis.stance.aggregate.aggregate_stance`).
"""
from __future__ import annotations

import inspect

import pandas as pd

from analysis.stance.aggregate import (
    aggregate_present, aggregate_stance, mention_rates, select_evidence, with_article_meta,
)
from analysis.stance.modelio import model_digest
from analysis.stance.registry import get_scorer
from analysis.stance.train import build_static_stance_model
from analysis.topics.temporal import resolve_freq


def scorer_from_config(scfg, cache_dir=None):
    """The unfitted scorer named by ``scfg.scorer`` with ``scfg.scorer_params``.

    Scorers that take a ``model`` / ``cache_dir`` parameter get
    ``scfg.model`` / ``cache_dir`` unless ``scorer_params`` sets them, and a
    ``train`` parameter the ``[stance.train]`` settings. For ``model =
    "static"`` the static stance model is built first (once; then cached:
    :func:`analysis.stance.train.build_static_stance_model`), so ``fit``
    only loads it.
    """
    params = dict(scfg.scorer_params)
    scorer = get_scorer(scfg.scorer, **params)
    accepted = inspect.signature(type(scorer).__init__).parameters
    extra = {}
    if "model" in accepted and "model" not in params:
        extra["model"] = scfg.model
    if "cache_dir" in accepted and "cache_dir" not in params and cache_dir is not None:
        extra["cache_dir"] = str(cache_dir)
    if "train" in accepted and "train" not in params:
        extra["train"] = scfg.train.model_dump(mode="json")
    scorer = scorer.set_params(**extra) if extra else scorer
    if str(getattr(scorer, "model", "")) == "static" and "train" in accepted:
        build_static_stance_model(getattr(scorer, "cache_dir", None), params=getattr(scorer, "train", None))
    return scorer


def stance_tables(stance: pd.DataFrame, paragraph_topics: pd.DataFrame, articles: pd.DataFrame,
                  scfg, seed: int, sentences: pd.DataFrame | None = None,
                  confusion: pd.DataFrame | None = None, period: str | None = None,
                  ) -> dict[str, pd.DataFrame]:
    """``stance_by_target / _article / _topic / _source / _time`` and ``evidence`` for a scored run.

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
        "evidence": evidence,
    }


def scorer_info(scorer, scfg) -> dict:
    """What scored the run, for the manifest: name, and for a learned model its identity."""
    info = {"scorer": scfg.scorer}
    model_dir = getattr(scorer, "model_dir_", None)
    if model_dir is not None:
        learned = getattr(scorer, "info_", {})
        info.update({
            "model": scfg.model, "path": str(model_dir), "digest": model_digest(model_dir),
            "embedding_fingerprint": learned.get("embedding", {}).get("fingerprint"),
            "base_model_fingerprint": learned.get("base_model", {}).get("fingerprint"),
            "training_data": learned.get("training", {}).get("data"),
            "training_data_sha256": learned.get("training", {}).get("sha256"),
            "temperature": learned.get("temperature"),
        })
    return info
