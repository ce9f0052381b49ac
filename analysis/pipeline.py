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
from .corpus.readprogress import reading_progress
from .embed import build_embedder, map_batches_locally, set_offline
from .engine import InProcessEngine, get_engine
from .io import table_digest, write_json, write_table
from .manifest import build_manifest, run_id
from .paths import DEFAULT_CORPUS, default_cache_dir
from .progress import RunProgress
from .report.stage import report_node
from .report.map_layout import PARAGRAPH_MAP, paragraph_map_table
from .result import RunResult
from .runs import input_key, output_root, publish_run_dir, record_run, reuse_run, stage_run_dir
from .schema import MENTIONS, TOPIC_STABILITY, TOPIC_STABILITY_PAIRS
from .stagecache import (StageCache, StageOutput, cached_stage, model_identities, stance_stage_key, sync_folder,
                         topics_stage_key)
from .stance import TargetMatcher
from .stance.scoring import score_stance
from .stance.from_config import scorer_from_config, scorer_info
from .stance.tables import run_period, stance_tables
from .stance.validation import run_validation_tables
from .topics import article_topic_table, paragraph_topic_table, topic_outputs, unit_labels
from .topics.persist import TOPIC_MODEL_DIR, save_topic_model
from .topics.sampled import fit_topic_units, topic_table
from .topics.stability import stability_tables
from .topics.stage import MIN_UNITS, modelled_units, no_topics


# --------------------------------------------------------------------- nodes
def load_node(corpus, cfg: Config, progress: RunProgress | None = None):
    """Read and validate the corpus (a path, list of paths, or a DataFrame); a folder's files count
    into ``progress``."""
    options = cfg.corpus.load_options()
    if isinstance(corpus, pd.DataFrame):
        return load_corpus_frame(corpus, **{k: v for k, v in options.items() if k != "fmt"})
    with reading_progress(progress.counter("files") if progress is not None else None):
        return load_corpus(corpus, **options)


def embed_node(paragraphs: pd.DataFrame, cfg: Config, cache_dir, progress: RunProgress, engine=None):
    """Embed every paragraph (``embed.backend``: transformer through the cache, or static); returns (embedder, matrix).

    The embedder draws no bar of its own: finished batches count into ``progress``.
    """
    embedder = build_embedder(cfg.embed, cache_dir, show_progress=False).fit()
    map_batches = map_batches_locally if engine is None else engine.map_batches
    texts = paragraphs["text"].tolist()
    return embedder, embedder.transform_with(texts, progress.counted(map_batches, len(texts)))


def topics_node(paragraphs: pd.DataFrame, articles: pd.DataFrame, embeddings: np.ndarray, embedder,
                cfg: Config, engine=None):
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
                          unit_labels(units.fitted, paragraphs, articles, tcfg))
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


def topic_stage(timed, paragraphs: pd.DataFrame, articles: pd.DataFrame, embeddings: np.ndarray, embedder,
                cfg: Config, engine=None) -> StageOutput:
    """``topics_node``, ``stability_node`` and ``map_node`` (each timed) as one cacheable stage output."""
    topics, paragraph_topics, article_topics, resolved, extra, fitted = timed(
        "topics", topics_node, paragraphs, articles, embeddings, embedder, cfg, engine)
    stability = timed("topic_stability", stability_node, fitted, embedder, cfg)
    paragraph_map = timed("map", map_node, paragraph_topics, embeddings, cfg)
    tables = {"topics": topics, "paragraph_topics": paragraph_topics, "article_topics": article_topics,
              **extra, **stability, "paragraph_map": paragraph_map}
    return StageOutput(tables, {"resolved": resolved}, model=fitted)


def stance_stage(timed, sentences: pd.DataFrame, paragraph_topics: pd.DataFrame, articles: pd.DataFrame,
                 cfg: Config, cache_dir, engine=None) -> StageOutput:
    """``stance_node`` (timed) as a cacheable stage output: its tables, the scorer info and mention count."""
    mentions, tables, scorer = timed("stance", stance_node, sentences, paragraph_topics, articles, cfg,
                                     cache_dir, engine)
    return StageOutput(tables, {"stance_model": scorer, "mentions": len(mentions)})


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


