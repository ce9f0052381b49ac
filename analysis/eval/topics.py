"""Topic-model evaluation: our default model against plain BERTopic, and parameter sweeps.

:func:`run_benchmark` gives three rows: ``bertopic-defaults`` is
``BERTopic(embedding_model=<the same local model>)`` with everything else
left at its defaults; ``seeded-mcs30`` is the common fix (seeded UMAP, an
English stop-word vectorizer, ``min_cluster_size=30``); ``analysis-default``
is :class:`TopicModeler` with the given (default) config. None is told the
number of topics. Each gets the same document vectors; labels, when given,
are used only to score.

:func:`sweep` refits only what a parameter changes: embeddings come from the
embedding cache; UMAP-reduced vectors come from the reduction cache whenever
the UMAP parameters and seed are unchanged, so sweeping an HDBSCAN or
representation setting costs clustering only.
"""
from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..config import Config, TopicsConfig, config_from_dict
from ..topics import OUTLIER, TopicModeler, evaluate_assignments, evaluate_modeler
from ..topics.reduce import clear_memory_cache
from .baselines import baseline_sentence_model, ctfidf_words, fit_plain_bertopic

ROW_COLUMNS = ["model", "n_topics", "outlier_share", "nmi", "ari", "v_measure", "npmi", "diversity",
               "fit_seconds", "example_label"]


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
    cfg = config or TopicsConfig()
    sentence_model = baseline_sentence_model(embedder)
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
                model, topics = fit_plain_bertopic(docs, embeddings, sentence_model,
                                                   None if name == "bertopic-defaults" else seed)
                words = ctfidf_words(model, cfg.diversity_top_n)
                analyzer = model.vectorizer_model.build_analyzer()
        seconds = time.perf_counter() - start
        rows.append(_row(name, topics, words, analyzer, docs, labels, seconds, cfg))
    return pd.DataFrame(rows, columns=ROW_COLUMNS)


def with_setting(config: Config, key: str, value: Any) -> Config:
    """A copy of ``config`` with the dotted ``key`` (e.g. ``topics.hdbscan.min_cluster_size``) set."""
    data = config.to_dict()
    node = data
    parts = key.split(".")
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            raise KeyError(f"unknown config section '{part}' in '{key}'")
        node = node[part]
    if parts[-1] not in node:
        raise KeyError(f"unknown config key '{key}'")
    node[parts[-1]] = value
    return config_from_dict(data, f"--set {key}")


def parse_value(text: str) -> Any:
    """'12' -> 12, '0.5' -> 0.5, 'none' -> None, 'true' -> True, anything else stays text."""
    low = text.strip().lower()
    if low in {"none", "null"}:
        return None
    if low in {"true", "false"}:
        return low == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip()


def sweep(docs: list[str], embeddings: np.ndarray, config: Config, key: str, values: list,
          embedder=None, labels=None, cache_dir: str | None = None, groups: list | None = None) -> pd.DataFrame:
    """Fit once per value of ``key`` and return one evaluation row per value.

    ``umap_cached`` tells whether the reduced vectors came from the cache;
    ``groups`` (each document's article id, or ``None``) goes to every fit.
    """
    rows = []
    for value in values:
        cfg = with_setting(config, key, value)
        start = time.perf_counter()
        fitted = TopicModeler(cfg.topics, embedder, cfg.seed, cache_dir).fit(docs, embeddings, groups)
        seconds = time.perf_counter() - start
        _, summary = evaluate_modeler(fitted, docs, labels)
        rows.append({key: value, **{k: summary[k] for k in ("n_topics", "outlier_share")},
                     "outlier_share_before": fitted.outlier_share_before_,
                     **{k: summary[k] for k in ("npmi_mean", "diversity", "nmi", "ari", "v_measure")
                        if k in summary},
                     "fit_seconds": seconds, "umap_cached": fitted.reduction_cached_,
                     "min_cluster_size": fitted.params_["min_cluster_size"]})
    return pd.DataFrame(rows)
