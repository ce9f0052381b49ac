"""Lexicon resources and tokenisation for the lexicon stance scorer.

Everything here reads files shipped inside installed packages (offline): the
VADER lexicon from the ``vaderSentiment`` package and the hand-written
news-domain stance lexicon in ``analysis/stance/resources``. Files are read on
first use (never at import time) and cached.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple

#: VADER's valences lie in [-4, 4]; we rescale to [-1, 1].
VADER_SCALE = 4.0

#: Words that negate a following cue. VADER's list, plus a few spellings of
#: our own; ``n't`` contractions are caught by their suffix.
EXTRA_NEGATORS = frozenset({"no", "neither", "nor", "never", "not", "without"})

DOMAIN_LEXICON_FILE = "news_stance_lexicon.txt"
POSITIONS = ("any", "before", "after")

_TOKEN = re.compile(r"\w+(?:['’]\w+)*")


class Token(NamedTuple):
    """A lower-cased word token and its character span in the sentence."""

    text: str
    start: int
    end: int


class DomainCue(NamedTuple):
    """A domain-lexicon entry: score in [-1, 1] and where the target must be."""

    score: float
    position: str


def tokenize(sentence: str) -> list[Token]:
    """Split ``sentence`` into lower-cased word tokens (curly apostrophes made straight)."""
    return [
        Token(m.group().lower().replace("’", "'"), m.start(), m.end())
        for m in _TOKEN.finditer(sentence)
    ]


def is_negator(word: str, negators: frozenset[str]) -> bool:
    """True for a negation word or an ``n't`` contraction (``didn't``)."""
    return word in negators or word.endswith("n't")


@lru_cache(maxsize=1)
def load_vader_lexicon() -> Mapping[str, float]:
    """Return VADER's word valences rescaled to [-1, 1], read from the package."""
    path = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    lexicon = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split("\t")
        if len(parts) >= 2:
            lexicon[parts[0].lower()] = float(parts[1]) / VADER_SCALE
    return MappingProxyType(lexicon)


@lru_cache(maxsize=1)
def load_negators() -> frozenset[str]:
    """Return VADER's negation words plus :data:`EXTRA_NEGATORS`."""
    from vaderSentiment.vaderSentiment import NEGATE  # small module of constants

    return frozenset(w.lower() for w in NEGATE) | EXTRA_NEGATORS


def vader_negation_scalar() -> float:
    """Return VADER's empirical negation multiplier (``N_SCALAR``, -0.74)."""
    from vaderSentiment.vaderSentiment import N_SCALAR

    return float(N_SCALAR)


def load_domain_lexicon(path: str | None = None) -> Mapping[tuple[str, ...], DomainCue]:
    """Parse the news-domain stance lexicon (TSV) into ``{token tuple: cue}``.

    ``path`` defaults to the file shipped in ``analysis/stance/resources``
    (read once and cached); a user file is re-read on every call. Malformed
    lines raise ``ValueError`` naming the line number.
    """
    if path is None:
        return _shipped_domain_lexicon()
    with open(path, encoding="utf-8") as handle:
        return MappingProxyType(parse_domain_lexicon(handle.read()))


@lru_cache(maxsize=1)
def _shipped_domain_lexicon() -> Mapping[tuple[str, ...], DomainCue]:
    """The shipped domain lexicon, read-only."""
    text = resources.files("analysis.stance").joinpath(
        "resources", DOMAIN_LEXICON_FILE).read_text(encoding="utf-8")
    return MappingProxyType(parse_domain_lexicon(text))


def parse_domain_lexicon(text: str) -> dict[tuple[str, ...], DomainCue]:
    """Parse lexicon text: header ``phrase score position [note]``, '#' comments."""
    cues: dict[tuple[str, ...], DomainCue] = {}
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.rstrip("\n").split("\t")
        if not header_seen:
            if fields[:3] != ["phrase", "score", "position"]:
                raise ValueError(f"lexicon line {number}: expected header 'phrase\\tscore\\tposition'")
            header_seen = True
            continue
        if len(fields) < 3:
            raise ValueError(f"lexicon line {number}: expected 3+ tab-separated fields: {line!r}")
        words = tuple(t.text for t in tokenize(fields[0]))
        score, position = float(fields[1]), fields[2].strip()
        if not words or not -1.0 <= score <= 1.0 or position not in POSITIONS:
            raise ValueError(f"lexicon line {number}: bad entry {line!r}")
        cues[words] = DomainCue(score, position)
    return cues
