"""Draw target sentences for annotation, stratified by topic and target.

This closes the loop *sample -> label -> train -> evaluate*: the sheet
written by :func:`write_annotation_sheet` has the columns of an annotations
CSV (``id, text, target, label, split``) with ``label`` left blank, plus
context columns (``topic, article_id, sentence_id, mention``). Fill in
``label`` (and ``label_2`` for a second annotator), then pass the file to
``analysis stance train`` or ``analysis stance evaluate``.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.io import atomic_write

SHEET = ["id", "text", "target", "label", "label_2", "split", "topic", "article_id",
         "sentence_id", "mention"]


def allocate(sizes: Sequence[int], n: int, allocation: str = "equal") -> list[int]:
    """How many items to draw from strata of ``sizes`` so the total is ``min(n, sum)``.

    ``equal``: as even as the strata allow (small strata are taken whole and
    their leftover quota goes to the others); ``proportional``: by largest
    remainder, proportional to size.
    """
    sizes = [int(s) for s in sizes]
    n = min(int(n), sum(sizes))
    if allocation == "proportional":
        total = sum(sizes) or 1
        exact = [n * s / total for s in sizes]
        take = [int(np.floor(e)) for e in exact]
        order = sorted(range(len(sizes)), key=lambda i: (-(exact[i] - take[i]), i))
        for i in order[: n - sum(take)]:
            take[i] += 1
        return take
    if allocation != "equal":
        raise ValueError(f"allocation must be 'equal' or 'proportional', got {allocation!r}")
    take, left = [0] * len(sizes), n
    open_ = [i for i, s in enumerate(sizes) if s > 0]
    while left > 0 and open_:
        share = max(1, left // len(open_))
        for i in list(open_):
            add = min(share, sizes[i] - take[i], left)
            take[i] += add
            left -= add
            if take[i] == sizes[i]:
                open_.remove(i)
            if left == 0:
                break
    return take


def stratified_sample(rows: pd.DataFrame, n: int, by: Sequence[str] = ("topic", "target"),
                      seed: int = 0, allocation: str = "equal") -> pd.DataFrame:
    """``n`` rows drawn without replacement within the strata ``by`` (seeded)."""
    by = [c for c in by if c in rows.columns]
    rng = np.random.default_rng(seed)
    groups = [g for _, g in rows.groupby(by, sort=True, dropna=False)] if by else [rows]
    take = allocate([len(g) for g in groups], n, allocation)
    picked = [g.iloc[np.sort(rng.permutation(len(g))[:k])] for g, k in zip(groups, take) if k]
    return pd.concat(picked) if picked else rows.iloc[:0]


def annotation_sheet(stance: pd.DataFrame, paragraph_topics: pd.DataFrame | None, n: int,
                     seed: int = 0, allocation: str = "equal") -> pd.DataFrame:
    """A sheet of ``n`` (sentence, target) pairs from a run's ``stance`` table.

    ``stance`` needs ``sentence_id, paragraph_id, article_id, target,
    mention, sentence``; ``paragraph_topics`` adds the topic of each
    sentence's paragraph (strata are then topic x target).
    """
    rows = stance[["sentence_id", "paragraph_id", "article_id", "target", "mention", "sentence"]]
    if paragraph_topics is not None and not paragraph_topics.empty:
        rows = rows.merge(paragraph_topics[["paragraph_id", "topic"]], on="paragraph_id", how="left")
    else:
        rows = rows.assign(topic=pd.NA)
    rows = rows.drop_duplicates(["sentence_id", "target"]).sort_values(
        ["sentence_id", "target"], kind="mergesort")
    picked = stratified_sample(rows, n, ("topic", "target"), seed, allocation)
    sheet = pd.DataFrame({
        "id": [f"{s}|{t}" for s, t in zip(picked["sentence_id"], picked["target"])],
        "text": picked["sentence"].to_numpy(), "target": picked["target"].to_numpy(),
        "label": "", "label_2": "", "split": "",
        "topic": picked["topic"].to_numpy(), "article_id": picked["article_id"].to_numpy(),
        "sentence_id": picked["sentence_id"].to_numpy(), "mention": picked["mention"].to_numpy(),
    })
    return sheet.sort_values(["target", "topic", "id"], kind="mergesort").reset_index(drop=True)[SHEET]


def write_annotation_sheet(sheet: pd.DataFrame, path: str | Path) -> Path:
    """Write the sheet as UTF-8 CSV (atomically)."""
    return atomic_write(path, lambda p: sheet.to_csv(p, index=False))
