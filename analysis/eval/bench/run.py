"""``run_bench``: the whole benchmark on a real corpus, as tables of measured figures."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...config import Config, load_config
from ...corpus import load_corpus_frame, segment
from ...embed import Embedder, StaticEmbedder, article_vectors
from ...topics import modelled_units
from ..corpora import BENCH_CORPORA, load_bench_corpus, write_corpus
from .measure import embedding_baseline, pipeline_runs
from .stance import stance_throughput
from .topics import topic_baseline, topic_quality


def bench_config(base=None, backend: str = "static", fit_sample: int | None = 5000,
                 assign: str = "transform", stance_model: str | None = None):
    """The run config of the benchmark: ``base`` (a Config or file) with backend, fit sample,
    assignment and stance model set.

    ``stance_model=None`` follows the backend: ``"static"`` (the frozen
    learner on static features, the fast path) on the static backend,
    ``"default"`` (the fine-tuned cross-encoder) on the transformer. The
    learner's models (``"static"``, ``"fast"`` or a learner folder) are
    scored by ``stance.learner.v1``.
    """
    cfg = base if isinstance(base, Config) else load_config(base)
    data = cfg.to_dict()
    data["embed"]["backend"] = backend
    model = stance_model or ("static" if backend == "static" else "default")
    data["stance"]["model"] = model
    if model in ("static", "fast"):
        data["stance"]["scorer"] = "stance.learner.v1"
    data["topics"]["fit_sample"] = fit_sample
    data["topics"]["assign"] = assign
    return Config.model_validate(data)


def run_bench(n: int | None = None, corpora=BENCH_CORPORA, *, config=None, backend: str = "static",
              fit_sample: int | None = 5000, assign: str = "transform", stance_model: str | None = None,
              baseline_docs: int = 300,
              work_dir: str | Path,
              cache_dir: str | Path, engine: str = "inprocess", scheduler=None, seed: int = 0) -> dict:
    """Measure the pipeline on ``n`` documents and the baselines on ``baseline_docs`` of them.

    Returns a dict of tables and figures (see :func:`format_bench`). Raises
    ``FileNotFoundError`` when the evaluation data is absent.
    """
    work_dir, cache_dir = Path(work_dir), Path(cache_dir)
    cfg = bench_config(config, backend, fit_sample, assign, stance_model)
    corpus = load_bench_corpus(corpora, n=n, seed=seed)
    path = write_corpus(corpus, work_dir / f"corpus-{len(corpus)}-{seed}.parquet")
    out = {"n_docs": len(corpus), "corpora": list(corpora), "backend": backend, "fit_sample": fit_sample,
           "assign": assign, "stance_model": cfg.stance.model,
           "pipeline": pipeline_runs(path, cfg, work_dir / "runs", cache_dir, engine, scheduler)}
    if baseline_docs:
        subset = corpus.sample(n=min(baseline_docs, len(corpus)), random_state=seed).sort_index()
        out.update(measure_baselines(subset, cfg, cache_dir))
    return out


def measure_baselines(corpus: pd.DataFrame, cfg, cache_dir: Path) -> dict:
    """Plain sentence-transformers and plain BERTopic against ours on the same documents, and topic quality."""
    articles = load_corpus_frame(corpus.drop(columns=["label", "corpus"])).articles
    paragraphs, sentences = segment(articles)
    texts = paragraphs["text"].tolist()
    emb, extra = embedding_baseline(texts, cfg.embed.model, cfg.embed.batch_size, cache_dir,
                                    cfg.embed.static_dims)
    tcfg = cfg.topics.model_copy(update={"fit_sample": None})
    transformer = Embedder(model=cfg.embed.model, cache_dir=str(cache_dir / "bench-embed"),
                           show_progress=False).fit()
    static = StaticEmbedder(model=cfg.embed.model, dims=cfg.embed.static_dims, cache_dir=str(cache_dir)).fit()
    _, docs, vecs = modelled_units(paragraphs, extra["transformer"], tcfg)
    topics = topic_baseline(docs, vecs, transformer, tcfg, cfg.seed)
    label_of = corpus.set_index("article_id")["label"]
    ids, tvecs = article_vectors(paragraphs, extra["transformer"])
    _, svecs = article_vectors(paragraphs, extra["static"])
    texts_by_article = paragraphs.groupby("article_id", sort=False)["text"].agg("\n\n".join).loc[ids].tolist()
    quality = topic_quality(texts_by_article, label_of.loc[ids].tolist(),
                            {"transformer": tvecs, "static": svecs},
                            {"transformer": transformer, "static": static}, tcfg, cfg.seed)
    return {"baseline_docs": len(articles), "baseline_paragraphs": len(texts), "embedding": emb,
            "min_cosine_vs_plain": extra["min_cosine_vs_plain"], "topics": topics, "quality": quality,
            "stance": stance_throughput(sentences, cache_dir)}
