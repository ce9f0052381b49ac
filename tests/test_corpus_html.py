"""Saved web pages: the article text and the page's own metadata, boilerplate left out."""
from __future__ import annotations

import gzip

import pandas as pd
import pytest

from analysis.corpus import load_corpus

pytest.importorskip("trafilatura")

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">
<title>Baku talks on the Middle Corridor - Example News</title>
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://example.org/news/baku-talks">
<meta property="article:published_time" content="2024-03-04T09:30:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Baku talks on the Middle Corridor</h1>
<p>Russia and the West met in Baku on Monday for talks on the Middle Corridor, the trade route that
links China to Europe across the Caspian Sea and the South Caucasus.</p>
<p>Officials from Kazakhstan and Azerbaijan said the route would bypass Russia and cut transit times
by a week, and that {city} would host the next round.</p>
<p>Moscow called the plan a provocation and said it would answer with its own northern route.</p>
</article><footer>Copyright 2024 Example News. All rights reserved. Cookie settings.</footer>
<script>var tracking = "should never be read";</script></body></html>"""


def _page(city: str = "Tbilisi", charset: str = "utf-8") -> bytes:
    return PAGE.format(city=city, charset=charset).encode(charset)


def test_page_gives_text_paragraphs_and_metadata(tmp_path):
    path = tmp_path / "baku.html"
    path.write_bytes(_page())
    article = load_corpus(path).articles.iloc[0]
    assert article["title"] == "Baku talks on the Middle Corridor"
    assert article["source"] == "Example News" and article["url"] == "https://example.org/news/baku-talks"
    assert article["published"] == pd.Timestamp("2024-03-04")
    paragraphs = article["text"].split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[0].startswith("Russia and the West met in Baku")
    for boilerplate in ("Home", "Copyright", "tracking", "Baku talks on the Middle Corridor"):
        assert boilerplate not in article["text"]
    assert article["origin"] == f"{path}:page"


def test_declared_charset_is_honoured_and_pages_read_from_folders(tmp_path):
    (tmp_path / "a.htm").write_bytes(_page("Zürich", charset="iso-8859-1"))
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(_page("Kraków")))
    (tmp_path / "index.html").write_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    load = load_corpus(tmp_path)
    texts = " ".join(load.articles["text"])
    assert "Zürich" in texts and "Kraków" in texts and len(load.articles) == 2
    reject = load.rejects.iloc[0]
    assert reject["file"].endswith("index.html") and "no article text found in the page" in reject["reason"]


def test_browser_asset_folders_are_left_out_and_counted(tmp_path):
    (tmp_path / "baku.html").write_bytes(_page())
    assets = tmp_path / "baku_files"
    assets.mkdir()
    (assets / "ad.html").write_bytes(_page("Advertland"))
    (assets / "style.css").write_text("body {}", encoding="utf-8")
    (tmp_path / "other_files").mkdir()
    (tmp_path / "other_files" / "note.txt").write_text("A note that is read: no other.html beside it.",
                                                       encoding="utf-8")
    load = load_corpus(tmp_path)
    assert len(load.articles) == 2 and "Advertland" not in " ".join(load.articles["text"])
    assert f"{tmp_path}: left out 2 file(s) in the asset folders of saved pages: baku_files/ (2)" in load.warnings
    assert not any("skipped" in w for w in load.warnings)


def test_a_page_the_parser_fails_on_is_rejected_not_fatal(tmp_path, monkeypatch):
    from analysis.corpus.readers import htmlpage

    (tmp_path / "good.html").write_bytes(_page())
    (tmp_path / "odd.html").write_bytes(b"<html>odd</html>")
    real = htmlpage.extract_page

    def fragile(data):
        if b"odd" in data:
            raise RecursionError("maximum recursion depth exceeded")
        return real(data)

    monkeypatch.setattr(htmlpage, "extract_page", fragile)
    load = load_corpus(tmp_path)
    assert len(load.articles) == 1
    assert load.rejects["reason"].tolist() == ["the page could not be parsed (maximum recursion depth exceeded)"]


def _folder_of_pages(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i:02d}.html").write_bytes(_page(city=f"City{i}"))
    (folder / "index.html").write_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (folder / "broken.html.gz").write_bytes(b"not gzip at all")
    (folder / "notes.jsonl").write_text('{"text": "Between the pages: Russia and the West."}\n')


def test_many_pages_are_read_by_workers_with_the_same_records(tmp_path, monkeypatch):
    from analysis.corpus.readers import pagepool

    if pagepool.usable_cores() < 2:
        pytest.skip("one core: pages are always read in one process")
    _folder_of_pages(tmp_path / "pages", 12)
    monkeypatch.setattr(pagepool, "MIN_PAGES", 4)
    monkeypatch.setattr(pagepool, "CHUNK", 2)
    calls = []
    real = pagepool._results
    monkeypatch.setattr(pagepool, "_results", lambda pages, workers: calls.append(workers) or real(pages, workers))
    pooled = load_corpus(tmp_path / "pages")
    assert calls and calls[0] >= 2
    monkeypatch.setattr(pagepool, "MIN_PAGES", 10**9)
    alone = load_corpus(tmp_path / "pages")
    pd.testing.assert_frame_equal(pooled.articles, alone.articles)
    pd.testing.assert_frame_equal(pooled.rejects, alone.rejects)
    assert pooled.warnings == alone.warnings and len(pooled.articles) == 13
    assert "broken.html.gz" in " ".join(pooled.warnings) and "index.html" in pooled.rejects["file"].iloc[0]


def test_workers_never_rerun_the_calling_script(tmp_path):
    import subprocess
    import sys

    from analysis.corpus.readers import pagepool

    if pagepool.usable_cores() < 2:
        pytest.skip("one core: pages are always read in one process")
    _folder_of_pages(tmp_path / "pages", 8)
    script = tmp_path / "unguarded.py"  # no `if __name__ == "__main__"` guard, as in many notebooks' exports
    script.write_text("print('top level', flush=True)\n"
                      "import analysis.corpus.readers.pagepool as pp\n"
                      "pp.MIN_PAGES, pp.CHUNK = 4, 2\n"
                      "from analysis.corpus import load_corpus\n"
                      f"print(len(load_corpus({str(tmp_path / 'pages')!r}).articles), flush=True)\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["top", "level", "9"]


def test_a_failing_pool_leaves_the_remaining_pages_to_the_reader(tmp_path, monkeypatch):
    from analysis.corpus.readers import pagepool

    _folder_of_pages(tmp_path / "pages", 6)
    read_page = pagepool._read_page

    def breaks_after_two(pages, workers):
        for page in pages[:2]:
            yield read_page(page)
        raise RuntimeError("A worker process was terminated")

    monkeypatch.setattr(pagepool, "MIN_PAGES", 2)
    monkeypatch.setattr(pagepool, "CHUNK", 1)
    monkeypatch.setattr(pagepool, "usable_cores", lambda: 2)
    monkeypatch.setattr(pagepool, "_results", breaks_after_two)
    load = load_corpus(tmp_path / "pages")
    monkeypatch.setattr(pagepool, "MIN_PAGES", 10**9)
    alone = load_corpus(tmp_path / "pages")
    pd.testing.assert_frame_equal(load.articles, alone.articles)
    assert any("worker processes reading web pages failed (RuntimeError: A worker process was terminated)" in w
               for w in load.warnings)
