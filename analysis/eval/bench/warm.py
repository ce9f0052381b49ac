"""Cold versus warm runs of ``analysis bench --warm-demo``: what the caches save on the bundled corpus.

``analysis bench --warm-corpus FILE_OR_NAME`` measures the same on another
corpus: a corpus file or folder, or a seeded sample of a benchmark corpus
(``reuters21578``, ``20newsgroups``, ``ag_news``; ``-n`` documents).

A cold run starts from an empty cache folder. Three warm runs follow, each
into a new output folder with the same cache: whole-run reuse (the recorded
run is copied), the stage cache only (``reuse=False, stage_cache=True``:
topics and stance read from the cache, everything else recomputed) and the
embedding cache only (``reuse=False``: everything but the embeddings
recomputed). Every run's table digests are compared with the cold run's.
The cold run is then repeated as the command a researcher types
(``analysis run``, a new process with an empty cache), so that edits timed as
commands are compared with a run timed the same way.

Then the edits of a finished run (``analysis relabel``, ``analysis merge``)
are timed on copies of the cold run's folder, each as the function call and
as the command a researcher types (a new process, so Python's start-up and
imports count), beside the cold run and the embedding-cache-only rerun (the
whole pipeline recomputed but the embeddings).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from ...config import Config, config_to_toml, load_config
from ...edit import merge_topics, relabel_run
from ...paths import DEFAULT_CORPUS
from ...pipeline import run_pipeline
from ...runs import read_tables

#: (name, run_pipeline options) of the measured runs, in order; the first is the cold run.
WARM_CASES = (
    ("cold (empty cache)", {}),
    ("warm: whole-run reuse", {}),
    ("warm: stage cache only", {"reuse": False, "stage_cache": True}),
    ("warm: embedding cache only", {"reuse": False, "stage_cache": False}),
)


def warm_runs(work_dir: str | Path, config=None, corpus=None) -> dict:
    """Wall seconds of a cold run and of each warm run (``WARM_CASES``), with the speed-up over cold.

    ``work_dir`` is emptied first; it receives the cache folder and one
    output folder per run. ``corpus`` defaults to the bundled demo corpus.
    """
    work = Path(work_dir)
    shutil.rmtree(work, ignore_errors=True)
    cfg = config if isinstance(config, Config) else load_config(config)
    corpus = DEFAULT_CORPUS if corpus is None else corpus
    rows, cold = [], None
    for i, (name, options) in enumerate(WARM_CASES):
        start = time.perf_counter()
        result = run_pipeline(corpus, cfg, work / f"out-{i}", cache_dir=work / "cache", show_progress=False,
                              **options)
        seconds = time.perf_counter() - start
        cold = cold or (result, seconds)
        rows.append({"run": name, "seconds": seconds, "x_cold": cold[1] / seconds,
                     "same_tables": result.manifest["tables"] == cold[0].manifest["tables"],
                     "topics": _how(result.manifest, "topics"), "stance": _how(result.manifest, "stance")})
    counts = cold[0].manifest["counts"]
    runs = pd.DataFrame(rows)
    compare = {"cold run": runs["seconds"].iloc[0], "rerun, embeddings cached": runs["seconds"].iloc[-1]}
    if not isinstance(corpus, pd.DataFrame):
        compare["cold run as a command"] = cold_command(work / "command", cfg, corpus)
    return {"corpus": str(corpus), "docs": counts["accepted"], "paragraphs": counts["paragraphs"],
            "runs": runs, "edits": edit_timings(cold[0].run_dir, work / "edits", compare)}


def warm_corpus(spec: str, work_dir: str | Path, n: int | None = None, seed: int = 0) -> Path:
    """The corpus of ``--warm-corpus``: ``spec`` itself when it is a file or folder, else a seeded
    sample of ``n`` documents (default 300) of the benchmark corpus ``spec``, written to ``work_dir``."""
    if Path(spec).exists():
        return Path(spec)
    from ..corpora import BENCH_CORPORA, load_bench_corpus, write_corpus

    if spec not in BENCH_CORPORA:
        raise ValueError(f"--warm-corpus {spec}: no such file or folder, and not a benchmark corpus "
                         f"({', '.join(BENCH_CORPORA)})")
    corpus = load_bench_corpus((spec,), n=n or 300, seed=seed)
    return write_corpus(corpus, Path(work_dir) / f"{spec}-{len(corpus)}-{seed}.parquet")


def cold_command(work_dir: Path, cfg: Config, corpus) -> float:
    """Wall seconds of ``analysis run`` in a new process with an empty cache (config written to TOML)."""
    work_dir.mkdir(parents=True)
    config = work_dir / "config.toml"
    config.write_text(config_to_toml(cfg), encoding="utf-8")
    paths = [corpus] if isinstance(corpus, (str, Path)) else list(corpus)
    argv = ["run", *[arg for path in paths for arg in ("--corpus", str(path))], "--config", str(config),
            "--output", str(work_dir / "out"), "--cache-dir", str(work_dir / "cache"), "--quiet"]
    start = time.perf_counter()
    run_command(argv)
    return time.perf_counter() - start


def run_command(argv: list[str]) -> None:
    """``analysis ARGV...`` in a new Python process (start-up and imports included); fails if it does."""
    subprocess.run([sys.executable, "-c", "from analysis.cli import app; app()", *argv], check=True,
                   capture_output=True)


def edit_timings(run_dir: str | Path, work_dir: str | Path, runs: dict[str, float]) -> pd.DataFrame:
    """Seconds of a relabel and a merge of the two largest topics of ``run_dir``, on copies of it.

    Each edit is timed as a function call and as a command in a new process;
    ``runs`` (name -> seconds) gives the run times each is compared with
    (one ``pct of <name>`` column per run).
    """
    topics = read_tables(run_dir, ["topics"])["topics"]
    ids = [int(t) for t in topics.sort_values("size", ascending=False)["topic"] if int(t) >= 0][:2]
    if len(ids) < 2:
        return pd.DataFrame()
    cases = [("relabel", lambda d: relabel_run(d, {ids[0]: "Renamed topic"}),
              ["relabel", "--topic", f"{ids[0]}=Renamed topic"]),
             ("merge", lambda d: merge_topics(d, ids[0], ids[1]),
              ["merge", "--topics", f"{ids[0]},{ids[1]}"])]
    rows = []
    for name, call, argv in cases:
        for how in ("function", "command"):
            copy = Path(work_dir) / f"{name}-{how}"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(run_dir, copy)
            start = time.perf_counter()
            if how == "function":
                call(copy)
            else:
                run_command([argv[0], str(copy), *argv[1:]])
            seconds = time.perf_counter() - start
            rows.append({"edit": name, "as": how, "seconds": seconds,
                         **{f"pct of {run}": 100 * seconds / total for run, total in runs.items()}})
    return pd.DataFrame(rows)


def _how(manifest: dict, stage: str) -> str:
    if manifest.get("reused"):
        return "copied"
    return manifest.get("stage_cache", {}).get(stage, "computed")
