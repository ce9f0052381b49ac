"""Topic-model parameter sweeps (``analysis topics sweep``); comparisons with other methods are in
:mod:`analysis.eval.topics_benchmark`.

:func:`sweep` refits only what a parameter changes: embeddings come from the
embedding cache; UMAP-reduced vectors come from the reduction cache whenever
the UMAP parameters and seed are unchanged, so sweeping an HDBSCAN or
representation setting costs clustering only.
"""
from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from ..config import Config, config_from_dict
from ..topics import TopicModeler, evaluate_modeler

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
