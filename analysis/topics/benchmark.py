"""Our default topic model against plain BERTopic, on the same embeddings, in one process.

Three rows: ``bertopic-defaults`` is ``BERTopic(embedding_model=<the same
local model>)`` with everything else left at its defaults; ``seeded-mcs30``
is the common fix (seeded UMAP, an English stop-word vectorizer,
``min_cluster_size=30``); ``analysis-default`` is :class:`TopicModeler` with
the given (default) config. None is told the number of topics. Each gets the
same document vectors; labels, when given, are used only to score.
"""
from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from ..config import TopicsConfig
from .evaluate import evaluate_assignments
from .modeler import OUTLIER, TopicModeler
from .reduce import clear_memory_cache

ROW_COLUMNS = ["model", "n_topics", "outlier_share", "nmi", "ari", "v_measure", "npmi", "diversity",
               "fit_seconds", "example_label"]


def ctfidf_words(model, n: int) -> dict[int, list[str]]:
    """Top ``n`` words of every topic straight from BERTopic's c-TF-IDF matrix."""
    words = model.vectorizer_model.get_feature_names_out()
    matrix = model.c_tf_idf_.toarray()
    out = {}
    for row, topic in enumerate(sorted(set(model.topics_))):
        order = np.argsort(-matrix[row], kind="stable")[:n]
        out[int(topic)] = [str(words[i]) for i in order if matrix[row, i] > 0]
    return out


def plain_bertopic(sentence_model, seed: int | None = None, min_cluster_size: int | None = None):
    """BERTopic with its defaults, or (with ``seed``) the seeded-UMAP, stop-word, mcs-30 variant."""
    from bertopic import BERTopic

    if seed is None:
        return BERTopic(embedding_model=sentence_model)
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    return BERTopic(embedding_model=sentence_model,
                    umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                                    random_state=seed),
                    hdbscan_model=HDBSCAN(min_cluster_size=min_cluster_size or 30, metric="euclidean",
                                          cluster_selection_method="eom", prediction_data=True),
                    vectorizer_model=CountVectorizer(stop_words="english"))


def _row(name: str, topics, words, analyzer, docs, labels, seconds: float, cfg: TopicsConfig) -> dict:
    _, summary = evaluate_assignments(topics, words, docs, analyzer, labels=labels,
                                      npmi_top_n=cfg.npmi_top_n, diversity_top_n=cfg.diversity_top_n)
    sizes = pd.Series(np.asarray(topics)).value_counts()
    largest = next((t for t in sizes.index if t != OUTLIER), None)
    label = "_".join(words.get(int(largest), [])[:4]) if largest is not None else ""
    return {"model": name, "n_topics": summary["n_topics"], "outlier_share": summary["outlier_share"],
            "nmi": summary.get("nmi", np.nan), "ari": summary.get("ari", np.nan),
            "v_measure": summary.get("v_measure", np.nan), "npmi": summary["npmi_mean"],
            "diversity": summary["diversity"], "fit_seconds": seconds, "example_label": label}


def run_benchmark(docs: list[str], embeddings: np.ndarray, embedder, labels=None,
                  config: TopicsConfig | None = None, seed: int = 42, cache_dir: str | None = None,
                  include: tuple[str, ...] = ("bertopic-defaults", "seeded-mcs30", "analysis-default")
                  ) -> pd.DataFrame:
    """Fit each model on the same ``embeddings`` and return one row of figures per model."""
    from ..embed.model import load_sentence_transformer

    cfg = config or TopicsConfig()
    sentence_model = load_sentence_transformer(str(embedder.model_path_))
    rows = []
    for name in include:
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if name == "analysis-default":
                clear_memory_cache()  # a fair fit time: no reduced vectors from earlier calls
                fitted = TopicModeler(cfg, embedder, seed, cache_dir).fit(docs, embeddings)
                topics, words = fitted.topics_, fitted.topic_words_
                analyzer = fitted.model_.vectorizer_model.build_analyzer()
            else:
                model = plain_bertopic(sentence_model, None if name == "bertopic-defaults" else seed)
                topics = np.asarray(model.fit_transform(list(docs), np.asarray(embeddings))[0])
                words = ctfidf_words(model, cfg.diversity_top_n)
                analyzer = model.vectorizer_model.build_analyzer()
        seconds = time.perf_counter() - start
        rows.append(_row(name, topics, words, analyzer, docs, labels, seconds, cfg))
    return pd.DataFrame(rows, columns=ROW_COLUMNS)
