"""Readers for the public stance benchmarks (SemEval-2016 Task 6, RUW, P-Stance).

The files are third-party data: they are read by path, never copied. Each
reader returns one table with columns ``text, target, label, split`` (labels
mapped to favor / against / neutral) and, where it helps, an ``id``.

SemEval-2016 Task 6
    ``official/semeval2016-task6-trainingdata.txt`` (cp1252, tab separated)
    is the official training file; ``tweeteval/<target>/val_*.txt`` is the
    TweetEval validation split. TweetEval's train + val is the official
    training file plus the 100-tweet trial set, so the val tweets are also
    in the official training file. :func:`load_semeval` therefore marks an
    official training tweet whose normalised text (user mentions as
    ``@user``, ``#SemST`` dropped, whitespace collapsed, case folded) equals
    a val tweet as ``overlap`` and leaves it out of ``train``; training on
    ``train`` and selecting on ``val`` is then an honest protocol.
RUW
    ``raw_{train,val}_Russia_Ukraine.csv`` (GB18030). Every tweet has a
    stance toward Russia and toward Ukraine; :func:`load_ruw` returns one
    row per tweet and target.
P-Stance
    ``raw_{train,val}_{trump,biden,bernie}.csv`` (UTF-8, ``Tweet,Target,Stance``):
    tweets about three 2020 US primary candidates, labelled favor or against
    only (no neutral class). :func:`load_pstance` reads train and val; the
    test files are never read.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

SEMEVAL_TARGETS = {
    "abortion": "Legalization of Abortion", "atheism": "Atheism",
    "climate": "Climate Change is a Real Concern", "feminist": "Feminist Movement",
    "hillary": "Hillary Clinton",
}
_LABELS = {"FAVOR": "favor", "AGAINST": "against", "NONE": "neutral"}
_TWEETEVAL_LABELS = {"0": "neutral", "1": "against", "2": "favor"}
_USER = re.compile(r"@\w+")
_SPACE = re.compile(r"\s+")


def clean_tweet(text: str) -> str:
    """Drop the ``#SemST`` marker tag (annotators never saw it) and collapse spaces."""
    return _SPACE.sub(" ", text.replace("#SemST", "")).strip()


def tweet_key(text: str) -> str:
    """Normalised text used to find the same tweet in the official and TweetEval files."""
    return _USER.sub("@user", clean_tweet(text)).casefold()


def read_semeval_official(path: str | Path, split: str = "train") -> pd.DataFrame:
    """One official SemEval-2016 file (``ID, Target, Tweet, Stance``; cp1252)."""
    frame = pd.read_csv(path, sep="\t", encoding="cp1252", dtype=str, quoting=3,
                        keep_default_na=False)
    return pd.DataFrame({
        "id": frame["ID"].astype(str), "text": frame["Tweet"].map(clean_tweet),
        "target": frame["Target"], "label": frame["Stance"].str.strip().map(_LABELS),
        "split": split,
    })


def read_tweeteval(root: str | Path, split: str = "val") -> pd.DataFrame:
    """A TweetEval stance split for all five targets (one tweet per line)."""
    root = Path(root)
    frames = []
    for folder, target in SEMEVAL_TARGETS.items():
        texts = (root / folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
        labels = (root / folder / f"{split}_labels.txt").read_text(encoding="utf-8").split()
        if len(texts) != len(labels):
            raise ValueError(f"{root / folder}: {len(texts)} texts but {len(labels)} labels")
        frames.append(pd.DataFrame({
            "id": [f"tweeteval-{split}-{folder}-{i}" for i in range(len(texts))],
            "text": [clean_tweet(t) for t in texts], "target": target,
            "label": [_TWEETEVAL_LABELS[x] for x in labels], "split": split,
        }))
    return pd.concat(frames, ignore_index=True)


def load_semeval(root: str | Path) -> pd.DataFrame:
    """Official train (minus val overlaps, marked ``overlap``) and TweetEval val."""
    root = Path(root)
    train = read_semeval_official(root / "official" / "semeval2016-task6-trainingdata.txt")
    val = read_tweeteval(root / "tweeteval", "val")
    val_keys = set(val["text"].map(tweet_key))
    train.loc[train["text"].map(tweet_key).isin(val_keys), "split"] = "overlap"
    return pd.concat([train, val], ignore_index=True)


def read_ruw(path: str | Path, split: str) -> pd.DataFrame:
    """One RUW file as one row per (tweet, target)."""
    frame = pd.read_csv(path, encoding="gb18030", dtype=str, keep_default_na=False)
    rows = []
    for number in ("1", "2"):
        rows.append(pd.DataFrame({
            "id": [f"ruw-{split}-{i}" for i in range(len(frame))],
            "text": frame["Tweet"].str.strip(), "target": frame[f"Target {number}"].str.strip(),
            "label": frame[f"Stance {number}"].str.strip().map(_LABELS), "split": split,
        }))
    return pd.concat(rows, ignore_index=True)


def load_ruw(root: str | Path) -> pd.DataFrame:
    """RUW train and val, one row per tweet and target."""
    root = Path(root)
    return pd.concat([read_ruw(root / "raw_train_Russia_Ukraine.csv", "train"),
                      read_ruw(root / "raw_val_Russia_Ukraine.csv", "val")], ignore_index=True)


def load_pstance(root: str | Path) -> pd.DataFrame:
    """P-Stance train and val for its three targets (the test files are not read)."""
    root = Path(root)
    parts = []
    for split in ("train", "val"):
        for name in ("trump", "biden", "bernie"):
            frame = pd.read_csv(root / f"raw_{split}_{name}.csv", dtype=str, keep_default_na=False)
            parts.append(pd.DataFrame({
                "id": [f"pstance-{split}-{name}-{i}" for i in range(len(frame))],
                "text": frame["Tweet"].str.strip(), "target": frame["Target"].str.strip(),
                "label": frame["Stance"].str.strip().map(_LABELS), "split": split}))
    return pd.concat(parts, ignore_index=True)
