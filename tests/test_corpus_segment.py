"""Segmentation: ids, offsets into the article text, paragraph rules."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import load_corpus, segment
from analysis.corpus.segment import paragraph_spans
from analysis.schema import PARAGRAPHS, SENTENCES

DIGEST = Path(__file__).resolve().parents[1] / "data" / "raw" / "sample_digest_russia.txt"


def _check_offsets(articles, paragraphs, sentences):
    text_of = dict(zip(articles["article_id"], articles["text"]))
    for row in paragraphs.itertuples():
        assert text_of[row.article_id][row.start:row.end] == row.text
        assert row.paragraph_id == f"{row.article_id}:p{row.position}"
    for row in sentences.itertuples():
        assert text_of[row.article_id][row.start:row.end] == row.text
        assert row.sentence_id == f"{row.paragraph_id}:s{row.position}"
        assert row.text == row.text.strip() and row.text


def test_digest_segmentation_offsets_and_ids():
    articles = load_corpus(DIGEST).articles
    paragraphs, sentences = segment(articles)
    assert list(paragraphs.columns) == PARAGRAPHS and list(sentences.columns) == SENTENCES
    _check_offsets(articles, paragraphs, sentences)
    first = articles["article_id"].iloc[0]
    mine = paragraphs[paragraphs["article_id"] == first]
    assert mine["text"].tolist() == articles["text"].iloc[0].split("\n\n")
    assert mine["text"].iloc[3] == "The Middle Corridor"
    assert (sentences.groupby("paragraph_id").size() >= 1).all()
    assert set(sentences["paragraph_id"]) == set(paragraphs["paragraph_id"])


def test_segmentation_is_deterministic():
    articles = load_corpus(DIGEST).articles
    one, two = segment(articles), segment(articles)
    pd.testing.assert_frame_equal(one[0], two[0])
    pd.testing.assert_frame_equal(one[1], two[1])


def test_paragraph_rules():
    assert paragraph_spans("a\n\n  \n\nb") == [(0, 1), (7, 8)]
    text = "line one\nline two\n  line three  "
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["line one", "line two", "line three"]
    mixed = "p1 l1\np1 l2\n\np2"
    assert [mixed[s:e] for s, e in paragraph_spans(mixed)] == ["p1 l1\np1 l2", "p2"]
    assert paragraph_spans("   \n  ") == []


def test_sentences_split_within_paragraphs():
    articles = pd.DataFrame({"article_id": ["x"], "text": ["One here. Two here!\n\nThree?"]})
    paragraphs, sentences = segment(articles)
    assert paragraphs["paragraph_id"].tolist() == ["x:p0", "x:p1"]
    assert sentences["text"].tolist() == ["One here.", "Two here!", "Three?"]
    assert sentences["sentence_id"].tolist() == ["x:p0:s0", "x:p0:s1", "x:p1:s0"]
    assert sentences["start"].tolist() == [0, 10, 21]


def test_empty_table():
    paragraphs, sentences = segment(pd.DataFrame({"article_id": [], "text": []}))
    assert paragraphs.empty and list(sentences.columns) == SENTENCES


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), min_size=1, max_size=4))
def test_offsets_property_on_random_text(texts):
    articles = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "text": texts})
    paragraphs, sentences = segment(articles)
    _check_offsets(articles, paragraphs, sentences)
