"""Aggregate sentence-level stance into groups, and pick evidence sentences.

The functions are pure: they take a ``schema.STANCE`` table (possibly with
extra key columns such as ``topic``) and return a new table.

Uncertainty follows the data's clustering: sentences of one article are not
independent, so every level above the article resamples whole *articles*
(cluster bootstrap); the per-article level resamples the article's
sentences. Label shares are reported raw (predicted labels) and corrected for
the classifier's validation confusion matrix (:mod:`analysis.stance.prevalence`).
"""
from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd

from analysis import schema
from analysis.stance import prevalence
from analysis.stance.bootstrap import COUNTS, N, check_boot_args, resample_sums, unit_sums, weighted_means
from analysis.topics.temporal import PERIODS, periods_of

#: Intervals narrower than this count as degenerate (all units alike).
_MIN_WIDTH = 1e-9
CORRECTED = [f"share_{lab}_corrected{end}" for lab in schema.LABELS for end in ("", "_low", "_high")]


def aggregate_stance(stance: pd.DataFrame, by: Sequence[str], n_boot: int = 1000,
                     ci: float = 0.95, seed: int = 0, min_articles: int = 5,
                     confusion=None) -> pd.DataFrame:
    """Aggregate stance per group; return the keys then ``schema.STANCE_AGGREGATE``.

    Groups are the columns ``by`` plus ``target`` (added if absent: stance
    toward different targets is never pooled). Per group:

    * ``n_sentences`` (rows, one per sentence and target), ``n_articles``;
    * ``mean_score``: ``sum(confidence * score) / sum(confidence)`` (the
      plain mean if all confidences are 0);
    * ``ci_low``/``ci_high``: percentile bootstrap interval (level ``ci``,
      ``n_boot`` resamples). The resampled *units* are articles (all
      sentences of a drawn article go together), or the sentences when
      ``by`` contains ``article_id``. See :func:`_widen` for the rules that
      keep every interval wider than zero;
    * ``share_favor``/``share_against``/``share_neutral``: raw shares of the
      predicted labels;
    * ``share_<label>_corrected`` with ``_low``/``_high``: shares corrected
      for the classifier's errors with intervals that carry the uncertainty
      of both the units and the confusion matrix (:func:`_group_values`); NaN
      when ``confusion`` (run table ``stance_confusion`` or 3 x 3 counts,
      rows true) is absent;
    * ``small_group``: fewer than ``min_articles`` units.

    One ``np.random.default_rng(seed)`` serves all groups in sorted key order
    (after the confusion-matrix draws, shared by all groups), so the output
    is identical for the same input and seed.
    """
    by = list(by)
    keys = by + ([] if "target" in by else ["target"])
    schema.check_columns(stance, keys + ["article_id", "label", "score", "confidence"], "stance")
    check_boot_args(n_boot, ci)
    if stance[["score", "confidence"]].isna().any().any():
        raise ValueError("stance table has missing score or confidence values")
    columns = keys + [c for c in schema.STANCE_AGGREGATE if c not in keys]
    rng = np.random.default_rng(seed)
    counts = prevalence.confusion_counts(confusion)
    solvers = None if counts is None else (
        prevalence.solver(prevalence.posterior_mean(counts)[None]),
        prevalence.solver(prevalence.draw_matrices(counts, n_boot, rng)))
    clustered = "article_id" not in by
    rows = []
    for key, group in stance.groupby(keys, sort=True, dropna=False):
        units = unit_sums(group, clustered)
        rows.append(list(key) + [len(group), group["article_id"].nunique()]
                    + _group_values(units, n_boot, ci, rng, min_articles, solvers))
    out = pd.DataFrame(rows, columns=keys + [
        "n_sentences", "n_articles", "mean_score", "ci_low", "ci_high",
        "share_favor", "share_against", "share_neutral", *CORRECTED, "small_group"])
    return out.astype({"n_sentences": "int64", "n_articles": "int64", "small_group": bool})[columns]


def weighted_mean(scores: np.ndarray, weights: np.ndarray) -> float:
    """``sum(w * s) / sum(w)``, or the plain mean when the weights sum to 0."""
    total = weights.sum()
    return float((weights * scores).sum() / total) if total > 0 else float(scores.mean())


def _group_values(units, n_boot, ci, rng, min_units, solvers) -> list:
    """Mean with interval, raw shares, corrected shares with intervals, small-group flag.

    Replicate ``b`` of the corrected shares combines the ``b``-th resample
    of the units with the ``b``-th draw of the confusion matrix; the point
    estimate uses the matrix's posterior mean. All intervals follow
    :func:`_widen`.
    """
    total, n = units.sum(axis=0), len(units)
    mean = float(weighted_means(total))
    boot = resample_sums(units, n_boot, rng)
    stats = [weighted_means(boot)]
    labelled = total[COUNTS].sum() > 0
    if solvers is not None and labelled:
        point = prevalence.solve((total[COUNTS] / total[COUNTS].sum())[None], *solvers[0])[0]
        q = boot[:, COUNTS]
        stats += list(prevalence.solve(q / np.maximum(q.sum(axis=1, keepdims=True), 1e-300),
                                       *solvers[1]).T)
    alpha = (1.0 - ci) / 2.0
    low, high = np.quantile(np.column_stack(stats), [alpha, 1.0 - alpha], axis=0)
    out = [mean, *_widen(mean, low[0], high[0], n, ci, min_units, (-1.0, 1.0)),
           *(total[COUNTS] / total[N])]
    if len(stats) == 1:
        return out + [np.nan] * len(CORRECTED) + [n < min_units]
    for i in range(3):
        out += [float(point[i]), *_widen(point[i], low[i + 1], high[i + 1], n, ci, min_units, (0.0, 1.0))]
    return out + [n < min_units]


