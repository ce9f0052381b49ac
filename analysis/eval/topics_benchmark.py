"""``analysis topics benchmark``: topic models over labelled news corpora and several seeds.

Protocol (measurement only; nothing is tuned here):

* Corpora and split: 20 Newsgroups ``test`` (headers, signatures and quoted
  replies stripped), Reuters-21578 ModApte ``test`` restricted to
  single-topic stories of the :data:`REUTERS_TOP` most frequent topics
  (counted on the ``train`` split), AG News ``test`` (its only split).
* Sample: with ``sample``, a stratified sample of that many documents (class
  shares kept, largest-remainder rounding), drawn once with ``sample_seed``;
  every model and seed sees the same documents and the same vectors (one
  MiniLM vector per document, from the embedding cache).
* Seeds: ``seed, seed + 1, ...``; each method is fitted once per seed.
* Scores (labels are used only here): NMI and ARI against the class labels
  (outliers count as one cluster), number of topics, outlier share, mean
  NPMI of each topic's top words on the sample itself, topic diversity,
  fit seconds (wall time). :func:`summarize` gives mean and sample standard
  deviation (``ddof=1``) over the seeds; a standard deviation of 0 means the
  method gave the same figure under every seed.
"""
from __future__ import annotations

import time
import warnings
from typing import Callable

import numpy as np
import pandas as pd

from ..config import Config
from ..corpus import load_corpus_frame
from ..stance.sampling import allocate
from ..topics import evaluate_assignments
from ..topics.inputs import document_vectors
from .corpora import load_eval_corpus
from .topic_methods import FASTOPIC_EPOCHS, FASTOPIC_INSTALL, METHODS, NEEDS_K, MethodInput, fastopic_available

#: Benchmark data sets: name -> (reader name, default split).
DATASETS = {"20newsgroups": ("20newsgroups", "test"), "reuters": ("reuters21578", "test"),
            "ag_news": ("ag_news", "test")}
ALIASES = {"reuters21578": "reuters"}
#: Reuters-21578 keeps single-topic stories of this many most frequent topics (counted on train).
REUTERS_TOP = 10
METRICS = ["nmi", "ari", "n_topics", "outlier_share", "npmi", "diversity", "fit_seconds"]
SEED_COLUMNS = ["dataset", "split", "n_docs", "true_k", "method", "seed", *METRICS, "status"]


def dataset_names(name: str) -> list[str]:
    """``all`` -> every benchmark data set; an alias -> its name; raises ``ValueError`` when unknown."""
    if name == "all":
        return list(DATASETS)
    name = ALIASES.get(name, name)
    if name not in DATASETS:
        raise ValueError(f"unknown evaluation corpus '{name}'; known: {', '.join([*DATASETS, 'all'])}")
    return [name]


def stratified_sample(df: pd.DataFrame, n: int | None, seed: int, column: str = "label") -> pd.DataFrame:
    """``n`` rows with the class shares of ``column`` kept (largest remainder), table order kept."""
    if n is None or n >= len(df):
        return df.reset_index(drop=True)
    counts = df[column].value_counts().sort_index()
    quota = pd.Series(allocate(counts.tolist(), n, "proportional"), index=counts.index)
    rng = np.random.default_rng(seed)
    keep = [rng.choice(np.flatnonzero(df[column].to_numpy() == label), size=int(q), replace=False)
            for label, q in quota.items() if q]
    return df.iloc[np.sort(np.concatenate(keep))].reset_index(drop=True)


