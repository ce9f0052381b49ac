"""Choosing the number of topics at the article level: the stability of seeded k-means.

For every k of a grid, k-means is fitted ``n_fits`` times with different
seeds (one initialisation each) on the article vectors reduced by the
topic stage's seeded UMAP; the stability of k is the mean adjusted Rand
index between every pair of those fits. A k whose clusters are real is found
again from any start; a k that cuts through a dense region, or splits one
topic at a whim, is not. The chosen k is the largest k whose stability is
within ``tolerance`` of the most stable k (stability favours small k, and
a topic model is more useful slightly too fine than too coarse). The grid
starts at ``topics.k_min`` = 3: a split in two is found again from any
start in almost any data (an elongated cloud halves reproducibly), so its
stability says little, and as the most stable k it would hide every finer
structure (3,898 BBC headlines: k = 2 at stability 1.00, the next best
0.82 at k = 10).

Articles are the unit even when paragraphs are modelled: each article's
point is the mean of its paragraphs' reduced vectors (see :func:`group_means`),
and the paragraphs are then clustered into the chosen k. With fewer than
:data:`MIN_ARTICLES` articles, with seed or zero-shot topics, or with an integer
``nr_topics``, ``'auto'`` keeps HDBSCAN (:func:`auto_k_applies`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from ..config import TopicsConfig

#: Columns of the table of the grid (``TopicModeler.k_selection_``).
K_COLUMNS = ["k", "stability", "chosen"]
#: Fewest articles k is chosen on; a smaller corpus keeps HDBSCAN (stability over a
#: handful of article points says little).
MIN_ARTICLES = 50


def k_grid(n_items: int, k_min: int, k_max: int) -> list[int]:
    """The k tried for ``n_items`` articles: ``k_min`` up to ``k_max``, at most ``n_items // 5``."""
    top = min(k_max, max(k_min, n_items // 5))
    return list(range(k_min, top + 1))


def kmeans_labels(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Labels of one seeded k-means fit (one initialisation)."""
    return KMeans(n_clusters=k, n_init=1, random_state=seed).fit_predict(X)


def stability(X: np.ndarray, k: int, seed: int, n_fits: int) -> float:
    """Mean pairwise adjusted Rand index of ``n_fits`` k-means fits with seeds ``seed``, ``seed + 1``, ..."""
    labels = [kmeans_labels(X, k, seed + i) for i in range(n_fits)]
    pairs = [adjusted_rand_score(labels[i], labels[j])
             for i in range(n_fits) for j in range(i + 1, n_fits)]
    return float(np.mean(pairs))


def stability_table(X: np.ndarray, ks: list[int], seed: int, n_fits: int) -> pd.DataFrame:
    """One row per k: its stability (``chosen`` is filled in by :func:`select_k`)."""
    rows = [{"k": int(k), "stability": stability(X, k, seed, n_fits), "chosen": False} for k in ks]
    return pd.DataFrame(rows, columns=K_COLUMNS)


def select_k(table: pd.DataFrame, tolerance: float) -> int:
    """The largest k whose stability is at least the maximum minus ``tolerance``."""
    best = table["stability"].max()
    return int(table.loc[table["stability"] >= best - tolerance, "k"].max())


def choose_k(X: np.ndarray, seed: int, k_min: int = 3, k_max: int = 30, tolerance: float = 0.1,
             n_fits: int = 8) -> tuple[int, pd.DataFrame]:
    """(chosen k, the grid table) for the (reduced) article vectors ``X``."""
    ks = k_grid(len(X), k_min, k_max)
    table = stability_table(np.asarray(X, dtype=np.float64), ks, seed, n_fits)
    k = select_k(table, tolerance)
    table["chosen"] = table["k"] == k
    return k, table


def group_means(vectors: np.ndarray, groups) -> np.ndarray:
    """One mean vector per group (groups in order of first appearance)."""
    codes, _ = pd.factorize(pd.Series(list(groups)), sort=False)
    sums = np.zeros((codes.max() + 1, vectors.shape[1]))
    np.add.at(sums, codes, vectors)
    return sums / np.bincount(codes)[:, None]


def number_of_topics(cfg: TopicsConfig, seed: int, n_docs: int, reduced: np.ndarray | None = None,
                     groups=None) -> tuple[int | None, pd.DataFrame | None]:
    """(k, grid table or ``None``) of ``cfg.n_topics`` for ``n_docs`` documents.

    An integer is kept (at most ``n_docs``). ``'auto'`` runs :func:`choose_k`
    on the ``reduced`` vectors averaged per article (``groups``; each document
    is an article when ``None``). Callers ask :func:`auto_k_applies` first:
    where it says no, HDBSCAN finds the topics and this is not called.
    """
    if cfg.n_topics != "auto":
        return max(1, min(int(cfg.n_topics), n_docs)), None
    points = reduced if groups is None else group_means(reduced, groups)
    return choose_k(points, seed, k_min=cfg.k_min, k_max=cfg.k_max, tolerance=cfg.k_tolerance)


def auto_k_applies(cfg: TopicsConfig, n_docs: int, groups=None) -> bool:
    """Whether ``n_topics = 'auto'`` chooses k: at least :data:`MIN_ARTICLES` articles, no seed
    or zero-shot topics (those keep HDBSCAN, so topics a user named are never merged away) and
    no integer ``nr_topics`` (HDBSCAN's topics merged down to that number)."""
    n_articles = n_docs if groups is None else pd.Series(list(groups)).nunique()
    asked_for_hdbscan = bool(cfg.seed_topics or cfg.zeroshot_topics) or isinstance(cfg.nr_topics, int)
    return n_articles >= MIN_ARTICLES and not asked_for_hdbscan