def wilson_interval(share: float, n: int, ci: float) -> tuple[float, float]:
    """Wilson score interval of a proportion ``share`` observed on ``n`` units."""
    z = NormalDist().inv_cdf(1 - (1 - ci) / 2)
    p = min(max(float(share), 0.0), 1.0)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(centre - half, 0.0), min(centre + half, 1.0)


def _widen(value, low, high, n_units, ci, min_units, scale) -> tuple[float, float]:
    """The reported interval from the percentile interval ``low, high`` of the resamples.

    Shared by means (``scale`` (-1, 1)) and shares ((0, 1)):

    * one unit: the full range (one value says nothing about spread);
    * fewer than ``min_units`` units, or zero width (all units alike): the
      union with the :func:`wilson_interval` for ``n_units`` (the value mapped
      to [0, 1] and treated as a proportion, the widest interval a bounded
      variable of that mean allows), since the percentile bootstrap of a few
      clusters is too narrow;
    * otherwise the percentile interval itself.

    The interval always contains ``value``.
    """
    lo_end, hi_end = scale
    if n_units <= 1:
        return float(lo_end), float(hi_end)
    if n_units < min_units or high - low < _MIN_WIDTH:
        span = hi_end - lo_end
        w_low, w_high = wilson_interval((value - lo_end) / span, n_units, ci)
        low, high = min(low, lo_end + span * w_low), max(high, lo_end + span * w_high)
    return float(min(low, value)), float(max(high, value))


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


def with_article_meta(stance: pd.DataFrame, articles: pd.DataFrame,
                      time_window: str = "month") -> pd.DataFrame:
    """Add each row's article ``source`` and ``period`` (published date in ``time_window`` steps).

    ``period`` is text: ``2024-03`` for months, ``2024Q1`` for quarters,
    ``2024`` for years, ``2024-03-04/2024-03-10`` for weeks (Monday to
    Sunday), ``2024-03-05`` for days; missing dates and sources stay missing.
    Periods come from :func:`analysis.topics.temporal.periods_of`, the rule
    ``topics_over_time`` uses too.
    """
    if time_window not in PERIODS and time_window not in PERIODS.values():
        raise ValueError(f"time_window must be one of {list(PERIODS)}, got {time_window!r}")
    meta = articles[["article_id", "source", "published"]].copy()
    periods = periods_of(meta["published"], time_window)
    meta["period"] = periods.astype(str).where(periods.notna())
    meta["source"] = _clean_source(meta["source"])
    return stance.merge(meta[["article_id", "source", "period"]], on="article_id", how="left")


def _clean_source(source: pd.Series) -> pd.Series:
    """Sources with blank values as missing."""
    return source.where(source.notna() & (source.astype(str).str.strip() != ""))


def mention_rates(by_source: pd.DataFrame, sentences: pd.DataFrame | None,
                  articles: pd.DataFrame) -> pd.DataFrame:
    """Add ``n_source_sentences`` (all sentences of the outlet) and ``mentions_per_1000``.

    ``mentions_per_1000`` is ``1000 * n_sentences / n_source_sentences``: how
    often the outlet's sentences mention the target, comparable across
    outlets of different size. Without ``sentences`` both are missing.
    """
    out = by_source.copy()
    if sentences is None:
        out["n_source_sentences"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
        out["mentions_per_1000"] = np.nan
        return out
    source = _clean_source(articles.set_index("article_id")["source"])
    per_source = sentences["article_id"].map(source).dropna().astype(str).value_counts()
    out["n_source_sentences"] = out["source"].astype(str).map(per_source).astype("Int64")
    out["mentions_per_1000"] = 1000.0 * out["n_sentences"] / out["n_source_sentences"].astype(float)
    return out


def aggregate_present(stance: pd.DataFrame, key: str, **boot) -> pd.DataFrame:
    """:func:`aggregate_stance` by ``key`` over the rows where ``key`` is known (may be empty)."""
    known = stance[stance[key].notna()] if key in stance.columns else stance.iloc[:0]
    if known.empty:
        dtypes = {"n_sentences": "int64", "n_articles": "int64", "small_group": bool}
        return pd.DataFrame({c: pd.Series(dtype=object if c in (key, "target") else dtypes.get(c, float))
                             for c in [key] + schema.STANCE_AGGREGATE})
    return aggregate_stance(known.astype({key: str}), by=[key], **boot)
