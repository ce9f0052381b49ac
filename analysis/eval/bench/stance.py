"""Stance-stage throughput of ``analysis bench``: the fine-tuned cross-encoder against the frozen learner."""
from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from ...config import StanceConfig
from ...stance import TargetMatcher, build_stance_input
from ...stance.from_config import scorer_from_config

#: (scorer, model) pairs measured: the default and the fast option.
STANCE_SCORERS = (("stance.crossencoder.v1", "default"), ("stance.learner.v1", "fast"))


def stance_throughput(sentences: pd.DataFrame, cache_dir: Path, scorers=STANCE_SCORERS) -> pd.DataFrame:
    """Load time and scoring speed of each scorer on the same target mentions of ``sentences``.

    Mentions come from the default targets. ``mentions_per_s`` counts scored
    (sentence, target) rows per second of wall time, model loading excluded
    (``load_s``); each scorer loads once, as in a run.
    """
    matcher = TargetMatcher(with_spans=True).fit()
    inputs = build_stance_input(sentences, matcher.transform(sentences))
    rows = []
    for name, model in scorers:
        start = time.perf_counter()
        scorer = scorer_from_config(StanceConfig(scorer=name, model=model), cache_dir).fit()
        loaded = time.perf_counter()
        scored = scorer.predict_frame(inputs)
        done = time.perf_counter()
        rows.append({"scorer": name, "model": model, "mentions": len(scored),
                     "load_s": loaded - start, "score_s": done - loaded,
                     "mentions_per_s": len(scored) / max(done - loaded, 1e-9)})
    return pd.DataFrame(rows)
