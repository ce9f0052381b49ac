"""``analysis topics``: evaluate, stability, sweep and benchmark of the topic model."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import pandas as pd
import typer
from rich.console import Console

from analysis.config import ConfigError, load_config
from analysis.corpus import CorpusError
from analysis.eval.corpora import load_eval_articles
from analysis.eval.topics import parse_value, run_benchmark
from analysis.eval.topics import sweep as run_sweep
from analysis.paths import default_cache_dir
from analysis.report.figures import save_figure
from analysis.report.figures_topics import topic_quality
from analysis.report.figures_topics import topic_stability as stability_figure
from analysis.topics import evaluate_modeler
from analysis.topics.evaluate import summary_table
from analysis.topics.inputs import document_vectors, load_articles, prepare
from analysis.topics.modeler import TopicModeler
from analysis.topics.outputs import topic_quality_table
from analysis.topics.stability import stability_seeds, topic_stability

app = typer.Typer(help="Evaluate, stress-test and benchmark the topic model.", no_args_is_help=True)
console = Console(stderr=True)

CORPUS = typer.Option(None, "--corpus", "-c", help="Corpus file(s) or folder; default: the bundled sample.")
EVAL = typer.Option(None, "--eval", help="An evaluation corpus in ../shared/eval: 20newsgroups, ag_news, reuters21578.")
SPLIT = typer.Option("test", "--split", help="Split of the evaluation corpus.")
SAMPLE = typer.Option(None, "--sample", help="Random sample of this many documents (seeded by --sample-seed).")
SAMPLE_SEED = typer.Option(0, "--sample-seed", help="Seed of the document sample.")
LABEL = typer.Option(None, "--label-column", help="Input field holding a reference label (used only to score).")
CONFIG = typer.Option(None, "--config", help="TOML or YAML config; default: built-in defaults.")
CACHE = typer.Option(None, "--cache-dir", help="Embedding and reduction cache folder.")
OUT = typer.Option(None, "--output", "-o", help="Write the tables as CSV into this folder.")


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)


def _show(title: str, df, output: Optional[Path], name: str) -> None:
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.max_colwidth", 50,
                           "display.float_format", "{:.3f}".format):
        print(f"\n{title}\n{df.to_string(index=False)}")
    if output:
        output.mkdir(parents=True, exist_ok=True)
        df.to_csv(output / f"{name}.csv", index=False)


def _figure(fig, output: Optional[Path], stem: str) -> None:
    """Save a figure as PNG and PDF into ``output`` (when given and there is a figure)."""
    if output and fig is not None:
        paths = save_figure(fig, output, stem)
        print(f"figure: {paths.get('png', next(iter(paths.values())))}")


def _input(corpus, eval_corpus, split, sample, label_column, config, cache_dir, sample_seed=0):
    """(cfg, articles, labelled, cache) with errors turned into one-line messages."""
    paths = None if not corpus else (corpus[0] if len(corpus) == 1 else list(corpus))
    try:
        cfg = load_config(config)
        if eval_corpus:
            articles, labelled = load_eval_articles(eval_corpus, split, sample, sample_seed), True
        else:
            articles, labelled = load_articles(paths, sample, label_column, sample_seed)
    except (ConfigError, CorpusError, FileNotFoundError, ValueError) as err:
        _fail(str(err))
    return cfg, articles, labelled, str(cache_dir or default_cache_dir())


@app.command()
def evaluate(corpus: Optional[list[Path]] = CORPUS, eval_corpus: Optional[str] = EVAL, split: str = SPLIT,
             sample: Optional[int] = SAMPLE, sample_seed: int = SAMPLE_SEED, label_column: Optional[str] = LABEL,
             config: Optional[Path] = CONFIG, cache_dir: Optional[Path] = CACHE,
             output: Optional[Path] = OUT) -> None:
    """Fit the topic model and report NPMI, diversity, outliers, sizes (and NMI/ARI with labels)."""
    cfg, articles, labelled, cache = _input(corpus, eval_corpus, split, sample, label_column, config, cache_dir, sample_seed)
    data = prepare(articles, labelled, cfg, cache)
    ids, docs, vecs = data.units(cfg)
    fitted = TopicModeler(cfg.topics, data.embedder, cfg.seed, cache).fit(docs, vecs)
    scores, summary = evaluate_modeler(fitted, docs, data.labels_for(ids, cfg))
    quality = topic_quality_table(scores, fitted.topic_table(ids, vecs))
    summary["outlier_share_before_reduction"] = fitted.outlier_share_before_
    _show("topic quality (NPMI of the top words, on this corpus)", quality, output, "topic_quality")
    _show("evaluation", summary_table(summary), output, "topic_evaluation")
    _figure(topic_quality(quality), output, "topic_quality")


@app.command()
def stability(corpus: Optional[list[Path]] = CORPUS, eval_corpus: Optional[str] = EVAL, split: str = SPLIT,
              sample: Optional[int] = SAMPLE, sample_seed: int = SAMPLE_SEED, config: Optional[Path] = CONFIG,
              seeds: int = typer.Option(5, "--seeds", "-n", help="Number of seeds (config seed, +1, +2, ...)."),
              min_overlap: float = typer.Option(0.5, "--min-overlap", help="Jaccard overlap for a topic to recur."),
              consensus: bool = typer.Option(False, "--consensus", help="Also write consensus assignments (recurring topics only)."),
              min_recurrence: float = typer.Option(0.5, "--min-recurrence", help="Share of other runs a kept topic recurs in."),
              cache_dir: Optional[Path] = CACHE, output: Optional[Path] = OUT) -> None:
    """Fit under N seeds, match topics across runs, report pairwise ARI and per-topic recurrence."""
    if seeds < 2:
        _fail("--seeds must be at least 2")
    cfg, articles, labelled, cache = _input(corpus, eval_corpus, split, sample, None, config, cache_dir, sample_seed)
    data = prepare(articles, labelled, cfg, cache)
    ids, docs, vecs = data.units(cfg)
    result = topic_stability(docs, vecs, cfg.topics, data.embedder, stability_seeds(cfg.seed, seeds),
                             cache_dir=cache, min_overlap=min_overlap, min_recurrence=min_recurrence)
    _show("runs", result.runs, output, "stability_runs")
    _show(f"pairwise agreement (mean ARI {result.mean_ari:.3f})", result.pairs, output, "stability_pairs")
    _show(f"topics of the first run (seed {cfg.seed}) and how often they recur", result.topics, output,
          "stability_topics")
    _figure(stability_figure(result.topics), output, "topic_stability")
    if consensus:
        table = pd.DataFrame({"id": ids, "topic": result.consensus})
        kept = int(result.topics["kept"].sum())
        print(f"\nconsensus: {kept} of {len(result.topics)} topics kept; "
              f"outlier share {float((result.consensus == -1).mean()):.3f}")
        if output:
            output.mkdir(parents=True, exist_ok=True)
            table.to_csv(output / "stability_consensus.csv", index=False)


@app.command()
def sweep(key: str = typer.Argument(..., help="Dotted config key, e.g. topics.hdbscan.min_cluster_size."),
          values: str = typer.Argument(..., help="Comma-separated values, e.g. 5,10,20,auto."),
          corpus: Optional[list[Path]] = CORPUS, eval_corpus: Optional[str] = EVAL, split: str = SPLIT,
          sample: Optional[int] = SAMPLE, sample_seed: int = SAMPLE_SEED, label_column: Optional[str] = LABEL,
          config: Optional[Path] = CONFIG, cache_dir: Optional[Path] = CACHE,
          output: Optional[Path] = OUT) -> None:
    """Refit for each value of one setting, reusing cached embeddings and reduced vectors."""
    cfg, articles, labelled, cache = _input(corpus, eval_corpus, split, sample, label_column, config, cache_dir, sample_seed)
    data = prepare(articles, labelled, cfg, cache)
    ids, docs, vecs = data.units(cfg)
    try:
        table = run_sweep(docs, vecs, cfg, key, [parse_value(v) for v in values.split(",")],
                          data.embedder, data.labels_for(ids, cfg), cache)
    except (ConfigError, KeyError) as err:
        _fail(str(err).strip("'\""))
    _show(f"sweep of {key} ({len(docs)} documents, embeddings from the cache)", table, output, "sweep")


@app.command()
def benchmark(corpus: Optional[list[Path]] = CORPUS, eval_corpus: Optional[str] = EVAL, split: str = SPLIT,
              sample: Optional[int] = SAMPLE, sample_seed: int = SAMPLE_SEED, label_column: Optional[str] = LABEL,
              config: Optional[Path] = CONFIG, cache_dir: Optional[Path] = CACHE,
              output: Optional[Path] = OUT) -> None:
    """Our default config against plain BERTopic (and seeded UMAP + stop words + mcs 30), same embeddings."""
    cfg, articles, labelled, cache = _input(corpus, eval_corpus, split, sample, label_column, config, cache_dir, sample_seed)
    embedder, vectors = document_vectors(articles, cfg, cache)
    labels = articles["tags"].map(lambda t: t[0] if len(t) else None).tolist() if labelled else None
    table = run_benchmark(articles["text"].tolist(), vectors, embedder, labels, cfg.topics, cfg.seed)
    what = eval_corpus and f"{eval_corpus} ({split})" or "corpus"
    _show(f"benchmark on {what}: {len(articles)} documents, one vector per document", table, output, "benchmark")
