"""Word documents: one article per document, every article of a Nexis Uni export."""
from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from analysis.corpus import CorpusError, load_corpus

docx = pytest.importorskip("docx")

TASS = {"title": "Russia warns the West over sanctions", "source": "The Moscow Times",
        "date": "March 3, 2022 Thursday",
        "paragraphs": ["Moscow said on Thursday that Western sanctions would backfire on Europe.",
                       "The Kremlin spokesman repeated the warning twice."]}
TREND = {"title": "Baku and Tbilisi sign a transit deal", "source": "Trend News Agency",
         "date": "Friday, March 4, 2022 10:15 PM GMT",
         "paragraphs": ["Azerbaijan and Georgia signed an agreement on the Middle Corridor."]}


def _nexis(path, articles, cover=True, body=True):
    """A Word file laid out as a Nexis Uni export: an optional cover page, then each article."""
    document = docx.Document()
    lines = []
    if cover:
        lines += ["Date and Time: Monday, March 7, 2022 9:47:00 AM EST", "Job Number: 163746890",
                  f"Documents ({len(articles)})"]
        for number, article in enumerate(articles, start=1):
            lines += [f"{number}. {article['title']}", "Client/Matter: -None-", "Search Terms: russia"]
    for article in articles:
        lines += [article["title"], *([article["source"]] if article.get("source") else []), article["date"],
                  f"Copyright 2022 {article.get('source', 'Nobody')} All Rights Reserved",
                  "Section: NEWS; Pg. 5", "Length: 812 words", "Byline: Jane Doe",
                  *(["Body"] if body else []), *article["paragraphs"],
                  "Classification", "Language: ENGLISH", "Subject: WAR (90%)", "Load-Date: March 4, 2022",
                  "End of Document"]
    for line in lines:
        document.add_paragraph(line)
        document.add_paragraph("")  # Nexis exports put empty paragraphs between the lines
    document.save(path)
    return path


def test_nexis_export_gives_one_article_each_with_its_metadata(tmp_path):
    load = load_corpus(_nexis(tmp_path / "nexis.docx", [TASS, TREND]))
    articles = load.articles
    assert list(articles["title"]) == [TASS["title"], TREND["title"]]
    assert list(articles["source"]) == [TASS["source"], TREND["source"]]
    assert list(articles["published"]) == [pd.Timestamp("2022-03-03"), pd.Timestamp("2022-03-04")]
    assert list(articles["language"]) == ["en", "en"]
    assert articles["text"].iloc[0] == "\n\n".join(TASS["paragraphs"])
    for tagged in ("Section:", "Byline", "Load-Date", "Job Number", "Copyright", "Subject"):
        assert not articles["text"].str.contains(tagged).any()
    assert articles["origin"].iloc[1].endswith("nexis.docx:document 2")
    assert load.rejects.empty


def test_nexis_article_without_body_is_rejected_and_the_others_kept(tmp_path):
    path = _nexis(tmp_path / "a.docx", [TASS], cover=False)
    broken = _nexis(tmp_path / "b.docx", [TREND], cover=False, body=False)
    load = load_corpus([path, broken])
    assert list(load.articles["title"]) == [TASS["title"]]
    reject = load.rejects.iloc[0]
    assert reject["file"].endswith("b.docx") and reject["position"] == "document 1"
    assert "no 'Body' line" in reject["reason"] and "Middle Corridor" in reject["raw"]


@pytest.mark.parametrize("cover", [False, True])
def test_nexis_article_without_publication_line(tmp_path, cover):
    anonymous = {**TASS, "source": None}
    article = load_corpus(_nexis(tmp_path / "n.docx", [anonymous], cover=cover)).articles.iloc[0]
    assert article["title"] == TASS["title"] and article["published"] == pd.Timestamp("2022-03-03")
    assert pd.isna(article["source"])


