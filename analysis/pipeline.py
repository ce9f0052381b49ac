"""The pipeline: corpus → segments → embeddings → topics → stance → report.

Each node below is a plain function from named tables to named tables; the
``run_pipeline`` function at the bottom is the graph that wires them, times
them and writes the run folder (:mod:`analysis.runs`).
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import Config, load_config
from .corpus import corpus_fingerprint, load_corpus, load_corpus_frame, segment
from .embed import build_embedder, set_offline
from .engine import InProcessEngine, get_engine
from .io import table_digest, write_json, write_table
from .manifest import build_manifest, run_id
from .paths import DEFAULT_CORPUS, default_cache_dir
from .report import build_figures, render_report
from .report.map_layout import PARAGRAPH_MAP, paragraph_map_table
from .runs import RunResult, input_key, output_root, publish_run_dir, record_run, reuse_run, stage_run_dir
from .schema import MENTIONS, TOPIC_STABILITY, TOPIC_STABILITY_PAIRS
from .stance import TargetMatcher
from .stance.scoring import score_stance
from .stance.tables import scorer_from_config, scorer_info, stance_tables
from .stance.validation import run_validation_tables
from .topics import article_topic_table, paragraph_topic_table, topic_outputs, unit_labels
from .topics.sampled import fit_topic_units, topic_table
from .topics.stability import stability_tables
from .topics.stage import MIN_UNITS, modelled_units, no_topics
from .topics.temporal import resolve_freq


# --------------------------------------------------------------------- nodes
def load_node(corpus, cfg: Config):
    """Read and validate the corpus (a path, list of paths, or a DataFrame)."""
    limits = {"max_chars": cfg.corpus.max_chars, "max_paragraphs": cfg.corpus.max_paragraphs}
    if isinstance(corpus, pd.DataFrame):
        return load_corpus_frame(corpus, **limits)
    return load_corpus(corpus, fmt=cfg.corpus.format, **limits)


def embed_node(paragraphs: pd.DataFrame, cfg: Config, cache_dir, show_progress: bool, engine=None):
    """Embed every paragraph (``embed.backend``: transformer through the cache, or static); returns (embedder, matrix)."""
    embedder = build_embedder(cfg.embed, cache_dir, show_progress).fit()
    if engine is None:
        return embedder, embedder.transform(paragraphs["text"].tolist())
    return embedder, embedder.transform_with(paragraphs["text"].tolist(), engine.map_batches)


def topics_node(paragraphs: pd.DataFrame, articles: pd.DataFrame, embeddings: np.ndarray, embedder,
                cfg: Config, engine=None, show_progress: bool = False):
    """Fit topics on the modelled paragraphs (or articles; on a sample with ``topics.fit_sample``) and derive the tables.

    Returns (topics, paragraph_topics, article_topics, resolved values, other
    topic tables, the fitted units).
    """
    tcfg = cfg.topics
    n_units = len(modelled_units(paragraphs, embeddings, tcfg)[0])
    if n_units < MIN_UNITS:  # a tiny corpus: the run completes and says topics could not be fitted
        return (*no_topics(paragraphs, tcfg, n_units), None)
    units = fit_topic_units(paragraphs, embeddings, tcfg, embedder, cfg.seed, embedder.cache_dir,
                            engine or InProcessEngine())
    model = units.fitted.modeler
    table = topic_table(units)
    paragraph_topics = paragraph_topic_table(paragraphs, units.all.paragraph_topic)
    extra = topic_outputs(model, units.fitted.docs, table, paragraph_topics, articles,
                          unit_labels(units.fitted, paragraphs, articles, tcfg), show_progress=show_progress)
    resolved = {**model.params_, "outlier_share_before": model.outlier_share_before_,
                "outlier_share_after": model.outlier_share_after_, **units.info}
    return (table, paragraph_topics, article_topic_table(paragraphs, paragraph_topics), resolved, extra,
            units.fitted)


def stability_node(fitted, embedder, cfg: Config) -> dict[str, pd.DataFrame]:
    """Refit the topics under ``topics.stability_seeds`` seeds on the fitted units and compare (empty when off
    or when no topic model was fitted)."""
    if fitted is None:
        return {"topic_stability": pd.DataFrame(columns=TOPIC_STABILITY),
                "topic_stability_pairs": pd.DataFrame(columns=TOPIC_STABILITY_PAIRS)}
    return stability_tables(fitted, cfg.topics, embedder, cfg.seed, embedder.cache_dir)


def stance_node(sentences: pd.DataFrame, paragraph_topics: pd.DataFrame, articles: pd.DataFrame,
                cfg: Config, cache_dir, engine=None):
    """Find target mentions, score them, aggregate (article, topic, source, time), keep evidence.

    Returns (mentions, tables, scorer info); the tables include the scorer's
    validation measured on held-out annotations (stored with the model).
    """
    scfg = cfg.stance
    targets = [t.model_dump() for t in scfg.targets]
    matcher = TargetMatcher(targets, with_spans=True).fit()
    scorer = scorer_from_config(scfg, cache_dir).fit()
    mentions, stance = score_stance(engine or InProcessEngine(), matcher, scorer, sentences)
    validation = run_validation_tables(scfg.scorer, scfg.model, getattr(scorer, "model_dir_", None))
    tables = {"stance": stance, **stance_tables(stance, paragraph_topics, articles, scfg, cfg.seed,
                                                sentences, validation["stance_confusion"],
                                                period=run_period(cfg, articles)),
              **validation}
    return mentions[MENTIONS], tables, scorer_info(scorer, scfg)


def run_period(cfg: Config, articles: pd.DataFrame) -> str:
    """The period code of stance over time: ``stance.time_window``, or with ``auto`` that of topics over time."""
    setting = cfg.stance.time_window
    return resolve_freq(articles["published"], cfg.topics.time_freq if setting == "auto" else setting)


def write_node(tables: dict[str, pd.DataFrame], run_dir: Path, cfg: Config) -> dict[str, str]:
    """Write every table as Parquet (and CSV when small); return their digests."""
    digests = {}
    for name, df in tables.items():
        write_table(df, run_dir / "tables", name, csv=len(df) <= cfg.report.csv_max_rows)
        digests[name] = table_digest(df)
    return digests


def map_node(paragraph_topics: pd.DataFrame, embeddings: np.ndarray, cfg: Config) -> pd.DataFrame:
    """2-D seeded UMAP of the modelled paragraphs for the topic map (``paragraph_map``)."""
    if not cfg.report.paragraph_map:
        return pd.DataFrame(columns=PARAGRAPH_MAP)
    return paragraph_map_table(paragraph_topics, embeddings, n_neighbors=cfg.report.map_neighbors,
                               max_points=cfg.report.map_max_points, seed=cfg.seed)


def report_node(tables: dict[str, pd.DataFrame], manifest: dict, run_dir: Path, cfg: Config) -> Path:
    """Draw the figures and render report.html / report.md."""
    targets = [t.name for t in cfg.stance.targets]
    rcfg = cfg.report
    figures = build_figures(tables, run_dir, targets, dpi=rcfg.dpi, html_dpi=rcfg.html_dpi,
                            vector=rcfg.vector_format) if rcfg.figures else {}
    return render_report(tables, manifest, run_dir, figures)["html"]


# --------------------------------------------------------------------- graph
def run_pipeline(corpus=None, config: Config | str | Path | None = None,
                 output_dir: str | Path = "reports", *, cache_dir: str | Path | None = None,
                 show_progress: bool = True, engine="inprocess", scheduler=None,
                 reuse: bool = True) -> RunResult:
    """Run the whole analysis and write ``<output_dir>/<run-id>/``.

    ``corpus`` is a path (file or folder), a list of paths, or a DataFrame of
    articles; ``None`` means the bundled sample corpus. ``config`` is a
    :class:`Config`, a TOML/YAML path, or ``None`` for the defaults.
    ``cache_dir`` holds the embedding cache (default: ``$ANALYSIS_CACHE_DIR``
    or ``~/.cache/analysis``); it never changes results, only speed.
    ``engine`` is ``"inprocess"`` (default), ``"dask"`` (with ``scheduler``,
    a Dask scheduler address) or an engine object; it never changes results.
    An engine made here from its name is closed when the run ends, also when
    a stage fails. With ``reuse``, an unchanged run (same input bytes, same
    config) into the same ``output_dir`` is read back from its folder instead
    of recomputed.
    """
    set_offline()
    cfg = config if isinstance(config, Config) else load_config(config)
    corpus = DEFAULT_CORPUS if corpus is None else corpus
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    reuse_key = input_key(corpus, cfg) if reuse else None
    if (reused := reuse_run(reuse_key, output_dir, cache_dir)) is not None:
        return reused
    eng = get_engine(engine, scheduler) if isinstance(engine, str) else engine
    try:
        result = _run_graph(corpus, cfg, output_dir, cache_dir, show_progress, eng)
        record_run(cache_dir, reuse_key, result.run_dir)
    finally:
        if isinstance(engine, str):
            eng.close()
    return result


def _run_graph(corpus, cfg: Config, output_dir, cache_dir: Path, show_progress: bool, eng) -> RunResult:
    """Every node in order, timed; the run folder is built privately and published whole at the end."""
    timings: dict[str, float] = {}

    def timed(name, fn, *args):
        start = time.perf_counter()
        out = fn(*args)
        timings[name] = time.perf_counter() - start
        return out

    loaded = timed("load", load_node, corpus, cfg)
    if loaded.articles.empty:
        raise ValueError(f"no valid articles in {corpus}: {len(loaded.rejects)} records rejected; "
                         f"first: {loaded.first_rejects()}")
    paragraphs, sentences = timed("segment", segment, loaded.articles)
    fingerprint = corpus_fingerprint(loaded.articles)
    run = run_id(cfg, fingerprint)
    output_root(output_dir)  # a bad output folder fails now, not after the work
    embedder, embeddings = timed("embed", embed_node, paragraphs, cfg, cache_dir, show_progress, eng)
    topics, paragraph_topics, article_topics, resolved, topic_extra, fitted = timed(
        "topics", topics_node, paragraphs, loaded.articles, embeddings, embedder, cfg, eng, show_progress)
    stability = timed("topic_stability", stability_node, fitted, embedder, cfg)
    paragraph_map = timed("map", map_node, paragraph_topics, embeddings, cfg)
    mentions, stance_out, stance_model = timed(
        "stance", stance_node, sentences, paragraph_topics, loaded.articles, cfg, cache_dir, eng)
    tables = {"articles": loaded.articles, "rejects": loaded.rejects, "paragraphs": paragraphs,
              "sentences": sentences, "topics": topics, "paragraph_topics": paragraph_topics,
              "article_topics": article_topics, **stance_out,
              **topic_extra, **stability, "paragraph_map": paragraph_map}
    run_dir = stage_run_dir(output_dir, run)  # built privately, published whole at the end
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
    manifest.update(stance_model=stance_model, warnings=list(loaded.warnings), engine=eng.describe())
    report = timed("report", report_node, tables, manifest, run_dir, cfg)
    manifest["timings"]["report"] = round(timings["report"], 3)
    write_json(run_dir / "manifest.json", manifest)
    staged, run_dir = run_dir, publish_run_dir(run_dir, output_dir, run)
    report = run_dir / Path(report).relative_to(staged)
    return RunResult(run_id=run, run_dir=run_dir, report_path=report, manifest=manifest, tables=tables)


def _corpus_info(corpus, fingerprint: str) -> dict[str, Any]:
    if isinstance(corpus, pd.DataFrame):
        return {"paths": [], "source": "<dataframe>", "fingerprint": fingerprint}
    paths = corpus if isinstance(corpus, (list, tuple)) else [corpus]
    return {"paths": [os.path.abspath(p) for p in paths], "fingerprint": fingerprint}
