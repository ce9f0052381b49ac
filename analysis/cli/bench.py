"""``analysis bench``: measured throughput, memory, cold versus warm, and plain baselines."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from analysis.eval.bench import bench_json, format_bench, format_warm, run_bench, warm_runs
from analysis.eval.bench.warm import warm_corpus
from analysis.paths import default_cache_dir

app = typer.Typer(help="Benchmark the pipeline on real corpora from ../shared/eval.")
console = Console(stderr=True, soft_wrap=True)


@app.callback(invoke_without_command=True)
def bench(n: Optional[int] = typer.Option(None, "--n", "-n", help="Documents (seeded sample); default: all (~47,000)."),
          corpus: list[str] = typer.Option(["20newsgroups", "reuters21578", "ag_news"], "--corpus", help="Corpora to combine."),
          backend: str = typer.Option("static", "--backend", help="Embedding backend of the pipeline run: static or transformer."),
          fit_sample: Optional[int] = typer.Option(5000, "--fit-sample", help="Fit topics on this many units, assign the rest (0 = fit on all)."),
          assign: str = typer.Option("transform", "--assign", help="How units outside the fit sample get a topic: transform or nearest."),
          stance_model: Optional[str] = typer.Option(None, "--stance-model", help="stance.model of the run: default, static, or a model directory (default: static on the static backend, else default)."),
          baseline_docs: int = typer.Option(300, "--baseline-docs", help="Documents for the plain sentence-transformers / BERTopic comparison (0 = skip)."),
          config: Optional[Path] = typer.Option(None, "--config", help="Base config (TOML/YAML)."),
          work_dir: Path = typer.Option(Path("bench-work"), "--work-dir", help="Folder for the corpus file and the run folders."),
          cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Cache folder (default: the user cache)."),
          engine: str = typer.Option("inprocess", "--engine", help="inprocess or dask."),
          scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (with --engine dask)."),
          json_out: Optional[Path] = typer.Option(None, "--json", help="Also write every figure as JSON."),
          seed: int = typer.Option(0, "--seed", help="Seed of the document sample."),
          warm_demo: bool = typer.Option(False, "--warm-demo", help="Only cold versus warm runs and edit timings on the bundled demo corpus (empty cache in --work-dir; whole-run reuse, stage cache only, embedding cache only)."),
          warm_on: Optional[str] = typer.Option(None, "--warm-corpus", help="As --warm-demo, on this corpus file or folder, or on -n documents (default 300) of a benchmark corpus: reuters21578, 20newsgroups, ag_news.")) -> None:
    """Per-stage throughput, peak RSS, cache hit rate, warm vs cold, and ratios to plain baselines."""
    if warm_demo or warm_on:
        try:
            corpus = warm_corpus(warm_on, work_dir, n, seed) if warm_on else None
        except (FileNotFoundError, ValueError) as err:
            console.print(f"error: {err}")
            raise typer.Exit(code=2)
        result = warm_runs(work_dir / ("warm" if warm_on else "warm-demo"), config=config, corpus=corpus)
        print(format_warm(result))
        if json_out:
            json_out.write_text(json.dumps(bench_json(result), indent=2, default=str) + "\n", encoding="utf-8")
        return
    try:
        result = run_bench(n, tuple(corpus), config=config, backend=backend, fit_sample=fit_sample or None,
                           assign=assign, stance_model=stance_model,
                           baseline_docs=baseline_docs, work_dir=work_dir,
                           cache_dir=cache_dir or default_cache_dir(), engine=engine,
                           scheduler=scheduler, seed=seed)
    except FileNotFoundError as err:
        console.print(f"skipped: {err}")
        raise typer.Exit(code=0)
    print(format_bench(result))
    if json_out:
        json_out.write_text(json.dumps(bench_json(result), indent=2, default=str) + "\n", encoding="utf-8")
        console.print(f"figures written to {json_out}")
