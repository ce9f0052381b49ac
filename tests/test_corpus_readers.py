"""Each reader on small real inputs: digest, JSONL, CSV, Parquet, folder, text."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.schema import ARTICLES, REJECTS, check_columns

DIGEST = Path(__file__).resolve().parents[1] / "data" / "raw" / "sample_digest_russia.txt"


def _bullet_titles(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return [line.strip()[1:].strip() for line in lines if line.strip().startswith("•")]


def test_sample_digest_yields_ten_russia_articles():
    load = load_corpus(DIGEST)
    articles = load.articles
    check_columns(articles, ARTICLES, "articles")
    check_columns(load.rejects, REJECTS, "rejects")
    assert len(articles) == 10 and load.n_records == 10 and load.rejects.empty
    assert all(tags == ["Russia"] for tags in articles["tags"])
    assert articles["title"].tolist() == _bullet_titles(DIGEST)
    first = articles["text"].iloc[0]
    assert first.startswith("Kazakhstan, the world’s ninth-largest country")
    assert not first.startswith(articles["title"].iloc[0])  # repeated title dropped


def test_sample_digest_keeps_heading_paragraphs_and_strips_indentation():
    text = load_corpus(DIGEST).articles["text"].iloc[0]
    paragraphs = text.split("\n\n")
    assert "The Middle Corridor" in paragraphs
    assert paragraphs.index("The Middle Corridor") == 3
    assert all(p == p.strip() for p in paragraphs)
    assert not any(line.startswith(" ") for line in text.split("\n"))


def test_digest_sections_nested_bullets_and_stray_text(tmp_path):
    digest = tmp_path / "d.txt"
    digest.write_text(
        "Tag: Russia\n\nintro line\n  • First\n\n    First\n\n    Body one.\n\n"
        "      • a list item inside the body\n\n    Heading\n\n    Body two.\n\n"
        "Tag: China; Trade\n\n  • Second\n\n    Only paragraph.\n  • Empty\n",
        encoding="utf-8",
    )
    load = load_corpus(digest)
    a = load.articles
    assert a["title"].tolist() == ["First", "Second"]
    assert a["text"].iloc[0] == "Body one.\n\n• a list item inside the body\n\nHeading\n\nBody two."
    assert a["tags"].tolist() == [["Russia"], ["China", "Trade"]]
    assert a["origin"].tolist() == [f"{digest}:line 4", f"{digest}:line 18"]
    assert load.rejects["reason"].tolist() == ["empty text"]  # "• Empty" has no body
    assert load.rejects["position"].tolist() == ["line 21"]
    assert any("line 3" in w and "outside any" in w for w in load.warnings)


def test_jsonl_reader_with_aliases_and_extra_fields(tmp_path):
    path = tmp_path / "c.jsonl"
    rows = [
        {"id": "x1", "headline": "H1", "body": "Text one.", "outlet": "Reuters",
         "date": "2024-03-01T10:00:00+02:00", "link": "http://a", "labels": "a; b", "lang": "en", "extra": 1},
        {"content": "Text two.", "tags": ["c"], "publisher": "AP"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    load = load_corpus(path)
    a = load.articles
    assert load.n_records == 2 and load.rejects.empty
    first = a.iloc[0]
    assert (first["article_id"], first["title"], first["text"], first["source"]) == ("x1", "H1", "Text one.", "Reuters")
    assert first["published"] == pd.Timestamp("2024-03-01 08:00:00")
    assert (first["url"], first["tags"], first["language"]) == ("http://a", ["a", "b"], "en")
    assert a["tags"].iloc[1] == ["c"] and a["language"].iloc[1] is None
    assert a["origin"].tolist() == [f"{path}:line 1", f"{path}:line 2"]
    assert a["published"].dtype == "datetime64[ns]"


def test_csv_reader_quoted_multiline_fields(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        'article_id,Title,Text,Published,Tags\n'
        '1,"A, title","Para one.\n\nPara ""two"".",2024-01-02,"x,y"\n'
        '\n'
        '2,B,Plain,,\n',
        encoding="utf-8",
    )
    load = load_corpus(path)
    a = load.articles
    assert load.n_records == 2 and load.rejects.empty
    assert a["title"].tolist() == ["A, title", "B"]
    assert a["text"].iloc[0] == 'Para one.\n\nPara "two".'
    assert a["tags"].tolist() == [["x", "y"], []]
    assert a["published"].iloc[0] == pd.Timestamp("2024-01-02") and pd.isna(a["published"].iloc[1])
    assert a["origin"].tolist() == [f"{path}:row 1", f"{path}:row 2"]


def test_parquet_reader(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({
        "article_id": ["p1", "p2"], "text": ["One.", "Two."], "headline": ["T1", None],
        "tags": [["a", "b"], []], "published": pd.to_datetime(["2024-05-01", None]),
    }).to_parquet(path)
    load = load_corpus(path)
    a = load.articles
    assert a["article_id"].tolist() == ["p1", "p2"]
    assert a["title"].tolist() == ["T1", None]
    assert a["tags"].tolist() == [["a", "b"], []]
    assert a["origin"].tolist() == [f"{path}:record 1", f"{path}:record 2"]
    assert a["published"].iloc[0] == pd.Timestamp("2024-05-01")


def test_folder_reader_recursive_sorted_with_titles(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b.md").write_text("# Markdown Title\n\nBody of b.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Plain Heading\n\nBody of a.\n\nMore.", encoding="utf-8")
    (tmp_path / "sub" / "c.txt").write_text("Just one sentence without a heading.", encoding="utf-8")
    (tmp_path / ".hidden" / "d.txt").write_text("skipped", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    load = load_corpus(tmp_path)
    a = load.articles
    assert [o.split(":")[-1] for o in a["origin"]] == ["a.txt", "b.md", "sub/c.txt"]
    assert a["title"].tolist() == ["Plain Heading", "Markdown Title", "c"]
    assert a["text"].tolist() == ["Body of a.\n\nMore.", "Body of b.", "Just one sentence without a heading."]


def test_single_text_file_and_fmt_override(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Title Here\n\nThe body.", encoding="utf-8")
    load = load_corpus(path)
    assert load.articles[["title", "text"]].values.tolist() == [["Title Here", "The body."]]
    odd = tmp_path / "rows.data"
    odd.write_text('{"text": "x"}\n', encoding="utf-8")
    assert load_corpus(odd, fmt="jsonl").articles["text"].tolist() == ["x"]


def test_several_paths_are_combined_and_deduplicated_across_files(tmp_path):
    one, two = tmp_path / "1.jsonl", tmp_path / "2.csv"
    one.write_text('{"id": "a", "text": "Shared text."}\n', encoding="utf-8")
    two.write_text("id,text\nb,Shared text.\nc,Other text.\n", encoding="utf-8")
    load = load_corpus([one, str(two)])
    assert load.articles["article_id"].tolist() == ["a", "c"]
    assert load.n_duplicates == 1
    assert load.rejects.iloc[0][["file", "position", "reason"]].tolist() == [str(two), "row 1", "exact duplicate of a"]


def test_text_field_and_columns_mapping(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("Story Body,text,Kind\nthe real text,not this,news\n", encoding="utf-8")
    assert load_corpus(path, text_field="Story Body").articles["text"].tolist() == ["the real text"]
    load = load_corpus(path, columns={"text": "Story Body", "source": "Kind"})
    assert load.articles[["text", "source"]].values.tolist() == [["the real text", "news"]]
    missing = load_corpus(path, text_field="nope")
    assert missing.articles.empty and missing.rejects["reason"].tolist() == [
        "no text field (looked for 'nope'; the record's fields: 'Story Body', 'text', 'Kind')"]
    with pytest.raises(ValueError, match="unknown fields"):
        load_corpus(path, columns={"body": "x"})


def test_folder_reading_reports_progress_file_by_file(tmp_path):
    from analysis.corpus.readprogress import reading_progress
    from analysis.progress import RunProgress

    for name in ("a.txt", "b.txt", "c.md"):
        (tmp_path / name).write_text(f"Title {name}\n\nRussia and the West met in Baku ({name}).", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    with reading_progress(lambda done, total: calls.append((done, total))):
        assert len(load_corpus(tmp_path).articles) == 3
    assert calls == [(1, 3), (2, 3), (3, 3)]
    load_corpus(tmp_path)  # outside the block nobody is called
    assert len(calls) == 3
    with RunProgress(show=True) as progress:  # the run's display counts files into the running stage
        progress._begin("read")
        with reading_progress(progress.counter("files")):
            load_corpus(tmp_path)
        assert (progress.current_.completed, progress.current_.total, progress.current_.unit) == (3, 3, "files")
        progress._end("read", "done", [])
