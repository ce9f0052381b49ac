"""Is the corpus English? A check on common English words, so a non-English corpus is never silent.

Everything after reading is English: the embedding model, the stop words of
topic names, sentence splitting, the targets' aliases and the stance model.
A corpus in another language still runs (its topics come from an English
model's vectors and few target names match), so reading it says so instead.

The check counts, among an article's words (runs of letters), those in
:data:`COMMON_ENGLISH`, a short list of English function words. English prose
has about a third of its words there (the 10 articles of the bundled corpus:
32-36 %, counted as docs/input-formats.md shows); a text in another script
has none. Two notes, each given once for the whole corpus:

* :func:`corpus_note`: under :data:`CORPUS_MIN_SHARE` of the words of its
  articles of :data:`MIN_WORDS` words or more are common English words (or,
  in a corpus of shorter texts such as headlines, most letters are not
  Latin): the corpus does not look like English.
* :func:`articles_note`: at least :data:`ARTICLES_MIN_SHARE` of the articles
  with :data:`MIN_WORDS` words or more have under :data:`ARTICLE_MAX_SHARE`
  common English words and mostly letters outside the Latin alphabet (a
  mixed corpus). The script test keeps English tables of figures
  (Reuters' "Shr 12 cts vs 10 cts", under 5 % such words) out of the note;
  an article in another language written in Latin letters is not singled
  out (a whole corpus of them gets the corpus note).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

#: English function words; their share of an article's words tells English prose apart.
COMMON_ENGLISH = frozenset("""
the of and to in a is that for it on with as was by at from be this are has have an not but or
which its his their they he she we will been were had said would there more also than who after
about into can when one all her our if new other some what up out these
""".split())
#: Below this share of common English words over the whole corpus, the corpus is not English.
CORPUS_MIN_SHARE = 0.10
#: Articles shorter than this many words are not judged one by one (headlines, captions).
MIN_WORDS = 40
#: An article of :data:`MIN_WORDS` or more words with a smaller share does not look English.
ARTICLE_MAX_SHARE = 0.05
#: The article note is given when at least this share of the judged articles do not look English.
ARTICLES_MIN_SHARE = 0.05
#: Article ids named in the note.
NAMED = 3
#: At most this many articles are judged (evenly spaced through the corpus), each by its opening
#: :data:`CHARS` characters, so a corpus of any size is checked in well under a second.
MAX_JUDGED = 2000
CHARS = 5000
_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CONSEQUENCE = ("the embedding model, topic names' stop words, sentence splitting, the targets' "
                "aliases and the stance model are English, so topics and stance are not meaningful "
                "for text in another language (README, Limitations)")


def word_counts(text: str) -> tuple[int, int]:
    """(words, common English words) of ``text``'s opening :data:`CHARS` characters; a word is a
    run of letters."""
    words = _WORD.findall(str(text)[:CHARS].lower())
    return len(words), sum(w in COMMON_ENGLISH for w in words)


def corpus_note(texts: Sequence[str]) -> str | None:
    """A warning when the texts together do not look like English, else ``None``.

    Judged on the articles of :data:`MIN_WORDS` words or more (their common
    English words); a corpus of shorter texts (headlines) by its script: most
    of its letters outside the Latin alphabet.
    """
    return _corpus_note(texts, [word_counts(t) for t in texts])


def articles_note(texts: Sequence[str], ids: Sequence[str]) -> str | None:
    """A warning naming articles that do not look like English in a corpus that does, else ``None``."""
    return _articles_note(texts, ids, [word_counts(t) for t in texts])


def language_note(texts: Sequence[str], ids: Sequence[str]) -> str | None:
    """The corpus note if the corpus does not look English, else the article note, else ``None``.

    At most :data:`MAX_JUDGED` articles, evenly spaced, are judged; each is
    counted once for both notes.
    """
    step = max(1, -(-len(texts) // MAX_JUDGED))
    texts, ids = list(texts)[::step], list(ids)[::step]
    counts = [word_counts(t) for t in texts]
    return _corpus_note(texts, counts) or _articles_note(texts, ids, counts)


def _corpus_note(texts: Sequence[str], counts: list[tuple[int, int]]) -> str | None:
    words = sum(n for n, _ in counts if n >= MIN_WORDS)
    if words:
        share = sum(k for n, k in counts if n >= MIN_WORDS) / words
        if share >= CORPUS_MIN_SHARE:
            return None
        measured = f"{100 * share:.1f} % of their words are common English words such as \"the\", " \
                   f"\"of\", \"and\" (English news: about 30 %)"
    else:
        letters = sum(len(_LETTERS.findall(str(t)[:CHARS])) for t in texts)
        share = _latin_share(" ".join(str(t)[:CHARS] for t in texts))
        if letters < MIN_WORDS or share >= 0.5:
            return None
        measured = f"{100 * (1 - share):.0f} % of their letters are not Latin"
    return f"the texts do not look like English: {measured}; {_CONSEQUENCE}"


def _articles_note(texts: Sequence[str], ids: Sequence[str], counts: list[tuple[int, int]]) -> str | None:
    judged = [(t, str(i), k / n) for t, i, (n, k) in zip(texts, ids, counts) if n >= MIN_WORDS]
    foreign = [i for t, i, share in judged if share < ARTICLE_MAX_SHARE and _latin_share(t) < 0.5]
    if not judged or len(foreign) / len(judged) < ARTICLES_MIN_SHARE:
        return None
    return (f"{len(foreign)} of {len(judged)} articles of {MIN_WORDS}+ words do not look like English "
            f"(under {100 * ARTICLE_MAX_SHARE:.0f} % common English words; first: "
            f"{', '.join(foreign[:NAMED])}); {_CONSEQUENCE}")


def _latin_share(text: str) -> float:
    """Share of the letters of ``text``'s opening :data:`CHARS` characters that are Latin (1 without letters)."""
    letters = len(_LETTERS.findall(str(text)[:CHARS]))
    return len(_LATIN.findall(str(text)[:CHARS])) / letters if letters else 1.0
