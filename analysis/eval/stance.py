"""Public benchmark protocols for the stance scorers (SemEval-2016 Task 6, RUW, NewsMTSC).

Cross-encoder (the default scorer; :func:`semeval_crossencoder`, :func:`ruw_crossencoder`)
    The recipe's defaults (:class:`analysis.stance.crossencoder.Config`), no
    per-dataset setting, one model for all targets of a data set: trained on
    the training rows (SemEval: the official training file minus the tweets
    also in TweetEval val; RUW: train, target Russia) once per seed, scored
    on the validation split (TweetEval val; RUW val). A row whose target is
    not found in its tweet is read as ``target [SEP] tweet``. ``dev=True``
    instead trains on a seeded 80 % of the training rows and scores the other
    20 % (:func:`holdout`): the split recipe choices are made on. Nothing is
    selected on the figures reported.

The fast learner (``--fast``) keeps its own protocols:

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

:func:`out_of_box` scores a saved model (default: the shipped cross-encoder,
never trained on RUW; ``fast``, ``static`` or a learner folder: the fast
learner) on RUW val for Russia, with the target found by the usual target
definitions.

NewsMTSC (:func:`newsmtsc_benchmark`)
    The cross-encoder recipe (:class:`analysis.stance.crossencoder.Config`)
    trained on ``train.jsonl`` (minus its calibration slice) exactly as
    ``analysis stance build-default`` does, scored on ``dev_rw`` and
    ``dev_mt``. The test splits are held back by the dataset's authors: these
    are dev figures (the recipe was selected on dev_rw).

Nothing here is tuned on a test split.
"""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..stance.annotations import annotation_input, read_annotations
from ..stance.crossencoder import (
    Config, CrossEncoderScorer, ValidationSet, fit_rows, train_crossencoder,
)
from ..stance.crossencoder.build import held_out_rows
from ..stance.learner import load_model
from ..stance.modelio import file_sha256
from ..stance.train import build_static_stance_model, fit_on_splits, make_learner, split_rows
from ..stance.validation import evaluate_predictions, summary
from .corpora.newsmtsc import newsmtsc_files
from .corpora.semeval_ruw import load_pstance, load_ruw, load_semeval, read_semeval_official

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


#: P-Stance's targets as a researcher would define them (the surname alone names them in tweets).
PSTANCE_TARGETS = [{"name": "Donald Trump", "aliases": ["Donald Trump", "Trump"]},
                   {"name": "Joe Biden", "aliases": ["Joe Biden", "Biden"]},
                   {"name": "Bernie Sanders", "aliases": ["Bernie Sanders", "Bernie", "Sanders"]}]


def out_of_box(root: str | Path, model: str = "default", target: str = "Russia",
               cache_dir=None, dataset: str = "ruw") -> dict:
    """A saved model (never trained on the data set) scored on RUW val for ``target``, or on P-Stance val.

    ``dataset="pstance"`` scores P-Stance val (its three targets, found by
    :data:`PSTANCE_TARGETS`; favor / against gold only). ``summary``: every
    tweet scored (a cross-encoder reads a tweet whose target is not found as
    ``target [SEP] tweet``); ``summary_neutral``: the tweets whose target is
    not found predicted neutral instead.
    """
    if dataset == "pstance":
        data = load_pstance(root)
        val = data[data["split"] == "val"].reset_index(drop=True)
        X = annotation_input(val, PSTANCE_TARGETS)
    else:
        data = load_ruw(root)
        val = data[(data["split"] == "val") & (data["target"] == target)].reset_index(drop=True)
        X = annotation_input(val)
    if str(model) == "static":
        build_static_stance_model(cache_dir)
    if str(model) in ("fast", "static") or (Path(model) / "weights.npz").is_file():
        learner, _ = load_model(model, cache_dir=cache_dir)
        probs = learner.predict_proba(X)
        pred = np.asarray(learner.classes_)[probs.argmax(axis=1)]
    else:
        scorer = CrossEncoderScorer(model=model).fit()
        probs = scorer.predict_proba(X)
        pred = np.array(["favor", "against", "neutral"], dtype=object)[probs.argmax(axis=1)]
    tables = evaluate_predictions(val["label"], pred, probs)
    neutral = np.where(X["mentioned"].to_numpy(), pred, "neutral")
    return {"metrics": tables["metrics"], "summary": summary(tables),
            "summary_neutral": summary(evaluate_predictions(val["label"], neutral)),
            "mentioned": float(X["mentioned"].mean())}


#: Columns of :func:`crossencoder_benchmark`'s table.
CE_COLUMNS = ["split", "seed", "n", "f_avg", "macro_f1", "accuracy", "pair_share", "seconds"]


