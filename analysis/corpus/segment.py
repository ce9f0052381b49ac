"""Paragraph and sentence segmentation with offsets into the article text."""
from __future__ import annotations

import re

import pandas as pd

from ..schema import PARAGRAPHS, SENTENCES, check_columns

_BLANK_LINE = re.compile(r"\n(?:[^\S\n]*\n)+")

Span = tuple[int, int]


def paragraph_spans(text: str) -> list[Span]:
    """``(start, end)`` of each paragraph of ``text``.

    Paragraphs are separated by blank lines; a text with no blank line is
    split at single newlines instead. Spans are trimmed of surrounding
    whitespace and empty paragraphs are skipped, so ``text[start:end]`` is
    the paragraph exactly.
    """
    pattern = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile("\n")
    spans: list[Span] = []
    start = 0
    for match in pattern.finditer(text):
        _add_trimmed(text, start, match.start(), spans)
        start = match.end()
    _add_trimmed(text, start, len(text), spans)
    return spans


def sentence_spans(paragraph: str) -> list[Span]:
    """``(start, end)`` of each sentence of ``paragraph`` (via blingfire).

    Offsets are checked and trimmed; if blingfire fails or returns offsets
    that do not fit the text, the whole paragraph is one sentence.
    """
    whole = _trimmed(paragraph, 0, len(paragraph))
    if whole is None:
        return []
    import blingfire  # imported here: segmentation is the only user

    try:
        _, offsets = blingfire.text_to_sentences_and_offsets(paragraph)
    except Exception:  # noqa: BLE001 - any failure falls back to one sentence
        return [whole]
    spans: list[Span] = []
    previous_end = 0
    for start, end in offsets:
        if not 0 <= previous_end <= start < end <= len(paragraph):
            return [whole]
        _add_trimmed(paragraph, start, end, spans)
        previous_end = end
    return spans or [whole]


def segment(articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split articles into paragraph and sentence tables.

    Returns ``(paragraphs, sentences)`` with the columns of
    :data:`analysis.schema.PARAGRAPHS` and :data:`~analysis.schema.SENTENCES`.
    Ids are ``"<article_id>:p<i>"`` and ``"<paragraph_id>:s<j>"`` (counting
    from 0); all offsets index the article's ``text``.
    """
    check_columns(articles, ["article_id", "text"], "articles")
    paragraphs: list[dict] = []
    sentences: list[dict] = []
    for article_id, text in zip(articles["article_id"], articles["text"]):
        _segment_article(str(article_id), str(text), paragraphs, sentences)
    return _frame(paragraphs, PARAGRAPHS), _frame(sentences, SENTENCES)


def _segment_article(article_id: str, text: str, paragraphs: list[dict], sentences: list[dict]) -> None:
    for p_pos, (p_start, p_end) in enumerate(paragraph_spans(text)):
        paragraph_id = f"{article_id}:p{p_pos}"
        paragraph = text[p_start:p_end]
        paragraphs.append({
            "paragraph_id": paragraph_id, "article_id": article_id, "position": p_pos,
            "start": p_start, "end": p_end, "text": paragraph,
        })
        for s_pos, (s_start, s_end) in enumerate(sentence_spans(paragraph)):
            sentences.append({
                "sentence_id": f"{paragraph_id}:s{s_pos}", "paragraph_id": paragraph_id,
                "article_id": article_id, "position": s_pos, "start": p_start + s_start,
                "end": p_start + s_end, "text": paragraph[s_start:s_end],
            })


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for name in ("position", "start", "end"):
        frame[name] = frame[name].astype("int64")
    return frame


def _trimmed(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    stripped = piece.lstrip()
    if not stripped:
        return None
    start += len(piece) - len(stripped)
    end = start + len(stripped.rstrip())
    return start, end


def _add_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    span = _trimmed(text, start, end)
    if span is not None:
        spans.append(span)

