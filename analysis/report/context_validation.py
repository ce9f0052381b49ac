"""Template data for the Validation section: how good the stance scorer is, measured on held-out data.

Reads ``stance_validation`` (per scorer and label: precision, recall, F1 with
a bootstrap interval, support), ``stance_confusion`` and ``stance_reliability``
(predicted against gold label shares and the calibration error per data set),
and the scorer described in the manifest (``stance_model``). The figures (confusion matrix, reliability diagram, F1)
are added by the figure placement in :mod:`analysis.report.context`.
"""
from __future__ import annotations

import pandas as pd

from analysis.report._format import fmt_int, fmt_num, fmt_pct, is_na
from analysis.stance.reliability import expected_calibration_error

LABEL_NAMES = {"favor": "favor", "against": "against", "neutral": "neutral",
               "macro": "macro average", "f_avg": "F_avg (favor, against)", "accuracy": "accuracy"}
COLUMNS = ["scorer", "model", "split", "label", "precision", "recall", "f1", "f1_low", "f1_high",
           "support"]


def _interval(low, high) -> str:
    if is_na(low) or is_na(high):
        return "–"
    return f"[{fmt_num(low)}, {fmt_num(high)}]"


def data_note(split: str) -> str:
    """What a reader must know about the validation data a figure comes from ("" when nothing)."""
    if "generated" in split:
        return "generated: written and labelled by a language model, not by people"
    if "(real)" in split:
        note = "real news, labelled by people"
        return note + ("; a dev split, looked at when the training recipe was chosen, so optimistic"
                       if "dev" in split else "")
    return ""


def _shares(counts: pd.Series) -> str:
    total = counts.sum()
    return ", ".join(f"{label} {fmt_pct(counts.get(label, 0) / total)}"
                     for label in ("favor", "against", "neutral"))


def _calibration(tables: dict[str, pd.DataFrame], split: str) -> str | None:
    """Predicted against gold label shares and the ECE of one split, from its confusion and reliability."""
    conf, rel = tables.get("stance_confusion"), tables.get("stance_reliability")
    if conf is None or conf.empty or "split" not in conf.columns:
        return None
    conf = conf[conf["split"] == split]
    if conf.empty or conf["count"].sum() == 0:
        return None
    text = (f"Label shares predicted: {_shares(conf.groupby('predicted')['count'].sum())}; "
            f"gold: {_shares(conf.groupby('gold')['count'].sum())}.")
    if rel is not None and not rel.empty and "split" in rel.columns:
        ece = expected_calibration_error(rel[rel["split"] == split])
        if not is_na(ece):
            text += (f" Expected calibration error (ECE) of the calibrated probabilities: "
                     f"{ece:.3f}.")
    return text


def _rows(validation: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> list[dict]:
    out, seen = [], set()
    keys = ["scorer", "split"] if "split" in validation.columns else ["scorer"]
    for (scorer, *_), part in validation.groupby(keys, sort=False):
        model = str(part["model"].iloc[0]) if "model" in part else ""
        split = str(part["split"].iloc[0]) if "split" in part else ""
        # the confusion and reliability of a split belong to its first scorer, the run's own
        calibration = _calibration(tables, split) if split and split not in seen else None
        seen.add(split)
        out.append({"scorer": str(scorer), "model": model, "split": split,
                    "note": data_note(split), "calibration": calibration, "rows": [
            {"label": LABEL_NAMES.get(str(r["label"]), str(r["label"])),
             "precision": fmt_num(r.get("precision")), "recall": fmt_num(r.get("recall")),
             "f1": fmt_num(r["f1"]), "ci": _interval(r["f1_low"], r["f1_high"]),
             "support": fmt_int(r["support"])}
            for _, r in part.iterrows()]})
    return out


def validation(tables: dict[str, pd.DataFrame], manifest: dict) -> dict:
    """Scorer description, metric tables per scorer, and a note when nothing was measured."""
    info = manifest.get("stance_model") if isinstance(manifest.get("stance_model"), dict) else {}
    config = manifest.get("config") or {}
    stance_cfg = config.get("stance") if isinstance(config.get("stance"), dict) else {}
    scorer = str(info.get("scorer") or stance_cfg.get("scorer") or "–")
    df = tables.get("stance_validation")
    has = df is not None and not df.empty and {"scorer", "label", "f1"} <= set(df.columns)
    note = None if has else (
        f"No held-out validation is stored for the scorer {scorer} of this run: its accuracy on "
        "this corpus is unknown. Annotate a sample (analysis annotate sample) and measure it "
        "(analysis stance evaluate).")
    return {
        "scorer": scorer,
        "scorer_info": [(str(k), str(v)) for k, v in info.items() if v is not None and k != "scorer"],
        "scorers": _rows(df, tables) if has else [], "note": note, "figures": [],
    }
