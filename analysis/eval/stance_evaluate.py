"""Evaluation of stance predictions against gold labels.

``F_avg`` is the SemEval-2016 Task 6 stance metric: the mean of the F1 of
favor and the F1 of against (neutral is not rewarded directly). Undefined
precision/recall/F1 (no predicted or no gold items of a class) count as 0.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import precision_recall_fscore_support

from ..schema import LABELS
from ..stance.annotations import annotation_input, read_annotations, second_label_column
from ..stance.crossencoder import CrossEncoderScorer
from ..stance.learner import LearnedStanceScorer
from ..stance.registry import get_scorer
from ..stance.targets import TargetMatcher, build_stance_input
from ..stance.train import build_static_stance_model
from ..stance.validation import evaluate_predictions
from .agreement import agreement_table
from .corpora.ukraine_news_bias import TARGET_KEYS, load_ukraine_news_bias

REPORT_COLUMNS = ["label", "precision", "recall", "f1", "support"]


def classification_report_frame(y_true, y_pred, labels=LABELS) -> pd.DataFrame:
    """Per-class precision/recall/F1/support, then ``macro`` and ``f_avg`` rows.

    ``macro`` averages over all ``labels``; ``f_avg`` averages precision,
    recall and F1 over favor and against only (its F1 is ``F_avg``).
    ``support`` counts gold items (for ``f_avg``: gold favor + against).
    """
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has {len(y_true)} items but y_pred has {len(y_pred)}")
    labels = list(labels)
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0)
    rows = [(lab, p[i], r[i], f[i], int(s[i])) for i, lab in enumerate(labels)]
    rows.append(("macro", p.mean(), r.mean(), f.mean(), int(s.sum())))
    polar = [labels.index(x) for x in ("favor", "against") if x in labels]
    if polar:
        rows.append(("f_avg", p[polar].mean(), r[polar].mean(), f[polar].mean(),
                     int(s[polar].sum())))
    out = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return out.astype({"precision": float, "recall": float, "f1": float, "support": "int64"})


def predict_against_gold(sentences: pd.DataFrame, gold: pd.DataFrame,
                         matcher=None, scorer=None) -> pd.DataFrame:
    """Score ``sentences`` and join predictions to ``gold`` (sentence_id, target, gold).

    Adds ``mentioned`` (the target was found in the sentence) and ``pred``:
    the scorer's label where mentioned, else ``neutral`` (a sentence that
    never names the target is predicted to take no stance toward it).
    Defaults: the default :class:`TargetMatcher` and ``stance.lexicon.v1``.
    """
    matcher = (TargetMatcher() if matcher is None else matcher).fit()
    scorer = (get_scorer("stance.lexicon.v1") if scorer is None else scorer).fit()
    mentions = matcher.transform(sentences)
    stance = scorer.predict_frame(build_stance_input(sentences, mentions))
    keep = stance[["sentence_id", "target", "label", "score", "confidence"]]
    out = gold.merge(keep, on=["sentence_id", "target"], how="left", validate="one_to_one")
    out["mentioned"] = out["label"].notna()
    out["pred"] = out["label"].fillna("neutral").astype(object)
    return out.drop(columns="label")


def evaluate_on_ukraine_news_bias(path: str | Path, label_rule: str = "intensified",
                                  max_articles: int | None = None, scorer=None,
                                  targets: dict[str, str] | None = None) -> pd.DataFrame:
    """Evaluate a stance scorer on the ukraine_news_bias sentences.

    Gold labels come from the crowd framing of the Russian / Western
    governments under ``label_rule`` (mapping documented in
    :mod:`analysis.eval.corpora.ukraine_news_bias`). ``scorer`` is an unfitted
    scorer or a registered name (default ``"stance.lexicon.v1"``).

    Returns a long table: ``target, subset, label, precision, recall, f1,
    support``, where ``subset`` is ``all`` (every sentence; unmentioned
    targets predicted neutral) or ``mentioned`` (only sentences in which the
    matcher found the target), and ``label`` runs over favor, against,
    neutral, macro, f_avg.
    """
    if isinstance(scorer, str) or scorer is None:
        scorer = get_scorer(scorer or "stance.lexicon.v1")
    targets = TARGET_KEYS if targets is None else targets
    sentences, gold = load_ukraine_news_bias(path, label_rule, max_articles, targets)
    joined = predict_against_gold(sentences, gold, scorer=scorer)
    frames = []
    for target in targets:
        rows = joined[joined["target"] == target]
        for subset, part in (("all", rows), ("mentioned", rows[rows["mentioned"]])):
            report = classification_report_frame(part["gold"], part["pred"])
            frames.append(report.assign(target=target, subset=subset))
    out = pd.concat(frames, ignore_index=True)
    return out[["target", "subset"] + REPORT_COLUMNS]


#: Columns of :func:`label_shares_on_ukraine_news_bias`.
SHARE_COLUMNS = ["target", "n_mentioned", "pred_favor", "pred_against", "pred_neutral",
                 "gold_favor", "gold_against", "gold_neutral"]


def label_shares_on_ukraine_news_bias(path: str | Path, model: str = "default",
                                      label_rule: str = "intensified",
                                      max_articles: int | None = None) -> pd.DataFrame:
    """Predicted and crowd label shares among the ukraine_news_bias sentences that name each target.

    A sanity check of how often a cross-encoder ``model`` calls real news
    sentences favour or against, beside the crowd's framing labels
    (``label_rule``) of the same sentences.
    """
    sentences, gold = load_ukraine_news_bias(path, label_rule, max_articles, TARGET_KEYS)
    joined = predict_against_gold(sentences, gold, scorer=CrossEncoderScorer(model=model))
    rows = []
    for target in TARGET_KEYS:
        part = joined[(joined["target"] == target) & joined["mentioned"]]
        pred = part["pred"].value_counts(normalize=True)
        crowd = part["gold"].value_counts(normalize=True)
        rows.append([target, len(part), *(float(pred.get(lab, 0.0)) for lab in LABELS),
                     *(float(crowd.get(lab, 0.0)) for lab in LABELS)])
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def evaluate_annotations(gold: str | Path, scorer: str = "stance.learner.v1", model: str = "default",
                         split: str | None = "test", targets: list[dict] | None = None,
                         cache_dir: str | None = None, n_boot: int = 1000,
                         seed: int = 0, train: dict | None = None) -> dict[str, pd.DataFrame]:
    """Score an annotations CSV with a scorer and measure it against the gold labels.

    ``split`` keeps only rows of that split (``None`` or ``"all"``: every
    row; a file without a split column is used whole). Returns the tables
    of :func:`analysis.stance.validation.evaluate_predictions` (``metrics``,
    ``confusion``, ``reliability``), ``per_target`` metrics, ``predictions``
    (one row per item) and, when the file has a second annotator's column,
    ``agreement`` (between the two annotators) and ``agreement_model``
    (between the model and each annotator: Cohen's kappa). ``train`` are the
    training settings of ``model = "static"`` (``None`` = the shipped recipe).
    """
    frame = read_annotations(gold)
    if split not in (None, "all") and frame["split"].isin(["train", "dev", "test"]).any():
        frame = frame[frame["split"] == split].reset_index(drop=True)
    if frame.empty:
        raise ValueError(f"{gold}: no labelled rows{'' if split in (None, 'all') else f' in split {split!r}'}")
    X = annotation_input(frame, targets)
    params = ({"model": model, "cache_dir": cache_dir, "train": train}
              if scorer == "stance.learner.v1" else
              {"model": model} if scorer == "stance.crossencoder.v1" else {})
    if scorer == "stance.learner.v1" and str(model) == "static":
        build_static_stance_model(cache_dir, params=train)
    fitted = get_scorer(scorer, **params).fit()
    stance = fitted.predict_frame(X)
    probs = stance[["p_favor", "p_against", "p_neutral"]].to_numpy()
    calibrated = isinstance(fitted, (LearnedStanceScorer, CrossEncoderScorer))
    tables = evaluate_predictions(frame["label"], stance["label"], probs if calibrated else None,
                                  n_boot=n_boot, seed=seed)
    tables["per_target"] = pd.concat(
        [evaluate_predictions(rows["label"], stance.loc[rows.index, "label"], n_boot=n_boot,
                              seed=seed)["metrics"].assign(target=t)
         for t, rows in frame.groupby("target", sort=True)], ignore_index=True)
    keep = [c for c in ("id", "target", "phenomenon", "split", "text") if c in frame.columns]
    tables["predictions"] = frame[keep].assign(
        gold=frame["label"], pred=stance["label"].to_numpy(), confidence=stance["confidence"].to_numpy(),
        score=stance["score"].to_numpy(), mentioned=X["mentioned"].to_numpy())
    second = second_label_column(frame)
    if second is not None:
        tables["agreement"] = agreement_table(frame["label"], frame[second], n_boot, seed=seed)
        tables["agreement_model"] = pd.concat([
            agreement_table(frame[col], stance["label"], n_boot, seed=seed).assign(pair=f"model-{col}")
            for col in ("label", second)], ignore_index=True)
    return tables
