"""New articles scored against a finished run: its topics and its stance scorer, with no refit.

:func:`assign_run` reads and segments a new corpus with the run's config
(from its manifest), embeds the paragraphs with the run's embedder through
the embedding cache, and assigns each modelled unit (paragraph, or article
with ``topics.unit = "article"``) to a topic of the run's saved topic model
with BERTopic's ``transform``. A saved model has no UMAP or HDBSCAN, so
``transform`` gives each unit the topic whose embedding is most similar
(cosine); the similarity is kept in ``paragraph_topics.similarity``.
Paragraphs too short to model take a neighbour's topic, as in the run.
With the article as unit, each paragraph of at least ``topics.min_words``
words then takes the topic whose centroid is most similar, with the
centroids the run saved, as in the run (a mixed article keeps several
topics); topics merged since are followed to the topic they went into.
Stance is scored on the new sentences with the run's scorer and targets by
the pipeline's own stance node (same aggregates, intervals and evidence).

Tables are written (Parquet and CSV) to ``<run_dir>/assigned/<corpus
fingerprint[:12]>/`` by default, with ``assignment.json`` saying which run,
which corpus and how, and what reading the corpus warned about (columns
mapped or ignored, files skipped); rejected records are in ``rejects``.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Config, with_columns, with_format
from .corpus import corpus_fingerprint, segment
from .embed import build_embedder, set_offline
from .io import write_json, write_table
from .manifest import config_of, read_manifest
from .paths import ASSIGNED_DIR, default_cache_dir
from .pipeline import load_node, stance_node
from .runs import read_tables
from .topics import article_topic_table, modelled_units, own_paragraph_topics, paragraph_topic_table
from .topics.persist import load_topic_model, merged_topic, paragraph_centroids, run_info

#: The tables an assignment writes besides the stance tables.
_STANCE_TABLES = ("stance", "stance_by_target", "stance_by_article", "stance_by_topic",
                  "stance_by_source", "stance_by_time", "stance_contrasts", "evidence")


def assign_run(run_dir: str | Path, corpus, output_dir: str | Path | None = None, *,
               cache_dir: str | Path | None = None, fmt: str | None = None,
               columns: dict[str, str] | None = None,
               show_progress: bool = False) -> dict[str, pd.DataFrame]:
    """Topics and stance of a new ``corpus`` (path(s) or DataFrame) under the run in ``run_dir``.

    ``fmt`` reads every corpus path as that format (as ``analysis run
    --format``); ``columns`` ({field: column}, as ``--column``) adds to the
    run's ``corpus.columns``. Returns the tables written to ``output_dir``
    (default ``<run_dir>/assigned/<fingerprint[:12]>/``).
    """
    start = time.perf_counter()
    run_dir = Path(run_dir)
    manifest = read_manifest(run_dir)
    cfg = with_columns(with_format(config_of(manifest), fmt), columns)
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    set_offline()
    loaded = load_node(corpus, cfg)
    if loaded.articles.empty:
        raise ValueError(f"no valid articles in {corpus}: {len(loaded.rejects)} records rejected; "
                         f"first: {loaded.first_rejects()}")
    paragraphs, sentences = segment(loaded.articles)
    embeddings = _embed(paragraphs, cfg, manifest, cache_dir, show_progress)
    paragraph_topics = _topics(run_dir, manifest, paragraphs, embeddings, cfg)
    mentions, stance, _ = stance_node(sentences, paragraph_topics, loaded.articles, cfg, cache_dir)
    tables = {"articles": loaded.articles, "rejects": loaded.rejects, "paragraphs": paragraphs,
              "sentences": sentences, "paragraph_topics": paragraph_topics,
              "article_topics": article_topic_table(paragraphs, paragraph_topics),
              "topics": _topic_sizes(run_dir, paragraph_topics, cfg), "mentions": mentions,
              **{name: stance[name] for name in _STANCE_TABLES}}
    fingerprint = corpus_fingerprint(loaded.articles)
    out = Path(output_dir) if output_dir else run_dir / ASSIGNED_DIR / fingerprint[:12]
    for name, df in tables.items():
        write_table(df, out, name, csv=len(df) <= cfg.report.csv_max_rows)
    write_json(out / "assignment.json", {
        "run_id": manifest["run_id"], "run_dir": str(run_dir.resolve()),
        "corpus_fingerprint": fingerprint, "articles": len(loaded.articles),
        "rejected": len(loaded.rejects), "paragraphs": len(paragraphs),
        "warnings": [str(w) for w in loaded.warnings],
        "method": "BERTopic transform of the saved model: nearest topic embedding (cosine)",
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - start, 3)})
    return tables


def _embed(paragraphs: pd.DataFrame, cfg: Config, manifest: dict, cache_dir: Path,
           show_progress: bool) -> np.ndarray:
    """The paragraphs' vectors by the run's embedder (the same model, checked by fingerprint)."""
    embedder = build_embedder(cfg.embed, cache_dir, show_progress).fit()
    expected = manifest.get("model_fingerprint") or (manifest.get("model") or {}).get("fingerprint")
    if expected and embedder.fingerprint_ != expected:
        raise ValueError(f"the embedding model {cfg.embed.model} on this machine differs from the run's "
                         f"(fingerprint {embedder.fingerprint_[:12]} != {expected[:12]}): topics would not match")
    return embedder.transform(paragraphs["text"].tolist())


def _topics(run_dir: Path, manifest: dict, paragraphs: pd.DataFrame, embeddings: np.ndarray,
            cfg: Config) -> pd.DataFrame:
    """``paragraph_topics`` of the new paragraphs, in run topic ids, with each unit's similarity."""
    model = load_topic_model(run_dir, manifest)
    to_run = model.run_topic_ids_
    ids, docs, vectors = modelled_units(paragraphs, embeddings, cfg.topics)
    topics, similarity = model.transform(docs, np.asarray(vectors, dtype=np.float32))
    run_topics = np.array([to_run.get(int(t), int(t)) for t in topics], dtype=np.int64)
    if cfg.topics.unit == "article":
        per_paragraph = _article_paragraph_topics(run_dir, paragraphs, embeddings,
                                                  pd.Series(run_topics, index=ids))
        sim = paragraphs["article_id"].map(pd.Series(similarity, index=ids)).to_numpy()
    else:
        per_paragraph = pd.Series(run_topics, index=ids)
        sim = paragraphs["paragraph_id"].map(pd.Series(similarity, index=ids)).to_numpy()
    table = paragraph_topic_table(paragraphs, per_paragraph)
    table["similarity"] = np.asarray(sim, dtype=float)
    return table


