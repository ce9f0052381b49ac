"""Cold versus warm runs of ``analysis bench --warm-demo``: what the caches save on the bundled corpus.

A cold run starts from an empty cache folder. Three warm runs follow, each
into a new output folder with the same cache: whole-run reuse (the recorded
run is copied), the stage cache only (``reuse=False, stage_cache=True``:
topics and stance read from the cache, everything else recomputed) and the
embedding cache only (``reuse=False``: everything but the embeddings
recomputed). Every run's table digests are compared with the cold run's.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pandas as pd

from ...config import Config, load_config
from ...paths import DEFAULT_CORPUS
from ...pipeline import run_pipeline

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
    return {"corpus": str(corpus), "docs": counts["accepted"], "paragraphs": counts["paragraphs"],
            "runs": pd.DataFrame(rows)}


def _how(manifest: dict, stage: str) -> str:
    if manifest.get("reused"):
        return "copied"
    return manifest.get("stage_cache", {}).get(stage, "computed")
