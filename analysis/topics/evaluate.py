"""Topic quality measured on the corpus itself: NPMI, diversity, sizes, and labels if any.

* NPMI coherence of a topic's top words: for every pair of words, the
  normalised pointwise mutual information of their co-occurrence in the
  same document (paragraph, or article), averaged over pairs. Counts come
  from this corpus tokenised by the topic vectorizer, never from a reference
  corpus. A pair that never co-occurs scores -1.
* Diversity: the share of unique words among all topics' top-25 words.
* Outlier share and the size distribution of the topics.
* With reference labels (used only here, never for fitting): NMI, ARI and
  V-measure of the assignments, the outlier topic counted as one cluster.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from .. import schema

OUTLIER = -1
QUALITY_COLUMNS = schema.TOPIC_QUALITY
EVALUATION_COLUMNS = schema.TOPIC_EVALUATION


def document_frequencies(docs: Sequence[str], words: Sequence[str], analyzer) -> tuple[np.ndarray, np.ndarray]:
    """Document frequency of each word and of each pair of words.

    ``analyzer`` turns a text into its tokens (e.g. a CountVectorizer's
    ``build_analyzer()``, which also yields the bigrams keywords may be).
    Returns (df of shape (w,), co-occurrence counts of shape (w, w)).
    """
    from sklearn.feature_extraction.text import CountVectorizer

    vocab = {w: i for i, w in enumerate(dict.fromkeys(words))}
    vec = CountVectorizer(analyzer=analyzer, vocabulary=vocab, binary=True)
    X = vec.transform(list(docs)).astype(np.int64)
    co = (X.T @ X).toarray()
    return np.diag(co).copy(), co


def npmi_pairs(df: np.ndarray, co: np.ndarray, n_docs: int, idx: Sequence[int]) -> tuple[float, int]:
    """Mean NPMI over the pairs of word indices ``idx`` and the number of pairs never seen together."""
    scores, unseen = [], 0
    for i, j in combinations(idx, 2):
        p_ij = co[i, j] / n_docs
        if p_ij == 0:
            scores.append(-1.0)
            unseen += 1
            continue
        if p_ij == 1.0:
            scores.append(1.0)
            continue
        pmi = np.log(p_ij / ((df[i] / n_docs) * (df[j] / n_docs)))
        scores.append(float(pmi / -np.log(p_ij)))
    return (float(np.mean(scores)) if scores else float("nan")), unseen


def topic_npmi(topic_words: dict[int, list[str]], docs: Sequence[str], analyzer,
               top_n: int = 10) -> pd.DataFrame:
    """NPMI of each topic's ``top_n`` words on ``docs``: columns topic, npmi, n_words, n_pairs_unseen."""
    tops = {t: [w for w in words if w][:top_n] for t, words in topic_words.items()}
    vocab = list(dict.fromkeys(w for words in tops.values() for w in words))
    index = {w: i for i, w in enumerate(vocab)}
    df, co = document_frequencies(docs, vocab, analyzer) if vocab else (np.zeros(0), np.zeros((0, 0)))
    rows = []
    for topic, words in tops.items():
        score, unseen = npmi_pairs(df, co, len(docs), [index[w] for w in words])
        rows.append({"topic": int(topic), "npmi": score, "n_words": len(words), "n_pairs_unseen": unseen})
    return pd.DataFrame(rows, columns=["topic", "npmi", "n_words", "n_pairs_unseen"])


def topic_diversity(topic_words: dict[int, list[str]], top_n: int = 25) -> float:
    """Share of unique words among the ``top_n`` words of every non-outlier topic."""
    words = [w for t, ws in topic_words.items() if t != OUTLIER for w in [x for x in ws if x][:top_n]]
    return float(len(set(words)) / len(words)) if words else float("nan")


def label_agreement(topics: Sequence[int], labels: Sequence) -> dict[str, float]:
    """NMI, ARI and V-measure of topic assignments against reference labels."""
    from sklearn import metrics

    topics = np.asarray(topics)
    labels = np.asarray(labels)
    known = pd.notna(labels)
    t, y = topics[known], labels[known].astype(str)
    return {"nmi": float(metrics.normalized_mutual_info_score(y, t)),
            "ari": float(metrics.adjusted_rand_score(y, t)),
            "v_measure": float(metrics.v_measure_score(y, t)),
            "n_labelled": int(known.sum()), "n_labels": int(len(set(y)))}


def size_summary(topics: Sequence[int]) -> dict[str, float]:
    """Number of topics, outlier share and the size distribution of the real topics."""
    topics = np.asarray(topics)
    sizes = pd.Series(topics[topics != OUTLIER]).value_counts()
    out = {"n_documents": int(len(topics)), "n_topics": int(len(sizes)),
           "outlier_share": float(np.mean(topics == OUTLIER)) if len(topics) else float("nan")}
    if len(sizes):
        shares = sizes / sizes.sum()
        out.update({"size_min": int(sizes.min()), "size_median": float(sizes.median()),
                    "size_max": int(sizes.max()), "largest_topic_share": float(shares.max()),
                    "size_entropy": float(-(shares * np.log(shares)).sum() / np.log(len(sizes)))
                    if len(sizes) > 1 else 0.0})
    return out


def evaluate_assignments(topics: Sequence[int], topic_words: dict[int, list[str]], docs: Sequence[str],
                         analyzer, *, labels: Sequence | None = None, npmi_top_n: int = 10,
                         diversity_top_n: int = 25) -> tuple[pd.DataFrame, dict[str, float]]:
    """Per-topic NPMI table and the corpus-level summary (one flat dict of figures)."""
    quality = topic_npmi(topic_words, docs, analyzer, npmi_top_n)
    real = quality[quality["topic"] != OUTLIER]
    summary = {**size_summary(topics),
               "npmi_mean": float(real["npmi"].mean()) if len(real) else float("nan"),
               "diversity": topic_diversity(topic_words, diversity_top_n)}
    if labels is not None:
        summary.update(label_agreement(topics, labels))
    return quality, summary


def summary_table(summary: dict[str, float]) -> pd.DataFrame:
    """A summary dict as the ``topic_evaluation`` table (metric, value)."""
    return pd.DataFrame({"metric": list(summary), "value": [float(v) for v in summary.values()]},
                        columns=EVALUATION_COLUMNS)
