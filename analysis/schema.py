"""Column contracts of the tables that flow between stages.

Every stage takes and returns pandas DataFrames with exactly these columns
(extra columns are allowed only where stated). The README documents them for
users; tests check them through :func:`check_columns`.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: One row per accepted article. ``text`` is the body (paragraphs joined by a
#: blank line); ``title`` is kept apart. ``tags`` is a list of strings.
#: ``published`` is a timezone-naive ``datetime64[ns]`` (NaT when unknown).
#: ``origin`` names the file and line/record the article came from.
ARTICLES = [
    "article_id", "title", "text", "source", "published", "url", "tags",
    "language", "origin",
]

#: One row per rejected input record: nothing is silently lost.
#: ``file`` and ``position`` (e.g. "line 7", "row 3", "record 2") locate it.
REJECTS = ["file", "position", "reason", "raw"]

#: One row per paragraph. ``start``/``end`` are character offsets into the
#: article's ``text``; ``paragraph_id`` is ``"<article_id>:p<position>"``.
PARAGRAPHS = ["paragraph_id", "article_id", "position", "start", "end", "text"]

#: One row per sentence. Offsets are into the article's ``text``;
#: ``sentence_id`` is ``"<paragraph_id>:s<position>"``.
SENTENCES = [
    "sentence_id", "paragraph_id", "article_id", "position", "start", "end",
    "text",
]

#: Topic assignment of each paragraph (topic -1 is "outlier").
PARAGRAPH_TOPICS = ["paragraph_id", "article_id", "topic", "probability"]

#: One row per topic: ``name`` is short and human readable, ``keywords`` a
#: list of the top words, ``representative`` a list of paragraph ids.
TOPICS = ["topic", "name", "keywords", "size", "share", "representative"]

#: Share of each article's paragraphs (by characters) in each topic.
ARTICLE_TOPICS = ["article_id", "topic", "share"]

#: One row per (sentence, target) mention: offsets are into the sentence.
MENTIONS = ["sentence_id", "article_id", "target", "mention", "start", "end"]

#: A scored mention: label in {favor, against, neutral}, score in [-1, 1],
#: confidence in [0, 1], and the sentence itself as evidence.
STANCE = [
    "sentence_id", "paragraph_id", "article_id", "target", "mention",
    "label", "score", "confidence", "p_favor", "p_against", "p_neutral",
    "sentence",
]

#: Aggregated stance for a grouping (e.g. article x target, topic x target).
#: The grouping keys come first, then these columns.
STANCE_AGGREGATE = [
    "target", "n_sentences", "mean_score", "ci_low", "ci_high",
    "share_favor", "share_against", "share_neutral",
]

#: Top evidence sentences kept per group: ``level`` is "article" or "topic",
#: ``key`` the article id or topic number (as text), ``label`` the direction
#: (favor or against), ``rank`` 1 = most confident.
EVIDENCE = [
    "level", "key", "target", "label", "rank", "sentence_id", "article_id",
    "sentence", "score", "confidence",
]

LABELS = ("favor", "against", "neutral")


def check_columns(df: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise ``ValueError`` naming the table if any of ``columns`` is missing."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"table '{name}' lacks columns {missing}; has {list(df.columns)}")
