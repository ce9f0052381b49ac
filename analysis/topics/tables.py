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
