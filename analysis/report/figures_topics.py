"""Topic figures: free functions from topic tables to a matplotlib Figure.

Each takes the table it draws (columns from :mod:`analysis.schema`) and
returns a ``matplotlib.figure.Figure`` built without pyplot, or ``None`` when
there is nothing to draw. Save them with :func:`analysis.report.figure_files.save_figure`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import schema
from analysis.report import style
from analysis.report._format import wrap_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

OUTLIER_TOPIC = -1
#: Topics drawn by name in time and group figures; the rest are summed as "other topics".
MAX_TOPICS = 7
#: Groups (outlets or tags) drawn, those with most units first.
MAX_GROUPS = 20
TOPIC_COLOURS = (style.OKABE_ITO["blue"], style.OKABE_ITO["orange"], style.OKABE_ITO["bluish_green"],
                 style.OKABE_ITO["vermillion"], style.OKABE_ITO["reddish_purple"],
                 style.OKABE_ITO["sky_blue"], style.OKABE_ITO["yellow"])
OTHER = "other topics"
OTHER_ID = -99


def _empty(df: pd.DataFrame | None) -> bool:
    return df is None or df.empty


def _top_topics(df: pd.DataFrame, n: int = MAX_TOPICS) -> list[int]:
    totals = df[df["topic"] != OUTLIER_TOPIC].groupby("topic")["count"].sum()
    return totals.sort_values(ascending=False, kind="stable").index[:n].astype(int).tolist()


def _legend_label(topic: int, names: dict) -> str:
    return style.OUTLIER_LABEL if topic == OUTLIER_TOPIC else wrap_label(names.get(topic, f"Topic {topic}"), 32, 1)


def _lumped(df: pd.DataFrame, key: str) -> tuple[pd.DataFrame, list, dict]:
    """Shares per ``key`` (rows) and topic (columns): the main topics, "other topics", outliers."""
    names = dict(zip(df["topic"].astype(int), df["name"]))
    top = _top_topics(df)
    topic = df["topic"].astype(int)
    topic = topic.where(topic.isin(top) | (topic == OUTLIER_TOPIC), other=OTHER_ID)
    wide = df.assign(topic=topic).pivot_table(index=key, columns="topic", values="share",
                                              aggfunc="sum", fill_value=0.0, sort=True)
    order = [t for t in [*top, OTHER_ID, OUTLIER_TOPIC] if t in wide.columns]
    return wide[order], order, names


def _look(i: int, topic: int, names: dict) -> dict:
    """Colour and legend label of the i-th drawn topic."""
    if topic == OTHER_ID:
        return {"color": style.LIGHT_GREY, "label": OTHER}
    if topic == OUTLIER_TOPIC:
        return {"color": style.GREY, "label": style.OUTLIER_LABEL}
    return {"color": TOPIC_COLOURS[i % len(TOPIC_COLOURS)], "label": _legend_label(topic, names)}


def topics_over_time(over_time: pd.DataFrame | None) -> "Figure | None":
    """Share of each main topic per period (lines), with units per period (bars) below."""
    if _empty(over_time):
        return None
    schema.check_columns(over_time, schema.TOPICS_OVER_TIME, "topics_over_time")
    df = over_time.assign(period=pd.to_datetime(over_time["period"]))
    wide, order, names = _lumped(df, "period")
    totals = df.groupby("period")["count"].sum().reindex(wide.index)
    fig = style.new_figure(8, n_panels=2)
    ax, ax_n = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    for i, topic in enumerate(order):
        ax.plot(wide.index, wide[topic], marker="o", markersize=3, linewidth=1.4,
                linestyle="--" if topic == OUTLIER_TOPIC else "-", **_look(i, topic, names))
    ax.set_ylim(0, min(1.0, float(wide.to_numpy().max()) * 1.15 + 0.02))
    ax.set_ylabel("Share of units", fontsize=style.FONT_SIZE, color=style.TEXT)
    ax.legend(fontsize=style.FONT_SIZE - 1, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    style.style_axes(ax, grid_axis="y")
    style.set_title(ax, "Topics over time", note="share of each period's units; counts below")
    width = np.diff(wide.index.to_numpy()).min() * 0.8 if len(wide) > 1 else pd.Timedelta(days=20)
    ax_n.bar(wide.index, totals.to_numpy(), width=width, color=style.GREY)
    ax_n.set_ylabel("Units", fontsize=style.FONT_SIZE, color=style.TEXT)
    style.style_axes(ax_n, grid_axis="y")
    return fig


def topics_by_source(by_group: pd.DataFrame | None, field: str = "source") -> "Figure | None":
    """Stacked topic shares per outlet (``field="source"``) or tag (``field="tag"``)."""
    if _empty(by_group):
        return None
    schema.check_columns(by_group, schema.TOPICS_BY_SOURCE, "topics_by_source")
    df = by_group[by_group["field"] == field]
    if df.empty:
        return None
    sizes = df.groupby("group")["count"].sum().sort_values(ascending=False, kind="stable")
    df = df[df["group"].isin(sizes.index[:MAX_GROUPS])]
    wide, order, names = _lumped(df, "group")
    wide = wide.loc[[g for g in sizes.index if g in wide.index]]
    fig = style.new_figure(len(wide) + 2)
    ax = fig.add_subplot()
    left = np.zeros(len(wide))
    y = np.arange(len(wide))
    for i, topic in enumerate(order):
        ax.barh(y, wide[topic], left=left, height=0.7, **_look(i, topic, names))
        left += wide[topic].to_numpy()
    ax.set_yticks(y, labels=[wrap_label(g, 28, 1) for g in wide.index])
    ax.set_ylim(len(wide) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Share of units", fontsize=style.FONT_SIZE, color=style.TEXT)
    ax.legend(fontsize=style.FONT_SIZE - 1, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    style.style_axes(ax, grid_axis="x")
    style.right_labels(ax, [f"n={int(sizes[g])}" for g in wide.index])
    style.set_title(ax, f"Topics per {'outlet' if field == 'source' else field}")
    return fig


def topic_quality(quality: pd.DataFrame | None) -> "Figure | None":
    """NPMI coherence of each topic's top words, best first (outliers left out)."""
    if _empty(quality):
        return None
    schema.check_columns(quality, schema.TOPIC_QUALITY, "topic_quality")
    df = quality[(quality["topic"] != OUTLIER_TOPIC) & quality["npmi"].notna()]
    if df.empty:
        return None
    df = df.sort_values(["npmi", "topic"], ascending=[False, True], kind="stable")
    fig = style.new_figure(len(df))
    ax = fig.add_subplot()
    y = np.arange(len(df))
    colours = [style.TOPIC_COLOUR if v >= 0 else style.OKABE_ITO["vermillion"] for v in df["npmi"]]
    ax.barh(y, df["npmi"], color=colours, height=0.7)
    ax.axvline(0, color=style.GREY, linewidth=0.9)
    ax.set_yticks(y, labels=[wrap_label(n) for n in df["name"]])
    ax.set_ylim(len(df) - 0.5, -0.5)
    lo = min(-0.1, float(df["npmi"].min()) - 0.05)
    ax.set_xlim(lo, max(0.1, float(df["npmi"].max()) + 0.05))
    ax.set_xlabel("NPMI of the top words (−1 never together · 0 independent · +1 always together)",
                  fontsize=style.FONT_SIZE, color=style.TEXT)
    style.style_axes(ax, grid_axis="x")
    style.right_labels(ax, [f"n={int(s)}" for s in df["size"]])
    style.set_title(ax, "Topic coherence", note=f"mean NPMI {df['npmi'].mean():.3f}, computed on this corpus")
    return fig


