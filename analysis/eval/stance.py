"""Public benchmark protocols for the stance scorers (SemEval-2016 Task 6, RUW, NewsMTSC).

SemEval-2016 Task 6 (:func:`semeval_benchmark`)
    One learner per target, trained on the official training file minus the
    tweets that are also in the TweetEval val split (see
    :mod:`analysis.eval.corpora.semeval_ruw`); each setting of the grid is
    scored on TweetEval val by the official F_avg (mean F1 of favor and
    against, pooled over the five targets) and the best one is selected.
    If the Task A gold test file is given (it is held back from the shared
    data), the selected setting is retrained on the whole official training
    file and scored on it.
RUW (:func:`ruw_benchmark`)
    Target Russia: trained on train, selected on val by 3-class macro-F1
    (the figure the RUW paper reports); F_avg is printed too.
    :func:`out_of_box` scores a saved model (default: the shipped one, never
    trained on RUW) on RUW val for Russia, with the target found and masked
    by the usual target definitions.

NewsMTSC (:func:`newsmtsc_benchmark`)
    The cross-encoder recipe (:class:`analysis.stance.crossencoder.Config`)
    trained on ``train.jsonl`` (minus its calibration slice) exactly as
    ``analysis stance build-default`` does, scored on ``dev_rw`` and
    ``dev_mt``. The test splits are held back by the dataset's authors: these
    are dev figures (the recipe was selected on dev_rw).

Nothing here is tuned on a test split.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..stance.annotations import annotation_input, read_annotations
from ..stance.crossencoder import Config, ValidationSet, train_crossencoder
from ..stance.learner import load_model
from ..stance.train import build_static_stance_model, fit_on_splits, make_learner, split_rows
from ..stance.validation import evaluate_predictions, summary
from .corpora.newsmtsc import newsmtsc_files
from .corpora.semeval_ruw import load_ruw, load_semeval, read_semeval_official

#: Settings tried on the validation split (``StanceTrainConfig`` fields):
#: sentence embeddings alone, and with word 1-3-grams and character 2-5-grams,
#: over a range of regularisation strengths. Targets are not masked:
#: SemEval/RUW models are one-target models.
_NGRAMS = {"ngrams": True, "ngram_range": (1, 3), "char_ngram_range": (2, 5)}
GRID: tuple[dict, ...] = tuple(
    [{"mask": None, "ngrams": False, "C": c} for c in (0.003, 0.01, 0.03, 0.1, 1.0)]
    + [{"mask": None, **_NGRAMS, "C": c} for c in (0.003, 0.01, 0.03, 0.1, 1.0)]
)
GRID_COLUMNS = ["setting", "params", "f_avg", "macro_f1", "accuracy", "seconds"]


def _fit_predict(params: dict, train: pd.DataFrame, test: pd.DataFrame, by_target: bool,
                 cache_dir, seed: int) -> np.ndarray:
    """Labels for ``test`` from learners fitted on ``train`` (one per target if ``by_target``)."""
    pred = np.empty(len(test), dtype=object)
    groups = test.groupby("target", sort=True).groups if by_target else {None: test.index}
    for target, index in groups.items():
        rows = train if target is None else train[train["target"] == target]
        learner = make_learner({"target_prior": False, **params}, cache_dir, seed)
        learner.set_params(calibrate=False)
        learner.fit(annotation_input(rows), rows["label"])
        pos = test.index.get_indexer(index)
        pred[pos] = learner.predict(annotation_input(test.loc[index]))
    return pred


def run_grid(train: pd.DataFrame, val: pd.DataFrame, grid=GRID, by_target: bool = True,
             cache_dir=None, seed: int = 0, log=print) -> pd.DataFrame:
    """Score every setting of ``grid`` on ``val``; one row per setting."""
    rows = []
    for i, params in enumerate(grid):
        started = time.perf_counter()
        pred = _fit_predict(params, train, val, by_target, cache_dir, seed)
        s = summary(evaluate_predictions(val["label"], pred, n_boot=200, seed=seed))
        rows.append((i, dict(params), s["f_avg_f1"], s["macro_f1"], s["accuracy"],
                     round(time.perf_counter() - started, 1)))
        if log:
            log(f"  setting {i}: F_avg {100 * s['f_avg_f1']:.2f}  macro-F1 "
                f"{100 * s['macro_f1']:.2f}  {params}")
    return pd.DataFrame(rows, columns=GRID_COLUMNS)


def semeval_benchmark(root: str | Path, test_file: str | Path | None = None, grid=GRID,
                      cache_dir=None, seed: int = 0, log=print) -> dict:
    """SemEval-2016 Task 6 protocol; returns the grid, the selection and (if given) the test score."""
    data = load_semeval(root)
    train, val = data[data["split"] == "train"], data[data["split"] == "val"].reset_index(drop=True)
    if log:
        log(f"SemEval-2016 Task 6: {len(train)} training tweets "
            f"({int((data['split'] == 'overlap').sum())} official training tweets also in "
            f"TweetEval val left out), {len(val)} val tweets")
    table = run_grid(train, val, grid, True, cache_dir, seed, log)
    best = int(table["f_avg"].idxmax())
    out = {"grid": table, "best": table.loc[best, "params"], "val_f_avg": float(table.loc[best, "f_avg"])}
    if test_file is not None and Path(test_file).is_file():
        full = data[data["split"] != "val"]
        test = read_semeval_official(test_file, "test").reset_index(drop=True)
        pred = _fit_predict(out["best"], full, test, True, cache_dir, seed)
        out["test"] = evaluate_predictions(test["label"], pred, seed=seed)["metrics"]
    return out


def ruw_benchmark(root: str | Path, grid=GRID, target: str = "Russia", cache_dir=None,
                  seed: int = 0, log=print) -> dict:
    """RUW protocol for one target; selection by val macro-F1."""
    data = load_ruw(root)
    data = data[data["target"] == target]
    train = data[data["split"] == "train"].reset_index(drop=True)
    val = data[data["split"] == "val"].reset_index(drop=True)
    if log:
        log(f"RUW, target {target}: {len(train)} training tweets, {len(val)} val tweets")
    table = run_grid(train, val, grid, False, cache_dir, seed, log)
    best = int(table["macro_f1"].idxmax())
    return {"grid": table, "best": table.loc[best, "params"],
            "val_macro_f1": float(table.loc[best, "macro_f1"]),
            "val_f_avg": float(table.loc[best, "f_avg"])}


def out_of_box(root: str | Path, model: str = "default", target: str = "Russia",
               cache_dir=None) -> dict:
    """A saved model (never trained on RUW) scored on RUW val for ``target``."""
    data = load_ruw(root)
    val = data[(data["split"] == "val") & (data["target"] == target)].reset_index(drop=True)
    if str(model) == "static":
        build_static_stance_model(cache_dir)
    learner, _ = load_model(model, cache_dir=cache_dir)
    X = annotation_input(val)
    probs = learner.predict_proba(X)
    pred = np.asarray(learner.classes_)[probs.argmax(axis=1)]
    tables = evaluate_predictions(val["label"], pred, probs)
    return {"metrics": tables["metrics"], "summary": summary(tables),
            "mentioned": float(X["mentioned"].mean())}


def with_backend(grid=GRID, backend: str = "transformer") -> tuple[dict, ...]:
    """``grid`` with every setting's features taken from ``backend`` (``transformer`` or ``static``)."""
    return tuple({**params, "embed_backend": backend} for params in grid)


