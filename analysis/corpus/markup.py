"""Does the text carry HTML? Scraped articles often do, and tags would be read as words.

Reading keeps the text as it is (what the file holds is what the run
analyses), but says so: :func:`markup_note` warns when articles contain at
least :data:`MIN_MARKS` HTML tags (``<p>``, ``<div class="...">``, ``<br/>``)
or character entities (``&amp;``, ``&nbsp;``, ``&#8217;``), naming the first
articles and how to clean them before reading.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

#: Tags of article markup (not any ``<word>``: "<i>" alone or "a <b> c" may be text).
_TAG = re.compile(r"</?(?:p|div|span|br|a|img|table|tr|td|th|li|ul|ol|h[1-6]|strong|em|b|i|"
                  r"figure|figcaption|blockquote|script|style|section|article|header|footer|iframe)"
                  r"(?:\s[^<>]*)?/?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
#: An article with at least this many tags and entities carries markup.
MIN_MARKS = 3
#: Article ids named in the note.
NAMED = 3


def marks(text: str) -> int:
    """HTML tags and character entities in ``text``."""
    text = str(text)
    return len(_TAG.findall(text)) + len(_ENTITY.findall(text))


def markup_note(texts: Sequence[str], ids: Sequence[str]) -> str | None:
    """A warning naming the articles whose text carries HTML markup, else ``None``."""
    found = [str(i) for t, i in zip(texts, ids)
             if ("<" in str(t) or "&" in str(t)) and marks(t) >= MIN_MARKS]
    if not found:
        return None
    return (f"{len(found)} of {len(texts)} articles contain HTML markup (tags such as <p> or entities "
            f"such as &amp;; first: {', '.join(found[:NAMED])}): tags and entities are read as words "
            f"and paragraphs are found only at blank lines; extract the text before reading (for "
            f"example with BeautifulSoup's get_text(\"\\n\\n\") and html.unescape); whole saved pages "
            f"can be read as .html files instead, which gives their main text")
