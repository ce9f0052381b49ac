"""Exports of news APIs and databases: their field names and nested objects, and cut texts."""
from __future__ import annotations

import json

import pandas as pd

from analysis.corpus import load_corpus
from analysis.corpus.fields import norm_key

STORY = ("Russia and the West clashed at the UN Security Council on Monday over the war in Ukraine, "
         "with Moscow accusing Western states of prolonging it.")


def test_field_names_in_camel_case_match_their_aliases():
    assert [norm_key(k) for k in ("publishedAt", "Body Text", "body-text", "bodyText", "ID", "articleID",
                                  "pubDate", "dateTime", "headline_text")] == [
        "published_at", "body_text", "body_text", "body_text", "id", "article_id", "pub_date", "date_time",
        "headline_text"]


def test_newsapi_response_keeps_outlet_and_date_and_warns_of_cut_texts(tmp_path):
    articles = [{"source": {"id": "bbc-news", "name": "BBC News"}, "author": "BBC", "title": "Clash at the UN",
                 "description": "A row.", "url": "https://www.bbc.co.uk/news/1", "urlToImage": None,
                 "publishedAt": "2024-03-04T09:30:00Z", "content": STORY[:120] + "… [+2817 chars]"},
                {"source": {"id": None, "name": "Reuters"}, "title": "Corridor talks", "url": "https://r.com/2",
                 "publishedAt": "2024-03-05T10:00:00Z", "content": STORY}]
    path = tmp_path / "newsapi.json"
    path.write_text(json.dumps({"status": "ok", "totalResults": 2, "articles": articles}))
    load = load_corpus(path)
    assert list(load.articles["source"]) == ["BBC News", "Reuters"]
    assert list(load.articles["published"]) == [pd.Timestamp("2024-03-04 09:30"), pd.Timestamp("2024-03-05 10:00")]
    first_id = load.articles["article_id"].iloc[0]
    note = load.warnings[0]
    assert note.startswith("1 of 2 articles end with a news API's truncation marker") and first_id in note
    assert "'publishedAt' -> published" in " ".join(load.warnings)


def test_event_registry_and_media_cloud_exports(tmp_path):
    (tmp_path / "er.json").write_text(json.dumps([{
        "uri": "7890", "lang": "eng", "date": "2024-03-04", "dateTime": "2024-03-04T09:30:00Z",
        "url": "https://example.org/a", "title": "Kremlin warns Europe", "body": STORY,
        "source": {"uri": "tass.com", "dataType": "news", "title": "TASS"}}]))
    (tmp_path / "mediacloud.csv").write_text(
        "id,indexed_date,language,media_name,media_url,publish_date,title,url,text\n"
        f'1,2024-03-06,en,rferl.org,rferl.org,2024-03-05,Georgia weighs ties,https://rferl.org/1,"{STORY} Again."\n')
    load = load_corpus(tmp_path)
    assert load.rejects.empty and not any("truncation" in w for w in load.warnings)
    assert sorted(load.articles["source"]) == ["TASS", "rferl.org"]
    assert sorted(load.articles["published"]) == [pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-05")]


def test_wordpress_rendered_fields_and_objects_without_a_name(tmp_path):
    posts = [{"id": 5, "date": "2024-03-04T09:30:00", "link": "https://blog.example/5",
              "title": {"rendered": "Baku talks"}, "content": {"rendered": f"<p>{STORY}</p>", "protected": False}},
             {"id": 6, "title": "Unnamed outlet", "content": STORY + " Later.", "source": {"uri": "x.org"}}]
    path = tmp_path / "posts.json"
    path.write_text(json.dumps(posts))
    load = load_corpus(path)
    article = load.articles.iloc[0]
    assert article["title"] == "Baku talks" and article["text"] == f"<p>{STORY}</p>"
    assert load.rejects["reason"].tolist() == [
        "source is an object without a text under name, title, rendered, text, value (its keys: 'uri')"]


def test_text_given_as_a_list_of_paragraphs(tmp_path):
    path = tmp_path / "scraped.jsonl"
    path.write_text(json.dumps({"title": "Talks", "text": ["First paragraph about Baku.", " ", "Second one."]}) + "\n")
    article = load_corpus(path).articles.iloc[0]
    assert article["text"] == "First paragraph about Baku.\n\nSecond one."
