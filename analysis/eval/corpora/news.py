"""Readers for the public labelled news corpora: 20 Newsgroups, Reuters-21578, AG News.

The data is third-party and never shipped: these functions read it by path
(default ``../shared/eval`` next to the project) and return an article table
(``article_id``, ``title``, ``text``, ``published``, ``source``) plus a
``label`` column. Labels serve only to score a fitted model (NMI, ARI,
V-measure); nothing in the topic stage reads them.

:func:`load_eval_corpus` reads one split of one corpus (``analysis topics
--eval``); :func:`load_bench_corpus` combines 20 Newsgroups (both splits),
every non-empty Reuters-21578 story and the AG News test split, about 47,000
documents (``analysis bench``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets._twenty_newsgroups import (strip_newsgroup_footer, strip_newsgroup_header,
                                                 strip_newsgroup_quoting)

from ...corpus import load_corpus_frame
from ...paths import PROJECT_ROOT

#: Corpora with a reader below, and the splits each one has.
EVAL_CORPORA = {"20newsgroups": ("train", "test"), "ag_news": ("test",),
                "reuters21578": ("train", "test")}
#: The corpora ``analysis bench`` combines by default.
BENCH_CORPORA = ("20newsgroups", "reuters21578", "ag_news")
COLUMNS = ["article_id", "title", "text", "published", "source", "label"]
#: Documents with fewer characters than this (after cleaning) are left out.
MIN_CHARS = 30


def eval_root() -> Path:
    """``../shared/eval`` relative to the project folder."""
    return PROJECT_ROOT.parent / "shared" / "eval"


def load_eval_corpus(name: str, split: str = "test", *, sample: int | None = None,
                     seed: int = 0, root: str | Path | None = None) -> pd.DataFrame:
    """One labelled evaluation corpus as an article table with a ``label`` column.

    ``sample`` keeps a seeded uniform random sample of that many documents
    (the order of the table is kept). Raises ``FileNotFoundError`` when the
    data is absent and ``ValueError`` for an unknown corpus or split.
    """
    if name not in EVAL_CORPORA:
        raise ValueError(f"unknown evaluation corpus '{name}'; known: {sorted(EVAL_CORPORA)}")
    if split not in EVAL_CORPORA[name]:
        raise ValueError(f"{name} has no split '{split}'; it has {list(EVAL_CORPORA[name])}")
    df = _read(name, split, Path(root) if root else eval_root())
    return _sample(df, sample, seed)[COLUMNS]


def load_eval_articles(name: str, split: str = "test", sample: int | None = None,
                       seed: int = 0) -> pd.DataFrame:
    """An evaluation corpus as a validated article table, its label as the only tag."""
    df = load_eval_corpus(name, split, sample=sample, seed=seed)
    df = df.assign(tags=df["label"]).drop(columns="label")
    return load_corpus_frame(df, name).articles


def load_bench_corpus(names=BENCH_CORPORA, n: int | None = None, seed: int = 0,
                      root: str | Path | None = None) -> pd.DataFrame:
    """The named corpora combined; with ``n``, a seeded random sample of ``n`` documents (order kept).

    20 Newsgroups comes with both splits, Reuters-21578 with every story (not
    only the ModApte topic split), AG News with its test split. A ``corpus``
    column names the source corpus. Raises ``FileNotFoundError`` when the
    data is absent and ``ValueError`` for an unknown name.
    """
    root = Path(root) if root else eval_root()
    unknown = [c for c in names if c not in BENCH_CORPORA]
    if unknown:
        raise ValueError(f"unknown benchmark corpus {unknown}; known: {', '.join(BENCH_CORPORA)}")
    splits = {"20newsgroups": ("train", "test"), "reuters21578": ("all",), "ag_news": ("test",)}
    parts = [_read(name, split, root).assign(corpus=name) for name in names for split in splits[name]]
    df = pd.concat(parts, ignore_index=True)
    df = df.drop_duplicates("text").reset_index(drop=True)
    return _sample(df, n, seed)[COLUMNS + ["corpus"]]


def write_corpus(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the article columns as a Parquet corpus file that ``analysis run`` reads."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df[["article_id", "title", "text", "published", "source"]].to_parquet(path, index=False)
    return path


def _read(name: str, split: str, folder: Path) -> pd.DataFrame:
    """One split of one corpus, documents shorter than :data:`MIN_CHARS` left out."""
    reader = {"20newsgroups": _newsgroups, "ag_news": _ag_news, "reuters21578": _reuters}[name]
    df = reader(folder, split)
    return df[df["text"].str.strip().str.len() >= MIN_CHARS].reset_index(drop=True)


def _sample(df: pd.DataFrame, n: int | None, seed: int) -> pd.DataFrame:
    if n is not None and n < len(df):
        keep = np.sort(np.random.default_rng(seed).choice(len(df), size=n, replace=False))
        df = df.iloc[keep].reset_index(drop=True)
    return df


def _newsgroups(folder: Path, split: str) -> pd.DataFrame:
    """20 Newsgroups (bydate) with headers, signatures and quoted replies removed."""
    path = _require(folder / "20newsgroups" / "20news_bydate.csv")
    raw = pd.read_csv(path, keep_default_na=False)
    raw = raw[raw["split"] == split]
    text = [strip_newsgroup_quoting(strip_newsgroup_footer(strip_newsgroup_header(t)))
            for t in raw["text"]]
    return pd.DataFrame({"article_id": raw["id"].to_numpy(), "title": "", "text": text,
                         "published": pd.NaT, "source": "usenet", "label": raw["label"].to_numpy()})


def _ag_news(folder: Path, split: str) -> pd.DataFrame:
    """AG's News: title and description joined; class index mapped to its name."""
    base = folder / "ag_news"
    raw = pd.read_csv(_require(base / f"{split}.csv"), header=None,
                      names=["label_id", "title", "description"], keep_default_na=False)
    classes = (base / "classes.txt").read_text().split()
    desc = raw["description"].str.replace("\\", " ", regex=False).str.replace(" #36;", " $", regex=False)
    return pd.DataFrame({"article_id": [f"ag{i}" for i in range(len(raw))],
                         "title": raw["title"].to_numpy(), "text": (raw["title"] + ". " + desc).to_numpy(),
                         "published": pd.NaT, "source": "",
                         "label": [classes[i - 1] for i in raw["label_id"]]})


