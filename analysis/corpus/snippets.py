"""Is the text the whole article? News APIs often give only the first part of it.

NewsAPI's ``content`` field holds the first 200 characters of an article
followed by a marker such as ``… [+4321 chars]``. Reading keeps the text as
it is (what the file holds is what the run analyses), but
:func:`truncation_note` warns when articles end with such a marker, naming
the first of them: topics and stance would be measured on a few opening
sentences.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

#: NewsAPI's marker of a cut text: "[+1234 chars]" at the end.
_MARKER = re.compile(r"\[\+\d+ chars\]\s*$")
#: Article ids named in the note.
NAMED = 3


def truncated(text: str) -> bool:
    """True when ``text`` ends with a news API's marker of a cut text."""
    return bool(_MARKER.search(str(text)[-40:]))


def truncation_note(texts: Sequence[str], ids: Sequence[str]) -> str | None:
    """A warning naming the articles whose text was cut short by a news API, else ``None``."""
    found = [str(i) for t, i in zip(texts, ids) if truncated(t)]
    if not found:
        return None
    return (f"{len(found)} of {len(texts)} articles end with a news API's truncation marker "
            f"('[+N chars]', as NewsAPI's content field; first: {', '.join(found[:NAMED])}): each holds "
            f"only the opening of its article, so topics and stance are measured on a few sentences; "
            f"fetch the full texts (e.g. from their urls) before reading")
