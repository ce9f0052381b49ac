"""Inputs of the topic commands: a corpus, segmented and embedded."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Config
from ..corpus import load_corpus, segment
from ..embed import build_embedder
from ..paths import DEFAULT_CORPUS
from .stage import modelled_units, reference_labels


@dataclass
class TopicInput:
    """Articles, their paragraphs and paragraph vectors, and whether tags hold reference labels."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    embeddings: np.ndarray
    embedder: object
    labelled: bool

    def units(self, cfg: Config):
        """(ids, texts, vectors) of the configured topic units."""
        return modelled_units(self.paragraphs, self.embeddings, cfg.topics)

    def labels_for(self, ids: list[str], cfg: Config) -> list | None:
        """Reference label (first tag) of each unit, or ``None`` without labels."""
        if not self.labelled:
            return None
        return reference_labels(ids, self.paragraphs, self.articles, cfg.topics.unit)


def load_articles(corpus=None, sample: int | None = None, label_column: str | None = None,
                  seed: int = 0, fmt: str | None = None,
                  columns: dict[str, str] | None = None) -> tuple[pd.DataFrame, bool]:
    """Articles from files, ``label_column`` read into tags; with no corpus, the bundled sample.

    Returns (articles, labelled). ``sample`` keeps a seeded random sample of
    that many articles (order kept). ``fmt`` names the reader and ``columns``
    maps fields to input columns (``corpus.format`` and ``corpus.columns``, as
    in :func:`~analysis.corpus.load_corpus`).
    """
    columns = {**(columns or {}), **({"tags": label_column} if label_column else {})}
    loaded = load_corpus(corpus if corpus else DEFAULT_CORPUS, fmt=fmt, columns=columns or None)
    articles = loaded.articles
    if sample is not None and sample < len(articles):
        keep = np.sort(np.random.default_rng(seed).choice(len(articles), size=sample, replace=False))
        articles = articles.iloc[keep].reset_index(drop=True)
    return articles, bool(label_column)


def prepare(articles: pd.DataFrame, labelled: bool, cfg: Config, cache_dir: str,
            show_progress: bool = False) -> TopicInput:
    """Segment the articles and embed their paragraphs (the embedder ``cfg.embed`` selects, through the cache)."""
    paragraphs, _ = segment(articles)
    embedder = build_embedder(cfg.embed, cache_dir, show_progress).fit()
    vectors = embedder.transform(paragraphs["text"].tolist())
    return TopicInput(articles, paragraphs, vectors, embedder, labelled)


def document_vectors(articles: pd.DataFrame, cfg: Config, cache_dir: str, show_progress: bool = False):
    """(embedder, one vector per article of its whole text): what plain BERTopic is given.

    The embedder is the one ``cfg.embed`` selects (transformer or static).
    """
    embedder = build_embedder(cfg.embed, cache_dir, show_progress).fit()
    return embedder, embedder.transform(articles["text"].tolist())
