"""Topic-stage baselines of ``analysis bench``: plain BERTopic defaults and quality per embedding backend."""
from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd


def topic_baseline(docs: list[str], vectors: np.ndarray, embedder, cfg, seed: int) -> pd.DataFrame:
    """Fit time of plain ``BERTopic(embedding_model=...)`` defaults and of our topic stage, same inputs."""
    from bertopic import BERTopic

    from ..embed.model import load_sentence_transformer
    from ..topics import TopicModeler
    from ..topics.reduce import clear_memory_cache

    st = load_sentence_transformer(str(getattr(embedder, "source_path_", embedder.model_path_)))
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        plain = np.asarray(BERTopic(embedding_model=st).fit_transform(list(docs), vectors)[0])
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
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from ..topics import TopicModeler
    from ..topics.reduce import clear_memory_cache

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
