"""The plain BERTopic baseline that our topic stage is measured against.

:func:`plain_bertopic` builds ``BERTopic(embedding_model=<the same local
model>)`` with everything else at its defaults or, with a ``seed``, the common
fix (seeded UMAP, an English stop-word vectorizer, ``min_cluster_size=30``).
Both ``analysis topics benchmark`` and ``analysis bench`` fit this baseline on
the vectors our stage gets, through :func:`fit_plain_bertopic`.
"""
from __future__ import annotations

import numpy as np

from ..embed.model import load_sentence_transformer
from ..topics.umap_kernels import umap_class


def baseline_sentence_model(embedder):
    """The sentence-transformers model behind ``embedder`` (for a static embedder: its source model)."""
    return load_sentence_transformer(str(getattr(embedder, "source_path_", embedder.model_path_)))


def plain_bertopic(sentence_model, seed: int | None = None, min_cluster_size: int | None = None):
    """BERTopic with its defaults, or (with ``seed``) the seeded-UMAP, stop-word, mcs-30 variant."""
    from bertopic import BERTopic

    UMAP = umap_class()  # also keeps the kernels of BERTopic's own UMAP on disk
    if seed is None:
        return BERTopic(embedding_model=sentence_model)
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer

    return BERTopic(embedding_model=sentence_model,
                    umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                                    random_state=seed),
                    hdbscan_model=HDBSCAN(min_cluster_size=min_cluster_size or 30, metric="euclidean",
                                          cluster_selection_method="eom", prediction_data=True),
                    vectorizer_model=CountVectorizer(stop_words="english"))


def fit_plain_bertopic(docs: list[str], vectors: np.ndarray, sentence_model, seed: int | None = None):
    """(fitted model, topic of every document) of :func:`plain_bertopic` on precomputed ``vectors``."""
    model = plain_bertopic(sentence_model, seed)
    topics = model.fit_transform(list(docs), np.asarray(vectors))[0]
    return model, np.asarray(topics)


def ctfidf_words(model, n: int) -> dict[int, list[str]]:
    """Top ``n`` words of every topic straight from BERTopic's c-TF-IDF matrix."""
    words = model.vectorizer_model.get_feature_names_out()
    matrix = model.c_tf_idf_.toarray()
    out = {}
    for row, topic in enumerate(sorted(set(model.topics_))):
        order = np.argsort(-matrix[row], kind="stable")[:n]
        out[int(topic)] = [str(words[i]) for i in order if matrix[row, i] > 0]
    return out
