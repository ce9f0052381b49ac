"""Write a validation report folder for ``analysis stance evaluate``.

Files: ``metrics.csv`` (per class, macro, F_avg, accuracy, with bootstrap
intervals), ``per_target.csv``, ``confusion.csv``, ``reliability.csv`` (for
calibrated scorers), ``agreement.csv`` / ``agreement_model.csv`` (when the
gold file has a second annotator's column), ``predictions.csv``, the figures
``figures/confusion.png|pdf``, ``figures/reliability.png|pdf`` and a
``report.md`` that summarises them.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..io import write_table, write_text
from ..report.figure_files import save_figure
from ..report.figures_validation import confusion_matrix, reliability_diagram
from ..stance.validation import summary


def _fmt(value) -> str:
    return "–" if pd.isna(value) else f"{float(value):.3f}"


def _metrics_md(metrics: pd.DataFrame) -> list[str]:
    lines = ["| label | precision | recall | F1 | 95% CI | support |", "|---|---|---|---|---|---|"]
    for row in metrics.itertuples(index=False):
        lines.append(f"| {row.label} | {_fmt(row.precision)} | {_fmt(row.recall)} | {_fmt(row.f1)} "
                     f"| {_fmt(row.f1_low)}–{_fmt(row.f1_high)} | {row.support} |")
    return lines


def _summary_md(tables: dict[str, pd.DataFrame], title: str) -> str:
    s = summary(tables)
    lines = [f"# {title}", "",
             f"{s['n']} items. Macro-F1 **{s['macro_f1']:.3f}** "
             f"(95% CI {s['macro_f1_low']:.3f}–{s['macro_f1_high']:.3f}); "
             f"SemEval F_avg **{s['f_avg_f1']:.3f}** ({s['f_avg_f1_low']:.3f}–{s['f_avg_f1_high']:.3f}); "
             f"accuracy {s['accuracy']:.3f}."]
    if "ece" in s:
        lines.append(f"Expected calibration error {s['ece']:.3f} (10 equal-width bins).")
    lines += ["", "## Per class", ""] + _metrics_md(tables["metrics"])
    order = ["favor", "against", "neutral"]
    conf = tables["confusion"].pivot(index="gold", columns="predicted", values="count").reindex(
        index=order, columns=order)
    lines += ["", "## Confusion matrix (rows gold, columns predicted)", "",
              "| gold | " + " | ".join(conf.columns) + " |", "|---" * (len(conf.columns) + 1) + "|"]
    lines += [f"| {g} | " + " | ".join(str(int(v)) for v in conf.loc[g]) + " |" for g in conf.index]
    if "per_target" in tables:
        pt = tables["per_target"].pivot(index="target", columns="label", values="f1")
        lines += ["", "## Per target (F1)", "", "| target | favor | against | neutral | macro | F_avg |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {t} | " + " | ".join(_fmt(pt.loc[t, c]) for c in
                                          ("favor", "against", "neutral", "macro", "f_avg")) + " |"
                  for t in pt.index]
    for name, heading in (("agreement", "Agreement between the two annotators"),
                          ("agreement_model", "Agreement of the model with each annotator")):
        if name in tables:
            lines += ["", f"## {heading}", "", "| measure | value | 95% CI | n |", "|---|---|---|---|"]
            for row in tables[name].itertuples(index=False):
                label = f"{row.measure} ({row.pair})" if hasattr(row, "pair") else row.measure
                lines.append(f"| {label} | {_fmt(row.value)} | {_fmt(row.ci_low)}–{_fmt(row.ci_high)} | {row.n} |")
    return "\n".join(lines) + "\n"


def write_validation_report(tables: dict[str, pd.DataFrame], out_dir: str | Path,
                            title: str = "Stance validation") -> Path:
    """Write the tables, figures and ``report.md`` into ``out_dir``; return the report path."""
    out = Path(out_dir)
    for name, df in tables.items():
        write_table(df, out, name, csv=True)
        (out / f"{name}.parquet").unlink(missing_ok=True)
    figures = {"confusion": confusion_matrix(tables.get("confusion"), "Confusion matrix"),
               "reliability": reliability_diagram(tables.get("reliability"), "Calibration")}
    for stem, fig in figures.items():
        if fig is not None:
            save_figure(fig, out / "figures", stem)
    text = _summary_md(tables, title)
    text += "".join(f"\n![{stem}](figures/{stem}.png)\n" for stem, fig in figures.items() if fig is not None)
    return write_text(out / "report.md", text)
