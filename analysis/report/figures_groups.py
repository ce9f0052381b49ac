"""Figures over time and across outlets: free functions from result tables to a Figure.

* :func:`stance_over_time`: mean stance toward one target per period, with
  its bootstrap interval as a band (broken at empty periods) and the
  sentences per period below.
* :func:`stance_by_source`: mean stance toward one target per outlet (dot
  and interval), with mentions per 1,000 of the outlet's sentences.
* :func:`topic_source_heatmap`: share of each outlet's paragraphs in each
  topic.

Each returns ``None`` when its data cannot make a meaningful figure (no
dates, fewer than two periods, fewer than two outlets), so the report
leaves it out with a note instead of drawing it empty.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import schema
from analysis.report import style
from analysis.report._format import wrap_label
from analysis.report.figures import forest_panel, small_flags

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

OUTLIER_TOPIC = -1
#: Outlets drawn (those with most sentences or paragraphs).
MAX_SOURCES = 25
#: Topic columns of the heatmap (the largest); the rest are summed as "other topics".
MAX_HEATMAP_TOPICS = 12


def period_bounds(value) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and end of a ``stance_by_time`` period: ``2024-03``, ``2024Q1``, ``2024``, a day, or a week ``a/b``."""
    text = str(value).strip()
    if "/" in text:
        first, last = (pd.Timestamp(part.strip()) for part in text.split("/", 1))
        return first, last + pd.Timedelta(days=1)
    period = pd.Period(text)
    return period.start_time, (period + 1).start_time


