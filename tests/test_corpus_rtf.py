"""Rich Text files: one article per file, every article of a Nexis Uni export."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus import CorpusError, load_corpus

pytest.importorskip("striprtf")


def _rtf(paragraphs: list[str], codepage: int = 1252) -> str:
    """An RTF document of ``paragraphs`` (already RTF-escaped)."""
    body = "\n".join(f"\\pard {p}\\par" for p in paragraphs)
    return f"{{\\rtf1\\ansi\\ansicpg{codepage}\\deff0{{\\fonttbl{{\\f0 Times New Roman;}}}}\n{body}\n}}"


NEXIS = [
    "Russia warns the West over sanctions", "The Moscow Times", "March 3, 2022 Thursday",
    "Copyright 2022 The Moscow Times All Rights Reserved", "Length: 812 words", "Body",
    "Moscow said on Thursday that Western sanctions would backfire on Europe.",
    "Classification", "Language: ENGLISH", "Load-Date: March 4, 2022", "End of Document",
    # Cyrillic as a cp1251 escape and as a Unicode escape: "\u041c\u043e\u0441\u043a\u0432\u0430" (Moscow)
    "\\'cc\\'ee\\'f1\\'ea\\'e2\\'e0 \\u1086?\\u1090?\\u1074?\\u1077?\\u1095?\\u1072?\\u1077?\\u1090?",
    "\\'c8\\'e7\\'e2\\'e5\\'f1\\'f2\\'e8\\'ff", "March 5, 2022 Saturday", "Copyright 2022 Izvestia", "Body",
    "\\'cc\\'ee\\'f1\\'ea\\'e2\\'e0 \\'ee\\'f2\\'e2\\'e5\\'f7\\'e0\\'e5\\'f2 \\'c7\\'e0\\'ef\\'e0\\'e4\\'f3.",
    "End of Document",
]


def test_nexis_rtf_export_in_a_declared_code_page(tmp_path):
    path = tmp_path / "nexis.rtf"
    path.write_text(_rtf(NEXIS, codepage=1251), encoding="ascii")
    articles = load_corpus(path).articles
    assert list(articles["source"]) == ["The Moscow Times", "\u0418\u0437\u0432\u0435\u0441\u0442\u0438\u044f"]
    assert list(articles["published"]) == [pd.Timestamp("2022-03-03"), pd.Timestamp("2022-03-05")]
    assert articles["title"].iloc[1] == ("\u041c\u043e\u0441\u043a\u0432\u0430 "
                                         "\u043e\u0442\u0432\u0435\u0447\u0430\u0435\u0442")
    assert articles["text"].iloc[1].startswith("\u041c\u043e\u0441\u043a\u0432\u0430 \u043e\u0442\u0432")
    assert articles["origin"].iloc[1].endswith("nexis.rtf:document 2")


def test_plain_rtf_is_one_article_and_non_rtf_is_an_error(tmp_path):
    (tmp_path / "note.rtf").write_text(_rtf(["Talks in Baku", "Russia and the West met in Baku on Monday.",
                                             "Kazakhstan said the route would bypass Russia."]))
    (tmp_path / "empty.rtf").write_text(_rtf([]))
    load = load_corpus(tmp_path)
    article = load.articles.iloc[0]
    assert article["title"] == "Talks in Baku"
    assert article["text"] == ("Russia and the West met in Baku on Monday.\n\n"
                               "Kazakhstan said the route would bypass Russia.")
    assert load.rejects["reason"].tolist() == ["no text in the file"]
    (tmp_path / "fake.rtf").write_text("just text, saved with the wrong ending")
    with pytest.raises(CorpusError, match=r"fake\.rtf: not an RTF file"):
        load_corpus(tmp_path / "fake.rtf")
