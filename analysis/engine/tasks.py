"""The units of work every engine runs: pure functions of their arguments.

The in-process engine calls them directly; the Dask engine ships them to
workers. Because both run the same functions on the same fixed partitions,
both give the same results.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def encode_parquet_part(spec: dict, path: str, sizes: list[int]) -> list[np.ndarray]:
    """Read one staged partition of texts and encode it batch by batch (``sizes`` = batch lengths)."""
    from ..embed.encode import encode_batch

    texts = pd.read_parquet(path, columns=["text"])["text"].tolist()
    out, start = [], 0
    for size in sizes:
        out.append(encode_batch(spec, texts[start:start + size]))
        start += size
    return out


def score_stance_part(shared: tuple, sentences: pd.DataFrame | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Find mentions in a partition of sentences and score them: (mentions, stance).

    ``shared`` is the fitted (matcher, scorer) pair; ``sentences`` is a frame
    or the path of a staged Parquet partition.
    """
    from ..stance import build_stance_input

    matcher, scorer = shared
    if isinstance(sentences, str):
        sentences = pd.read_parquet(sentences)
    mentions = matcher.transform(sentences)
    stance = scorer.predict_frame(build_stance_input(sentences, mentions))
    return mentions, stance


def assign_topics_chunk(modeler, docs: list[str], vectors: np.ndarray) -> np.ndarray:
    """Assign a chunk of documents to a fitted :class:`TopicModeler`'s topics.

    Outliers are reassigned the way fitting does it (same strategy and
    threshold) when ``reduce_outliers`` is on; every step is per document, so
    the result does not depend on what else is in the chunk except through
    UMAP's seeded transform, which is why chunks are fixed by the data.
    """
    from ..config import TopicsConfig

    cfg = modeler.config or TopicsConfig()
    if cfg.assign == "nearest":
        return nearest_topic(modeler.model_, np.full(len(docs), -1), vectors, cfg.outlier_threshold)
    topics = np.asarray(modeler.transform(list(docs), vectors))
    fitted_any = (np.asarray(modeler.topics_) != -1).any()
    if not (cfg.reduce_outliers and (topics == -1).any() and fitted_any):
        return topics.astype(np.int64)
    model = modeler.model_
    if -1 in model.get_topics():
        import logging

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
    if len(rows) == len(ids) + 1 and -1 not in ids:
        ids = [-1, *ids]  # outliers were all reassigned, but their embedding row is kept first
    ids = np.asarray(ids)
    out = topics.astype(np.int64).copy()
    mask = out == -1
    sims = cosine_similarity(vectors[mask], rows[:len(ids)])
    sims[:, ids == -1] = -np.inf  # never the outlier topic itself
    best = sims.argmax(axis=1)
    out[mask] = np.where(sims[np.arange(len(best)), best] >= threshold, ids[best], -1)
    return out