def holdout(frame: pd.DataFrame, frac: float = 0.2, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(fit rows, dev rows)``: a seeded ``frac`` of ``frame`` held out as dev."""
    fit, dev = held_out_rows(len(frame), int(round(frac * len(frame))), seed)
    return frame.iloc[fit].reset_index(drop=True), frame.iloc[dev].reset_index(drop=True)


def crossencoder_benchmark(train: pd.DataFrame, evals: dict[str, pd.DataFrame], out_dir: str | Path,
                           source: dict, cfg: Config | None = None, seeds=(0,),
                           log=print) -> pd.DataFrame:
    """Train the recipe on ``train`` once per seed (folders ``out_dir/seed<k>``); score ``evals``.

    Rows whose target is not found are read as pairs (the benchmark's own
    opt-in). One row per (eval split, seed): :data:`CE_COLUMNS`; ``seconds``
    is the training time (fine-tuning, calibration, writing).
    """
    import dataclasses

    cfg = cfg or Config()
    X = annotation_input(train)
    inputs = {name: annotation_input(frame) for name, frame in evals.items()}
    rows = []
    for seed in seeds:
        started = time.perf_counter()
        scorer, _doc, _tensors = fit_rows(X, train["label"], Path(out_dir) / f"seed{seed}",
                                          dataclasses.replace(cfg, seed=seed), source, log)
        seconds = round(time.perf_counter() - started, 1)
        for name, frame in evals.items():
            pred = scorer.predict(inputs[name])
            s = summary(evaluate_predictions(frame["label"], pred, n_boot=1000, seed=0))
            pairs = float((inputs[name]["start"] == inputs[name]["end"]).mean())
            rows.append((name, seed, s["n"], s["f_avg_f1"], s["macro_f1"], s["accuracy"], pairs,
                         seconds))
            if log:
                log(f"  seed {seed}, {name}: F_avg {100 * s['f_avg_f1']:.2f}  macro-F1 "
                    f"{100 * s['macro_f1']:.2f}  ({seconds} s training)")
    return pd.DataFrame(rows, columns=CE_COLUMNS)


def semeval_crossencoder(root: str | Path, out_dir: str | Path, cfg: Config | None = None,
                         seeds=(0,), dev: bool = False, test_file: str | Path | None = None,
                         log=print) -> pd.DataFrame:
    """SemEval-2016 Task A with the cross-encoder recipe: TweetEval val (or dev) figures per seed.

    The Task A gold test file, if given, is scored by the same models (split ``test``).
    """
    path = Path(root) / "official" / "semeval2016-task6-trainingdata.txt"
    data = load_semeval(root)
    train, val = data[data["split"] == "train"].reset_index(drop=True), data[data["split"] == "val"]
    evals = {"TweetEval val": val.reset_index(drop=True)}
    if dev:
        train, held = holdout(train)
        evals = {"dev (20% of train)": held}
    elif test_file is not None and Path(test_file).is_file():
        evals["Task A test"] = read_semeval_official(test_file, "test").reset_index(drop=True)
    source = {"data": f"{path.name} (minus TweetEval val tweets)", "sha256": file_sha256(path)}
    if log:
        log(f"SemEval-2016 Task A, cross-encoder: {len(train)} training tweets; "
            + ", ".join(f"{k} {len(v)}" for k, v in evals.items()))
    return crossencoder_benchmark(train, evals, out_dir, source, cfg, seeds, log)


def ruw_crossencoder(root: str | Path, out_dir: str | Path, cfg: Config | None = None, seeds=(0,),
                     dev: bool = False, target: str = "Russia", log=print) -> pd.DataFrame:
    """RUW for one target with the cross-encoder recipe: val (or dev) figures per seed."""
    path = Path(root) / "raw_train_Russia_Ukraine.csv"
    data = load_ruw(root)
    data = data[data["target"] == target]
    source = {"data": f"{path.name} (target {target})", "sha256": file_sha256(path)}
    return _train_val(data, f"RUW, target {target}", "RUW val", source, out_dir, cfg, seeds, dev, log)


def pstance_crossencoder(root: str | Path, out_dir: str | Path, cfg: Config | None = None,
                         seeds=(0,), dev: bool = False, log=print) -> pd.DataFrame:
    """P-Stance (three targets, favor / against only) with the cross-encoder recipe: val (or dev) figures."""
    root = Path(root)
    data = load_pstance(root)
    files = sorted(root.glob("raw_train_*.csv"))
    digest = hashlib.sha256("".join(file_sha256(f) for f in files).encode()).hexdigest()
    source = {"data": "P-Stance " + " + ".join(f.name for f in files), "sha256": digest}
    return _train_val(data, "P-Stance", "P-Stance val", source, out_dir, cfg, seeds, dev, log)


def _train_val(data: pd.DataFrame, title: str, val_name: str, source: dict, out_dir, cfg, seeds,
               dev: bool, log) -> pd.DataFrame:
    """Train on the ``train`` rows, score the ``val`` rows (or, with ``dev``, a seeded fifth of train)."""
    train = data[data["split"] == "train"].reset_index(drop=True)
    evals = {val_name: data[data["split"] == "val"].reset_index(drop=True)}
    if dev:
        train, held = holdout(train)
        evals = {"dev (20% of train)": held}
    if log:
        log(f"{title}, cross-encoder: {len(train)} training tweets; "
            + ", ".join(f"{k} {len(v)}" for k, v in evals.items()))
    return crossencoder_benchmark(train, evals, out_dir, source, cfg, seeds, log)


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
