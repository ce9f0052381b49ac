"""Template data for the Methods section and the Reproducibility appendix.

Each pipeline stage gets a fixed description plus what the run recorded for
it: the config sections and timings whose names match the stage, and values
resolved at run time. Config sections no stage claims are listed as well, so
nothing in the config goes unreported.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from analysis.manifest import config_of
from analysis.report._format import fmt_num, fmt_pct, fmt_seconds, is_na, shorten

#: (words naming the stage's config sections and timings, title, description)
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
     "Paragraph embeddings (or article vectors, with the article as unit) are reduced with a "
     "seeded UMAP and clustered into topics: k-means with the number of topics chosen by its "
     "stability across seeds on the articles, or HDBSCAN on small corpora or when configured, "
     "where units that fall in no cluster form the outlier topic (−1); the resolved settings "
     "are listed below. Each topic is named by a keyphrase ranked against its paragraphs, "
     "with its keywords beside it, and an article's topic share is the share of its "
     "characters in that topic."),
    (("stance", "target", "mention"), "Stance",
     "Sentences that mention a target (by its aliases or patterns, minus its exclusions, "
     "datelines and pro-/anti- compounds) are found, and "
     "each mention is scored by the stance scorer: a label (favor, against, neutral), a "
     "score in [−1, 1] and a confidence in [0, 1]."),
    (("report", "write"), "Report",
     "Result tables are written to the run folder (the time shown); figures and this report "
     "are then rendered from them."),
]

AGGREGATION_RULE = (
    "Aggregated stance (per target, article, topic, outlet and period) is the "
    "confidence-weighted mean of sentence scores, Σ(confidence × score) / Σ confidence, on a "
    "scale from −1 (against) to +1 (favor). Its uncertainty is a cluster bootstrap percentile "
    "interval: sentences of one article are not independent, so whole articles are resampled "
    "with replacement (all sentences of a drawn article together) {n_boot} times, the weighted "
    "mean is recomputed for each resample, and the central {level} of those means is the "
    "interval (seed {seed}). Within a single article (the per-article table) its sentences are "
    "resampled. A group with one resampled unit gets the full range [−1, +1]; a group with "
    "fewer than {min_articles} units, or whose resamples all agree, gets at least the Wilson "
    "score interval of a bounded mean over that many units. Groups with fewer than "
    "{min_articles} articles (stance.min_articles; sentences in the per-article table) are "
    "flagged small_group: faded in the figures and never used for key findings. n is the "
    "number of scored sentences. Stance toward different targets is never pooled."
)

PREVALENCE_RULE = (
    "Label shares are given twice. Raw shares are the fractions of sentences the scorer "
    "labelled favor, against and neutral. Corrected shares account for the scorer's errors "
    "(adjusted classify-and-count): with M[i, j] the probability that a sentence of true "
    "class i is labelled j, measured on the scorer's held-out validation data (the confusion "
    "matrix under Validation), the observed shares q satisfy q = Mᵀ p for the true shares p; "
    "p is the point of the probability simplex (non-negative, summing to one) that best "
    "solves this in least squares, found exactly over every support rather than by clipping. "
    "The {level} intervals combine both sources of uncertainty: each bootstrap replicate "
    "resamples articles and draws each row of M from its Dirichlet posterior (validation "
    "counts + 1), so a small validation set widens them. Scorers without validation data "
    "(e.g. the lexicon scorer of a custom model) have no corrected shares."
)


def flatten(config: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``("a.b.c", value)`` for every leaf of a nested dict."""
    if isinstance(config, dict) and config:
        for key, value in config.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, config


def _value(value: Any) -> str:
    """A config value as short text; targets (dicts with a name) by their name."""
    if isinstance(value, (list, tuple)):
        return shorten(", ".join(_value(v) for v in value), 160) or "[]"
    if isinstance(value, dict):
        if "name" in value:
            return str(value["name"])
        return shorten(json.dumps(value, default=str), 160)
    return "none" if value is None else shorten(value, 160)


def _matches(name: str, words: tuple[str, ...]) -> bool:
    return any(word in name.lower() for word in words)


_GENERATED = ("This scorer's shipped model was trained on generated sentences (written and "
              "labelled by a language model, not by people); its validation figures are on "
              "generated sentences too, so they say little about real news.")

#: What the score of a shipped scorer measures, by (scorer, model); see :func:`scorer_meaning`.
SCORER_MEANING = {
    ("stance.crossencoder.v1", "default"): (
        "The default scorer was fine-tuned on NewsMTSC, sentences from political news in which "
        "people (at least five coders each) labelled the sentiment toward one named mention. "
        "It reads how a sentence speaks of the target, including what quoted sources say, "
        "not the outlet's own position, and it was trained on people, not countries. On real "
        "news about the 2014 Ukraine crisis it called 49% of 588 sentences naming Russia favor "
        "or against, where crowd coders judging how the Russian government was framed called "
        "2.5% (analysis stance benchmark ukraine-news, measured 2026-12-06). Read an against "
        "share as how much of "
        "the reporting on a target is negative, not as a measured editorial stance."),
    ("stance.learner.v1", "fast"): _GENERATED,
    ("stance.learner.v1", "static"): _GENERATED,
    ("stance.lexicon.v1", None): (
        "The lexicon scorer counts positive and negative words near the mention: a baseline, "
        "not a measurement of stance."),
}


