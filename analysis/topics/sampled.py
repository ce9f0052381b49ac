"""Topic fitting for large corpora: fit on a seeded sample, assign the rest with ``transform``.

With ``topics.fit_sample = None`` (the default) this is exactly the topic
stage's own :func:`analysis.topics.fit_units`. With a sample size smaller
than the corpus, the model is fitted on a seeded sample, the other units are
assigned in fixed chunks of ``topics.transform_chunk`` through the engine,
and ``topics.check_sample`` fitted units are assigned again by ``transform``
to measure how well ``transform`` agrees with the fit.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import TopicsConfig
from ..engine.partition import chunk_bounds
from .modeler import TopicModeler
from .persist import stale_outlier_row
from .stage import FittedUnits, fit_units, modelled_units, unit_articles
from .tables import own_paragraph_topics


@dataclass
class TopicUnits:
    """The units of the whole corpus and the (possibly sampled) units the model was fitted on."""

    all: FittedUnits     # every unit
    fitted: FittedUnits  # the fitted units (== all without sampling)
    unit_topics: np.ndarray  # topic of every unit, aligned with all.ids
    info: dict = field(default_factory=dict)


def fit_topic_units(paragraphs: pd.DataFrame, embeddings: np.ndarray, cfg: TopicsConfig, embedder,
                    seed: int, cache_dir, engine) -> TopicUnits:
    """Fit the topic model (on a sample when ``cfg.fit_sample`` is smaller than the corpus)."""
    ids, docs, vecs = modelled_units(paragraphs, embeddings, cfg)
    n = len(ids)
    if not cfg.fit_sample or n <= cfg.fit_sample:
        units = fit_units(paragraphs, embeddings, cfg, embedder, seed, cache_dir)
        return TopicUnits(units, units, np.asarray(units.modeler.topics_))
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, size=cfg.fit_sample, replace=False))
    rest = np.setdiff1d(np.arange(n), sample)
    pick = (lambda idx: [docs[i] for i in idx])
    groups = unit_articles(paragraphs, pick_list(ids, sample), cfg)
    modeler = TopicModeler(cfg, embedder, seed, cache_dir).fit(pick(sample), vecs[sample], groups)
    if cfg.assign == "transform":
        modeler.transform(pick(sample[:1]), vecs[sample[:1]])  # prepares the UMAP mapping once, before shipping
    topics = np.empty(n, dtype=np.int64)
    topics[sample] = modeler.topics_
    topics[rest] = assign(engine, modeler, pick(rest), vecs[rest], cfg.transform_chunk)
    check = np.sort(rng.choice(len(sample), size=min(cfg.check_sample, len(sample)), replace=False))
    again = assign(engine, modeler, pick(sample[check]), vecs[sample[check]], cfg.transform_chunk)
    agreement = float(np.mean(again == np.asarray(modeler.topics_)[check])) if len(check) else None
    info = {"fit_sample": int(len(sample)), "assigned_by_transform": int(len(rest)),
            "check_sample": int(len(check)), "check_agreement": agreement}
    fitted_ids = pick_list(ids, sample)
    every_topic = _paragraph_topic(paragraphs, embeddings, list(ids), topics, modeler)
    fitted = FittedUnits(modeler, fitted_ids, pick(sample), vecs[sample],
                         _fitted_part(every_topic, paragraphs, fitted_ids, cfg), groups)
    everything = FittedUnits(modeler, list(ids), list(docs), vecs, every_topic)
    return TopicUnits(everything, fitted, topics, info)


def assign(engine, modeler, docs: list[str], vectors: np.ndarray, chunk: int) -> np.ndarray:
    """Topics of ``docs`` by ``transform``, in fixed chunks of ``chunk`` run by ``engine``."""
    if not docs:
        return np.zeros(0, dtype=np.int64)
    parts = [(docs[a:b], vectors[a:b]) for a, b in chunk_bounds(len(docs), chunk)]
    return np.concatenate(engine.map_shared(assign_topics_chunk, modeler, parts))


def assign_topics_chunk(modeler, docs: list[str], vectors: np.ndarray) -> np.ndarray:
    """Assign a chunk of documents to a fitted :class:`TopicModeler`'s topics (an engine task).

    Outliers are reassigned the way fitting does it (same strategy and
    threshold) when ``reduce_outliers`` is on; every step is per document, so
    the result does not depend on what else is in the chunk except through
    UMAP's seeded transform, which is why chunks are fixed by the data.
    """
    cfg = modeler.config or TopicsConfig()
    if cfg.assign == "nearest":
        return nearest_topic(modeler.model_, np.full(len(docs), -1), vectors, cfg.outlier_threshold)
    topics = np.asarray(modeler.transform(list(docs), vectors))
    fitted_any = (np.asarray(modeler.topics_) != -1).any()
    if not (cfg.reduce_outliers and (topics == -1).any() and fitted_any):
        return topics.astype(np.int64)
    model = modeler.model_
    if -1 in model.get_topics():
        logging.getLogger("BERTopic").setLevel(logging.ERROR)
        return np.asarray(model.reduce_outliers(
            list(docs), list(topics), strategy=cfg.outlier_strategy,
            threshold=cfg.outlier_threshold, embeddings=vectors)).astype(np.int64)
    return nearest_topic(model, topics, vectors, cfg.outlier_threshold)


def nearest_topic(model, topics: np.ndarray, vectors: np.ndarray, threshold: float) -> np.ndarray:
    """Give outliers (-1) the topic whose embedding is most similar, if at least ``threshold``.

    The rule of BERTopic's ``embeddings`` outlier strategy. Used for
    ``topics.assign = "nearest"`` (every document starts as -1) and when the
    fitted model kept no outlier topic, where ``reduce_outliers`` refuses to run.
    """
    from sklearn.metrics.pairwise import cosine_similarity

    rows = np.asarray(model.topic_embeddings_)
    ids = sorted(model.get_topics())
    if stale_outlier_row(model):
        ids = [-1, *ids]
    ids = np.asarray(ids)
    out = topics.astype(np.int64).copy()
    mask = out == -1
    sims = cosine_similarity(vectors[mask], rows[:len(ids)])
    sims[:, ids == -1] = -np.inf  # never the outlier topic itself
    best = sims.argmax(axis=1)
    out[mask] = np.where(sims[np.arange(len(best)), best] >= threshold, ids[best], -1)
    return out


def pick_list(values, idx) -> list:
    return [values[i] for i in idx]


def _paragraph_topic(paragraphs: pd.DataFrame, embeddings: np.ndarray, ids: list[str], topics,
                     modeler: TopicModeler) -> pd.Series:
    cfg = modeler.config or TopicsConfig()
    if cfg.unit == "article":
        keep = paragraphs["article_id"].isin(ids).to_numpy()
        return own_paragraph_topics(paragraphs[keep], embeddings[keep], pd.Series(np.asarray(topics), index=ids),
                                    modeler.embeddings_centroids_, cfg.min_words)
    return pd.Series(np.asarray(topics), index=ids)


def _fitted_part(every_topic: pd.Series, paragraphs: pd.DataFrame, fitted_ids: list[str],
                 cfg: TopicsConfig) -> pd.Series:
    """The paragraph topics of the fitted units, taken from those of every unit (the rule is per unit)."""
    if cfg.unit == "article":
        fitted_paragraphs = paragraphs.loc[paragraphs["article_id"].isin(fitted_ids), "paragraph_id"]
        return every_topic[every_topic.index.isin(fitted_paragraphs)]
    return every_topic.loc[fitted_ids]


def topic_table(units: TopicUnits) -> pd.DataFrame:
    """schema.TOPICS for the run: names, keywords and representatives from the fitted units,
    sizes and shares over every unit."""
    modeler = units.fitted.modeler
    table = modeler.topic_table(units.fitted.ids, units.fitted.vectors)
    if units.fitted is units.all:
        return table
    counts = pd.Series(units.unit_topics).value_counts()
    missing = sorted(set(counts.index) - set(table["topic"]))
    extra = pd.DataFrame([{"topic": int(t), "name": modeler.names_.get(int(t), "Outliers"),
                           "keywords": modeler.keywords(t), "size": 0, "share": 0.0,
                           "representative": []} for t in missing], columns=table.columns)
    table = pd.concat([table, extra], ignore_index=True) if missing else table
    table["size"] = table["topic"].map(counts).fillna(0).astype("int64")
    table["share"] = table["size"] / len(units.unit_topics)
    return table.sort_values("topic", kind="stable").reset_index(drop=True)
