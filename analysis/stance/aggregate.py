"""Aggregate sentence-level stance into groups, and pick evidence sentences.

Both functions are pure: they take a ``schema.STANCE`` table (possibly with
extra key columns such as ``topic``) and return a new table.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis import schema

#: Upper bound on resampled values held in memory per bootstrap chunk.
_BOOT_CHUNK_VALUES = 2_000_000


def aggregate_stance(stance: pd.DataFrame, by: Sequence[str], n_boot: int = 1000,
                     ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Aggregate stance per group; return the keys then ``schema.STANCE_AGGREGATE``.

    Groups are the columns ``by`` plus ``target`` (added if absent: stance
    toward different targets is never pooled). Per group:

    * ``n_sentences``: number of rows (one per sentence and target);
    * ``mean_score``: confidence-weighted mean of ``score``,
      ``sum(confidence * score) / sum(confidence)`` (the plain mean if all
      confidences are 0);
    * ``ci_low``/``ci_high``: percentile bootstrap interval (level ``ci``) of
      that statistic, resampling the group's sentences with replacement
      ``n_boot`` times. A one-sentence group gets ``ci_low == ci_high ==
      mean_score == score``. The interval is widened, if needed, to contain
      ``mean_score`` (percentile intervals of tiny or skewed groups, and float
      rounding, can otherwise miss it);
    * ``share_favor``/``share_against``/``share_neutral``: label shares.

    One ``np.random.default_rng(seed)`` serves all groups in sorted key order,
    so the output is identical for the same input and seed (a group's interval
    can change when other groups are added).
    """
    by = list(by)
    keys = by + ([] if "target" in by else ["target"])
    schema.check_columns(stance, keys + ["label", "score", "confidence"], "stance")
    _check_boot_args(n_boot, ci)
    if stance[["score", "confidence"]].isna().any().any():
        raise ValueError("stance table has missing score or confidence values")
    columns = keys + [c for c in schema.STANCE_AGGREGATE if c not in keys]
    rng = np.random.default_rng(seed)
    rows = []
    for key, group in stance.groupby(keys, sort=True, dropna=False):
        scores = group["score"].to_numpy(dtype=float)
        weights = group["confidence"].to_numpy(dtype=float)
        mean, low, high = _mean_and_ci(scores, weights, n_boot, ci, rng)
        labels = group["label"].to_numpy()
        shares = [float(np.mean(labels == name)) for name in ("favor", "against", "neutral")]
        rows.append(list(key) + [len(group), mean, low, high] + shares)
    out = pd.DataFrame(rows, columns=keys + [
        "n_sentences", "mean_score", "ci_low", "ci_high",
        "share_favor", "share_against", "share_neutral"])
    return out.astype({"n_sentences": "int64"})[columns]


def _check_boot_args(n_boot: int, ci: float) -> None:
    """Validate bootstrap parameters."""
    if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 1):
        raise ValueError(f"n_boot must be an integer >= 1, got {n_boot!r}")
    if not 0.0 < ci < 1.0:
        raise ValueError(f"ci must be in (0, 1), got {ci!r}")


def weighted_mean(scores: np.ndarray, weights: np.ndarray) -> float:
    """``sum(w * s) / sum(w)``, or the plain mean when the weights sum to 0."""
    total = weights.sum()
    return float((weights * scores).sum() / total) if total > 0 else float(scores.mean())


def _mean_and_ci(scores, weights, n_boot, ci, rng) -> tuple[float, float, float]:
    """Point estimate and percentile bootstrap interval of the weighted mean."""
    if len(scores) == 1:
        value = float(scores[0])
        return value, value, value
    mean = weighted_mean(scores, weights)
    stats = _bootstrap(scores, weights, n_boot, rng)
    alpha = (1.0 - ci) / 2.0
    low, high = np.quantile(stats, [alpha, 1.0 - alpha])
    return mean, float(min(low, mean)), float(max(high, mean))