def test_plain_word_document_is_one_article(tmp_path):
    document = docx.Document()
    document.add_heading("Talks in Baku", level=1)
    document.add_paragraph("Russia and the West met in Baku on Monday.")
    document.add_paragraph("Kazakhstan said the route would bypass Russia.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Transit time", "12 days"
    document.add_paragraph("Officials will meet again in May.")
    document.save(tmp_path / "talks.docx")
    untitled = docx.Document()
    untitled.add_paragraph("A note without a heading about the Middle Corridor.")
    untitled.core_properties.title = "Corridor note"
    untitled.save(tmp_path / "note.docx")
    docx.Document().save(tmp_path / "empty.docx")
    load = load_corpus(tmp_path)
    by_title = load.articles.set_index("title")
    assert by_title.loc["Talks in Baku", "text"] == ("Russia and the West met in Baku on Monday.\n\n"
                                                    "Kazakhstan said the route would bypass Russia.\n\n"
                                                    "Transit time | 12 days\n\n"
                                                    "Officials will meet again in May.")
    assert by_title.loc["Corridor note", "text"].startswith("A note without a heading")
    reject = load.rejects.iloc[0]
    assert reject["file"].endswith("empty.docx") and reject["reason"] == "no text in the document"


def test_not_a_word_file_and_old_formats_get_clear_errors(tmp_path):
    (tmp_path / "fake.docx").write_bytes(b"this is not a zip file")
    with pytest.raises(CorpusError, match=r"fake\.docx: not a readable Word document"):
        load_corpus(tmp_path / "fake.docx")
    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(CorpusError, match=r"locked\.docx: a password-protected or old binary Word file"):
        load_corpus(tmp_path / "locked.docx")
    (tmp_path / "locked.docx").unlink()
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CorpusError, match=r"old\.doc: old Word \.doc files are not read; save it as \.docx"):
        load_corpus(tmp_path / "old.doc")
    _nexis(tmp_path / "good.docx", [TASS], cover=False)
    (tmp_path / "fake.docx").unlink()
    load = load_corpus(tmp_path)  # a folder reads the .docx and names the others with the advice
    assert list(load.articles["title"]) == [TASS["title"]]
    warning = " ".join(load.warnings)
    assert "old.doc (old Word .doc files are not read)" in warning


def test_documents_declaring_entities_are_refused(tmp_path):
    path = _nexis(tmp_path / "plain.docx", [TASS], cover=False)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    head, rest = xml.split("?>", 1)
    xml = head + '?><!DOCTYPE w:document [<!ENTITY boom "EXPANDED-ENTITY">]>' + rest.replace(
        "The Kremlin spokesman", "&boom; The Kremlin spokesman", 1)
    parts["word/document.xml"] = xml.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    hostile = tmp_path / "hostile.docx"
    hostile.write_bytes(buffer.getvalue())
    # python-docx does not expand the entity, but it drops the paragraph that uses it without a word
    with pytest.raises(CorpusError, match=r"hostile\.docx: refused: part word/document\.xml declares a document"):
        load_corpus(hostile)
    load = load_corpus(path)  # the same file without the declaration is read whole
    assert "The Kremlin spokesman" in load.articles["text"].iloc[0]


def test_nexis_exports_inside_a_zip_archive(tmp_path):
    export = _nexis(tmp_path / "hits.docx", [TASS, TREND])
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(export, "batch1/hits.docx")
    load = load_corpus(archive)
    assert list(load.articles["origin"]) == [f"{archive}/batch1/hits.docx:document 1",
                                             f"{archive}/batch1/hits.docx:document 2"]


def test_documents_much_shorter_than_their_declared_length_are_named(tmp_path):
    # every generated article declares "Length: 812 words"; TASS's text has 18 words
    load = load_corpus(_nexis(tmp_path / "short.docx", [TASS, TREND], cover=False))
    assert len(load.articles) == 2
    note = next(w for w in load.warnings if "'Length:'" in w)
    assert "2 document(s) hold under half the words" in note and "document 1: 18 of 812 words" in note
