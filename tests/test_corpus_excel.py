"""Excel workbooks: sheets, spreadsheet row numbers, typed cells, rejects with reasons."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.corpus import CorpusError, load_corpus

openpyxl = pytest.importorskip("openpyxl")

TEXT = "Russia and the West met in Baku for talks on the Middle Corridor. "


def _workbook(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_one_sheet_with_spreadsheet_row_numbers_and_typed_dates(tmp_path):
    path = _workbook(tmp_path / "export.xlsx", {"Sheet1": [
        [None],
        ["headline", "article_text", "outlet_name", "pub_date", "id"],
        ["Baku talks", TEXT * 3, "TASS", dt.datetime(2024, 3, 4, 9, 30), 101],
        [None, None, None, None, None],
        ["Second", "Moscow and Brussels disagree. " * 4, "RT", dt.datetime(2024, 3, 5), 102, "stray"],
        ["Third", "  ", None, "2024-03-06", 103],
    ]})
    load = load_corpus(path)
    articles = load.articles.set_index("article_id")
    assert list(articles.index) == ["101"]
    assert articles.loc["101", "title"] == "Baku talks" and articles.loc["101", "source"] == "TASS"
    assert articles.loc["101", "published"] == pd.Timestamp("2024-03-04 09:30")
    assert articles.loc["101", "origin"] == f"{path}:row 3"
    reasons = dict(zip(load.rejects["position"], load.rejects["reason"]))
    assert reasons["row 5"] == "a value in column F, which has no header name"
    assert "row 6" in reasons and "text" in reasons["row 6"]
    assert load.n_records == 3
    assert any("'headline' / 'title' -> title" in w or "'headline' -> title" in w for w in load.warnings)


def test_every_sheet_is_read_and_named(tmp_path):
    path = _workbook(tmp_path / "outlets.xlsx", {
        "TASS": [["title", "text"], ["T1", TEXT * 2]],
        "Notes": [],
        "RT": [["title", "text", "source"], ["R1", "Kyiv and Washington talk. " * 5, "RT"],
               ["R2", "A second RT story on sanctions and trade. " * 3, "RT"]],
    })
    load = load_corpus(path)
    assert sorted(load.articles["origin"]) == [f"{path}:sheet 'RT' row 2", f"{path}:sheet 'RT' row 3",
                                               f"{path}:sheet 'TASS' row 2"]
    assert f"{path}: read 2 of 3 sheets: 'TASS' (1 row), 'RT' (2 rows); empty: 'Notes'" in load.warnings


def test_folder_reads_workbooks_and_bad_workbooks_are_named(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _workbook(folder / "a.xlsx", {"S": [["title", "text"], ["T1", TEXT * 2]]})
    (folder / "b.xlsx").write_bytes(b"not a zip at all")
    (folder / "c.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    load = load_corpus(folder)
    assert load.articles["title"].tolist() == ["T1"]
    warning = " ".join(load.warnings)
    assert "b.xlsx" in warning and "not a readable Excel workbook" in warning
    assert "c.xls (old Excel .xls workbooks are not read)" in warning
    with pytest.raises(CorpusError, match=r"c\.xls: old Excel \.xls workbooks are not read; save it as \.xlsx"):
        load_corpus(folder / "c.xls")
    with pytest.raises(CorpusError, match=r"b\.xlsx: not a readable Excel workbook"):
        load_corpus(folder / "b.xlsx")


def test_workbook_xml_with_entities_is_refused(tmp_path):
    import zipfile

    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # defusedxml is installed, so openpyxl refuses entity tricks
    plain = _workbook(tmp_path / "plain.xlsx", {"S": [["title", "text"], ["T1", TEXT * 2]]})
    hostile = tmp_path / "laughs.xlsx"
    doctype = b'<!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(hostile, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # an entity-expanding DOCTYPE and its use
                data = data.replace(b"<worksheet", doctype + b"<worksheet", 1).replace(b"<t>T1</t>", b"<t>&b;</t>")
            dst.writestr(item, data)
    from xml.etree import ElementTree

    with zipfile.ZipFile(hostile) as zf:  # valid XML: a plain parser expands the entity
        assert "haha" in ElementTree.tostring(ElementTree.fromstring(zf.read("xl/worksheets/sheet1.xml")),
                                              encoding="unicode")
    with pytest.raises(CorpusError, match=r"laughs\.xlsx: not a readable Excel workbook"):
        load_corpus(hostile)