def unseen_targets(annotations: str | Path, cache_dir=None, seed: int = 0,
                   backend: str = "transformer") -> pd.DataFrame:
    """Leave-one-target-out on an annotations CSV: how well the masked model serves a new target.

    For each target T: train (default settings) on the train rows of the
    other targets, calibrate on their dev rows, score T's test rows
    (features from ``backend``: ``transformer`` or ``static``). Returns
    ``target, n, macro_f1, f_avg`` (the shipped model, which saw T, is the
    comparison in its ``per_target`` validation table).
    """
    parts = split_rows(read_annotations(annotations))
    rows = []
    for target in sorted(parts["test"]["target"].unique()):
        keep = {k: v[v["target"] != target].reset_index(drop=True) for k, v in parts.items()}
        learner = fit_on_splits(keep, make_learner({"embed_backend": backend}, cache_dir, seed),
                                None, seed)
        test = parts["test"][parts["test"]["target"] == target].reset_index(drop=True)
        pred = learner.predict(annotation_input(test))
        s = summary(evaluate_predictions(test["label"], pred, n_boot=200, seed=seed))
        rows.append((target, s["n"], s["macro_f1"], s["f_avg_f1"]))
    return pd.DataFrame(rows, columns=["target", "n", "macro_f1", "f_avg"])


#: Columns of :func:`newsmtsc_benchmark`'s table.
NEWSMTSC_COLUMNS = ["split", "n", "macro_f1", "f_avg", "accuracy", "ece", "ece_t1", "pred_favor",
                    "gold_favor", "pred_against", "gold_against"]


def newsmtsc_benchmark(root: str | Path, out_dir: str | Path, cfg: Config | None = None,
                       log=print, progress: bool = True) -> tuple[pd.DataFrame, dict]:
    """Train the cross-encoder on NewsMTSC train into ``out_dir``; dev figures per dev split.

    Returns ``(table, info)``: one row per dev split (:data:`NEWSMTSC_COLUMNS`;
    shares of predicted and gold favor/against labels) and the model's info.
    """
    files = newsmtsc_files(root)
    sets = [ValidationSet(f"newsmtsc {split} (real, dev)", files[split])
            for split in ("dev_rw", "dev_mt")]
    result = train_crossencoder(files["train"], out_dir, cfg or Config(), validation=sets,
                                log=log, progress=progress)
    rows = []
    for vset in result.info["validation"]:
        s, pred, gold = vset["summary"], vset["predicted_shares"], vset["gold_shares"]
        rows.append((vset["name"], s["n"], s["macro_f1"], s["f_avg_f1"], s["accuracy"], s["ece"],
                     vset["ece_t1"], pred["favor"], gold["favor"], pred["against"], gold["against"]))
    return pd.DataFrame(rows, columns=NEWSMTSC_COLUMNS), {**result.info, "seconds": result.seconds}
