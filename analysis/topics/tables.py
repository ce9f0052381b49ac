"""Turning per-document topic ids into the paragraph and article tables."""
from __future__ import annotations

import numpy as np
import pandas as pd


def assign_short_paragraphs(paragraphs: pd.DataFrame, fitted: pd.Series) -> pd.Series:
    """Give paragraphs left out of fitting (headings, one-liners) a topic.

    ``fitted`` maps paragraph_id → topic for the paragraphs that were modelled.
    A left-out paragraph takes the topic of the next modelled paragraph of its
    article (a heading introduces what follows), else of the previous one, else
    the outlier topic -1.
    """
    topic = paragraphs["paragraph_id"].map(fitted)
    by_article = topic.groupby(paragraphs["article_id"], sort=False)
    topic = by_article.bfill().fillna(by_article.ffill()).fillna(-1)
    return topic.astype(int)


def paragraph_topic_table(paragraphs: pd.DataFrame, topics: pd.Series) -> pd.DataFrame:
    """schema.PARAGRAPH_TOPICS: one row per paragraph with its topic."""
    fitted = paragraphs["paragraph_id"].isin(topics.index)
    return pd.DataFrame({
        "paragraph_id": paragraphs["paragraph_id"].to_numpy(),
        "article_id": paragraphs["article_id"].to_numpy(),
        "topic": assign_short_paragraphs(paragraphs, topics).to_numpy(),
        "probability": np.where(fitted, 1.0, np.nan),
    })


def article_topic_table(paragraphs: pd.DataFrame, paragraph_topics: pd.DataFrame) -> pd.DataFrame:
    """schema.ARTICLE_TOPICS: each article's share (by characters) in each topic."""
    df = paragraph_topics[["article_id", "topic"]].copy()
    df["chars"] = paragraphs["text"].str.len().to_numpy()
    sums = df.groupby(["article_id", "topic"], sort=True)["chars"].sum()
    shares = sums / sums.groupby(level=0).transform("sum")
    return shares.rename("share").reset_index()


def own_paragraph_topics(paragraphs: pd.DataFrame, embeddings: np.ndarray, article_topic: pd.Series,
                         centroids: dict[int, np.ndarray], min_words: int) -> pd.Series:
    """With the article as unit: each paragraph's own topic (paragraph_id -> topic).

    A paragraph of at least ``min_words`` words takes the topic whose centroid
    (unit-length mean of its articles' vectors) is most similar to its own
    vector; shorter ones, and paragraphs of outlier articles, take their
    article's topic. A mixed article's paragraphs therefore keep different
    topics, and its shares in :func:`article_topic_table` follow them.
    """
    base = paragraphs["article_id"].map(article_topic).fillna(-1).astype(int).to_numpy()
    topics = np.asarray([t for t in sorted(centroids) if t != -1])
    out = base.copy()
    if len(topics) >= 2:
        sims = np.asarray(embeddings) @ np.stack([centroids[int(t)] for t in topics]).T
        long = (paragraphs["text"].str.split().str.len() >= min_words).to_numpy(dtype=bool) & (base != -1)
        out[long] = topics[sims[long].argmax(axis=1)]
    return pd.Series(out, index=paragraphs["paragraph_id"].to_numpy())


def dominant_topics(article_topics: pd.DataFrame) -> pd.Series:
    """article_id -> the topic with the largest share in ``article_topics`` (ties: the lower topic id)."""
    order = article_topics.sort_values(["article_id", "share", "topic"], ascending=[True, False, True],
                                       kind="stable")
    first = order.drop_duplicates("article_id")
    return pd.Series(first["topic"].to_numpy(), index=first["article_id"].to_numpy(), name="topic")
