"""Choosing the modelled units (paragraphs or articles) and fitting the topic model on them."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema
from ..config import TopicsConfig
from ..embed import article_vectors
from .modeler import OUTLIER, TopicModeler
from .tables import article_topic_table, own_paragraph_topics, paragraph_topic_table

#: Fewest units a topic model is fitted on; with fewer, no topic is fitted (see :func:`no_topics`).
MIN_UNITS = 5


@dataclass
class FittedUnits:
    """A fitted model with its units: ids, texts, vectors, and each paragraph's topic."""

    modeler: TopicModeler
    ids: list[str]
    docs: list[str]
    vectors: np.ndarray
    paragraph_topic: pd.Series  # paragraph_id -> topic, for the modelled paragraphs
    groups: list | None = None  # article id of each unit (paragraph unit), where k is chosen


def modelled_units(paragraphs: pd.DataFrame, embeddings: np.ndarray, cfg: TopicsConfig):
    """(ids, texts, vectors) of the units to model.

    Articles: their paragraphs joined, the length-weighted mean vector.
    Paragraphs: those with at least ``cfg.min_words`` words (all if fewer
    than five qualify).
    """
    if cfg.unit == "article":
        ids, vecs = article_vectors(paragraphs, embeddings)
        texts = paragraphs.groupby("article_id", sort=False)["text"].agg("\n\n".join).loc[ids].tolist()
        return list(ids), texts, vecs
    keep = (paragraphs["text"].str.split().str.len() >= cfg.min_words).to_numpy(dtype=bool)
    if keep.sum() < 5:  # a new array: ``to_numpy`` may return a read-only view
        keep = np.ones(len(paragraphs), dtype=bool)
    return (paragraphs["paragraph_id"].to_numpy()[keep].tolist(),
            paragraphs["text"].to_numpy()[keep].tolist(), embeddings[keep])


def fit_units(paragraphs: pd.DataFrame, embeddings: np.ndarray, cfg: TopicsConfig, embedder,
              seed: int, cache_dir: str | None = None) -> FittedUnits:
    """Fit a :class:`TopicModeler` on the configured units of a segmented corpus."""
    ids, docs, vecs = modelled_units(paragraphs, embeddings, cfg)
    groups = unit_articles(paragraphs, ids, cfg)
    modeler = TopicModeler(cfg, embedder, seed, cache_dir).fit(docs, vecs, groups)
    if cfg.unit == "article":
        topic = own_paragraph_topics(paragraphs, embeddings, pd.Series(modeler.topics_, index=ids),
                                     modeler.embeddings_centroids_, cfg.min_words)
    else:
        topic = pd.Series(modeler.topics_, index=ids)
    return FittedUnits(modeler, ids, docs, vecs, topic, groups)


def unit_articles(paragraphs: pd.DataFrame, ids: list[str], cfg: TopicsConfig) -> list | None:
    """The article id of each modelled paragraph (``None`` when articles are the unit), where
    ``n_topics = 'auto'`` chooses k."""
    if cfg.unit == "article":
        return None
    return paragraphs.set_index("paragraph_id")["article_id"].loc[list(ids)].tolist()


def reference_labels(ids: list[str], paragraphs: pd.DataFrame, articles: pd.DataFrame,
                     unit: str) -> list:
    """The first tag of each unit's article (``None`` when it has no tags)."""
    first = articles.set_index("article_id")["tags"].map(lambda t: t[0] if len(t) else None)
    if unit == "article":
        article_of = pd.Series(ids, index=ids)
    else:
        article_of = paragraphs.set_index("paragraph_id")["article_id"].loc[ids]
    return article_of.map(first).tolist()


def unit_labels(units: FittedUnits, paragraphs: pd.DataFrame, articles: pd.DataFrame,
                cfg: TopicsConfig) -> list | None:
    """Each unit's reference label (its article's first tag) when ``labels_from_tags`` is on."""
    if not cfg.labels_from_tags:
        return None
    return reference_labels(units.ids, paragraphs, articles, cfg.unit)


def no_topics(paragraphs: pd.DataFrame, cfg: TopicsConfig, n_units: int):
    """The topic tables of a corpus too small to model: every paragraph an outlier, no topic.

    Returns (topics, paragraph_topics, article_topics, resolved, other topic
    tables), shaped as the fitted stage's; ``resolved["topics_not_fitted"]``
    says why, for the manifest and the report.
    """
    ids = paragraphs["paragraph_id"].tolist()
    paragraph_topics = paragraph_topic_table(paragraphs, pd.Series(OUTLIER, index=ids, dtype="int64"))
    paragraph_topics["probability"] = np.nan
    topics = pd.DataFrame([{"topic": OUTLIER, "name": "Outliers", "keywords": [], "size": n_units,
                            "share": 1.0, "representative": []}], columns=schema.TOPICS)
    reason = (f"too few documents to model topics: {n_units} {cfg.unit}(s), at least {MIN_UNITS} needed; "
              f"the topic tables and topic stability are left empty, every paragraph is an outlier")
    extra = {"topic_quality": pd.DataFrame(columns=schema.TOPIC_QUALITY),
             "topic_evaluation": pd.DataFrame(columns=schema.TOPIC_EVALUATION),
             "topics_over_time": pd.DataFrame(columns=schema.TOPICS_OVER_TIME),
             "topics_by_source": pd.DataFrame(columns=schema.TOPICS_BY_SOURCE),
             "topic_hierarchy": pd.DataFrame(columns=schema.TOPIC_HIERARCHY)}
    return (topics, paragraph_topics, article_topic_table(paragraphs, paragraph_topics),
            {"topics_not_fitted": reason}, extra)
