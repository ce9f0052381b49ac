"""The measurements of ``analysis bench``: pipeline stages, cold and warm, and plain baselines.

Every figure is measured here, on the machine that runs it; nothing is
asserted. Throughputs are documents (or paragraphs) per second of wall time.
"""
from __future__ import annotations

import resource
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ...embed import Embedder, StaticEmbedder
from ...embed.model import load_sentence_transformer
from ...pipeline import run_pipeline

STAGES = ("load", "segment", "embed", "topics", "map", "stance", "write", "report")


def cpu_seconds() -> float:
    """User plus system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stage_table(manifest: dict) -> pd.DataFrame:
    """Per stage: seconds, documents/s and paragraphs/s (from a run's manifest)."""
    counts, rows = manifest["counts"], []
    for stage, seconds in manifest["timings"].items():
        rate = (lambda n: n / seconds if seconds > 0 else float("inf"))
        rows.append({"stage": stage, "seconds": seconds, "docs_per_s": rate(counts["accepted"]),
                     "paragraphs_per_s": rate(counts["paragraphs"])})
    return pd.DataFrame(rows)


def pipeline_runs(corpus_path: Path, config, out_dir: Path, cache_dir: Path, engine="inprocess",
                  scheduler=None) -> dict:
    """A cold run (fresh output folder), then a warm rerun of the same config into the same folder."""
    shutil.rmtree(out_dir, ignore_errors=True)
    start, cpu = time.perf_counter(), cpu_seconds()
    cold = run_pipeline(corpus_path, config, out_dir, cache_dir=cache_dir, show_progress=False,
                        engine=engine, scheduler=scheduler)
    cold_s, cold_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    rss = peak_rss_mb()
    start = time.perf_counter()
    warm = run_pipeline(corpus_path, config, out_dir, cache_dir=cache_dir, show_progress=False)
    warm_s = time.perf_counter() - start
    counts = cold.manifest["counts"]
    seen = counts["embedding_cache_hits"] + counts["embedded"]
    return {"stages": stage_table(cold.manifest), "cold_s": cold_s, "cold_cpu_s": cold_cpu, "warm_s": warm_s,
            "warm_reused": bool(warm.manifest.get("reused")), "peak_rss_mb": rss,
            "docs": counts["accepted"], "paragraphs": counts["paragraphs"],
            "cache_hit_rate": counts["embedding_cache_hits"] / seen if seen else float("nan"),
            "resolved": cold.manifest.get("resolved", {}), "run_dir": str(cold.run_dir)}


def embedding_baseline(texts: list[str], model: str, batch_size: int, cache_dir: Path,
                       static_dims: int | None, rounds: int = 5) -> tuple[pd.DataFrame, dict]:
    """Plain ``SentenceTransformer.encode`` against our transformer and static embedders, same texts.

    The texts are cut into ``rounds`` slices and the three embedders take
    turns on each slice, so a change in machine load hits all three alike.
    Our transformer embedder starts from an empty cache (a cold run), so its
    time includes hashing, batching and writing the cache. Wall and CPU
    seconds are summed over the slices.
    """
    shutil.rmtree(cache_dir / "bench-embed", ignore_errors=True)
    ours = Embedder(model=model, batch_size=batch_size, cache_dir=str(cache_dir / "bench-embed"),
                    show_progress=False).fit()
    st = load_sentence_transformer(str(ours.model_path_))
    static = StaticEmbedder(model=model, dims=static_dims, cache_dir=str(cache_dir)).fit()
    runners = {
        "sentence-transformers encode (plain)": lambda t: st.encode(
            t, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False),
        "analysis transformer (cold cache)": ours.transform,
        "analysis static (model2vec)": static.transform,
    }
    for run in runners.values():
        run(["warm-up text", "another warm-up text"])  # load models outside the timings
    shutil.rmtree(cache_dir / "bench-embed", ignore_errors=True)
    wall, cpu, vecs = {k: 0.0 for k in runners}, {k: 0.0 for k in runners}, {k: [] for k in runners}
    for lo, hi in _slices(len(texts), rounds):
        for name, run in runners.items():
            start, c0 = time.perf_counter(), cpu_seconds()
            vecs[name].append(np.asarray(run(texts[lo:hi])))
            wall[name] += time.perf_counter() - start
            cpu[name] += cpu_seconds() - c0
    n = len(texts)
    rows = pd.DataFrame([{"embedder": k, "seconds": wall[k], "cpu_seconds": cpu[k],
                          "paragraphs_per_s": n / wall[k]} for k in runners])
    rows["x_plain"] = wall[next(iter(runners))] / rows["seconds"]
    rows["x_plain_cpu"] = cpu[next(iter(runners))] / rows["cpu_seconds"]
    plain, mine, fast = (np.vstack(v) for v in vecs.values())
    cos = np.sum(plain * mine, axis=1) / (np.linalg.norm(plain, axis=1) * np.linalg.norm(mine, axis=1))
    return rows, {"transformer": mine, "static": fast, "min_cosine_vs_plain": float(cos.min())}


def _slices(n: int, rounds: int) -> list[tuple[int, int]]:
    size = max(1, -(-n // max(1, rounds)))
    return [(i, min(i + size, n)) for i in range(0, n, size)]