def _reuters(folder: Path, split: str) -> pd.DataFrame:
    """Reuters-21578; the label is the (first) topic, the closing ``REUTER`` is dropped.

    ``train`` / ``test``: the ModApte stories with exactly one topic, title
    and body joined. ``all``: every story, its body (or its title when the
    body is empty).
    """
    raw = pd.read_csv(_require(folder / "reuters21578" / "reuters21578.csv"), keep_default_na=False)
    if split == "all":
        body = raw["body"].str.replace(r"\s*REUTER\s*$", "", regex=True).str.strip()
        title = raw["title"].str.strip().str.title()
        text = pd.Series(np.where(body.str.len() > 0, body, title), index=raw.index)
    else:
        mod_apte = (raw["topics_attr"] == "YES") & (raw["lewissplit"] == split.upper())
        single = raw["topics"].str.len().gt(0) & ~raw["topics"].str.contains(";")
        raw = raw[mod_apte & single]
        title = raw["title"].str.title()
        text = (title + ". " + raw["body"].str.replace(r"\s+", " ", regex=True).str.strip()).str.strip(". ")
        text = text.str.replace(r"\s*REUTER\s*$", "", regex=True)
    stamp = raw["date"].str.strip().str.extract(r"^(\S+ \d\d:\d\d:\d\d)")[0]
    published = pd.to_datetime(stamp, format="%d-%b-%Y %H:%M:%S", errors="coerce")
    return pd.DataFrame({"article_id": "reuters" + raw["newid"].astype(str), "title": title.to_numpy(),
                         "text": text.to_numpy(), "published": published.to_numpy(),
                         "source": "Reuters", "label": raw["topics"].str.split(";").str[0].to_numpy()})


def _require(path: Path) -> Path:
    if not path.is_file():
        raise FileNotFoundError(f"evaluation data not available: {path}")
    return path
