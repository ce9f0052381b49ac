"""Stance scoring in fixed, article-aligned partitions of the sentence table."""
from __future__ import annotations

import pandas as pd

from .partition import group_bounds
from .tasks import score_stance_part

#: Sentences per stance partition (cut at article boundaries). Part of the code, not of the config:
#: the default scorer is per sentence, so the partitioning never changes its output.
PARTITION_ROWS = 20_000


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
