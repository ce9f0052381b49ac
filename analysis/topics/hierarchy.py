"""The merge tree of the fitted topics (BERTopic's hierarchical topics) as a table."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from .. import schema

HIERARCHY_COLUMNS = schema.TOPIC_HIERARCHY


@contextmanager
def bertopic_progress(show: bool) -> Iterator[None]:
    """Within the block, BERTopic's own progress bars are shown only when ``show`` is true.

    BERTopic's ``hierarchical_topics`` draws a tqdm bar it offers no switch
    for, and tqdm reads ``TQDM_DISABLE`` only when it is imported, so the
    ``tqdm`` name inside BERTopic is replaced for the duration of the block by
    one that passes ``disable=True``.
    """
    if show:
        yield
        return
    import bertopic._bertopic as module

    original = module.tqdm

    def silent(*args, **kwargs):
        return original(*args, **{**kwargs, "disable": True})

    module.tqdm = silent
    try:
        yield
    finally:
        module.tqdm = original


def hierarchy_table(model, docs: list[str], name_words: int = 3, *, show_progress: bool = False) -> pd.DataFrame:
    """One row per merge: two child nodes joined into ``parent`` at ``distance``.

    Leaves are topic ids; merged nodes are numbered from the number of
    topics upward in merge order. ``topics`` lists the leaf topics under the
    parent; ``parent_name`` is the top words of their joint c-TF-IDF. Empty
    with fewer than two topics (outliers do not count). BERTopic's progress
    bar is shown only with ``show_progress``.
    """
    real = [t for t in set(model.topics_) if t != -1]
    if len(real) < 2:
        return pd.DataFrame(columns=HIERARCHY_COLUMNS)
    with bertopic_progress(show_progress):
        raw = model.hierarchical_topics(list(docs))
    out = pd.DataFrame({
        "parent": raw["Parent_ID"].astype(int),
        "parent_name": raw["Parent_Name"].map(lambda s: ", ".join(str(s).split("_")[:name_words])),
        "left": raw["Child_Left_ID"].astype(int),
        "right": raw["Child_Right_ID"].astype(int),
        "distance": raw["Distance"].astype(float),
        "topics": raw["Topics"].map(lambda ts: sorted(int(t) for t in ts)),
    })
    return out.sort_values(["distance", "parent"], kind="stable").reset_index(drop=True)[HIERARCHY_COLUMNS]
