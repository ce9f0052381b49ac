"""The pipeline: corpus → segments → embeddings → topics → stance → report.

Each node below is a plain function from named tables to named tables; the
``run_pipeline`` function at the bottom is the graph that wires them, times
them and writes the run folder.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import Config, load_config
from .paths import DEFAULT_CORPUS, default_cache_dir

TABLES = ("articles", "rejects", "paragraphs", "sentences", "topics", "paragraph_topics",
          "article_topics", "stance", "stance_by_article", "stance_by_topic", "evidence")


@dataclass
class RunResult:
    """Everything a run produced: its tables, where it was written, and its manifest."""

    run_id: str
    run_dir: Path
    report_path: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(repr=False)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


# --------------------------------------------------------------------- nodes
def load_node(corpus, cfg: Config):
    """Read and validate the corpus (a path, list of paths, or a DataFrame)."""
    from .corpus import load_corpus, load_corpus_frame

    limits = {"max_chars": cfg.corpus.max_chars, "max_paragraphs": cfg.corpus.max_paragraphs}
    if isinstance(corpus, pd.DataFrame):
        return load_corpus_frame(corpus, **limits)
    return load_corpus(corpus, fmt=cfg.corpus.format, **limits)


def embed_node(paragraphs: pd.DataFrame, cfg: Config, cache_dir, show_progress: bool):
    """Embed every paragraph through the cache; returns (embedder, matrix)."""
    from .embed import Embedder

    embedder = Embedder(model=cfg.embed.model, batch_size=cfg.embed.batch_size,
                        cache_dir=str(cache_dir), normalize=cfg.embed.normalize,
                        show_progress=show_progress).fit()
    return embedder, embedder.transform(paragraphs["text"].tolist())


def topics_node(paragraphs: pd.DataFrame, embeddings: np.ndarray, embedder, cfg: Config):
    """Fit topics on the modelled paragraphs (or articles) and derive the tables."""
    from .embed import article_vectors
    from .topics import TopicModeler, article_topic_table, paragraph_topic_table

    tcfg = cfg.topics
    if tcfg.unit == "article":
        ids, vecs = article_vectors(paragraphs, embeddings)
        texts = paragraphs.groupby("article_id", sort=False)["text"].agg("\n\n".join).loc[ids].tolist()
        model = TopicModeler(tcfg, embedder, cfg.seed).fit(texts, vecs)
        per_article = pd.Series(model.topics_, index=ids)
        topics = pd.Series(paragraphs["article_id"].map(per_article).to_numpy(),
                           index=paragraphs["paragraph_id"].to_numpy())
        table = model.topic_table(ids, vecs)
    else:
        keep = (paragraphs["text"].str.split().str.len() >= tcfg.min_words).to_numpy()
        if keep.sum() < 5:
            keep[:] = True
        ids = paragraphs["paragraph_id"].to_numpy()[keep]
        model = TopicModeler(tcfg, embedder, cfg.seed).fit(
            paragraphs["text"].to_numpy()[keep].tolist(), embeddings[keep])
        topics = pd.Series(model.topics_, index=ids)
        table = model.topic_table(list(ids), embeddings[keep])
    paragraph_topics = paragraph_topic_table(paragraphs, topics)
    resolved = {**model.params_, "outlier_share_before": model.outlier_share_before_,
                "outlier_share_after": model.outlier_share_after_}
    return table, paragraph_topics, article_topic_table(paragraphs, paragraph_topics), resolved


def stance_node(sentences: pd.DataFrame, paragraph_topics: pd.DataFrame, cfg: Config):
    """Find target mentions, score them, aggregate per article and topic, keep evidence."""
    from .stance import TargetMatcher, aggregate_stance, get_scorer, select_evidence

    scfg = cfg.stance
    targets = [t.model_dump() for t in scfg.targets]
    mentions = TargetMatcher(targets).fit().transform(sentences)
    inputs = mentions.merge(
        sentences[["sentence_id", "paragraph_id", "text"]].rename(columns={"text": "sentence"}),
        on="sentence_id", how="left")
    scorer = get_scorer(scfg.scorer, **scfg.scorer_params).fit()
    stance = scorer.predict_frame(inputs)
    with_topic = stance.merge(paragraph_topics[["paragraph_id", "topic"]], on="paragraph_id", how="left")
    agg = {"n_boot": scfg.n_bootstrap, "ci": scfg.ci, "seed": cfg.seed}
    by_article = aggregate_stance(stance, by=["article_id"], **agg)
    by_topic = aggregate_stance(with_topic, by=["topic"], **agg)
    evidence = pd.concat([
        select_evidence(stance, level="article", key_col="article_id", n=scfg.n_evidence),
        select_evidence(with_topic, level="topic", key_col="topic", n=scfg.n_evidence),
    ], ignore_index=True)
    return mentions, stance, by_article, by_topic, evidence


def write_node(tables: dict[str, pd.DataFrame], run_dir: Path, cfg: Config) -> dict[str, str]:
    """Write every table as Parquet (and CSV when small); return their digests."""
    from .io import table_digest, write_table

    digests = {}
    for name, df in tables.items():
        write_table(df, run_dir / "tables", name, csv=len(df) <= cfg.report.csv_max_rows)
        digests[name] = table_digest(df)
    return digests


def report_node(tables: dict[str, pd.DataFrame], manifest: dict, run_dir: Path, cfg: Config) -> Path:
    """Draw the figures and render report.html / report.md."""
    from .report import build_figures, render_report

    targets = [t.name for t in cfg.stance.targets]
    figures = build_figures(tables, run_dir, targets) if cfg.report.figures else {}
    return render_report(tables, manifest, run_dir, figures)["html"]


# --------------------------------------------------------------------- graph
def run_pipeline(corpus=None, config: Config | str | Path | None = None,
                 output_dir: str | Path = "reports", *, cache_dir: str | Path | None = None,
                 show_progress: bool = True) -> RunResult:
    """Run the whole analysis and write ``<output_dir>/<run-id>/``.

    ``corpus`` is a path (file or folder), a list of paths, or a DataFrame of
    articles; ``None`` means the bundled sample corpus. ``config`` is a
    :class:`Config`, a TOML/YAML path, or ``None`` for the defaults.
    ``cache_dir`` holds the embedding cache (default: ``$ANALYSIS_CACHE_DIR``
    or ``~/.cache/analysis``); it never changes results, only speed.
    """
    from .corpus import corpus_fingerprint, segment
    from .manifest import build_manifest, run_id

    cfg = config if isinstance(config, Config) else load_config(config)
    corpus = DEFAULT_CORPUS if corpus is None else corpus
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    timings: dict[str, float] = {}

    def timed(name, fn, *args):
        start = time.perf_counter()
        out = fn(*args)
        timings[name] = time.perf_counter() - start
        return out

    loaded = timed("load", load_node, corpus, cfg)
    if loaded.articles.empty:
        raise ValueError(f"no valid articles in {corpus}: {len(loaded.rejects)} records rejected")
    paragraphs, sentences = timed("segment", segment, loaded.articles)
    fingerprint = corpus_fingerprint(loaded.articles)
    run = run_id(cfg, fingerprint)
    run_dir = Path(output_dir) / run
    embedder, embeddings = timed("embed", embed_node, paragraphs, cfg, cache_dir, show_progress)
    topics, paragraph_topics, article_topics, resolved = timed(
        "topics", topics_node, paragraphs, embeddings, embedder, cfg)
    mentions, stance, by_article, by_topic, evidence = timed(
        "stance", stance_node, sentences, paragraph_topics, cfg)
    tables = {"articles": loaded.articles, "rejects": loaded.rejects, "paragraphs": paragraphs,
              "sentences": sentences, "topics": topics, "paragraph_topics": paragraph_topics,
              "article_topics": article_topics, "stance": stance,
              "stance_by_article": by_article, "stance_by_topic": by_topic, "evidence": evidence}
    digests = timed("write", write_node, tables, run_dir, cfg)
    counts = {"records": loaded.n_records, "accepted": len(loaded.articles),
              "rejected": len(loaded.rejects), "duplicates": loaded.n_duplicates,
              "paragraphs": len(paragraphs), "sentences": len(sentences),
              "embedded": embedder.n_embedded_, "embedding_cache_hits": embedder.n_cached_,
              "topics": int((topics["topic"] >= 0).sum()), "mentions": len(mentions),
              "warnings": len(loaded.warnings)}
    manifest = build_manifest(
        run=run, config=cfg, corpus=_corpus_info(corpus, fingerprint),
        model={"spec": cfg.embed.model, "path": str(embedder.model_path_),
               "fingerprint": embedder.fingerprint_},
        resolved=resolved, timings=timings, counts=counts, tables=digests)
    report = timed("report", report_node, tables, manifest, run_dir, cfg)
    manifest["timings"]["report"] = round(timings["report"], 3)
    from .io import write_json

    write_json(run_dir / "manifest.json", manifest)
    return RunResult(run_id=run, run_dir=run_dir, report_path=report, manifest=manifest, tables=tables)


def _corpus_info(corpus, fingerprint: str) -> dict[str, Any]:
    if isinstance(corpus, pd.DataFrame):
        return {"paths": [], "source": "<dataframe>", "fingerprint": fingerprint}
    paths = corpus if isinstance(corpus, (list, tuple)) else [corpus]
    return {"paths": [os.path.abspath(p) for p in paths], "fingerprint": fingerprint}
