"""One plotting style for every report figure.

Colours come from the Okabe–Ito palette, which stays distinguishable under
the common colour-vision deficiencies. Figures are built as
``matplotlib.figure.Figure`` objects (no pyplot, no global rcParams), and
matplotlib is imported only when a figure is actually made.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.report._format import wrap_label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#999999"
LIGHT_GREY = "#DDDDDD"
TEXT = "#222222"

#: Stance label -> colour (against = vermillion, neutral = grey, favor = bluish green).
STANCE_COLOURS = {
    "against": OKABE_ITO["vermillion"],
    "neutral": GREY,
    "favor": OKABE_ITO["bluish_green"],
}
#: Order in which stance shares are stacked, left to right.
STANCE_ORDER = ("against", "neutral", "favor")
#: Colours given to targets in turn (stance colours are kept for labels).
TARGET_COLOURS = (
    OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"], OKABE_ITO["black"], OKABE_ITO["yellow"],
)
TOPIC_COLOUR = OKABE_ITO["blue"]
#: Colours of individual topics (largest first) in maps and topic-share figures.
TOPIC_PALETTE = (
    OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"], OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"], OKABE_ITO["sky_blue"], OKABE_ITO["yellow"],
)
#: Sequential colour map (white to blue) for heatmaps of shares.
SEQUENTIAL = ("#FFFFFF", "#C6DBEF", "#6BAED6", "#2171B5", "#08306B")
OUTLIER_LABEL = "Outliers"

FONT_SIZE = 9
TITLE_CHARS = 75     # panel titles wrap at this many characters
TITLE_SIZE = 10.5
WIDTH = 7.0          # inches: fits a page column at 300 dpi
ROW_HEIGHT = 0.34    # inches per bar / point row
BASE_HEIGHT = 1.3    # inches for title, axis label and margins
PANEL_HEIGHT = 0.55  # inches for each further panel's title and gap


def new_figure(n_rows: int, n_panels: int = 1, width: float = WIDTH) -> "Figure":
    """A constrained-layout figure tall enough for ``n_rows`` labelled rows."""
    from matplotlib.figure import Figure

    height = BASE_HEIGHT + PANEL_HEIGHT * (n_panels - 1) + ROW_HEIGHT * max(n_rows, 2)
    return Figure(figsize=(width, min(height, 40.0)), layout="constrained")


def style_axes(ax: "Axes", grid_axis: str = "x") -> None:
    """Apply the shared look: light grid, no top/right spines, readable ticks."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GREY)
    ax.tick_params(labelsize=FONT_SIZE, colors=TEXT, length=3)
    ax.grid(axis=grid_axis, color=LIGHT_GREY, linewidth=0.6)
    ax.set_axisbelow(True)


def set_title(ax: "Axes", title: str, note: str = "", anchor: str = "figure") -> None:
    """Panel title aligned with the figure's left edge, above the axes.

    Anchoring at the figure edge (not the axes, which long tick labels push
    right) gives titles the full width; they are wrapped to stay inside it.
    ``anchor="axes"`` aligns them with the axes instead, for axes without tick
    labels (a title at the figure edge would make the layout keep an empty
    margin left of them). ``note`` goes on its own smaller grey line under the title.
    """
    at_axes = anchor == "axes"
    where = {"xy": (0 if at_axes else 0.01, 1),
             "xycoords": ("axes fraction" if at_axes else "figure fraction", "axes fraction"),
             "textcoords": "offset points", "ha": "left", "va": "bottom"}
    ax.annotate(wrap_label(title, TITLE_CHARS, 2), xytext=(0, 18 if note else 6),
                fontsize=TITLE_SIZE, color=TEXT, **where)
    if note:
        ax.annotate(wrap_label(note, TITLE_CHARS + 15, 1), xytext=(0, 5),
                    fontsize=FONT_SIZE - 1, color=GREY, **where)


def stance_axis(ax: "Axes", target: str) -> None:
    """x axis of a stance score in [-1, 1] with a zero reference line."""
    ax.set_xlim(-1.05, 1.05)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1])
    ax.axvline(0, color=GREY, linewidth=0.9, zorder=1)
    ax.set_xlabel(
        f"Mean stance toward {target}  (−1 against · +1 favor)",
        fontsize=FONT_SIZE, color=TEXT,
    )


def right_labels(ax: "Axes", labels: list[str]) -> "Axes":
    """Label each row again on the right (e.g. ``n=12``) via a twin axis.

    Constrained layout makes room for these labels, unlike free text placed
    outside the axes.
    """
    twin = ax.twinx()
    twin.set_ylim(ax.get_ylim())
    twin.set_yticks(list(ax.get_yticks()), labels=labels)
    twin.tick_params(labelsize=FONT_SIZE - 1, colors=GREY, length=0)
    for spine in twin.spines.values():
        spine.set_visible(False)
    return twin


def grey_outlier_ticks(ax: "Axes") -> None:
    """Draw the "Outliers" tick label in grey, like its bar."""
    for tick in ax.get_yticklabels():
        if tick.get_text() == OUTLIER_LABEL:
            tick.set_color(GREY)


def score_colour(score: float, neutral_band: float = 0.05) -> str:
    """Stance colour for a mean score: favor, against, or neutral near zero."""
    if score > neutral_band:
        return STANCE_COLOURS["favor"]
    if score < -neutral_band:
        return STANCE_COLOURS["against"]
    return STANCE_COLOURS["neutral"]
