"""The topic stage: documents and their vectors in, topic assignments and labels out."""
from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from ..config import TopicsConfig
from .build import (build_bertopic, effective_nr_topics, reducer, representation_models,
                    representation_words, resolved_parts, vectorizer)
from .choose_k import auto_k_applies, number_of_topics
from .naming import topic_names
from .vocabulary import boilerplate_words

OUTLIER = -1


class TopicModeler:
    """BERTopic with seeded parts, stop-word-free labels and outlier reduction.

    Parameters
    ----------
    config : the ``topics`` section of the run config.
    embedder : a fitted :class:`analysis.embed.Embedder` (used by the
        representation models for words; its cache serves repeated texts).
    random_state : seed for UMAP and the representation models.
    cache_dir : folder for cached UMAP-reduced vectors (``None``: memory only).

    Fitted attributes: ``model_`` (the BERTopic object), ``topics_`` (one id
    per document), ``topic_words_`` (topic -> its top words, enough for the
    diversity measure), ``names_`` (topic -> short name, see :mod:`.naming`), ``params_`` (the
    resolved sizes), ``outlier_share_before_`` and ``outlier_share_after_``;
    ``k_selection_`` is the stability table of the k grid when ``n_topics = 'auto'``
    (else ``None``).
    """

    def __init__(self, config: TopicsConfig | None = None, embedder=None, random_state: int = 42,
                 cache_dir: str | None = None):
        self.config = config
        self.embedder = embedder
        self.random_state = random_state
        self.cache_dir = cache_dir

    def fit(self, docs: list[str], embeddings: np.ndarray, groups=None) -> "TopicModeler":
        """Fit on ``docs`` with their precomputed ``embeddings`` (never re-embedded).

        ``groups`` (one article id per document, or ``None`` when each document is
        an article) is where ``n_topics = 'auto'`` chooses k: on article points.
        """
        cfg = self.config or TopicsConfig()
        if len(docs) < 5:
            raise ValueError(f"topic modelling needs at least 5 documents, got {len(docs)}")
        seed = int(self.random_state)
        docs = list(docs)
        self.params_ = {**resolved_parts(cfg, len(docs)), "nr_topics": effective_nr_topics(cfg)}
        self._choose_k(cfg, seed, embeddings, groups)
        model, topics = self._fit_bertopic(cfg, seed, docs, embeddings)
        self.reduction_cached_ = bool(getattr(model.umap_model, "cache_hit_", False)
                                      if self._reduced_by_choice is None else self._reduced_by_choice)
        self.outlier_share_before_ = float(np.mean(topics == OUTLIER))
        if cfg.reduce_outliers and (topics == OUTLIER).any() and (topics != OUTLIER).any():
            topics = self._reduce_outliers(model, docs, topics, embeddings, cfg, seed)
        self.outlier_share_after_ = float(np.mean(topics == OUTLIER))
        self.model_ = model
        self.topics_ = topics
        self.embeddings_centroids_ = _centroids(embeddings, topics)
        self.topic_words_ = {int(t): [w for w, _ in (model.get_topic(int(t)) or []) if w]
                             for t in sorted(set(topics.tolist()))}
        self.names_ = topic_names(self, docs, cfg)
        return self

    def _choose_k(self, cfg: TopicsConfig, seed: int, embeddings: np.ndarray, groups) -> None:
        """Resolve ``n_topics`` into ``params_['n_topics']`` (k-means replaces HDBSCAN and merging)."""
        self.k_selection_ = None
        self._reduced_by_choice = None  # cache hit of the reduction made for choosing k
        self.params_["n_topics"] = None
        if cfg.n_topics is None or (cfg.n_topics == "auto" and not auto_k_applies(cfg, len(embeddings), groups)):
            return
        reduced = None
        if cfg.n_topics == "auto":  # the same seeded, cached reduction BERTopic then reuses
            reduction = reducer(cfg, seed, len(embeddings), self.cache_dir).fit(embeddings)
            reduced, self._reduced_by_choice = reduction.embedding_, reduction.cache_hit_
        k, self.k_selection_ = number_of_topics(cfg, seed, len(embeddings), reduced, groups)
        self.params_.update({"n_topics": k, "nr_topics": None})

    def _fit_bertopic(self, cfg: TopicsConfig, seed: int, docs: list[str], embeddings: np.ndarray):
        """(model, topics); automatic merging that finds nothing to merge (one topic or none) is dropped."""
        self.boilerplate_ = boilerplate_words(docs)  # out of the keywords' vocabulary

        def fit(nr_topics):
            model = build_bertopic(cfg, self.embedder, seed, len(docs), self.cache_dir, nr_topics,
                                   self.params_["n_topics"], self.boilerplate_)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
                # BERTopic's guided mode edits the matrix it is given: hand it a copy.
                topics, _ = model.fit_transform(docs, np.array(embeddings, dtype=np.float32, copy=True))
            return model, np.asarray(topics)

        try:
            return fit(self.params_["nr_topics"])
        except ValueError as err:  # HDBSCAN over fewer than two topic vectors
            if self.params_["nr_topics"] != "auto" or "sample(s)" not in str(err):
                raise
            self.params_["nr_topics"] = None
            return fit(None)

    def _reduce_outliers(self, model, docs, topics, embeddings, cfg, seed) -> np.ndarray:
        logging.getLogger("BERTopic").setLevel(logging.ERROR)
        topics = np.asarray(model.reduce_outliers(
            docs, list(topics), strategy=cfg.outlier_strategy,
            threshold=cfg.outlier_threshold, embeddings=embeddings))
        model.update_topics(docs, topics=list(topics), top_n_words=representation_words(cfg),
                            vectorizer_model=vectorizer(cfg, self.boilerplate_),
                            representation_model=representation_models(cfg, seed))
        return topics

    def transform(self, docs: list[str], embeddings: np.ndarray) -> np.ndarray:
        """Assign new documents to the fitted topics."""
        if not hasattr(self, "model_"):
            raise RuntimeError("TopicModeler is not fitted: call fit() first")
        topics, _ = self.model_.transform(list(docs), embeddings)
        return np.asarray(topics)

    def keywords(self, topic: int) -> list[str]:
        """Top ``top_n_words`` words of a fitted topic (stop words excluded by the vectorizer)."""
        cfg = self.config or TopicsConfig()
        return list(self.topic_words_.get(int(topic), []))[:cfg.top_n_words]

    def topic_table(self, doc_ids: list[str], embeddings: np.ndarray) -> pd.DataFrame:
        """One row per topic (schema.TOPICS): name, keywords, size, share, representative ids."""
        cfg = self.config or TopicsConfig()
        ids = np.asarray(doc_ids)
        rows = []
        for topic in sorted(set(self.topics_.tolist())):
            members = np.flatnonzero(self.topics_ == topic)
            rows.append({
                "topic": int(topic),
                "name": self.names_[int(topic)],
                "keywords": self.keywords(topic),
                "size": int(len(members)),
                "share": float(len(members) / len(self.topics_)),
                "representative": _representatives(ids, embeddings, members,
                                                   self.embeddings_centroids_[topic],
                                                   cfg.n_representative),
            })
        return pd.DataFrame(rows, columns=["topic", "name", "keywords", "size", "share", "representative"])


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
