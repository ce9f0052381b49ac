"""Figures of a stance scorer's measured quality: free functions from tables to a Figure.

* :func:`confusion_matrix` draws a ``stance_confusion`` table (``gold,
  predicted, count``): counts, shaded by the share of each gold row.
* :func:`reliability_diagram` draws a ``stance_reliability`` table (``bin,
  bin_low, bin_high, n, confidence, accuracy``): accuracy against stated
  confidence per bin, with the diagonal of perfect calibration, and the
  number of predictions per bin below.
* :func:`validation_f1` draws per-class F1 with bootstrap intervals from a
  ``stance_validation`` table, one marker per scorer.

Each returns ``None`` when the table is empty, like the other report figures,
and uses the shared style (:mod:`analysis.report.style`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import schema
from analysis.report import style
from analysis.report.figure_files import save_figure
from analysis.stance.reliability import expected_calibration_error

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

ORDER = list(schema.LABELS)  # favor, against, neutral
METRIC_ROWS = ["favor", "against", "neutral", "macro", "f_avg"]


def _empty(df: pd.DataFrame | None) -> bool:
    return df is None or df.empty


def first_split(df: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of the table's first ``split`` (a scorer validated on several sets lists the real one first)."""
    if _empty(df) or "split" not in df.columns:
        return df
    return df[df["split"] == df["split"].iloc[0]]


