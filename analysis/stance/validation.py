"""Measured quality of stance predictions: metrics with bootstrap intervals.

:func:`evaluate_predictions` compares gold and predicted labels (and,
optionally, the predicted probabilities) and returns the tables behind a
validation report:

``metrics``
    ``label, precision, recall, f1, support, f1_low, f1_high`` for favor,
    against, neutral, ``macro`` (mean over the three classes), ``f_avg``
    (SemEval-2016: mean F1 of favor and against) and ``accuracy`` (in the
    ``f1`` column). ``f1_low``/``f1_high`` are percentile bootstrap intervals
    from resampling the items with replacement.
``confusion``
    ``gold, predicted, count``: all nine cells, zeros included.
``reliability``
    confidence bins of the predicted label (see
    :func:`analysis.stance.calibration.reliability_table`), when
    probabilities are given.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.schema import LABELS, STANCE_CONFUSION, STANCE_VALIDATION
from analysis.stance.reliability import RELIABILITY as RELIABILITY_COLUMNS
from analysis.stance.reliability import expected_calibration_error, reliability_table
from analysis.stance.modelio import read_model_info

METRICS = ["label", "precision", "recall", "f1", "support", "f1_low", "f1_high"]
CONFUSION = STANCE_CONFUSION


def _scores_from_confusion(conf: np.ndarray) -> dict[str, np.ndarray]:
    """Per-class precision/recall/F1 from (..., 3, 3) confusion counts (gold x predicted)."""
    tp = np.diagonal(conf, axis1=-2, axis2=-1).astype(float)
    predicted, gold = conf.sum(axis=-2).astype(float), conf.sum(axis=-1).astype(float)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, gold, out=np.zeros_like(tp), where=gold > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    accuracy = tp.sum(axis=-1) / np.maximum(conf.sum(axis=(-2, -1)), 1)
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}


def _codes(labels) -> np.ndarray:
    index = {lab: i for i, lab in enumerate(LABELS)}
    values = [index.get(str(v), -1) for v in labels]
    if min(values, default=0) < 0:
        bad = sorted({str(v) for v in labels if str(v) not in index})
        raise ValueError(f"labels must be one of {list(LABELS)}; got {bad}")
    return np.asarray(values, dtype=np.int64)


def confusion_counts(gold, pred) -> np.ndarray:
    """3 x 3 counts, rows = gold, columns = predicted, in ``LABELS`` order."""
    code = _codes(gold) * 3 + _codes(pred)
    return np.bincount(code, minlength=9).reshape(3, 3)


def _bootstrap_f1(gold_codes, pred_codes, n_boot, rng) -> np.ndarray:
    """(n_boot, 6) array: F1 per class, macro, f_avg, accuracy... per resample."""
    n = len(gold_codes)
    idx = rng.integers(0, n, size=(n_boot, n))
    codes = gold_codes[idx] * 3 + pred_codes[idx] + 9 * np.arange(n_boot)[:, None]
    conf = np.bincount(codes.ravel(), minlength=9 * n_boot).reshape(n_boot, 3, 3)
    s = _scores_from_confusion(conf)
    f1 = s["f1"]
    return np.column_stack([f1, f1.mean(axis=1), f1[:, :2].mean(axis=1), s["accuracy"]])


def evaluate_predictions(gold, pred, probs=None, n_boot: int = 1000, ci: float = 0.95,
                         seed: int = 0, n_bins: int = 10) -> dict[str, pd.DataFrame]:
    """Tables ``metrics``, ``confusion`` and (with ``probs``) ``reliability``.

    ``probs`` is an (n, 3) array in the order favor, against, neutral; the
    confidence of each prediction is the probability of the predicted label.
    """
    gold_codes, pred_codes = _codes(gold), _codes(pred)
    if len(gold_codes) != len(pred_codes):
        raise ValueError(f"{len(gold_codes)} gold labels but {len(pred_codes)} predictions")
    conf = confusion_counts(gold, pred)
    s = _scores_from_confusion(conf)
    support = conf.sum(axis=1)
    alpha = (1 - ci) / 2
    if len(gold_codes):
        boot = _bootstrap_f1(gold_codes, pred_codes, n_boot, np.random.default_rng(seed))
        low, high = np.quantile(boot, [alpha, 1 - alpha], axis=0)
    else:
        low = high = np.full(6, np.nan)
    rows = [(lab, s["precision"][i], s["recall"][i], s["f1"][i], int(support[i]), low[i], high[i])
            for i, lab in enumerate(LABELS)]
    rows.append(("macro", s["precision"].mean(), s["recall"].mean(), s["f1"].mean(),
                 int(support.sum()), low[3], high[3]))
    rows.append(("f_avg", s["precision"][:2].mean(), s["recall"][:2].mean(), s["f1"][:2].mean(),
                 int(support[:2].sum()), low[4], high[4]))
    rows.append(("accuracy", np.nan, np.nan, float(s["accuracy"]), int(support.sum()),
                 low[5], high[5]))
    metrics = pd.DataFrame(rows, columns=METRICS).astype({"support": "int64"})
    confusion = pd.DataFrame([(g, p, int(conf[i, j])) for i, g in enumerate(LABELS)
                              for j, p in enumerate(LABELS)], columns=CONFUSION)
    out = {"metrics": metrics, "confusion": confusion.astype({"count": "int64"})}
    if probs is not None:
        probs = np.asarray(probs, dtype=float).reshape(-1, 3)
        confidence = probs[np.arange(len(pred_codes)), pred_codes]
        out["reliability"] = reliability_table(gold_codes == pred_codes, confidence, n_bins)
    return out


def summary(tables: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Headline figures of :func:`evaluate_predictions` as a flat dict."""
    m = tables["metrics"].set_index("label")
    out = {"n": int(m.loc["macro", "support"])}
    for name in ("macro", "f_avg", "accuracy"):
        out[f"{name}_f1" if name != "accuracy" else "accuracy"] = float(m.loc[name, "f1"])
        key = name if name == "accuracy" else f"{name}_f1"
        out[f"{key}_low"], out[f"{key}_high"] = float(m.loc[name, "f1_low"]), float(m.loc[name, "f1_high"])
    if "reliability" in tables:
        out["ece"] = expected_calibration_error(tables["reliability"])
    return out