def _article_paragraph_topics(run_dir: Path, paragraphs: pd.DataFrame, embeddings: np.ndarray,
                              article_topic: pd.Series) -> pd.Series:
    """paragraph_id -> run topic with the article as unit: the run's paragraph rule and centroids.

    A run saved without centroids gives every paragraph its article's topic.
    """
    meta = run_info(run_dir)
    saved = paragraph_centroids(run_dir, meta)
    if saved is None:
        return pd.Series(paragraphs["article_id"].map(article_topic).to_numpy(),
                         index=paragraphs["paragraph_id"].to_numpy())
    centroids, min_words = saved
    own = own_paragraph_topics(paragraphs, embeddings, article_topic, centroids, min_words)
    return own.map(merged_topic(meta)).astype(np.int64)


def _topic_sizes(run_dir: Path, paragraph_topics: pd.DataFrame, cfg: Config) -> pd.DataFrame:
    """The run's topics (id, name, keywords) with sizes and shares over the new corpus's units."""
    topics = read_tables(run_dir, ["topics"])["topics"][["topic", "name", "keywords"]]
    units = (paragraph_topics.drop_duplicates("article_id") if cfg.topics.unit == "article"
             else paragraph_topics[paragraph_topics["probability"].notna()])
    counts = units["topic"].value_counts()
    out = topics.copy()
    out["size"] = out["topic"].map(counts).fillna(0).astype("int64")
    out["share"] = out["size"] / max(len(units), 1)
    return out
