"""Differences in stance between groups (outlets, periods), with intervals.

Whether two outlets differ cannot be read off their own intervals (two
overlapping 95 % intervals may still differ). :func:`stance_contrasts` gives,
for each target and each pair of groups, the difference of their mean stance
with a percentile bootstrap interval: every replicate resamples the articles
of each group independently (the same clustered units as
:func:`analysis.stance.aggregate.aggregate_stance`, whose means these are).
Outlets and periods hold disjoint sets of articles, so the two groups of a
pair are resampled independently (topics are not offered: one article's
paragraphs fall into several topics). A group of one article has no spread
to resample: its pairs get no interval. The intervals are not adjusted for
the number of pairs compared: with many pairs, some intervals will exclude
zero by chance.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from analysis import schema
from analysis.stance.aggregate import with_article_meta
from analysis.stance.bootstrap import check_boot_args, resample_sums, unit_sums, weighted_means

#: Columns of a contrast table.
CONTRASTS = schema.STANCE_CONTRASTS
#: Groups of a run that can be compared (each article belongs to one group at most).
BY = ("source", "period")


def stance_contrasts(stance: pd.DataFrame, by: str, n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
                     min_articles: int = 5, max_groups: int = 10) -> pd.DataFrame:
    """Pairwise differences of mean stance between the groups of column ``by``, per target.

    Rows where ``by`` is missing are left out. Per target, the ``max_groups``
    groups with the most articles are compared (ties by name), each pair once,
    larger group first (for ``period``, later period first, so the difference
    is the change since the earlier one): ``difference = mean_a - mean_b`` on the -1..+1 scale,
    its interval at level ``ci`` from ``n_boot`` replicates, ``excludes_zero``
    when the interval does not contain 0, and ``small_group`` when either
    group has fewer than ``min_articles`` articles (its interval then rests on
    too few clusters to trust). A pair with a group of one article gets no
    interval (NaN) and never ``excludes_zero``. Each group is resampled once
    per target (``n_boot`` replicates from one ``np.random.default_rng(seed)``,
    groups in output order) and every pair uses its two groups' replicates, so
    the table is identical for the same input.
    """
    schema.check_columns(stance, [by, "target", "article_id", "label", "score", "confidence"], "stance")
    check_boot_args(n_boot, ci)
    rng = np.random.default_rng(seed)
    alpha = (1.0 - ci) / 2.0
    rows = []
    known = stance[stance[by].notna()]
    for target, rows_of_target in known.groupby("target", sort=True):
        groups = _largest_groups(rows_of_target, by, max_groups)
        # each group resampled once; a pair's replicates are the differences of its groups' replicates
        boots = {name: weighted_means(resample_sums(units, n_boot, rng)) for name, units in groups}
        for (name_a, units_a), (name_b, units_b) in combinations(groups, 2):
            mean_a = float(weighted_means(units_a.sum(axis=0)))
            mean_b = float(weighted_means(units_b.sum(axis=0)))
            point = mean_a - mean_b
            low, high = np.quantile(boots[name_a] - boots[name_b], [alpha, 1.0 - alpha])
            low, high = float(min(low, point)), float(max(high, point))
            if min(len(units_a), len(units_b)) < 2:  # one article: no spread to resample
                low = high = np.nan
            small = min(len(units_a), len(units_b)) < min_articles
            rows.append([target, by, name_a, name_b, len(units_a), len(units_b), mean_a, mean_b, point,
                         low, high, bool(low > 0 or high < 0), small])
    out = pd.DataFrame(rows, columns=CONTRASTS)
    return out.astype({"n_articles_a": "int64", "n_articles_b": "int64", "excludes_zero": bool,
                       "small_group": bool, "group_a": str, "group_b": str})


def _largest_groups(stance: pd.DataFrame, by: str, max_groups: int) -> list[tuple[str, np.ndarray]]:
    """``(group name, per-article unit sums)`` of the ``max_groups`` groups with the most articles."""
    units = [(str(name), unit_sums(rows, clustered=True)) for name, rows in stance.groupby(by, sort=True)]
    units.sort(key=lambda item: (-len(item[1]), item[0]))
    chosen = units[:max_groups]
    if by == "period":  # latest first: each pair's difference is the change from the earlier period
        chosen.sort(key=lambda item: item[0], reverse=True)
    return chosen


def run_contrasts(run, by: str = "source", max_groups: int = 10) -> pd.DataFrame:
    """:func:`stance_contrasts` on a finished run (a :class:`~analysis.result.RunResult` or its folder).

    ``by`` is ``source`` (outlets) or ``period`` (the run's stance periods). The bootstrap
    settings, the period and the seed are the run's (from its manifest), so
    each group's mean is the one in the run's ``stance_by_*`` table.
    """
    if by not in BY:
        raise ValueError(f"by must be one of {list(BY)}, got {by!r}")
    from analysis.manifest import config_of
    from analysis.runs import load_run
    from analysis.stance.tables import run_period

    if not hasattr(run, "tables"):
        run = load_run(run)
    cfg = config_of(run.manifest, strict=False)
    articles = run.tables["articles"]
    stance = with_article_meta(run.tables["stance"], articles, run_period(cfg, articles))
    scfg = cfg.stance
    return stance_contrasts(stance, by, n_boot=scfg.n_bootstrap, ci=scfg.ci, seed=cfg.seed,
                            min_articles=scfg.min_articles, max_groups=max_groups)
