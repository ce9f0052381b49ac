"""JSON files: an array of articles, an object holding one, one article, JSON Lines named .json, bad JSON."""
from __future__ import annotations

import json

import pytest

from analysis.corpus import CorpusError, load_corpus

ARTICLES = [{"title": f"T{i}", "text": f"The trade route through the region opens next year, part {i}.",
             "source": "Outlet A", "date": f"2025-01-0{i + 1}"} for i in range(3)]


def _write(tmp_path, name, value) -> str:
    path = tmp_path / name
    path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
    return str(path)


def test_an_array_of_articles(tmp_path):
    loaded = load_corpus(_write(tmp_path, "a.json", ARTICLES))
    assert loaded.articles["title"].tolist() == ["T0", "T1", "T2"]
    assert loaded.articles["source"].tolist() == ["Outlet A"] * 3
    assert str(loaded.articles["published"].iloc[2].date()) == "2025-01-03"
    assert loaded.articles["origin"].iloc[0].endswith("a.json:item 1") and loaded.warnings == []


def test_an_object_holding_the_array_says_which_key_it_read(tmp_path):
    loaded = load_corpus(_write(tmp_path, "b.json", {"status": "ok", "total": 3, "articles": ARTICLES}))
    assert len(loaded.articles) == 3
    assert loaded.articles["origin"].iloc[1].endswith("b.json:articles[2]")
    assert loaded.warnings == [f"{tmp_path / 'b.json'}: read the 3 item(s) of key 'articles'; "
                               "other keys ignored: 'status', 'total'"]


def test_a_wrapped_list_with_a_bad_item_keeps_the_good_ones(tmp_path):
    loaded = load_corpus(_write(tmp_path, "h.json", {"meta": {"n": 2}, "results": [ARTICLES[0], 7]}))
    assert loaded.articles["title"].tolist() == ["T0"]
    assert loaded.rejects["position"].tolist() == ["results[2]"]
    assert loaded.rejects["reason"].tolist() == ["not a JSON object (got a number)"]


def test_one_article_object(tmp_path):
    loaded = load_corpus(_write(tmp_path, "c.json", ARTICLES[0]))
    assert loaded.articles["title"].tolist() == ["T0"]


def test_items_that_are_not_objects_are_rejected_with_the_reason(tmp_path):
    loaded = load_corpus(_write(tmp_path, "d.json", [ARTICLES[0], "just a string", [1, 2]]))
    assert len(loaded.articles) == 1
    assert loaded.rejects["position"].tolist() == ["item 2", "item 3"]
    assert loaded.rejects["reason"].tolist() == ["not a JSON object (got a string)", "not a JSON object (got an array)"]


def test_json_lines_named_json_are_read_as_such(tmp_path):
    path = _write(tmp_path, "e.json", "\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    loaded = load_corpus(path)
    assert len(loaded.articles) == 3 and "read as JSON Lines" in loaded.warnings[0]


def test_invalid_json_names_its_place_and_an_object_without_articles_says_what_it_found(tmp_path):
    with pytest.raises(CorpusError, match=r"invalid JSON at line 2, column \d+"):
        load_corpus(_write(tmp_path, "f.json", '[{"text": "a"},\n {"text": }]'))
    with pytest.raises(CorpusError, match="no list of article objects found \\(keys: 'status', 'count'\\)"):
        load_corpus(_write(tmp_path, "g.json", {"status": "ok", "count": 0}))


def test_a_folder_reads_json_files_too(tmp_path):
    (tmp_path / "in").mkdir()
    _write(tmp_path / "in", "a.json", ARTICLES[:2])
    _write(tmp_path / "in", "b.jsonl", json.dumps(ARTICLES[2]) + "\n")
    loaded = load_corpus(str(tmp_path / "in"))
    assert sorted(loaded.articles["title"]) == ["T0", "T1", "T2"]
    assert not any("skipped" in w for w in loaded.warnings)
