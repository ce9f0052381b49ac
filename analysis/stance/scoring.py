"""Stance scoring in fixed, article-aligned partitions of the sentence table.

:func:`score_stance` cuts the sentences at article boundaries and hands
:func:`score_stance_part` with the fitted (matcher, scorer) pair to the
engine, which runs it on every partition (the Dask engine ships it to its
workers by reference, so it stays a module-level function).
"""
from __future__ import annotations

import pandas as pd

from analysis.engine.partition import group_bounds
from analysis.stance.targets import build_stance_input

#: Sentences per stance partition (cut at article boundaries). Part of the code, not of the config:
#: the default scorer is per sentence, so the partitioning never changes its output.
PARTITION_ROWS = 20_000


def score_stance_part(shared: tuple, sentences: pd.DataFrame | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Find mentions in a partition of sentences and score them: (mentions, stance) (an engine task).

    ``shared`` is the fitted (matcher, scorer) pair; ``sentences`` is a frame
    or the path of a staged Parquet partition.
    """
    matcher, scorer = shared
    if isinstance(sentences, str):
        sentences = pd.read_parquet(sentences)
    mentions = matcher.transform(sentences)
    stance = scorer.predict_frame(build_stance_input(sentences, mentions))
    return mentions, stance


def score_stance(engine, matcher, scorer, sentences: pd.DataFrame,
                 part_rows: int = PARTITION_ROWS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(mentions, stance) for every sentence, computed partition by partition by ``engine``."""
    bounds = group_bounds(sentences["article_id"], part_rows) or [(0, 0)]
    parts = [(sentences.iloc[a:b].reset_index(drop=True),) for a, b in bounds]
    results = engine.map_shared(score_stance_part, (matcher, scorer), parts)
    if len(results) == 1:
        return results[0]
    mentions = pd.concat([m for m, _ in results], ignore_index=True)
    stance = pd.concat([s for _, s in results], ignore_index=True)
    return mentions, stance