# --------------------------------------------------------------------- graph
def run_pipeline(corpus=None, config: Config | str | Path | None = None,
                 output_dir: str | Path = "reports", *, cache_dir: str | Path | None = None,
                 show_progress: bool = True, engine="inprocess", scheduler=None,
                 reuse: bool = True, stage_cache: bool | None = None) -> RunResult:
    """Run the whole analysis and write ``<output_dir>/<run-id>/``.

    ``corpus`` is a path (file or folder), a list of paths, or a DataFrame of
    articles; ``None`` means the bundled sample corpus. ``config`` is a
    :class:`Config`, a TOML/YAML path, or ``None`` for the defaults.
    ``cache_dir`` holds the embedding cache (default: ``$ANALYSIS_CACHE_DIR``
    or ``~/.cache/analysis``); it never changes results, only speed.
    ``engine`` is ``"inprocess"`` (default), ``"dask"`` (with ``scheduler``,
    a Dask scheduler address) or an engine object; it never changes results.
    An engine made here from its name is closed when the run ends, also when
    a stage fails. ``show_progress`` shows the stages as they run and ends
    with a summary of warnings (:mod:`analysis.progress`); ``False`` prints
    nothing. With ``reuse``, an unchanged run (same input bytes, same
    config) is read back from its folder in ``output_dir``, or copied there
    from another output folder, instead of recomputed. ``stage_cache``
    (default: as ``reuse``) keeps the topic and stance stages' outputs in the
    cache folder (:mod:`analysis.stagecache`) and reuses them when their
    inputs and settings are unchanged.
    """
    set_offline()
    cfg = config if isinstance(config, Config) else load_config(config)
    corpus = DEFAULT_CORPUS if corpus is None else corpus
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    reuse_key = input_key(corpus, cfg, model_identities(cfg, cache_dir)) if reuse else None
    if (reused := reuse_run(reuse_key, output_dir, cache_dir)) is not None:
        return reused
    eng = get_engine(engine, scheduler) if isinstance(engine, str) else engine
    try:
        with RunProgress(show_progress) as progress:
            stages = StageCache(cache_dir) if (reuse if stage_cache is None else stage_cache) else None
            result = _run_graph(corpus, cfg, output_dir, cache_dir, progress, eng, stages)
        record_run(cache_dir, reuse_key, result.run_dir)
    finally:
        if isinstance(engine, str):
            eng.close()
    return result


def _run_graph(corpus, cfg: Config, output_dir, cache_dir: Path, progress: RunProgress, eng,
               stages: StageCache | None = None) -> RunResult:
    """Every node in order, timed; the run folder is built privately and published whole at the end."""
    timings: dict[str, float] = {}

    def timed(name, fn, *args):
        start = time.perf_counter()
        out = progress.run(name, fn, *args)  # shown while it runs, described when it ends
        timings[name] = time.perf_counter() - start
        return out

    loaded = timed("load", load_node, corpus, cfg, progress)
    if loaded.articles.empty:
        raise ValueError(f"no valid articles in {corpus}: {len(loaded.rejects)} records rejected; "
                         f"first: {loaded.first_rejects()}")
    paragraphs, sentences = timed("segment", segment, loaded.articles)
    fingerprint = corpus_fingerprint(loaded.articles)
    run = run_id(cfg, fingerprint)
    output_root(output_dir)  # a bad output folder fails now, not after the work
    embedder, embeddings = timed("embed", embed_node, paragraphs, cfg, cache_dir, progress, eng)
    embedded = {"embedded": embedder.n_embedded_, "embedding_cache_hits": embedder.n_cached_}  # paragraphs only
    articles = loaded.articles
    topic_out = cached_stage(stages, "topics",
                             lambda: topics_stage_key(cfg, paragraphs, articles, embeddings, embedder),
                             lambda: topic_stage(timed, paragraphs, articles, embeddings, embedder, cfg, eng))
    if topic_out.source == "hit":
        progress.skip("topics", "topic_stability", "map")
    topics, paragraph_topics = topic_out.tables["topics"], topic_out.tables["paragraph_topics"]
    fitted = topic_out.model  # None when read from the stage cache
    stance_out = cached_stage(stages, "stance", lambda: stance_stage_key(cfg, sentences, paragraph_topics, articles,
                                                                         cache_dir),
                              lambda: stance_stage(timed, sentences, paragraph_topics, articles, cfg, cache_dir, eng))
    if stance_out.source == "hit":
        progress.skip("stance")
    tables = {"articles": loaded.articles, "rejects": loaded.rejects,
              "near_duplicates": loaded.near_duplicates, "paragraphs": paragraphs,
              "sentences": sentences, "topics": topics, "paragraph_topics": paragraph_topics,
              "article_topics": topic_out.tables["article_topics"], **stance_out.tables, **topic_out.tables}
    run_dir = stage_run_dir(output_dir, run)  # built privately, published whole at the end
    digests = timed("write", write_node, tables, run_dir, cfg)
    if fitted is not None:  # the fitted BERTopic, as safetensors (analysis.topics.persist)
        save_topic_model(fitted.modeler, run_dir, fitted.ids, dict(zip(topics["topic"], topics["name"])))
    sync_folder(stages, topic_out, run_dir, TOPIC_MODEL_DIR)  # topic model saved by persist: kept with the stage
    counts = {"records": loaded.n_records, "accepted": len(loaded.articles),
              "rejected": len(loaded.rejects), "duplicates": loaded.n_duplicates,
              "paragraphs": len(paragraphs), "sentences": len(sentences),
              **embedded,
              "topics": int((topics["topic"] >= 0).sum()), "mentions": stance_out.info["mentions"],
              "warnings": len(loaded.warnings)}
    manifest = build_manifest(
        run=run, config=cfg, corpus=_corpus_info(corpus, fingerprint),
        model={"spec": cfg.embed.model, "path": str(embedder.model_path_),
               "fingerprint": embedder.fingerprint_},
        resolved=topic_out.info["resolved"], timings=timings, counts=counts, tables=digests)
    manifest.update(stance_model=stance_out.info["stance_model"], warnings=list(loaded.warnings),
                    engine=eng.describe(), stage_cache={"topics": topic_out.source, "stance": stance_out.source})
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
