"""The paragraph map: a 2-D layout of the paragraphs coloured by topic, with topic names on it.

:func:`paragraph_map` draws the ``paragraph_map`` table (see
:mod:`analysis.report.map_layout`) as a free function returning a
``matplotlib.figure.Figure`` (or ``None`` without data). Topics get the
colours of the shared topic palette, first as circles, then as squares and
triangles; any further topics are a neutral grey and outliers light grey; every drawn topic name sits at the median of its
paragraphs, and overlapping names are moved apart with adjustText.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.report import style
from analysis.report._format import wrap_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

OUTLIER_TOPIC = -1
#: Topic names written on the map (the largest topics).
MAX_LABELS = 15
OTHER_COLOUR = "#7F7F7F"
#: Marker of each round through the palette.
MARKERS = ("o", "s", "^")
NAME_CHARS = 22
#: Points the names are kept off (a fixed sample of them on large maps).
AVOID_POINTS = 1500
#: Rounds of moving names apart: a fixed number keeps the figure deterministic and cheap
#: (names no longer overlap long before; unbounded, most of the rounds move them by fractions
#: of a pixel).
SPREAD_ROUNDS = 150


def topic_styles(topics_by_size: list[int]) -> dict[int, tuple[str, str]]:
    """(colour, marker) per topic: the palette with circles, then squares, then triangles.

    Topics beyond three rounds of the palette are a neutral grey; outliers light grey.
    """
    palette = style.TOPIC_PALETTE
    real = [t for t in topics_by_size if t != OUTLIER_TOPIC]
    styles = {}
    for i, topic in enumerate(real):
        rnd, k = divmod(i, len(palette))
        styles[topic] = (palette[k], MARKERS[rnd]) if rnd < len(MARKERS) else (OTHER_COLOUR, "o")
    styles[OUTLIER_TOPIC] = (style.LIGHT_GREY, "o")
    return styles


def _point_size(n: int) -> float:
    return float(np.clip(40.0 / np.sqrt(max(n, 1) / 60.0), 3.0, 36.0))


def topic_names(topics: pd.DataFrame | None) -> dict[int, str]:
    """Topic id -> name from a ``topics`` table (empty without one)."""
    if topics is None or topics.empty:
        return {}
    return dict(zip(topics["topic"].astype(int), topics["name"].astype(str)))


def topic_order(map_df: pd.DataFrame | None, topics: pd.DataFrame | None) -> list[int]:
    """Topics largest first: the order (and so the colours) of the static and the interactive map.

    The map's own point counts decide when there is a map; else the topics
    table's sizes.
    """
    if map_df is not None and not map_df.empty:
        sizes = map_df["topic"].astype(int).value_counts()
    elif topics is not None and not topics.empty:
        sizes = pd.Series(topics["size"].to_numpy(), index=topics["topic"].astype(int))
    else:
        return []
    return sorted(sizes.index.astype(int), key=lambda t: (-int(sizes[t]), t))


def _place_names(ax: "Axes", df: pd.DataFrame, order: list[int], names: dict,
                 styles: dict) -> list:
    """Write each topic's name at the median of its points; returns the text artists."""
    from matplotlib import patheffects

    texts = []
    for topic in [t for t in order if t != OUTLIER_TOPIC][:MAX_LABELS]:
        pts = df[df["topic"] == topic]
        if pts.empty:
            continue
        colour = styles.get(topic, (OTHER_COLOUR, "o"))[0]
        texts.append(ax.text(
            float(pts["x"].median()), float(pts["y"].median()),
            wrap_label(names.get(topic, f"Topic {topic}"), NAME_CHARS, 2),
            fontsize=style.FONT_SIZE - 1, color=style.TEXT, ha="center", va="center", zorder=5,
            linespacing=1.0,
            bbox={"boxstyle": "round,pad=0.18", "facecolor": "white", "alpha": 0.7,
                  "edgecolor": colour, "linewidth": 1.0},
            path_effects=[patheffects.withStroke(linewidth=1.5, foreground="white")]))
    return texts


def _spread_names(fig: "Figure", ax: "Axes", texts: list, points: pd.DataFrame) -> None:
    """Move names off each other and off the points (adjustText), once the layout has settled."""
    if not texts:
        return
    from adjustText import adjust_text
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    sample = points.sample(n=min(len(points), AVOID_POINTS), random_state=0) \
        if len(points) > AVOID_POINTS else points
    adjust_text(texts, x=sample["x"].to_numpy(), y=sample["y"].to_numpy(), ax=ax,
                expand=(1.1, 1.3), ensure_inside_axes=True, iter_lim=SPREAD_ROUNDS,
                arrowprops={"arrowstyle": "-", "color": style.GREY, "linewidth": 0.6})


def paragraph_map(map_df: pd.DataFrame | None, topics_df: pd.DataFrame | None) -> "Figure | None":
    """Paragraphs in two dimensions (seeded UMAP of their embeddings), coloured by topic.

    ``map_df`` has columns ``paragraph_id, topic, x, y``; ``topics_df``
    (schema.TOPICS) gives names and sizes. ``None`` when there are no points.
    """
    if map_df is None or map_df.empty:
        return None
    df = map_df.assign(topic=map_df["topic"].astype(int))
    names, order = topic_names(topics_df), topic_order(df, topics_df)
    styles = topic_styles(order)
    fig = style.new_figure(14, width=style.WIDTH)
    ax = fig.add_subplot()
    size = _point_size(len(df))
    for topic in [OUTLIER_TOPIC, *reversed([t for t in order if t != OUTLIER_TOPIC])]:
        pts = df[df["topic"] == topic]
        if not pts.empty:
            colour, marker = styles[topic]
            ax.scatter(pts["x"], pts["y"], s=size, c=colour, marker=marker, linewidths=0,
                       alpha=0.6 if topic == OUTLIER_TOPIC else 0.85,
                       zorder=1 if topic == OUTLIER_TOPIC else 2)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color(style.LIGHT_GREY)
    ax.margins(0.06)
    n_topics = len([t for t in order if t != OUTLIER_TOPIC])
    parts = [f"{len(df):,} paragraphs, {n_topics} topics"]
    if n_topics > len(style.TOPIC_PALETTE) * len(MARKERS):
        parts.append(f"dark grey: topics beyond the {len(style.TOPIC_PALETTE) * len(MARKERS)} largest")
    if OUTLIER_TOPIC in order:
        parts.append("light grey: outliers")
    if n_topics > MAX_LABELS:
        parts.append(f"names of the {MAX_LABELS} largest topics shown")
    style.set_title(ax, "Map of paragraphs by topic", note="; ".join(parts), anchor="axes")
    ax.set_xlabel("UMAP of the paragraph embeddings (axes have no units; nearby = similar)",
                  fontsize=style.FONT_SIZE - 1, color=style.GREY)
    _spread_names(fig, ax, _place_names(ax, df, order, names, styles), df)
    return fig
