"""The words topics are described with: a token pattern that keeps names whole, a news stop list,
and the corpus's own boilerplate."""
from __future__ import annotations

import re
from collections import Counter

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

#: Tokens of two or more characters; hyphens and apostrophes inside a word
#: keep it whole ("al-Sharaa", "Russia-Ukraine", "O'Brien"), while a
#: possessive "'s" is not part of the word ("Russia's" gives "Russia").
TOKEN_PATTERN = r"(?u)\b\w(?:\w|-\w|['’](?![sS]\b)\w)+"

#: Filler of news prose that says nothing about what a topic is about:
#: reporting verbs and titles ("said", "told", "Mr"), wire-agency names,
#: words of time and counting ("year", "week", "percent", "million"), and
#: the vague nouns and adverbs of reporting ("people", "according", "also").
#: Adjectives that begin names ("New York", "Great Britain", "Big Tech")
#: are kept. It extends scikit-learn's English stop list; content words (places,
#: institutions, "government", "war") are deliberately not in it.
NEWS_STOP_WORDS = frozenset("""
said says say saying told tell tells telling added adding noted stated asked explained
according reportedly reported reporting quoted quoting claimed claims
mr mrs ms dr
reuters ap afp tass interfax xinhua dpa bloomberg
also would could might must shall just like including despite although though
year years yearly week weeks weekly month months monthly day days daily today yesterday tomorrow
time times ago recent recently currently later earlier meanwhile
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
people thing things way lot lots kind sort number numbers part parts percent per cent
million millions billion billions trillion thousand thousands hundred hundreds
one two three four five six seven eight nine ten
really actually likely possible
make makes made making take takes took taking get gets got getting go goes went going
come comes came coming see sees saw seen use used using want wants wanted know known
""".split())


def stop_words(name: str) -> frozenset[str] | None:
    """The stop list a vectorizer setting names: ``english``, ``english+news`` or ``none``."""
    lists = {"english": frozenset(ENGLISH_STOP_WORDS),
             "english+news": frozenset(ENGLISH_STOP_WORDS) | NEWS_STOP_WORDS,
             "none": None}
    if name not in lists:
        raise ValueError(f"unknown stop list {name!r}; expected one of {sorted(lists)}")
    return lists[name]


#: A word in more than this share of the modelled documents is boilerplate (an outlet's name on
#: every headline) and describes no topic; looked for from :data:`BOILERPLATE_MIN_DOCS` documents.
BOILERPLATE_SHARE = 0.9
BOILERPLATE_MIN_DOCS = 20


def boilerplate_words(docs: list[str]) -> list[str]:
    """Words (lower case, :data:`TOKEN_PATTERN`) in more than :data:`BOILERPLATE_SHARE` of ``docs``.

    They join the stop list of the topic keywords: "bbc" and "news" in 3,898 headlines that all end
    in " - BBC News" said nothing about any topic. Empty below :data:`BOILERPLATE_MIN_DOCS` documents.
    """
    if len(docs) < BOILERPLATE_MIN_DOCS:
        return []
    pattern = re.compile(TOKEN_PATTERN)
    seen = Counter(word for doc in docs for word in {w.lower() for w in pattern.findall(doc)})
    return sorted(w for w, n in seen.items() if n > BOILERPLATE_SHARE * len(docs))