def scorer_meaning(scorer: str, model: str) -> str:
    """A paragraph on what the run's stance score measures (a user's own model: its labels)."""
    if scorer == "stance.learner.v1" and model == "default":
        model = "fast"  # the learner's shipped model
    text = SCORER_MEANING.get((scorer, model)) or SCORER_MEANING.get((scorer, None))
    return text or (f"The scorer's model ({model}) was trained on the labels it was given: its "
                    "score means what those labels meant, and its validation figures are "
                    "measured on held-out rows of the same labels.")


def method_stages(config: dict, timings: dict) -> list[dict]:
    """One block per stage: description, matching config settings and time taken."""
    blocks, claimed = [], set()
    for words, title, text in STAGES:
        sections = [k for k, v in config.items() if isinstance(v, dict) and _matches(k, words)]
        claimed.update(sections)
        seconds = [float(v) for k, v in timings.items() if _matches(str(k), words)]
        blocks.append({
            "title": title, "description": text, "sections": sections,
            "settings": [(k, _value(v)) for s in sections for k, v in flatten(config[s], s)],
            "time": fmt_seconds(sum(seconds)) if seconds else "",
        })
    rest = {k: v for k, v in config.items() if k not in claimed}
    if rest:
        blocks.append({"title": "Shared settings", "sections": [],
                       "description": "Settings used by several stages.",
                       "settings": [(k, _value(v)) for k, v in flatten(rest)], "time": ""})
    return blocks


def targets_table(config: dict) -> list[dict]:
    """Configured targets as the run used them: aliases, case-aware aliases, patterns, exclusions."""
    stance = config.get("stance") if isinstance(config.get("stance"), dict) else {}
    out = []
    for target in stance.get("targets") or []:
        if not isinstance(target, dict):
            target = {"name": target}
        joined = {key: ", ".join(str(v) for v in target.get(key) or [])
                  for key in ("aliases", "cased_aliases", "patterns")}
        out.append({"name": str(target.get("name", "")), **joined,
                    "exclude": [str(p) for p in target.get("exclude") or []]})
    return out


def _resolved(manifest: dict) -> list[tuple[str, str]]:
    resolved = manifest.get("resolved") or {}
    out = []
    for key, value in flatten(resolved):
        if "share" in key and isinstance(value, (int, float)) and not is_na(value):
            out.append((key, fmt_pct(value, 1)))
        elif isinstance(value, float):
            out.append((key, fmt_num(value, 3)))
        else:
            out.append((key, _value(value)))
    return [(k, v) for k, v in out if k]


def methods(manifest: dict) -> dict:
    """Data for the Methods section."""
    config = manifest.get("config") or {}
    run_config = config_of(manifest, strict=False)
    stance = run_config.stance
    model = manifest.get("model") if isinstance(manifest.get("model"), dict) else {}
    return {
        "stages": method_stages(config, manifest.get("timings") or {}),
        "targets": targets_table(config),
        "aggregation": AGGREGATION_RULE.format(n_boot=stance.n_bootstrap, seed=run_config.seed,
                                               level=fmt_pct(stance.ci), min_articles=stance.min_articles),
        "prevalence": PREVALENCE_RULE.format(level=fmt_pct(stance.ci)),
        "meaning": scorer_meaning(stance.scorer, str(stance.model)),
        "model": [(str(k), _value(v)) for k, v in model.items()],
        "model_fingerprint": str(manifest.get("model_fingerprint") or "–"),
        "resolved": _resolved(manifest),
    }


def reproducibility(manifest: dict) -> dict:
    """Data for the Reproducibility appendix."""
    run_id = str(manifest.get("run_id") or "unknown-run")
    timings = manifest.get("timings") or {}
    return {
        "run_id": run_id, "created": str(manifest.get("created") or "–"),
        "corpus_fingerprint": str(manifest.get("corpus_fingerprint") or "–"),
        "model_fingerprint": str(manifest.get("model_fingerprint") or "–"),
        "config_hash": str(manifest.get("config_hash") or "–"),
        "versions": [(str(k), str(v)) for k, v in (manifest.get("versions") or {}).items()],
        "timings": [(str(k), fmt_seconds(v)) for k, v in timings.items()],
        "total_time": fmt_seconds(sum(float(v) for v in timings.values())) if timings else "–",
        "config_json": json.dumps(manifest.get("config") or {}, indent=2, ensure_ascii=False,
                                  default=str),
        "rerun": f"analysis rerun OUTPUT/{run_id}",  # OUTPUT: where the run was written (--output)
    }
