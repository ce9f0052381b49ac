"""Compare finished runs: config differences, topics, quality, stance per target.

:func:`compare_runs` turns several runs (results, or run folders read back
by :func:`analysis.runs.load_run`) into comparison tables
(:class:`Comparison`), which the batch index page and notebooks show.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.report.context_stance import overall_by_target
from analysis.report.methods import flatten
from analysis.runs import load_run

#: topic_evaluation metrics compared across runs, in this order.
QUALITY_METRICS = ("n_topics", "outlier_share", "npmi_mean", "diversity", "size_max",
                   "largest_topic_share", "nmi", "ari", "v_measure")


@dataclass
class Comparison:
    """Side-by-side tables of several runs; ``labels`` name the runs in every table."""

    labels: list[str]
    runs: pd.DataFrame
    config: pd.DataFrame
    quality: pd.DataFrame
    topics: pd.DataFrame
    stance: pd.DataFrame
    extra: dict[str, Any] = field(default_factory=dict)


def _label_runs(runs: Sequence, labels: Sequence[str] | None) -> list[str]:
    labels = list(labels) if labels is not None else [r.run_id for r in runs]
    if len(labels) != len(runs):
        raise ValueError(f"{len(labels)} labels for {len(runs)} runs")
    seen: dict[str, int] = {}
    out = []
    for label in labels:  # equal labels (two runs of one config file) stay apart
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _overview(runs: Sequence, labels: list[str]) -> pd.DataFrame:
    rows = []
    for label, run in zip(labels, runs):
        counts = run.manifest.get("counts") or {}
        timings = run.manifest.get("timings") or {}
        rows.append({"run": label, "run_id": run.run_id, "created": run.manifest.get("created"),
                     "articles": counts.get("accepted"), "paragraphs": counts.get("paragraphs"),
                     "topics": counts.get("topics"), "mentions": counts.get("mentions"),
                     "embedding_cache_hits": counts.get("embedding_cache_hits"),
                     "seconds": round(sum(float(v) for v in timings.values()), 1)})
    return pd.DataFrame(rows)


def config_differences(configs: Sequence[dict], labels: Sequence[str]) -> pd.DataFrame:
    """Settings whose values differ between runs: one row per key, one column per run."""
    flat = [{k: json.dumps(v, sort_keys=True, default=str) for k, v in flatten(c)} for c in configs]
    keys = sorted(set().union(*flat)) if flat else []
    rows = [{"setting": k, **{lab: f.get(k, "(absent)") for lab, f in zip(labels, flat)}}
            for k in keys if len({f.get(k) for f in flat}) > 1]
    return pd.DataFrame(rows, columns=["setting", *labels])


def _quality(runs: Sequence, labels: list[str]) -> pd.DataFrame:
    values = {}
    for label, run in zip(labels, runs):
        ev = run.tables.get("topic_evaluation")
        values[label] = dict(zip(ev["metric"], ev["value"])) if ev is not None and not ev.empty else {}
    present = [m for m in QUALITY_METRICS if any(m in v for v in values.values())]
    rows = [{"metric": m, **{lab: values[lab].get(m) for lab in labels}} for m in present]
    return pd.DataFrame(rows, columns=["metric", *labels])


def _topics(runs: Sequence, labels: list[str]) -> pd.DataFrame:
    parts = []
    for label, run in zip(labels, runs):
        topics = run.tables.get("topics")
        if topics is None or topics.empty:
            continue
        part = topics[["topic", "name", "size", "share"]].copy()
        quality = run.tables.get("topic_quality")
        if quality is not None and not quality.empty:
            part = part.merge(quality[["topic", "npmi"]], on="topic", how="left")
        parts.append(part.assign(run=label))
    if not parts:
        return pd.DataFrame(columns=["run", "topic", "name", "size", "share", "npmi"])
    out = pd.concat(parts, ignore_index=True)
    return out.reindex(columns=["run", "topic", "name", "size", "share", "npmi"])


def _stance(runs: Sequence, labels: list[str]) -> pd.DataFrame:
    """Corpus-level stance per target and run (mean, interval, n)."""
    parts = []
    for label, run in zip(labels, runs):
        overall, _ = overall_by_target(run.tables)
        if not overall.empty:
            parts.append(overall.assign(run=label))
    columns = ["run", "target", "n_sentences", "mean_score", "ci_low", "ci_high", "share_favor",
               "share_against", "share_neutral"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def compare_runs(runs: Sequence, labels: Sequence[str] | None = None) -> Comparison:
    """Compare runs (:class:`analysis.RunResult` objects or run folders) side by side.

    ``labels`` name the runs (default: their run ids). Returns a
    :class:`Comparison` with ``runs`` (counts and time), ``config`` (only
    the settings that differ), ``quality`` (topic_evaluation metrics),
    ``topics`` (every run's topics with size and NPMI) and ``stance``
    (corpus-level stance per target with its bootstrap interval).
    """
    runs = [load_run(r) if isinstance(r, (str, Path)) else r for r in runs]
    names = _label_runs(runs, labels)
    return Comparison(
        labels=names, runs=_overview(runs, names),
        config=config_differences([r.manifest.get("config") or {} for r in runs], names),
        quality=_quality(runs, names), topics=_topics(runs, names), stance=_stance(runs, names))