def topic_hierarchy(hierarchy: pd.DataFrame | None, topics: pd.DataFrame | None) -> "Figure | None":
    """Dendrogram of how the topics merge (distance = 1 − cosine similarity of c-TF-IDF)."""
    if _empty(hierarchy) or _empty(topics):
        return None
    from scipy.cluster.hierarchy import dendrogram

    schema.check_columns(hierarchy, schema.TOPIC_HIERARCHY, "topic_hierarchy")
    linkage, leaves = linkage_matrix(hierarchy)
    names = dict(zip(topics["topic"].astype(int), topics["name"]))
    fig = style.new_figure(len(leaves))
    ax = fig.add_subplot()
    dendrogram(linkage, orientation="left", ax=ax, color_threshold=0, above_threshold_color=style.TOPIC_COLOUR,
               labels=[wrap_label(f"{t}: {names.get(t, '')}", 40, 1) for t in leaves])
    ax.set_xlabel("Merge distance", fontsize=style.FONT_SIZE, color=style.TEXT)
    style.style_axes(ax, grid_axis="x")
    style.set_title(ax, "Topic hierarchy")
    return fig


def linkage_matrix(hierarchy: pd.DataFrame) -> tuple[np.ndarray, list[int]]:
    """A scipy linkage matrix rebuilt from the ``topic_hierarchy`` table, and its leaf topics."""
    rows = hierarchy.sort_values(["distance", "parent"], kind="stable")
    leaves = sorted({int(t) for ts in rows["topics"] for t in ts})
    position = {t: i for i, t in enumerate(leaves)}  # merged nodes are numbered above every topic id
    Z = []
    for k, row in enumerate(rows.itertuples(index=False)):
        Z.append([position[int(row.left)], position[int(row.right)], max(float(row.distance), 0.0),
                  len(row.topics)])
        position[int(row.parent)] = len(leaves) + k
    Z = np.asarray(Z, dtype=float)
    Z[:, 2] = np.maximum.accumulate(Z[:, 2])  # monotone heights for drawing
    return Z, leaves


def topic_stability(stability_topics: pd.DataFrame | None) -> "Figure | None":
    """How often each topic of the reference run recurs under other seeds."""
    if _empty(stability_topics):
        return None
    schema.check_columns(stability_topics, schema.TOPIC_STABILITY, "topic_stability")
    df = stability_topics.sort_values(["recurrence", "mean_overlap", "topic"], ascending=[False, False, True],
                                      kind="stable")
    fig = style.new_figure(len(df))
    ax = fig.add_subplot()
    y = np.arange(len(df))
    colours = [style.TOPIC_COLOUR if k else style.GREY for k in df["kept"]]
    ax.barh(y, df["recurrence"], color=colours, height=0.7)
    ax.set_yticks(y, labels=[wrap_label(n) for n in df["name"]])
    ax.set_ylim(len(df) - 0.5, -0.5)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("Share of other seeds in which the topic recurs", fontsize=style.FONT_SIZE, color=style.TEXT)
    style.style_axes(ax, grid_axis="x")
    style.right_labels(ax, [f"overlap {v:.2f}" for v in df["mean_overlap"]])
    style.set_title(ax, "Topic stability across seeds", note="grey: not kept in the consensus")
    return fig
