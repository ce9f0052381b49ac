"""Template data for the Validation section: how good the stance scorer is, measured on held-out data.

Reads ``stance_validation`` (per scorer and label: precision, recall, F1 with
a bootstrap interval, support), and the scorer described in the manifest
(``stance_model``). The figures (confusion matrix, reliability diagram, F1)
are added by the figure placement in :mod:`analysis.report.context`.
"""
from __future__ import annotations

import pandas as pd

from analysis.report._format import fmt_int, fmt_num, is_na

LABEL_NAMES = {"favor": "favor", "against": "against", "neutral": "neutral",
               "macro": "macro average", "f_avg": "F_avg (favor, against)", "accuracy": "accuracy"}
COLUMNS = ["scorer", "model", "split", "label", "precision", "recall", "f1", "f1_low", "f1_high",
           "support"]


def _interval(low, high) -> str:
    if is_na(low) or is_na(high):
        return "–"
    return f"[{fmt_num(low)}, {fmt_num(high)}]"


def _rows(validation: pd.DataFrame) -> list[dict]:
    out = []
    keys = ["scorer", "split"] if "split" in validation.columns else ["scorer"]
    for (scorer, *_), part in validation.groupby(keys, sort=False):
        model = str(part["model"].iloc[0]) if "model" in part else ""
        split = str(part["split"].iloc[0]) if "split" in part else ""
        out.append({"scorer": str(scorer), "model": model, "split": split, "rows": [
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
        "scorers": _rows(df) if has else [], "note": note, "figures": [],
    }
