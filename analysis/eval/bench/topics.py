"""Topic-stage figures of ``analysis bench``: fit time against plain BERTopic, and quality per backend."""
from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ...topics import TopicModeler
from ...topics.reduce import clear_memory_cache
from ..baselines import baseline_sentence_model, fit_plain_bertopic


def topic_baseline(docs: list[str], vectors: np.ndarray, embedder, cfg, seed: int) -> pd.DataFrame:
    """Fit time of plain ``BERTopic(embedding_model=...)`` defaults and of our topic stage, same inputs."""
    st = baseline_sentence_model(embedder)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        _, plain = fit_plain_bertopic(docs, vectors, st)
        rows.append(_row("BERTopic defaults (plain)", time.perf_counter() - start, plain, len(docs)))
        clear_memory_cache()
        start = time.perf_counter()
        ours = TopicModeler(cfg, embedder, seed).fit(list(docs), vectors)
        rows.append(_row("analysis topic stage", time.perf_counter() - start, ours.topics_, len(docs)))
    out = pd.DataFrame(rows)
    out["x_plain"] = out["seconds"].iloc[0] / out["seconds"]
    return out


def _row(name: str, seconds: float, topics, n: int) -> dict:
    topics = np.asarray(topics)
    return {"topic model": name, "seconds": seconds, "docs_per_s": n / seconds,
            "topics": int(len(set(topics.tolist()) - {-1})), "outlier_share": float(np.mean(topics == -1))}


def topic_quality(docs: list[str], labels, vectors: dict[str, np.ndarray], embedders: dict, cfg,
                  seed: int) -> pd.DataFrame:
    """NMI and ARI against reference labels of our topic stage fitted on each backend's vectors."""
    rows = []
    for backend, vecs in vectors.items():
        clear_memory_cache()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            topics = TopicModeler(cfg, embedders[backend], seed).fit(list(docs), vecs).topics_
        rows.append({"backend": backend, "documents": len(docs),
                     "topics": int(len(set(topics.tolist()) - {-1})),
                     "nmi": normalized_mutual_info_score(labels, topics),
                     "ari": adjusted_rand_score(labels, topics)})
    return pd.DataFrame(rows)