def _bootstrap(scores, weights, n_boot, rng) -> np.ndarray:
    """Weighted means of ``n_boot`` resamples, computed in vectorised chunks."""
    n = len(scores)
    chunk = max(1, _BOOT_CHUNK_VALUES // n)
    stats = []
    for done in range(0, n_boot, chunk):
        idx = rng.integers(0, n, size=(min(chunk, n_boot - done), n))
        s, w = scores[idx], weights[idx]
        total = w.sum(axis=1)
        safe = np.where(total > 0, total, 1.0)
        stats.append(np.where(total > 0, (w * s).sum(axis=1) / safe, s.mean(axis=1)))
    return np.concatenate(stats)


def select_evidence(stance: pd.DataFrame, level: str, key_col: str, n: int = 3) -> pd.DataFrame:
    """Top-``n`` favor and top-``n`` against sentences per (key, target).

    Returns ``schema.EVIDENCE`` rows: ``level`` as given ("article" or
    "topic"), ``key`` the value of ``key_col`` as text, ``rank`` 1 = most
    confident. Within a direction rows are ordered by confidence (descending),
    ties broken by ``sentence_id`` (ascending), so the output is
    deterministic. Output order: key, target, favor before against, rank.
    Neutral rows are never evidence.
    """
    if not isinstance(level, str) or not level:
        raise ValueError("level must be a non-empty string such as 'article' or 'topic'")
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    needed = list(dict.fromkeys([key_col, "target", "label", "sentence_id", "article_id",
                                 "sentence", "score", "confidence"]))
    schema.check_columns(stance, needed, "stance")
    polar = stance.loc[stance["label"].isin(["favor", "against"]), needed].copy()
    polar["_direction"] = (polar["label"] == "against").astype(int)
    polar = polar.sort_values(
        [key_col, "target", "_direction", "confidence", "sentence_id"],
        ascending=[True, True, True, False, True], kind="mergesort")
    top = polar.groupby([key_col, "target", "_direction"], sort=False, dropna=False).head(n)
    top = top.assign(
        rank=top.groupby([key_col, "target", "_direction"], sort=False, dropna=False).cumcount() + 1,
        level=level,
        key=[_key_text(v) for v in top[key_col]],
    )
    out = top[schema.EVIDENCE].reset_index(drop=True)
    return out.astype({"rank": "int64"})


def _key_text(value) -> str:
    """Render a key as text; integral floats (from NaN-able columns) lose '.0'."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


#: pandas period codes of the ``time_window`` settings.
PERIODS = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


def with_article_meta(stance: pd.DataFrame, articles: pd.DataFrame,
                      time_window: str = "month") -> pd.DataFrame:
    """Add each row's article ``source`` and ``period`` (published date in ``time_window`` steps).

    ``period`` is text: ``2024-03`` for months, ``2024Q1`` for quarters,
    ``2024`` for years, ``2024-03-04/2024-03-10`` for weeks (Monday to
    Sunday), ``2024-03-05`` for days; missing dates and sources stay missing.
    """
    if time_window not in PERIODS:
        raise ValueError(f"time_window must be one of {list(PERIODS)}, got {time_window!r}")
    meta = articles[["article_id", "source", "published"]].copy()
    published = pd.to_datetime(meta["published"], errors="coerce")
    meta["period"] = published.dt.to_period(PERIODS[time_window]).astype(str).where(published.notna())
    meta["source"] = meta["source"].where(meta["source"].notna() & (meta["source"].astype(str).str.strip() != ""))
    return stance.merge(meta[["article_id", "source", "period"]], on="article_id", how="left")


def aggregate_present(stance: pd.DataFrame, key: str, **boot) -> pd.DataFrame:
    """:func:`aggregate_stance` by ``key`` over the rows where ``key`` is known (may be empty)."""
    known = stance[stance[key].notna()] if key in stance.columns else stance.iloc[:0]
    if known.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c in (key, "target") else float)
                             for c in [key] + schema.STANCE_AGGREGATE}).astype({"n_sentences": "int64"})
    return aggregate_stance(known.astype({key: str}), by=[key], **boot)
