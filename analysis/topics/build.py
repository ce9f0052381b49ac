"""Assemble a BERTopic model from config, with every part built locally."""
from __future__ import annotations

import math

import numpy as np

from ..config import TopicsConfig
from .vocabulary import TOKEN_PATTERN, stop_words
from .reduce import CachedUMAP


def cached_backend(embedder):
    """A BERTopic embedding backend that goes through the project's cached :class:`Embedder`.

    BERTopic calls the backend for representation models (KeyBERTInspired
    embeds candidate words); routing that through the cache means nothing is
    embedded twice and no model is ever fetched by name.
    """
    from bertopic.backend import BaseEmbedder

    class CachedBackend(BaseEmbedder):
        def embed(self, documents, verbose: bool = False) -> np.ndarray:
            return self.embedding_model.transform(list(documents))

    return CachedBackend(embedding_model=embedder)


def resolve_min_cluster_size(value: int | str, n_docs: int) -> int:
    """``'auto'`` becomes max(3, round(sqrt(n_docs) / 2)); integers pass through."""
    if value == "auto":
        return max(3, int(round(math.sqrt(n_docs) / 2)))
    return int(value)


def resolved_parts(cfg: TopicsConfig, n_docs: int) -> dict:
    """The concrete numbers used for a corpus of ``n_docs`` (written into the manifest)."""
    return {
        "n_neighbors": max(2, min(cfg.umap.n_neighbors, n_docs - 1)),
        "n_components": max(2, min(cfg.umap.n_components, n_docs - 2)),
        "min_cluster_size": resolve_min_cluster_size(cfg.hdbscan.min_cluster_size, n_docs),
        "max_cluster_size": resolve_max_cluster_size(cfg.hdbscan.max_cluster_share, n_docs),
    }


def resolve_max_cluster_size(share: float | None, n_docs: int) -> int:
    """HDBSCAN's ``max_cluster_size`` for ``share`` of ``n_docs`` documents (0 = no limit)."""
    return 0 if share is None else max(1, math.ceil(share * n_docs))


def representation_models(cfg: TopicsConfig, seed: int):
    """The chain of representation models named in the config."""
    from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance

    chain = []
    n_words = representation_words(cfg)
    for name in cfg.representation:
        if name == "keybert":
            chain.append(KeyBERTInspired(top_n_words=n_words, random_state=seed))
        elif name == "mmr":
            chain.append(MaximalMarginalRelevance(diversity=cfg.mmr_diversity, top_n_words=n_words))
    return chain or None


def representation_words(cfg: TopicsConfig) -> int:
    """Words kept per topic: enough for the keywords and for the diversity measure.

    MMR picks words greedily, so the first ``top_n_words`` of a longer list
    are the list a shorter run would give.
    """
    return max(cfg.top_n_words, cfg.diversity_top_n)


def vectorizer(cfg: TopicsConfig, extra_stop: list[str] | None = None):
    """CountVectorizer for c-TF-IDF: the configured stop list (English plus news filler by
    default) with ``extra_stop`` (the corpus's boilerplate), and tokens that keep hyphenated
    names whole (see :mod:`.vocabulary`)."""
    from sklearn.feature_extraction.text import CountVectorizer

    v = cfg.vectorizer
    stop = stop_words(v.stop_words)
    if extra_stop and v.stop_words != "none":
        stop = stop | frozenset(extra_stop)
    return CountVectorizer(stop_words=sorted(stop) if stop else None, token_pattern=TOKEN_PATTERN,
                           ngram_range=tuple(v.ngram_range), min_df=v.min_df, max_df=v.max_df)


def reducer(cfg: TopicsConfig, seed: int, n_docs: int, cache_dir: str | None = None):
    """Seeded UMAP whose reduced vectors are cached (see :mod:`.reduce`)."""
    parts = resolved_parts(cfg, n_docs)
    return CachedUMAP(n_neighbors=parts["n_neighbors"], n_components=parts["n_components"],
                      min_dist=cfg.umap.min_dist, metric=cfg.umap.metric, random_state=seed,
                      cache_dir=cache_dir)


def clusterer(cfg: TopicsConfig, n_docs: int, n_clusters: int | None = None, seed: int = 42):
    """HDBSCAN with the resolved minimum and maximum cluster sizes, or, with ``n_clusters``,
    seeded k-means (10 initialisations) for exactly that many topics."""
    if n_clusters is not None:
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=int(n_clusters), n_init=10, random_state=seed)
    from hdbscan import HDBSCAN

    parts = resolved_parts(cfg, n_docs)
    return HDBSCAN(min_cluster_size=parts["min_cluster_size"], max_cluster_size=parts["max_cluster_size"],
                   min_samples=cfg.hdbscan.min_samples, metric="euclidean",
                   cluster_selection_method=cfg.hdbscan.cluster_selection_method,
                   prediction_data=True)


def effective_nr_topics(cfg: TopicsConfig):
    """``topics.nr_topics`` as applied: ``'auto'`` merging is skipped when guided or zero-shot
    topics are configured, so the topics a user named are never merged away."""
    if cfg.nr_topics == "auto" and (cfg.seed_topics or cfg.zeroshot_topics):
        return None
    return cfg.nr_topics


def build_bertopic(cfg: TopicsConfig, embedder, seed: int, n_docs: int, cache_dir: str | None = None,
                   nr_topics: int | str | None = None, n_clusters: int | None = None,
                   extra_stop: list[str] | None = None):
    """A BERTopic instance with seeded (cached) UMAP, HDBSCAN, vectorizer and representations.

    Seed word lists (``cfg.seed_topics``) switch on guided topic modelling;
    ``cfg.zeroshot_topics`` assigns documents close to a named topic first.
    ``nr_topics`` is the merging to apply (see :func:`effective_nr_topics`);
    ``n_clusters`` switches HDBSCAN for k-means with that many clusters;
    ``extra_stop`` joins the keywords' stop list (:func:`vectorizer`).
    """
    from bertopic import BERTopic

    return BERTopic(
        embedding_model=cached_backend(embedder),
        umap_model=reducer(cfg, seed, n_docs, cache_dir),
        hdbscan_model=clusterer(cfg, n_docs, n_clusters, seed),
        vectorizer_model=vectorizer(cfg, extra_stop),
        representation_model=representation_models(cfg, seed),
        top_n_words=representation_words(cfg),
        nr_topics=nr_topics,
        seed_topic_list=[list(words) for words in cfg.seed_topics.values()] or None,
        zeroshot_topic_list=list(cfg.zeroshot_topics) or None,
        zeroshot_min_similarity=cfg.zeroshot_min_similarity,
        calculate_probabilities=False,
        verbose=False,
    )