def confusion_matrix(confusion: pd.DataFrame | None, title: str = "Confusion matrix (validation data)") -> "Figure | None":
    """Gold (rows) x predicted (columns) counts, shaded by the row share."""
    confusion = first_split(confusion)
    if _empty(confusion):
        return None
    from matplotlib.colors import LinearSegmentedColormap

    schema.check_columns(confusion, ["gold", "predicted", "count"], "stance_confusion")
    counts = (confusion.pivot_table(index="gold", columns="predicted", values="count",
                                    aggfunc="sum", fill_value=0)
              .reindex(index=ORDER, columns=ORDER, fill_value=0).to_numpy(dtype=float))
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    cmap = LinearSegmentedColormap.from_list("shares", ["#FFFFFF", style.OKABE_ITO["blue"]])
    fig = style.new_figure(5, width=4.8)
    ax = fig.add_subplot()
    ax.imshow(shares, cmap=cmap, vmin=0, vmax=1)
    for i in range(3):
        for j in range(3):
            colour = "white" if shares[i, j] > 0.6 else style.TEXT
            ax.text(j, i, f"{int(counts[i, j])}\n{shares[i, j]:.0%}", ha="center", va="center",
                    fontsize=style.FONT_SIZE, color=colour)
    ax.set_xticks(range(3), labels=ORDER)
    ax.set_yticks(range(3), labels=[f"{lab} (n={int(t)})" for lab, t in zip(ORDER, totals[:, 0])])
    ax.set_xlabel("Predicted", fontsize=style.FONT_SIZE, color=style.TEXT)
    ax.set_ylabel("Gold", fontsize=style.FONT_SIZE, color=style.TEXT)
    ax.tick_params(labelsize=style.FONT_SIZE, colors=style.TEXT, length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    style.set_title(ax, title, note="Cell: count and share of the gold row.")
    return fig


def reliability_diagram(reliability: pd.DataFrame | None,
                        title: str = "Calibration (validation data)") -> "Figure | None":
    """Accuracy vs. confidence of the predicted label, and predictions per bin."""
    reliability = first_split(reliability)
    if _empty(reliability) or int(reliability["n"].sum()) == 0:
        return None
    schema.check_columns(reliability, ["bin_low", "bin_high", "n", "confidence", "accuracy"],
                         "stance_reliability")
    used = reliability[reliability["n"] > 0]
    width = float((reliability["bin_high"] - reliability["bin_low"]).iloc[0])
    fig = style.new_figure(8, n_panels=2, width=4.8)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    top.plot([0, 1], [0, 1], color=style.GREY, linestyle="--", linewidth=0.9,
             label="perfect calibration")
    top.bar(used["bin_low"], used["accuracy"], width=width, align="edge",
            color=style.OKABE_ITO["sky_blue"], edgecolor="white", label="accuracy per bin")
    top.plot(used["confidence"], used["accuracy"], "o", color=style.OKABE_ITO["blue"],
             markersize=4, label="accuracy at the bin's mean confidence")
    top.set_xlim(0, 1)
    top.set_ylim(0, 1)
    top.set_ylabel("Accuracy", fontsize=style.FONT_SIZE, color=style.TEXT)
    top.legend(fontsize=style.FONT_SIZE - 1, frameon=False, loc="upper left")
    bottom.bar(reliability["bin_low"], reliability["n"], width=width, align="edge",
               color=style.GREY, edgecolor="white")
    bottom.set_ylabel("n", fontsize=style.FONT_SIZE, color=style.TEXT)
    bottom.set_xlabel("Confidence of the predicted label", fontsize=style.FONT_SIZE,
                      color=style.TEXT)
    for ax in (top, bottom):
        style.style_axes(ax, grid_axis="y")
    ece = expected_calibration_error(reliability)
    style.set_title(top, title, note=f"Expected calibration error {ece:.3f} over "
                                     f"{int(reliability['n'].sum())} predictions.")
    return fig


def validation_f1(validation: pd.DataFrame | None,
                  title: str = "F1 on the validation data") -> "Figure | None":
    """Per-class, macro and F_avg F1 with bootstrap intervals, one marker per scorer."""
    validation = first_split(validation)
    if _empty(validation):
        return None
    schema.check_columns(validation, ["scorer", "label", "f1", "f1_low", "f1_high"],
                         "stance_validation")
    rows = validation[validation["label"].isin(METRIC_ROWS)]
    scorers = list(dict.fromkeys(rows["scorer"]))
    fig = style.new_figure(len(METRIC_ROWS) + 1, width=5.5)
    ax = fig.add_subplot()
    offsets = np.linspace(-0.15, 0.15, len(scorers)) if len(scorers) > 1 else [0.0]
    for k, (scorer, offset) in enumerate(zip(scorers, offsets)):
        part = rows[rows["scorer"] == scorer].set_index("label").reindex(METRIC_ROWS)
        y = np.arange(len(METRIC_ROWS)) + offset
        colour = style.TARGET_COLOURS[k % len(style.TARGET_COLOURS)]
        ax.errorbar(part["f1"], y, xerr=[part["f1"] - part["f1_low"], part["f1_high"] - part["f1"]],
                    fmt="o", color=colour, markersize=4, capsize=2, linewidth=1, label=scorer)
    ax.set_yticks(range(len(METRIC_ROWS)), labels=["favor", "against", "neutral", "macro",
                                                  "F_avg (favor, against)"])
    ax.set_ylim(len(METRIC_ROWS) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1 (line: 95% bootstrap interval)", fontsize=style.FONT_SIZE, color=style.TEXT)
    style.style_axes(ax, grid_axis="x")
    style.set_title(ax, title)
    fig.legend(loc="outside lower center", ncols=max(1, len(scorers)), frameon=False,
               fontsize=style.FONT_SIZE - 1)
    return fig


#: (stem, function, table, caption) of each validation figure, for report builders.
VALIDATION_FIGURES = (
    ("stance_confusion", confusion_matrix, "stance_confusion",
     "Confusion matrix of the stance scorer on its first validation set (named in the Validation "
     "section; for the default scorer, NewsMTSC's real-world dev split, human-labelled news)."),
    ("stance_reliability", reliability_diagram, "stance_reliability",
     "Reliability of the scorer's calibrated probabilities on its first validation set."),
    ("stance_validation_f1", validation_f1, "stance_validation",
     "F1 per class with 95% bootstrap intervals on the scorer's first validation set "
     "(named in the Validation section)."),
)


def save_validation_figures(tables: dict[str, pd.DataFrame], out_dir) -> dict[str, dict]:
    """Draw and save (PNG + PDF) every validation figure the tables allow.

    Returns ``{stem: {"paths": {...}, "caption": str}}``; figures whose table
    is empty are left out.
    """
    out = {}
    for stem, draw, table, caption in VALIDATION_FIGURES:
        fig = draw(tables.get(table))
        if fig is not None:
            out[stem] = {"paths": save_figure(fig, out_dir, stem), "caption": caption}
    return out
