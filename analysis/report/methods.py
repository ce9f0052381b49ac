"""Template data for the Methods section and the Reproducibility appendix.

Stage descriptions are matched to the run's config sections by name, so the
report describes the stages that actually ran, with the settings they used.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from analysis.report._format import fmt_seconds, shorten

#: (words that identify a config section / timing key, stage title, description)
STAGES = [
    (("corpus", "ingest", "load", "read"), "Corpus",
     "Raw files are parsed into articles (title, body, source, date, tags). Records that "
     "cannot be parsed or are too short are rejected and listed with their file and "
     "position; exact duplicates are dropped. Nothing is discarded silently."),
    (("segment", "paragraph", "sentence", "split"), "Segmentation",
     "Article bodies are split into paragraphs and sentences; every unit keeps its "
     "character offsets into the article text, so evidence can be traced back."),
    (("embed",), "Embeddings",
     "Each paragraph is encoded with a local sentence-embedding model."),
    (("topic",), "Topics",
     "Paragraph embeddings are clustered into topics; paragraphs that fall in no cluster "
     "form the outlier topic (−1). Topics are named after their top keywords, and an "
     "article's topic share is the share of its characters in that topic."),
    (("stance", "target", "mention"), "Stance",
     "Sentences that mention a target are found, and each mention is scored: a label "
     "(favor, against, neutral), a score in [−1, 1] and a confidence in [0, 1]."),
    (("aggregat",), "Aggregation",
     "Sentence scores are combined per article, per topic and per target."),
    (("report",), "Report", "Figures and this report are rendered from the result tables."),
]

AGGREGATION_RULE = (
    "Aggregated stance is the confidence-weighted mean of sentence scores, "
    "Σ(confidence × score) / Σ confidence, on a scale from −1 (against) to +1 (favor). "
    "Its uncertainty is a bootstrap percentile interval: sentences are resampled with "
    "replacement, the weighted mean is recomputed for each resample, and the 2.5th and "
    "97.5th percentiles bound the 95% interval. n is the number of scored sentences; "
    "shares are the fractions of sentences labelled favor, against and neutral."
)

KEY_SETTINGS = ("model", "scorer", "classifier", "n_boot", "bootstrap", "level", "seed",
                "targets", "min_topic_size", "language")


def flatten(config: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``("a.b.c", value)`` for every leaf of a nested dict."""
    if isinstance(config, dict) and config:
        for key, value in config.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, config


def _value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return shorten(", ".join(str(v) for v in value), 160)
    return shorten(value, 160) if value is not None else "none"


def _stage_of(name: str) -> tuple[str, str]:
    low = name.lower()
    for words, title, text in STAGES:
        if any(w in low for w in words):
            return title, text
    return name.replace("_", " ").capitalize(), "Settings of this step, as configured."


def method_stages(config: dict, timings: dict) -> list[dict]:
    """One block per config section: title, description, settings and time taken."""
    blocks = []
    for section, settings in (config or {}).items():
        title, text = _stage_of(str(section))
        seconds = next((v for k, v in (timings or {}).items()
                        if _stage_of(str(k))[0] == title), None)
        blocks.append({
            "name": str(section), "title": title, "description": text,
            "settings": [(key, _value(v)) for key, v in flatten(settings, str(section))],
            "time": fmt_seconds(seconds) if seconds is not None else "",
        })
    return blocks


def key_settings(config: dict) -> list[tuple[str, str]]:
    """Settings worth naming in the methods text (models, scorer, bootstrap, seeds)."""
    return [(key, _value(value)) for key, value in flatten(config or {})
            if any(word in key.split(".")[-1].lower() for word in KEY_SETTINGS)]


def methods(manifest: dict) -> dict:
    """Data for the Methods section."""
    config = manifest.get("config") or {}
    return {
        "stages": method_stages(config, manifest.get("timings") or {}),
        "key_settings": key_settings(config),
        "aggregation": AGGREGATION_RULE,
        "model_fingerprint": str(manifest.get("model_fingerprint") or "–"),
    }


def reproducibility(manifest: dict) -> dict:
    """Data for the Reproducibility appendix."""
    run_id = str(manifest.get("run_id") or "unknown-run")
    timings = manifest.get("timings") or {}
    return {
        "run_id": run_id, "created": str(manifest.get("created") or "–"),
        "corpus_fingerprint": str(manifest.get("corpus_fingerprint") or "–"),
        "model_fingerprint": str(manifest.get("model_fingerprint") or "–"),
        "versions": [(str(k), str(v)) for k, v in (manifest.get("versions") or {}).items()],
        "timings": [(str(k), fmt_seconds(v)) for k, v in timings.items()],
        "total_time": fmt_seconds(sum(float(v) for v in timings.values())) if timings else "–",
        "config_json": json.dumps(manifest.get("config") or {}, indent=2, ensure_ascii=False,
                                  default=str),
        "rerun": f"analysis rerun reports/{run_id}",
    }
