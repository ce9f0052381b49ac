"""Saved web pages (``.html``, ``.htm``): one article per page, extracted with trafilatura.

Researchers often start from a folder of saved news pages. Each page's main
text is extracted with trafilatura (menus, footers, comments, tables and
scripts are left out), together with what the page says about itself: its
title, publication date, site name and canonical URL. Paragraphs keep their
breaks. A page with no article text found becomes a rejected record with the
reason, never an empty article. The page's own character set is honoured
(trafilatura decodes the bytes).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..decoding import read_bytes
from ..records import RawRecord, ReadResult, bad, printable

#: Position of a page's record (one article per file).
POSITION = "page"
#: Fewer words than this extracted from a page is no article (a menu or a login box).
MIN_WORDS = 10


def read_html(path: Path, label: str) -> ReadResult:
    """Read one saved web page as one article (see the module docstring)."""
    data = read_bytes(path, label)
    raw = printable(data[:2000].decode("utf-8", errors="replace"))
    try:
        fields = extract_page(data)
    except Exception as exc:  # a parser failure on one odd page must not end the reading of a folder
        return ReadResult([bad(label, POSITION, raw, f"the page could not be parsed ({str(exc)[:200]})")])
    if fields is None:
        return ReadResult([bad(label, POSITION, raw, f"no article text found in the page (under {MIN_WORDS} "
                                                      "words extracted: an index, login or empty page?)")])
    return ReadResult([RawRecord(label, POSITION, fields, raw)])


def extract_page(data: bytes | str) -> dict[str, Any] | None:
    """``{"title", "text", "published", "source", "url"}`` of a page (missing ones left out), or ``None``."""
    import trafilatura  # imported here: only this reader needs it

    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                      include_tables=False, config=_config())
    if doc is None or not (doc.text or "").strip():
        return None
    title = (doc.title or "").strip()
    lines = [line.strip() for line in doc.text.split("\n") if line.strip()]
    if title and lines and lines[0] == title:
        lines = lines[1:]  # the page's heading, already the title
    if sum(len(line.split()) for line in lines) < MIN_WORDS:
        return None
    values = {"title": title, "text": "\n\n".join(lines), "published": doc.date,
              "source": doc.sitename or doc.hostname, "url": doc.url}
    return {key: printable(str(value)) for key, value in values.items() if value}


@lru_cache(maxsize=1)
def _config():
    """trafilatura's settings, read once: no signal alarms (readers may run in threads)."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config
