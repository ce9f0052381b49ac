"""``analysis topics``: evaluate, stability, sweep and benchmark of the topic model."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import pandas as pd
import typer
from rich.console import Console

from analysis.cli.options import FORMAT_OPTION, with_format
from analysis.cli.options import fail as _fail
from analysis.config import ConfigError, load_config
from analysis.corpus import CorpusError
from analysis.eval.corpora import load_eval_articles
from analysis.eval.topic_methods import FASTOPIC_EPOCHS, METHODS
from analysis.eval.topics import parse_value
from analysis.eval.topics_benchmark import (benchmark_frame, dataset_names, formatted, markdown_table,
                                             run_topic_benchmark, summarize)
from analysis.eval.topics import sweep as run_sweep
from analysis.paths import default_cache_dir
from analysis.report.figure_files import save_figure
from analysis.report.figures_topics import topic_quality
from analysis.report.figures_topics import topic_stability as stability_figure
from analysis.topics import evaluate_modeler
from analysis.topics.evaluate import summary_table
from analysis.topics.inputs import load_articles, prepare
from analysis.topics.modeler import TopicModeler
from analysis.topics.outputs import topic_quality_table
from analysis.topics.stage import unit_articles
from analysis.topics.stability import stability_seeds, topic_stability

app = typer.Typer(help="Evaluate, stress-test and benchmark the topic model.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)

CORPUS = typer.Option(None, "--corpus", "-c", help="Corpus file(s) or folder; default: the bundled sample.")
EVAL = typer.Option(None, "--eval", help="An evaluation corpus in ../shared/eval: 20newsgroups, ag_news, reuters21578.")
SPLIT = typer.Option("test", "--split", help="Split of the evaluation corpus.")
SAMPLE = typer.Option(None, "--sample", help="Random sample of this many documents (seeded by --sample-seed).")
SAMPLE_SEED = typer.Option(0, "--sample-seed", help="Seed of the document sample.")
LABEL = typer.Option(None, "--label-column", help="Input field holding a reference label (used only to score).")
CONFIG = typer.Option(None, "--config", help="TOML or YAML config; default: built-in defaults.")
CACHE = typer.Option(None, "--cache-dir", help="Embedding and reduction cache folder.")
OUT = typer.Option(None, "--output", "-o", help="Write the tables as CSV into this folder.")


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


def _input(corpus, eval_corpus, split, sample, label_column, config, cache_dir, sample_seed=0, fmt=None):
    """(cfg, articles, labelled, cache) with errors turned into one-line messages.

    ``fmt`` (``--format``) names the reader of every ``--corpus`` path.
    """
    paths = None if not corpus else (corpus[0] if len(corpus) == 1 else list(corpus))
    try:
        cfg = with_format(load_config(config), fmt)
        if eval_corpus:
            articles, labelled = load_eval_articles(eval_corpus, split, sample, sample_seed), True
        else:
            articles, labelled = load_articles(paths, sample, label_column, sample_seed, cfg.corpus.format,
                                               cfg.corpus.columns)
    except (ConfigError, CorpusError, FileNotFoundError, ValueError) as err:
        _fail(str(err))
    return cfg, articles, labelled, str(cache_dir or default_cache_dir())


@app.command()
def evaluate(corpus: Optional[list[Path]] = CORPUS, eval_corpus: Optional[str] = EVAL, split: str = SPLIT,
             sample: Optional[int] = SAMPLE, sample_seed: int = SAMPLE_SEED, label_column: Optional[str] = LABEL,
             config: Optional[Path] = CONFIG, cache_dir: Optional[Path] = CACHE,
             output: Optional[Path] = OUT, fmt: Optional[str] = FORMAT_OPTION) -> None:
    """Fit the topic model and report NPMI, diversity, outliers, sizes (and NMI/ARI with labels)."""
    cfg, articles, labelled, cache = _input(corpus, eval_corpus, split, sample, label_column, config, cache_dir, sample_seed, fmt)
    data = prepare(articles, labelled, cfg, cache)
    ids, docs, vecs = data.units(cfg)
    groups = unit_articles(data.paragraphs, ids, cfg.topics)  # article of each paragraph: k is chosen on articles
    fitted = TopicModeler(cfg.topics, data.embedder, cfg.seed, cache).fit(docs, vecs, groups)
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
              cache_dir: Optional[Path] = CACHE, output: Optional[Path] = OUT,
              fmt: Optional[str] = FORMAT_OPTION) -> None:
    """Fit under N seeds, match topics across runs, report pairwise ARI and per-topic recurrence."""
    if seeds < 2:
        _fail("--seeds must be at least 2")
    cfg, articles, labelled, cache = _input(corpus, eval_corpus, split, sample, None, config, cache_dir, sample_seed, fmt)
    data = prepare(articles, labelled, cfg, cache)
    ids, docs, vecs = data.units(cfg)
    result = topic_stability(docs, vecs, cfg.topics, data.embedder, stability_seeds(cfg.seed, seeds),
                             cache_dir=cache, min_overlap=min_overlap, min_recurrence=min_recurrence,
                             groups=unit_articles(data.paragraphs, ids, cfg.topics))
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
          output: Optional[Path] = OUT, fmt: Optional[str] = FORMAT_OPTION) -> None:
    """Refit for each value of one setting, reusing cached embeddings and reduced vectors."""
    cfg, articles, labelled, cache = _input(corpus, eval_corpus, split, sample, label_column, config, cache_dir, sample_seed, fmt)
    data = prepare(articles, labelled, cfg, cache)
    ids, docs, vecs = data.units(cfg)
    try:
        table = run_sweep(docs, vecs, cfg, key, [parse_value(v) for v in values.split(",")],
                          data.embedder, data.labels_for(ids, cfg), cache,
                          unit_articles(data.paragraphs, ids, cfg.topics))
    except (ConfigError, KeyError) as err:
        _fail(str(err).strip("'\""))
    _show(f"sweep of {key} ({len(docs)} documents, embeddings from the cache)", table, output, "sweep")


@app.command()
def benchmark(corpus: Optional[list[Path]] = CORPUS,
              eval_corpus: Optional[str] = typer.Option(
                  None, "--eval", help="20newsgroups, reuters, ag_news or all (read from ../shared/eval)."),
              split: Optional[str] = typer.Option(None, "--split", help="Split; default: test."),
              seeds: int = typer.Option(3, "--seeds", "-n", help="Seeds per method (config seed, +1, +2, ...)."),
              methods: Optional[str] = typer.Option(
                  None, "--methods", help=f"Comma-separated subset of: {', '.join(METHODS)} (default: all)."),
              sample: Optional[int] = typer.Option(
                  None, "--sample", help="Stratified sample of this many documents per data set."),
              sample_seed: int = SAMPLE_SEED, label_column: Optional[str] = LABEL,
              fastopic_epochs: int = typer.Option(FASTOPIC_EPOCHS, "--fastopic-epochs", help="FASTopic training epochs."),
              config: Optional[Path] = CONFIG, cache_dir: Optional[Path] = CACHE,
              output: Optional[Path] = OUT, fmt: Optional[str] = FORMAT_OPTION) -> None:
    """Our default model, plain BERTopic, TF-IDF + k-means (true k) and FASTopic (true k), over seeds.

    Document level: one vector per document, the same for every method.
    Prints mean ± sd over the seeds; -o writes benchmark.csv (mean and sd
    columns), benchmark_seeds.csv (one row per seed) and benchmark.md.
    """
    if seeds < 1:
        _fail("--seeds must be at least 1")
    chosen = [m.strip() for m in methods.split(",")] if methods else list(METHODS)
    unknown = [m for m in chosen if m not in METHODS]
    if unknown:
        _fail(f"unknown method {', '.join(unknown)}; known: {', '.join(METHODS)}")
    try:
        cfg = with_format(load_config(config), fmt)
        seed_list = list(stability_seeds(cfg.seed, seeds))
        cache = str(cache_dir or default_cache_dir())
        log = lambda message: console.print(message, highlight=False)  # noqa: E731
        if eval_corpus:
            per_seed = run_topic_benchmark(dataset_names(eval_corpus), seed_list, cfg, cache, methods=chosen,
                                           split=split, sample=sample, sample_seed=sample_seed,
                                           fastopic_epochs=fastopic_epochs, log=log)
        else:
            paths = None if not corpus else (corpus[0] if len(corpus) == 1 else list(corpus))
            articles, labelled = load_articles(paths, sample, label_column, sample_seed, cfg.corpus.format,
                                               cfg.corpus.columns)
            labels = [t[0] if len(t) else None for t in articles["tags"]] if labelled else None
            per_seed = benchmark_frame("corpus", "-", articles, labels, seed_list, cfg, cache,
                                       methods=chosen, fastopic_epochs=fastopic_epochs, log=log)
    except (ConfigError, CorpusError, FileNotFoundError, ValueError) as err:
        _fail(str(err))
    summary = summarize(per_seed)
    _show(f"benchmark, mean ± sd over seeds {', '.join(map(str, seed_list))} (document level)",
          formatted(summary), None, "benchmark")
    for note in sorted(set(summary.loc[summary["status"] != "ok", "method"] + ": " +
                           summary.loc[summary["status"] != "ok", "status"])):
        console.print(f"[yellow]skipped[/] {note}", highlight=False)
    if output:
        output.mkdir(parents=True, exist_ok=True)
        summary.to_csv(output / "benchmark.csv", index=False)
        per_seed.to_csv(output / "benchmark_seeds.csv", index=False)
        (output / "benchmark.md").write_text(markdown_table(summary) + "\n")
        print(f"tables: {output / 'benchmark.csv'}, {output / 'benchmark_seeds.csv'}")
