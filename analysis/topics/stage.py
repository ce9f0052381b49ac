"""Choosing the modelled units (paragraphs or articles) and fitting the topic model on them."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import TopicsConfig
from .modeler import TopicModeler


@dataclass
class FittedUnits:
    """A fitted model with its units: ids, texts, vectors, and each paragraph's topic."""

    modeler: TopicModeler
    ids: list[str]
    docs: list[str]
    vectors: np.ndarray
    paragraph_topic: pd.Series  # paragraph_id -> topic, for the modelled paragraphs


def modelled_units(paragraphs: pd.DataFrame, embeddings: np.ndarray, cfg: TopicsConfig):
    """(ids, texts, vectors) of the units to model.

    Articles: their paragraphs joined, the length-weighted mean vector.
    Paragraphs: those with at least ``cfg.min_words`` words (all if fewer
    than five qualify).
    """
    from ..embed import article_vectors

    if cfg.unit == "article":
        ids, vecs = article_vectors(paragraphs, embeddings)
        texts = paragraphs.groupby("article_id", sort=False)["text"].agg("\n\n".join).loc[ids].tolist()
        return list(ids), texts, vecs
    keep = (paragraphs["text"].str.split().str.len() >= cfg.min_words).to_numpy()
    if keep.sum() < 5:
        keep[:] = True
    return (paragraphs["paragraph_id"].to_numpy()[keep].tolist(),
            paragraphs["text"].to_numpy()[keep].tolist(), embeddings[keep])


def fit_units(paragraphs: pd.DataFrame, embeddings: np.ndarray, cfg: TopicsConfig, embedder,
              seed: int, cache_dir: str | None = None) -> FittedUnits:
    """Fit a :class:`TopicModeler` on the configured units of a segmented corpus."""
    ids, docs, vecs = modelled_units(paragraphs, embeddings, cfg)
    modeler = TopicModeler(cfg, embedder, seed, cache_dir).fit(docs, vecs)
    if cfg.unit == "article":
        per_article = pd.Series(modeler.topics_, index=ids)
        topic = pd.Series(paragraphs["article_id"].map(per_article).to_numpy(),
                          index=paragraphs["paragraph_id"].to_numpy())
    else:
        topic = pd.Series(modeler.topics_, index=ids)
    return FittedUnits(modeler, ids, docs, vecs, topic)


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