def _date_axis(ax) -> None:
    """Compact date ticks that never collide (matplotlib's concise formatter)."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _target_rows(df: pd.DataFrame | None, key: str, target: str, name: str) -> pd.DataFrame:
    if df is None or df.empty:
        return pd.DataFrame()
    schema.check_columns(df, [key, *schema.STANCE_AGGREGATE], name)
    rows = df[(df["target"] == target) & df["mean_score"].notna() & df[key].notna()]
    return rows.reset_index(drop=True)


def period_freq(value) -> str:
    """pandas frequency of a ``stance_by_time`` period label (the run's ``stance.time_window``)."""
    text = str(value).strip()
    return "W" if "/" in text else pd.Period(text).freqstr


def complete_periods(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (one target) with a NaN row for every empty period between the first and last.

    Adds ``start``, ``end`` and ``mid`` (timestamps); periods follow the
    window of the labels, so a line drawn through ``mean_score`` breaks at
    empty periods instead of bridging them.
    """
    freq = period_freq(rows["period"].iloc[0])
    starts = rows["period"].map(lambda v: period_bounds(v)[0])
    full = pd.period_range(starts.min(), starts.max(), freq=freq)
    frame = pd.DataFrame({"start": full.start_time, "end": (full + 1).start_time})
    known = rows.assign(start=starts.dt.normalize()).drop_duplicates("start")
    out = frame.merge(known.drop(columns=[c for c in ("end",) if c in known]), on="start", how="left")
    out["n_sentences"] = out["n_sentences"].fillna(0)
    return out.assign(mid=out["start"] + (out["end"] - out["start"]) / 2)


def stance_over_time(stance_by_time: pd.DataFrame | None, target: str) -> "Figure | None":
    """Mean stance toward ``target`` per period: line, interval band, and n per period.

    Empty periods between the first and last break the line and the band;
    periods flagged ``small_group`` get hollow markers.
    """
    rows = _target_rows(stance_by_time, "period", target, "stance_by_time")
    if rows.empty or rows["period"].nunique() < 2:
        return None
    rows = complete_periods(rows)
    fig = style.new_figure(8, n_panels=2)
    ax, ax_n = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    colour = style.OKABE_ITO["blue"]
    ax.fill_between(rows["mid"], rows["ci_low"].astype(float), rows["ci_high"].astype(float),
                    color=colour, alpha=0.2, linewidth=0, label="95% interval (articles resampled)")
    ax.plot(rows["mid"], rows["mean_score"].astype(float), color=colour, linewidth=1.4,
            label="mean stance")
    small = pd.Series(small_flags(rows.fillna({"small_group": False})), index=rows.index)
    for flag, face in ((False, colour), (True, "white")):
        pick = rows[small == flag]
        ax.scatter(pick["mid"], pick["mean_score"].astype(float), s=14, color=face, edgecolors=colour,
                   linewidths=0.9, zorder=3, label="small period (faded)" if flag and len(pick) else None)
    ax.axhline(0, color=style.GREY, linewidth=0.9, zorder=1)
    ax.set_ylim(-1.05, 1.05)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_ylabel("Mean stance\n(−1 against · +1 favor)", fontsize=style.FONT_SIZE, color=style.TEXT)
    ax.legend(fontsize=style.FONT_SIZE - 1, frameon=False, loc="upper left", ncols=2)
    style.style_axes(ax, grid_axis="y")
    empty = int((rows["n_sentences"] == 0).sum())
    style.set_title(ax, f"Stance toward {target} over time",
                    note=f"{len(rows)} periods ({empty} empty); scored sentences per period below")
    ax_n.bar(rows["start"], rows["n_sentences"], width=(rows["end"] - rows["start"]) * 0.9,
             align="edge", color=style.GREY)
    ax_n.set_ylabel("n", fontsize=style.FONT_SIZE, color=style.TEXT)
    ax_n.yaxis.get_major_locator().set_params(integer=True)
    style.style_axes(ax_n, grid_axis="y")
    _date_axis(ax_n)
    return fig


def stance_by_source(stance_by_source: pd.DataFrame | None, target: str) -> "Figure | None":
    """Mean stance toward ``target`` per outlet (dot) with its interval; needs two outlets.

    Right of each row: mentions (n) and, when known, mentions per 1,000 of
    the outlet's sentences.
    """
    rows = _target_rows(stance_by_source, "source", target, "stance_by_source")
    if rows.empty or rows["source"].nunique() < 2:
        return None
    total = len(rows)
    if total > MAX_SOURCES:
        rows = rows.nlargest(MAX_SOURCES, "n_sentences", keep="first")
    rows = rows.sort_values(["mean_score", "source"], ascending=[False, True],
                            kind="stable").reset_index(drop=True)
    rates = rows["mentions_per_1000"] if "mentions_per_1000" in rows else pd.Series(index=rows.index)
    notes = ["" if pd.isna(r) else f"{float(r):.1f}/1k sent." for r in rates]
    fig = style.new_figure(len(rows))
    ax = fig.add_subplot()
    forest_panel(ax, rows, [wrap_label(s, 30, 1) for s in rows["source"]], target, notes)
    note = f"{len(rows)} of {total} outlets shown: those with most sentences" if total > len(rows) else ""
    style.set_title(ax, f"Stance toward {target} by outlet", note)
    return fig


def _heatmap_frame(by_source: pd.DataFrame) -> pd.DataFrame:
    """Outlets x topics share table: largest outlets first, largest topics first, rest as 'other'."""
    df = by_source[by_source["field"] == "source"].copy()
    df["topic"] = df["topic"].astype(int)
    sizes = df.groupby("group")["count"].sum().sort_values(ascending=False, kind="stable")
    df = df[df["group"].isin(sizes.index[:MAX_SOURCES])]
    totals = df[df["topic"] != OUTLIER_TOPIC].groupby("topic")["count"].sum()
    top = totals.sort_values(ascending=False, kind="stable").index[:MAX_HEATMAP_TOPICS].tolist()
    names = dict(zip(df["topic"], df["name"].astype(str)))
    column = df["topic"].map(lambda t: t if t in top else (OUTLIER_TOPIC if t == -1 else -99))
    wide = df.assign(column=column).pivot_table(index="group", columns="column", values="count",
                                                aggfunc="sum", fill_value=0)
    order = [t for t in top if t in wide.columns] + [c for c in (-99, OUTLIER_TOPIC) if c in wide.columns]
    wide = wide.reindex(index=[g for g in sizes.index if g in wide.index], columns=order)
    shares = wide.div(wide.sum(axis=1), axis=0)
    labels = {t: ("other topics" if t == -99 else style.OUTLIER_LABEL if t == OUTLIER_TOPIC
                  else names.get(t, f"Topic {t}")) for t in order}
    return shares.rename(columns=labels).assign(_n=wide.sum(axis=1))


def topic_source_heatmap(topics_by_source: pd.DataFrame | None) -> "Figure | None":
    """Share of each outlet's paragraphs (rows) in each topic (columns); needs two outlets."""
    if topics_by_source is None or topics_by_source.empty:
        return None
    schema.check_columns(topics_by_source, ["field", "group", "topic", "name", "count"],
                         "topics_by_source")
    sources = topics_by_source.loc[topics_by_source["field"] == "source", "group"]
    if sources.nunique() < 2:
        return None
    from matplotlib.colors import LinearSegmentedColormap

    frame = _heatmap_frame(topics_by_source)
    counts = frame.pop("_n")
    values = frame.to_numpy(dtype=float)
    cmap = LinearSegmentedColormap.from_list("shares", list(style.SEQUENTIAL))
    fig = style.new_figure(len(frame) + 5, width=max(style.WIDTH, 2.5 + 0.55 * frame.shape[1]))
    ax = fig.add_subplot()
    image = ax.imshow(values, cmap=cmap, vmin=0, vmax=max(float(values.max()), 0.01), aspect="auto")
    if values.size <= 400:
        for (i, j), v in np.ndenumerate(values):
            if v >= 0.005:
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=style.FONT_SIZE - 2,
                        color="white" if v > 0.55 * values.max() else style.TEXT)
    ax.set_xticks(range(frame.shape[1]), labels=[wrap_label(c, 18, 2) for c in frame.columns],
                  rotation=40, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(frame)), labels=[f"{wrap_label(g, 26, 1)} (n={int(n)})"
                                             for g, n in zip(frame.index, counts)])
    ax.tick_params(labelsize=style.FONT_SIZE - 1, colors=style.TEXT, length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    bar.ax.tick_params(labelsize=style.FONT_SIZE - 1)
    bar.ax.yaxis.set_major_formatter("{x:.0%}")
    style.set_title(ax, "Topics per outlet", note="cell: share of the outlet's paragraphs; n: paragraphs")
    return fig


def stance_by_run(stance: pd.DataFrame | None) -> "Figure | None":
    """Corpus-level stance per target (one panel each) for several runs side by side.

    ``stance`` is :attr:`analysis.report.compare.Comparison.stance` (columns
    ``run, target`` and the aggregate columns).
    """
    if stance is None or stance.empty:
        return None
    rows = stance[stance["mean_score"].notna()]
    targets = sorted(rows["target"].unique().tolist())
    if not targets:
        return None
    runs = list(dict.fromkeys(rows["run"]))
    fig = style.new_figure(len(targets) * (len(runs) + 1), n_panels=len(targets))
    axes = fig.subplots(len(targets), 1, squeeze=False, sharex=True,
                        height_ratios=[len(runs) + 1.5 for _ in targets])[:, 0]
    for ax, target in zip(axes, targets):
        part = rows[rows["target"] == target].set_index("run").reindex(runs).dropna(
            subset=["mean_score"]).reset_index()
        forest_panel(ax, part, [wrap_label(r, 30, 1) for r in part["run"]], target)
        style.set_title(ax, f"Stance toward {target} by run")
        if ax is not axes[-1]:
            ax.set_xlabel("")
    return fig
