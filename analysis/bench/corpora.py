"""Real corpora for the benchmark, read by path from ``../shared/eval`` (never copied or shipped).

``load_bench_corpus`` combines 20 Newsgroups (both splits, headers, footers
and quotes removed), every non-empty Reuters-21578 story and the AG News test
split: about 47,000 documents. A ``label`` column (the newsgroup, the first
Reuters topic or the AG class) is kept for scoring only.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

BENCH_CORPORA = ("20newsgroups", "reuters21578", "ag_news")
COLUMNS = ["article_id", "title", "text", "published", "source", "label", "corpus"]


def _newsgroups(root: Path) -> pd.DataFrame:
    from ..topics.eval_corpora import load_eval_corpus

    return pd.concat([load_eval_corpus("20newsgroups", split, root=root) for split in ("train", "test")],
                     ignore_index=True)


def _ag_news(root: Path) -> pd.DataFrame:
    from ..topics.eval_corpora import load_eval_corpus

    return load_eval_corpus("ag_news", "test", root=root)


def _reuters(root: Path) -> pd.DataFrame:
    """Every Reuters-21578 story with a title or body (not only the ModApte topic split)."""
    path = root / "reuters21578" / "reuters21578.csv"
    if not path.is_file():
        raise FileNotFoundError(f"evaluation data not available: {path}")
    raw = pd.read_csv(path, keep_default_na=False)
    body = raw["body"].str.replace(r"\s*REUTER\s*$", "", regex=True).str.strip()
    title = raw["title"].str.strip().str.title()
    text = np.where(body.str.len() > 0, body, title)
    stamp = raw["date"].str.strip().str.extract(r"^(\S+ \d\d:\d\d:\d\d)")[0]
    df = pd.DataFrame({"article_id": "reuters" + raw["newid"].astype(str), "title": title.to_numpy(),
                       "text": text, "source": "Reuters",
                       "published": pd.to_datetime(stamp, format="%d-%b-%Y %H:%M:%S", errors="coerce"),
                       "label": raw["topics"].str.split(";").str[0].to_numpy()})
    return df[df["text"].str.strip().str.len() >= 30].reset_index(drop=True)


_READERS = {"20newsgroups": _newsgroups, "reuters21578": _reuters, "ag_news": _ag_news}


def load_bench_corpus(names=BENCH_CORPORA, n: int | None = None, seed: int = 0,
                      root: str | Path | None = None) -> pd.DataFrame:
    """The named corpora combined; with ``n``, a seeded random sample of ``n`` documents (order kept).

    Raises ``FileNotFoundError`` when the data is absent and ``ValueError`` for an unknown name.
    """
    from ..topics.eval_corpora import eval_root

    root = Path(root) if root else eval_root()
    unknown = [c for c in names if c not in _READERS]
    if unknown:
        raise ValueError(f"unknown benchmark corpus {unknown}; known: {', '.join(_READERS)}")
    parts = []
    for name in names:
        part = _READERS[name](root)
        parts.append(part.assign(corpus=name))
    df = pd.concat(parts, ignore_index=True)
    df = df.drop_duplicates("text").reset_index(drop=True)
    if n is not None and n < len(df):
        keep = np.sort(np.random.default_rng(seed).choice(len(df), size=n, replace=False))
        df = df.iloc[keep].reset_index(drop=True)
    return df[COLUMNS]


def write_corpus(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the article columns as a Parquet corpus file that ``analysis run`` reads."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df[["article_id", "title", "text", "published", "source"]].to_parquet(path, index=False)
    return path
