"""The topic stage: documents and their vectors in, topic assignments and labels out."""
from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from ..config import TopicsConfig
from .build import build_bertopic, representation_models, resolved_parts, vectorizer

OUTLIER = -1


class TopicModeler:
    """BERTopic with seeded parts, stop-word-free labels and outlier reduction.

    Parameters
    ----------
    config : the ``topics`` section of the run config.
    embedder : a fitted :class:`analysis.embed.Embedder` (used by the
        representation models for words; its cache serves repeated texts).
    random_state : seed for UMAP and the representation models.

    Fitted attributes: ``model_`` (the BERTopic object), ``topics_`` (one id
    per document), ``params_`` (the resolved sizes), ``outlier_share_before_``
    and ``outlier_share_after_``.
    """

    def __init__(self, config: TopicsConfig | None = None, embedder=None, random_state: int = 42):
        self.config = config
        self.embedder = embedder
        self.random_state = random_state

    def fit(self, docs: list[str], embeddings: np.ndarray) -> "TopicModeler":
        """Fit on ``docs`` with their precomputed ``embeddings`` (never re-embedded)."""
        cfg = self.config or TopicsConfig()
        if len(docs) < 5:
            raise ValueError(f"topic modelling needs at least 5 documents, got {len(docs)}")
        seed = int(self.random_state)
        self.params_ = resolved_parts(cfg, len(docs))
        model = build_bertopic(cfg, self.embedder, seed, len(docs))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
            topics, _ = model.fit_transform(list(docs), embeddings)
        topics = np.asarray(topics)
        self.outlier_share_before_ = float(np.mean(topics == OUTLIER))
        if cfg.reduce_outliers and (topics == OUTLIER).any() and (topics != OUTLIER).any():
            logging.getLogger("BERTopic").setLevel(logging.ERROR)
            topics = np.asarray(model.reduce_outliers(
                list(docs), list(topics), strategy=cfg.outlier_strategy,
                threshold=cfg.outlier_threshold, embeddings=embeddings))
            model.update_topics(list(docs), topics=list(topics), top_n_words=cfg.top_n_words,
                                vectorizer_model=vectorizer(cfg),
                                representation_model=representation_models(cfg, seed))
        self.outlier_share_after_ = float(np.mean(topics == OUTLIER))
        self.model_ = model
        self.topics_ = topics
        self.embeddings_centroids_ = _centroids(embeddings, topics)
        return self

    def transform(self, docs: list[str], embeddings: np.ndarray) -> np.ndarray:
        """Assign new documents to the fitted topics."""
        if not hasattr(self, "model_"):
            raise RuntimeError("TopicModeler is not fitted: call fit() first")
        topics, _ = self.model_.transform(list(docs), embeddings)
        return np.asarray(topics)

    def keywords(self, topic: int) -> list[str]:
        """Top words of a fitted topic (stop words excluded by the vectorizer)."""
        words = self.model_.get_topic(topic) or []
        return [w for w, _ in words if w]

    def topic_table(self, doc_ids: list[str], embeddings: np.ndarray) -> pd.DataFrame:
        """One row per topic (schema.TOPICS): name, keywords, size, share, representative ids."""
        cfg = self.config or TopicsConfig()
        ids = np.asarray(doc_ids)
        rows = []
        for topic in sorted(set(self.topics_.tolist())):
            members = np.flatnonzero(self.topics_ == topic)
            keywords = self.keywords(topic)
            rows.append({
                "topic": int(topic),
                "name": topic_name(topic, keywords, cfg),
                "keywords": keywords,
                "size": int(len(members)),
                "share": float(len(members) / len(self.topics_)),
                "representative": _representatives(ids, embeddings, members,
                                                   self.embeddings_centroids_[topic],
                                                   cfg.n_representative),
            })
        return pd.DataFrame(rows, columns=["topic", "name", "keywords", "size", "share", "representative"])


def topic_name(topic: int, keywords: list[str], cfg: TopicsConfig) -> str:
    """Short human-readable name: a configured override, else the top keywords."""
    if topic in cfg.names:
        return cfg.names[topic]
    if topic == OUTLIER:
        return "Outliers"
    words: list[str] = []
    for word in keywords:
        if not any(word in w or w in word for w in words):
            words.append(word)
        if len(words) == cfg.name_words:
            break
    return ", ".join(words) if words else f"Topic {topic}"


def _centroids(embeddings: np.ndarray, topics: np.ndarray) -> dict[int, np.ndarray]:
    out = {}
    for topic in sorted(set(topics.tolist())):
        c = embeddings[topics == topic].mean(axis=0)
        out[int(topic)] = c / (np.linalg.norm(c) or 1.0)
    return out


def _representatives(ids: np.ndarray, embeddings: np.ndarray, members: np.ndarray,
                     centroid: np.ndarray, n: int) -> list[str]:
    """Ids of the ``n`` members closest to the topic centroid (ties by id)."""
    sims = embeddings[members] @ centroid
    order = sorted(range(len(members)), key=lambda i: (-round(float(sims[i]), 6), ids[members[i]]))
    return [str(ids[members[i]]) for i in order[:n]]