#: Columns of the run table ``stance_validation``.
VALIDATION = STANCE_VALIDATION
LEXICON = "stance.lexicon.v1"


CROSSENCODER = "stance.crossencoder.v1"


def run_validation_tables(scorer: str, model: str = "default",
                          model_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """The run tables ``stance_validation``, ``stance_confusion``, ``stance_reliability``.

    They hold the quality measured when the model was built (stored in its
    ``model.json``; nothing is retrained), with a ``split`` column naming the
    data. For ``stance.crossencoder.v1`` one block per validation set, in the
    stored order (the shipped model: ``newsmtsc dev_rw (real)`` first, then
    ``newsmtsc dev_mt (real)``, ``generated test``, ...); the first split's
    confusion is the one the prevalence correction uses
    (:func:`analysis.stance.prevalence.confusion_counts`). For ``stance.learner.v1`` the learner's
    rows on its held-out test split, followed by the lexicon baseline's; for
    ``stance.lexicon.v1`` only the lexicon's (measured on the shipped fast
    model's split). Other scorers give empty tables. ``model_dir`` is where
    ``model`` was resolved to (a fitted scorer's ``model_dir_``).
    """
    if scorer == CROSSENCODER:
        from analysis.stance.crossencoder.io import read_crossencoder_info

        return _crossencoder_tables(read_crossencoder_info(model_dir or model), model)
    if scorer not in (LEXICON, "stance.learner.v1"):
        return _empty_tables()
    info = read_model_info("fast" if scorer == LEXICON else (model_dir or model))
    stored = info.get("validation", {})
    if not stored.get("metrics"):
        return _empty_tables()
    label = "fast" if scorer == LEXICON or str(model) in ("default", "fast") else str(model)
    data = info.get("training", {}).get("data", "annotations")
    split = f"generated test ({data})" if label == "fast" else f"{data} test"  # the shipped set is generated
    parts = [] if scorer == LEXICON else [("stance.learner.v1", label, stored["metrics"])]
    parts.append((LEXICON, "(baseline)", stored["baseline"]))
    frames = [pd.DataFrame(rows).assign(scorer=name, model=m, split=split) for name, m, rows in parts]
    confusion = stored["baseline_confusion"] if scorer == LEXICON else stored["confusion"]
    out = {"stance_validation": pd.concat(frames, ignore_index=True)[VALIDATION],
           "stance_confusion": pd.DataFrame(confusion).assign(split=split)[CONFUSION + ["split"]]}
    out["stance_reliability"] = (_empty_tables()["stance_reliability"] if scorer == LEXICON
                                 else pd.DataFrame(stored["reliability"]).assign(split=split)
                                 [list(RELIABILITY_COLUMNS) + ["split"]])
    return out


def _empty_tables() -> dict[str, pd.DataFrame]:
    return {"stance_validation": pd.DataFrame(columns=VALIDATION),
            "stance_confusion": pd.DataFrame(columns=CONFUSION + ["split"]),
            "stance_reliability": pd.DataFrame(columns=list(RELIABILITY_COLUMNS) + ["split"])}


def _crossencoder_tables(info: dict, model) -> dict[str, pd.DataFrame]:
    """One block per stored validation set, named in ``split``, in the stored order."""
    sets = info.get("validation") or []
    if not sets:
        return _empty_tables()
    label = str(model)
    out = {}
    for key, name, columns in (("metrics", "stance_validation", None),
                               ("confusion", "stance_confusion", CONFUSION),
                               ("reliability", "stance_reliability", list(RELIABILITY_COLUMNS))):
        frames = [pd.DataFrame(s[key]).assign(split=s["name"]) for s in sets if s.get(key)]
        table = pd.concat(frames, ignore_index=True)
        if columns is None:
            out[name] = table.assign(scorer=CROSSENCODER, model=label)[VALIDATION]
        else:
            out[name] = table[columns + ["split"]]
    return out

