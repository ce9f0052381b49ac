"""Validation: ids, dates, tags, limits, in-memory tables and the counts invariant."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import load_corpus, load_corpus_frame
from analysis.corpus.validate import derived_id
from analysis.schema import ARTICLES, REJECTS


def _jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_derived_ids_are_stable_and_content_based(tmp_path):
    rows = [{"title": "T", "text": "Body one."}, {"text": "Body two."}]
    first = load_corpus(_jsonl(tmp_path / "a.jsonl", rows)).articles["article_id"].tolist()
    again = load_corpus(_jsonl(tmp_path / "b.jsonl", rows[::-1])).articles["article_id"].tolist()
    assert first == again[::-1]
    assert all(i.startswith("a") and len(i) == 17 for i in first)
    assert first[0] == derived_id("T", "Body one.") == derived_id(" T ", "Body   one.")
    assert derived_id("T", "Body one.") != derived_id("U", "Body one.")


def test_ids_do_not_depend_on_limits(tmp_path):
    path = _jsonl(tmp_path / "a.jsonl", [{"text": "word " * 100}])
    full = load_corpus(path).articles["article_id"].iloc[0]
    cut = load_corpus(path, max_chars=50).articles["article_id"].iloc[0]
    assert full == cut


def test_given_ids_are_kept_as_text(tmp_path):
    load = load_corpus(_jsonl(tmp_path / "a.jsonl", [{"id": 7, "text": "x"}, {"article_id": " k ", "text": "y"}]))
    assert load.articles["article_id"].tolist() == ["7", "k"]


def test_unparseable_dates_keep_the_article_with_a_warning(tmp_path):
    rows = [{"text": "a", "date": "not a date"}, {"text": "b", "date": "now"},
            {"text": "c", "published": "2024-02-03 04:05"}, {"text": "d", "date": 1700000000}]
    path = _jsonl(tmp_path / "a.jsonl", rows)
    load = load_corpus(path)
    assert len(load.articles) == 4 and load.rejects.empty
    published = load.articles["published"]
    assert published.dtype == "datetime64[ns]" and published.dt.tz is None
    assert published.isna().tolist() == [True, True, False, False]
    assert published.iloc[2] == pd.Timestamp("2024-02-03 04:05")
    assert published.iloc[3] == pd.Timestamp("2023-11-14 22:13:20")
    assert len(load.warnings) == 2
    assert load.warnings[0].startswith(f"{path} line 1: unparseable date 'not a date'")
    assert load.warnings[0].endswith("article kept with published=NaT")


@pytest.mark.parametrize("value, expected", [
    ("a;b; a ;", ["a", "b"]), ("a, b", ["a", "b"]), ('["x", "y"]', ["x", "y"]),
    (["p", "", None, "q"], ["p", "q"]), (None, []), ("", []), ("single", ["single"]),
])
def test_tags_forms(value, expected):
    load = load_corpus_frame(pd.DataFrame({"text": ["t"], "tags": [value]}))
    assert load.articles["tags"].iloc[0] == expected


def test_limits_truncate_with_explicit_warnings(tmp_path):
    text = "\n\n".join(f"Paragraph {i} is here." for i in range(10))
    path = _jsonl(tmp_path / "a.jsonl", [{"id": "long", "text": text}])
    load = load_corpus(path, max_paragraphs=3)
    assert load.articles["text"].iloc[0] == "Paragraph 0 is here.\n\nParagraph 1 is here.\n\nParagraph 2 is here."
    assert load.warnings == [f"{path} line 1: 10 paragraphs, truncated to the first 3 (max_paragraphs)"]
    load = load_corpus(path, max_chars=30)
    kept = load.articles["text"].iloc[0]
    assert len(kept) <= 30 and text.startswith(kept)
    assert load.warnings == [f"{path} line 1: {len(text)} characters, truncated to {len(kept)} (max_chars=30)"]
    with pytest.raises(ValueError, match="max_chars"):
        load_corpus(path, max_chars=0)


def test_load_corpus_frame_validates_in_memory_tables():
    df = pd.DataFrame({
        "Body": ["First.", "", "First.", np.nan, "Second."],
        "Headline": ["A", "B", "C", "D", None],
        "Lang": ["en", None, "en", None, np.nan],
        "junk": [1, 2, 3, 4, 5],
    })
    load = load_corpus_frame(df, name="mem")
    assert load.n_records == 5 == len(load.articles) + len(load.rejects)
    assert load.articles["text"].tolist() == ["First.", "Second."]
    assert load.articles["title"].tolist() == ["A", None]
    assert load.articles["language"].tolist() == ["en", None]
    assert load.articles["origin"].tolist() == ["mem:row 1", "mem:row 5"]
    assert load.rejects["position"].tolist() == ["row 2", "row 3", "row 4"]
    assert load.n_duplicates == 1


def test_tables_have_schema_columns_even_when_empty():
    load = load_corpus_frame(pd.DataFrame({"text": []}))
    assert list(load.articles.columns) == ARTICLES and list(load.rejects.columns) == REJECTS
    assert load.articles["published"].dtype == "datetime64[ns]"


def test_summary_counts(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "a"}\n{"text": "a"}\nbad\n', encoding="utf-8")
    load = load_corpus(path)
    assert load.summary() == "3 records: 1 accepted, 2 rejected (1 exact duplicates), 0 warnings"
