"""2-D coordinates of the paragraphs for the topic map figure.

:class:`ParagraphMapper` reduces paragraph embeddings to two dimensions with
a seeded UMAP (cosine metric), following the scikit-learn contract:
``__init__`` stores parameters, :meth:`fit_transform` does the work, and the
same seed and data give the same coordinates. :func:`paragraph_map_table`
turns a run's paragraphs, topic assignments and embeddings into the
``paragraph_map`` table (:data:`PARAGRAPH_MAP`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.topics.umap_kernels import umap_class

#: Columns of the ``paragraph_map`` table: one row per mapped paragraph.
PARAGRAPH_MAP = ["paragraph_id", "article_id", "topic", "x", "y"]
#: Fewer paragraphs than this give no map (UMAP needs a neighbourhood).
MIN_POINTS = 5


class ParagraphMapper:
    """Seeded 2-D UMAP of embedding vectors.

    ``n_neighbors`` is capped at ``n - 1`` for small inputs; ``max_points``
    keeps a seeded random sample of that many vectors (``None``: all).
    """

    def __init__(self, n_neighbors: int = 15, min_dist: float = 0.1, metric: str = "cosine",
                 max_points: int | None = 5000, random_state: int = 0):
        self.n_neighbors = n_neighbors
        self.min_dist = min_dist
        self.metric = metric
        self.max_points = max_points
        self.random_state = random_state

    def fit_transform(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(rows, coords)``: the indices of the mapped vectors and their (n, 2) coordinates."""
        vectors = np.asarray(vectors, dtype=np.float32)
        rng = np.random.default_rng(self.random_state)
        rows = np.arange(len(vectors))
        if self.max_points is not None and len(rows) > self.max_points:
            rows = np.sort(rng.choice(len(rows), size=self.max_points, replace=False))
        self.rows_ = rows
        if len(rows) < MIN_POINTS:
            self.embedding_ = np.zeros((0, 2))
            return rows[:0], self.embedding_
        reducer = umap_class()(n_components=2, n_neighbors=max(2, min(self.n_neighbors, len(rows) - 1)),
                       min_dist=self.min_dist, metric=self.metric, random_state=self.random_state,
                       init="spectral" if len(rows) > 50 else "random", n_epochs=200, n_jobs=1)
        self.embedding_ = reducer.fit_transform(vectors[rows]).astype(np.float64)
        return rows, self.embedding_


def mapped_rows(paragraph_topics: pd.DataFrame) -> np.ndarray:
    """Positions of the paragraphs to map: those the topic model fitted (all if none is marked)."""
    fitted = paragraph_topics["probability"].notna().to_numpy() \
        if "probability" in paragraph_topics.columns else np.zeros(len(paragraph_topics), bool)
    return np.flatnonzero(fitted) if fitted.any() else np.arange(len(paragraph_topics))


def paragraph_map_table(paragraph_topics: pd.DataFrame, embeddings: np.ndarray, *,
                        n_neighbors: int = 15, max_points: int | None = 5000,
                        seed: int = 0) -> pd.DataFrame:
    """The ``paragraph_map`` table: 2-D UMAP coordinates of the modelled paragraphs.

    ``paragraph_topics`` (schema.PARAGRAPH_TOPICS) must be row-aligned with
    ``embeddings``. Paragraphs left out of topic fitting (headings) are left
    out of the map. Empty (with the columns) when fewer than
    :data:`MIN_POINTS` paragraphs remain.
    """
    if len(paragraph_topics) != len(embeddings):
        raise ValueError(f"{len(paragraph_topics)} paragraphs but {len(embeddings)} embeddings")
    candidates = mapped_rows(paragraph_topics)
    mapper = ParagraphMapper(n_neighbors=n_neighbors, max_points=max_points, random_state=seed)
    rows, coords = mapper.fit_transform(np.asarray(embeddings)[candidates])
    picked = paragraph_topics.iloc[candidates[rows]]
    return pd.DataFrame({
        "paragraph_id": picked["paragraph_id"].to_numpy(),
        "article_id": picked["article_id"].to_numpy(),
        "topic": picked["topic"].astype("int64").to_numpy(),
        "x": coords[:, 0] if len(coords) else np.zeros(0),
        "y": coords[:, 1] if len(coords) else np.zeros(0),
    })[PARAGRAPH_MAP]
