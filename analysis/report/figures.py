"""Report figures: free functions from result tables to a matplotlib Figure.

Every function takes the tables it needs (columns from :mod:`analysis.schema`)
and returns a ``matplotlib.figure.Figure`` built without pyplot, or ``None``
when there is nothing to draw, so callers can leave the figure out with a
note instead of showing empty axes.
:func:`analysis.report.figure_files.save_figure` writes PNG and PDF.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analysis import schema
from analysis.report import style
from analysis.report._format import shorten, wrap_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: At most this many articles are drawn per target (those with most sentences).
MAX_ARTICLES = 30
#: Article titles longer than this are cut at a word boundary.
TITLE_CHARS = 50
OUTLIER_TOPIC = -1


def _has_rows(df: pd.DataFrame | None) -> bool:
    return df is not None and not df.empty


def _topic_label(topic: int, names: dict) -> str:
    if topic == OUTLIER_TOPIC:
        return style.OUTLIER_LABEL
    return wrap_label(names.get(topic, f"Topic {topic}"))


def _aggregate_rows(df: pd.DataFrame | None, target: str, name: str) -> pd.DataFrame:
    """Rows of an aggregate table for one target that have a mean score."""
    if not _has_rows(df):
        return pd.DataFrame()
    schema.check_columns(df, schema.STANCE_AGGREGATE, name)
    rows = df[(df["target"] == target) & df["mean_score"].notna()]
    return rows.reset_index(drop=True)


def topic_sizes(topics_df: pd.DataFrame | None) -> "Figure | None":
    """Horizontal bars of paragraphs per topic, largest first; outliers last, grey."""
    if not _has_rows(topics_df):
        return None
    schema.check_columns(topics_df, ["topic", "name", "size"], "topics")
    from matplotlib.ticker import MaxNLocator

    df = topics_df.assign(topic=topics_df["topic"].astype(int))
    regular = df[df["topic"] != OUTLIER_TOPIC].sort_values("size", ascending=False, kind="stable")
    ordered = pd.concat([regular, df[df["topic"] == OUTLIER_TOPIC]], ignore_index=True)
    total = float(ordered["size"].sum()) or 1.0
    names = dict(zip(ordered["topic"], ordered["name"]))
    labels = [_topic_label(t, names) for t in ordered["topic"]]
    is_outlier = (ordered["topic"] == OUTLIER_TOPIC).to_numpy()
    # A small gap separates the outlier bar from the real topics.
    y = [i + (0.5 if out else 0.0) for i, out in enumerate(is_outlier)]
    colours = [style.GREY if out else style.TOPIC_COLOUR for out in is_outlier]

    fig = style.new_figure(len(ordered))
    ax = fig.add_subplot()
    bars = ax.barh(y, ordered["size"], color=colours, height=0.7)
    ax.bar_label(
        bars, labels=[f"{int(s):,} ({s / total:.0%})" for s in ordered["size"]],
        padding=3, fontsize=style.FONT_SIZE - 1, color=style.TEXT,
    )
    ax.set_yticks(y, labels=labels)
    ax.set_ylim(max(y) + 0.6, -0.6)
    ax.set_xlim(0, float(ordered["size"].max()) * 1.25)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # paragraph counts are whole
    ax.set_xlabel("Paragraphs", fontsize=style.FONT_SIZE, color=style.TEXT)
    style.set_title(ax, "Paragraphs per topic")
    style.style_axes(ax, grid_axis="x")
    style.grey_outlier_ticks(ax)
    return fig


#: Opacity of groups flagged ``small_group`` (fewer than ``stance.min_articles`` articles).
SMALL_ALPHA = 0.35


def small_flags(rows: pd.DataFrame) -> list[bool]:
    """``small_group`` per row (False when the table has no such column)."""
    if "small_group" not in rows:
        return [False] * len(rows)
    return [bool(v) if v == v and v is not None else False for v in rows["small_group"]]


def forest_panel(ax: "Axes", rows: pd.DataFrame, labels: list[str], target: str,
                 notes: list[str] | None = None) -> None:
    """Dots (mean) and horizontal intervals (CI) for each row, top to bottom.

    Rows flagged ``small_group`` are faded: hollow grey dots, pale intervals,
    grey labels, and "small" beside their n. ``notes`` add text after each n.
    """
    y = list(range(len(rows)))
    small = small_flags(rows)
    colours = [style.GREY if sm else style.score_colour(s) for s, sm in zip(rows["mean_score"], small)]
    has_ci = (rows["ci_low"].notna() & rows["ci_high"].notna()).to_numpy()
    for yi, ok, colour, sm, low, high in zip(y, has_ci, colours, small, rows["ci_low"], rows["ci_high"]):
        if ok:
            ax.hlines(yi, low, high, colors=colour, linewidth=2.2,
                      alpha=0.55 * (SMALL_ALPHA if sm else 1.0), zorder=2)
    for flag in (False, True):
        pick = [i for i, sm in enumerate(small) if sm == flag]
        if pick:
            ax.scatter(rows["mean_score"].iloc[pick], [y[i] for i in pick],
                       c="white" if flag else [colours[i] for i in pick],
                       s=38, edgecolors=style.GREY if flag else style.TEXT, linewidths=0.8,
                       alpha=SMALL_ALPHA + 0.25 if flag else 1.0, zorder=3,
                       label=_SMALL_LABEL if flag else None)
    ax.set_yticks(y, labels=labels)
    for tick, sm in zip(ax.get_yticklabels(), small):
        if sm:
            tick.set_color(style.GREY)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    style.stance_axis(ax, target)
    style.style_axes(ax, grid_axis="x")
    notes = notes or [""] * len(rows)
    style.right_labels(ax, [f"n={int(n)}" + (f" · {note}" if note else "") + (" · small" if sm else "")
                            for n, sm, note in zip(rows["n_sentences"], small, notes)])


_SMALL_LABEL = "small group (faded): too few articles"


def stance_by_topic(
    stance_by_topic_df: pd.DataFrame | None,
    topics_df: pd.DataFrame | None,
    target: str,
) -> "Figure | None":
    """Mean stance toward ``target`` per topic, with its CI and sentence count."""
    rows = _aggregate_rows(stance_by_topic_df, target, "stance_by_topic")
    if not rows.empty:  # sentences outside any modelled paragraph have no topic
        rows = rows[rows["topic"].notna()].reset_index(drop=True)
    if rows.empty:
        return None
    names = {}
    if _has_rows(topics_df):
        names = dict(zip(topics_df["topic"].astype(int), topics_df["name"]))
    rows = rows.assign(topic=rows["topic"].astype(int), outlier=rows["topic"] == OUTLIER_TOPIC)
    rows = rows.sort_values(["outlier", "mean_score", "topic"], ascending=[True, False, True],
                            kind="stable").reset_index(drop=True)
    fig = style.new_figure(len(rows))
    ax = fig.add_subplot()
    forest_panel(ax, rows, [_topic_label(t, names) for t in rows["topic"]], target)
    style.grey_outlier_ticks(ax)
    style.set_title(ax, f"Stance toward {target} by topic")
    return fig


def _article_panel_rows(df: pd.DataFrame, target: str) -> tuple[pd.DataFrame, int]:
    """The (at most MAX_ARTICLES) rows drawn for a target, and how many exist."""
    rows = _aggregate_rows(df, target, "stance_by_article")
    total = len(rows)
    if total > MAX_ARTICLES:
        rows = rows.nlargest(MAX_ARTICLES, "n_sentences", keep="first")
    rows = rows.sort_values(["mean_score", "article_id"], ascending=[False, True], kind="stable")
    return rows.reset_index(drop=True), total


def stance_by_article(
    stance_by_article_df: pd.DataFrame | None,
    articles_df: pd.DataFrame | None,
    target: str | None = None,
) -> "Figure | None":
    """Mean stance per article (labelled by title) with CI; one panel per target."""
    if not _has_rows(stance_by_article_df):
        return None
    targets = [target] if target is not None else sorted(
        stance_by_article_df["target"].dropna().unique().tolist())
    panels = [(t, *_article_panel_rows(stance_by_article_df, t)) for t in targets]
    panels = [p for p in panels if not p[1].empty]
    if not panels:
        return None
    titles = {}
    if _has_rows(articles_df):
        titles = dict(zip(articles_df["article_id"], articles_df["title"]))
    fig = style.new_figure(sum(len(p[1]) for p in panels) + 2 * (len(panels) - 1), len(panels))
    axes = fig.subplots(
        len(panels), 1, squeeze=False, sharex=True,
        height_ratios=[max(len(p[1]), 2) + 1.5 for p in panels],
    )[:, 0]
    for ax, (tgt, rows, total) in zip(axes, panels):
        labels = [shorten(titles.get(a) or a, TITLE_CHARS) for a in rows["article_id"]]
        forest_panel(ax, rows, labels, tgt)
        note = f"{len(rows)} of {total} articles shown: those with most sentences" \
            if total > len(rows) else ""
        style.set_title(ax, f"Stance toward {tgt} by article", note)
        if ax is not axes[-1]:
            ax.set_xlabel("")
    return fig


def _distribution_shares(stance_df: pd.DataFrame, by_target: pd.DataFrame | None,
                         ) -> tuple[pd.DataFrame, list[str]]:
    """Rows to stack: raw label shares per target, each followed by its corrected shares if known."""
    known = stance_df[stance_df["label"].isin(style.STANCE_ORDER)]
    counts = pd.crosstab(known["target"], known["label"])
    counts = counts.reindex(columns=list(style.STANCE_ORDER), fill_value=0).sort_index()
    raw = counts.div(counts.sum(axis=1), axis=0)
    corrected = {}
    if _has_rows(by_target) and "share_favor_corrected" in by_target:
        for _, r in by_target.iterrows():
            values = [r[f"share_{label}_corrected"] for label in style.STANCE_ORDER]
            if not any(pd.isna(v) for v in values):
                corrected[r["target"]] = values
    rows, notes = [], []
    for target, n in zip(raw.index, counts.sum(axis=1)):
        rows.append((f"{target} (raw)" if corrected else str(target), *raw.loc[target]))
        notes.append(f"n={int(n)}")
        if target in corrected:
            rows.append((f"{target} (corrected)", *corrected[target]))
            notes.append("")
    return pd.DataFrame(rows, columns=["row", *style.STANCE_ORDER]).set_index("row"), notes


def stance_distribution(stance_df: pd.DataFrame | None,
                        by_target: pd.DataFrame | None = None) -> "Figure | None":
    """Stacked shares of against / neutral / favor per target: raw, and corrected when known.

    Raw: shares of the predicted labels. Corrected (from ``by_target``, the
    ``stance_by_target`` table): shares corrected for the scorer's validation
    confusion matrix; their intervals are in the report's tables.
    """
    if not _has_rows(stance_df):
        return None
    schema.check_columns(stance_df, ["target", "label"], "stance")
    if not stance_df["label"].isin(style.STANCE_ORDER).any():
        return None
    shares, notes = _distribution_shares(stance_df, by_target)
    y = list(range(len(shares)))
    fig = style.new_figure(len(shares) + 1)
    ax = fig.add_subplot()
    left = pd.Series(0.0, index=shares.index)
    for label in style.STANCE_ORDER:
        part = shares[label]
        bars = ax.barh(y, part, left=left, height=0.6, label=label,
                       color=style.STANCE_COLOURS[label])
        ink = style.TEXT if label == "neutral" else "white"
        texts = [f"{v:.0%}" if v >= 0.07 else "" for v in part]
        ax.bar_label(bars, labels=texts, label_type="center",
                     fontsize=style.FONT_SIZE - 1, color=ink)
        left = left + part
    ax.set_yticks(y, labels=[wrap_label(t) for t in shares.index])
    ax.set_ylim(len(y) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter("{x:.0%}")
    corrected = any(str(r).endswith("(corrected)") for r in shares.index)
    ax.set_xlabel("Share of scored sentences" + (" (raw: predicted labels; corrected: for "
                  "classifier error)" if corrected else " (predicted labels, uncorrected)"),
                  fontsize=style.FONT_SIZE, color=style.TEXT)
    style.set_title(ax, "Stance labels per target")
    style.style_axes(ax, grid_axis="x")
    style.right_labels(ax, notes)
    fig.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=style.FONT_SIZE)
    return fig