def benchmark_articles(name: str, split: str | None = None, sample: int | None = None,
                       sample_seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    """(validated article table, class label of each article) of one benchmark data set."""
    reader, default_split = DATASETS[name]
    split = split or default_split
    df = load_eval_corpus(reader, split)
    if name == "reuters":
        top = load_eval_corpus(reader, "train")["label"].value_counts().index[:REUTERS_TOP]
        df = df[df["label"].isin(top)].reset_index(drop=True)
    df = stratified_sample(df, sample, sample_seed)
    articles = load_corpus_frame(df.assign(tags=df["label"]).drop(columns="label"), name).articles
    return articles, [t[0] for t in articles["tags"]]


def _score(fit, data: MethodInput, labels, seconds: float) -> dict:
    cfg = data.config
    _, summary = evaluate_assignments(fit.topics, fit.words, data.docs, fit.analyzer, labels=labels,
                                      npmi_top_n=cfg.npmi_top_n, diversity_top_n=cfg.diversity_top_n)
    return {"nmi": summary.get("nmi", np.nan), "ari": summary.get("ari", np.nan),
            "n_topics": summary["n_topics"], "outlier_share": summary["outlier_share"],
            "npmi": summary["npmi_mean"], "diversity": summary["diversity"], "fit_seconds": seconds}


def _skip_reason(method: str, data: MethodInput) -> str | None:
    if method == "fastopic" and not fastopic_available():
        return f"not installed ({FASTOPIC_INSTALL})"
    if method in NEEDS_K and not data.true_k:
        return "needs reference labels (true k)"
    return None


def run_seeds(data: MethodInput, labels, seeds: list[int], methods: list[str],
              log: Callable[[str], None] | None = None) -> pd.DataFrame:
    """One row per (method, seed): the figures of :data:`METRICS` and a status ("ok" or why skipped)."""
    rows = []
    for method in methods:
        reason = _skip_reason(method, data)
        for seed in seeds:
            row = {"method": method, "seed": seed, **{m: np.nan for m in METRICS}, "status": reason or "ok"}
            if reason is None:
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fit = METHODS[method](data, seed)
                row.update(_score(fit, data, labels, time.perf_counter() - start))
                if log:
                    log(f"{method} seed {seed}: nmi {row['nmi']:.3f}, {row['n_topics']} topics, "
                        f"{row['fit_seconds']:.1f} s")
            rows.append(row)
    return pd.DataFrame(rows)


def run_topic_benchmark(names: list[str], seeds: list[int], cfg: Config, cache_dir: str, *,
                        methods: list[str] | None = None, split: str | None = None,
                        sample: int | None = None, sample_seed: int = 0,
                        fastopic_epochs: int = FASTOPIC_EPOCHS,
                        log: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Per-seed table (:data:`SEED_COLUMNS`) over the named data sets."""
    parts = []
    for name in names:
        articles, labels = benchmark_articles(name, split, sample, sample_seed)
        parts.append(benchmark_frame(name, split or DATASETS[name][1], articles, labels, seeds, cfg,
                                     cache_dir, methods=methods, fastopic_epochs=fastopic_epochs, log=log))
    return pd.concat(parts, ignore_index=True)[SEED_COLUMNS]


def benchmark_frame(name: str, split: str, articles: pd.DataFrame, labels: list | None, seeds: list[int],
                    cfg: Config, cache_dir: str, *, methods: list[str] | None = None,
                    fastopic_epochs: int = FASTOPIC_EPOCHS,
                    log: Callable[[str], None] | None = None) -> pd.DataFrame:
    """The per-seed rows of one corpus (``labels``: one per article, or ``None``)."""
    embedder, vectors = document_vectors(articles, cfg, cache_dir)
    true_k = len(set(labels)) if labels is not None else None
    data = MethodInput(articles["text"].tolist(), np.asarray(vectors), embedder, true_k, cfg.topics,
                       fastopic_epochs)
    if log:
        log(f"{name} ({split}): {len(articles)} documents, {true_k} classes")
    table = run_seeds(data, labels, seeds, list(methods or METHODS), log)
    return table.assign(dataset=name, split=split, n_docs=len(articles), true_k=true_k)[SEED_COLUMNS]


def summarize(per_seed: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation (``ddof=1``) of every metric per data set and method."""
    rows = []
    for (dataset, method), grp in per_seed.groupby(["dataset", "method"], sort=False):
        ok = grp[grp["status"] == "ok"]
        row = {"dataset": dataset, "n_docs": int(grp["n_docs"].iloc[0]), "true_k": grp["true_k"].iloc[0],
               "method": method, "n_seeds": len(ok),
               "status": "ok" if len(ok) else str(grp["status"].iloc[0])}
        for metric in METRICS:
            values = ok[metric].astype(float)
            row[f"{metric}_mean"] = values.mean() if len(values) else np.nan
            row[f"{metric}_sd"] = values.std(ddof=1) if len(values) > 1 else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _cell(mean: float, sd: float, digits: int) -> str:
    if pd.isna(mean):
        return "–"
    return f"{mean:.{digits}f}" if pd.isna(sd) else f"{mean:.{digits}f} ± {sd:.{digits}f}"


def formatted(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary as text cells ``mean ± sd``; a skipped method shows why in ``note``."""
    digits = {"n_topics": 1, "fit_seconds": 1, "outlier_share": 2}
    out = summary[["dataset", "method"]].copy()
    for metric in METRICS:
        out[metric] = [_cell(m, s, digits.get(metric, 3))
                       for m, s in zip(summary[f"{metric}_mean"], summary[f"{metric}_sd"])]
    out["note"] = ["" if s == "ok" else s for s in summary["status"]]
    return out


def markdown_table(summary: pd.DataFrame) -> str:
    """The formatted summary as a Markdown table."""
    table = formatted(summary)
    head = ["data set", "method", "NMI", "ARI", "topics", "outliers", "NPMI", "diversity", "fit s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, r in table.iterrows():
        cells = [r["dataset"], r["method"] + (f" ({r['note']})" if r["note"] else ""),
                 *[r[m] for m in METRICS]]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)
