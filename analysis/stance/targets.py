"""Find mentions of stance targets (e.g. Russia, the West) in sentences.

A target is a dict ``{"name": str, "aliases": [...], "cased_aliases": [...],
"patterns": [...], "exclude": [...]}`` (all lists optional, but a target needs
at least one alias or pattern):

* ``aliases`` are literal strings. They match case-insensitively, as whole
  words (never inside another word: "Prussia" is not "Russia"), with any run of
  whitespace between the words of a multi-word alias ("European  Union").
  An alias whose letters are all capitals and at most four (``EU``, ``NATO``,
  ``US``, ``U.S.``, ``G7``) is an acronym and matches **only in capitals**, so
  the pronoun "us" is never a mention of the United States.
* ``cased_aliases`` are literal strings whose capitals carry meaning: a word
  written with a capital initial matches only with a capital initial (the
  rest of the word in any case, so headline capitals still match); a word
  written in lower case matches in any case. ``"the West"`` matches "the
  West" and "The West" but not "the west of the country".
* ``patterns`` (optional) are regular expressions used exactly as written
  (case-sensitive unless they say ``(?i)``; add ``(?<!\\w)``/``(?!\\w)``
  yourself if you want word boundaries).
* ``exclude`` are regular expressions (as written) for text that contains an
  alias but is not a mention: places and organisations ("Western China",
  "The Washington Post"), identities, genre words. A candidate that overlaps
  a match of one of them is dropped.

Two rules hold for every target: an alias inside a dateline at the start of
a sentence ("WASHINGTON (Reuters) -", "MOSCOW, March 3 (AP) —") is not a
mention (``exclude_datelines``), and neither is an alias directly prefixed by
one of ``exclude_prefixes`` ("pro-Russian separatists", "anti-Western
rhetoric": such words describe a third party's alignment, not the target).
Possessives need no special handling: the apostrophe ends the word, so
"Russia's" and "Russia’s" yield the mention "Russia". See
:mod:`analysis.default_targets` for the default targets.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from analysis import schema
from analysis.default_targets import DEFAULT_TARGETS

#: Columns of the scorer input built by :func:`build_stance_input`.
STANCE_INPUT = [
    "sentence_id", "paragraph_id", "article_id", "target", "mention", "start",
    "end", "sentence",
]

_ACRONYM_MAX_LETTERS = 4

#: A dateline at the start of a sentence: place names in capitals, an optional
#: date or agency, then a dash ("WASHINGTON (Reuters) -", "MOSCOW, March 3 (AP) —").
DATELINE = re.compile(
    r"^\s*[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+)*"
    r"(?:,\s*[^()\n–—]{1,40}?)?\s*(?:\([^()\n]{1,40}\)\s*)?(?:-|–|—|--)\s")


class Mention(NamedTuple):
    """One occurrence of a target in a text; ``text[start:end] == mention``."""

    target: str
    mention: str
    start: int
    end: int


class TargetMatcher(BaseEstimator):
    """Turn a SENTENCES table into a MENTIONS table.

    Parameters
    ----------
    targets : list of dict, optional
        Target definitions (see the module docstring). ``None`` means
        :data:`~analysis.default_targets.DEFAULT_TARGETS`.
    exclude_prefixes : tuple of str
        Lower-case prefixes that cancel a mention when they directly precede
        it (default ``("pro-", "anti-")``).
    exclude_datelines : bool
        If true (default), aliases inside a dateline at the start of a sentence
        (:data:`DATELINE`) are not mentions.
    count_mentions : bool
        If true, :meth:`transform` appends an ``n_mentions`` column (the number
        of occurrences of the target in the sentence). Off by default so the
        output has exactly ``schema.MENTIONS``.
    with_spans : bool
        If true, :meth:`transform` appends a ``spans`` column: every
        ``[start, end]`` of the target in the sentence (for target masking).

    Attributes
    ----------
    targets_ : list of dict
        Validated copies of the target definitions.
    regexes_ : dict of str to tuple of re.Pattern
        Compiled expressions per target name.
    excludes_ : dict of str to tuple of re.Pattern
        Compiled exclusion expressions per target name.
    """

    def __init__(self, targets=None, exclude_prefixes=("pro-", "anti-"), exclude_datelines=True,
                 count_mentions=False, with_spans=False):
        self.targets = targets
        self.exclude_prefixes = exclude_prefixes
        self.exclude_datelines = exclude_datelines
        self.count_mentions = count_mentions
        self.with_spans = with_spans

    def fit(self, X=None, y=None):
        """Validate the targets and compile their expressions; return ``self``."""
        targets = DEFAULT_TARGETS if self.targets is None else self.targets
        self.targets_ = _validate_targets(targets)
        self.regexes_ = {t["name"]: _compile_target(t) for t in self.targets_}
        self.excludes_ = {t["name"]: _compile_patterns(t, "exclude") for t in self.targets_}
        return self

    def find(self, text: str) -> list[Mention]:
        """Return every non-overlapping mention in ``text``, all targets, by start."""
        check_is_fitted(self, "regexes_")
        found = []
        for order, target in enumerate(self.targets_):
            for start, end in self._spans(target["name"], text):
                found.append((start, order, Mention(target["name"], text[start:end], start, end)))
        return [m for _, _, m in sorted(found, key=lambda f: (f[0], f[1]))]

    def transform(self, sentences: pd.DataFrame) -> pd.DataFrame:
        """Return one MENTIONS row per (sentence, target) with at least one match.

        The row keeps the first occurrence's text and offsets (into the
        sentence text); rows follow the sentence order, then target order.
        """
        check_is_fitted(self, "regexes_")
        schema.check_columns(sentences, ["sentence_id", "article_id", "text"], "sentences")
        rows = []
        for sid, aid, text in zip(sentences["sentence_id"], sentences["article_id"], sentences["text"]):
            if not isinstance(text, str):
                continue
            for target in self.targets_:
                spans = self._spans(target["name"], text)
                if spans:
                    start, end = spans[0]
                    rows.append((sid, aid, target["name"], text[start:end], start, end, len(spans),
                                 [list(span) for span in spans]))
        columns = schema.MENTIONS + ["n_mentions", "spans"]
        out = pd.DataFrame(rows, columns=columns)
        out = out.astype({"start": "int64", "end": "int64", "n_mentions": "int64"})
        extra = (["n_mentions"] if self.count_mentions else []) + (["spans"] if self.with_spans else [])
        return out[schema.MENTIONS + extra]

    def fit_transform(self, X, y=None):
        """Fit (X is not used for fitting) and transform ``X``."""
        return self.fit().transform(X)

    def spans(self, name: str, text: str) -> list[tuple[int, int]]:
        """Every non-overlapping (start, end) span of target ``name`` in ``text``."""
        check_is_fitted(self, "regexes_")
        if name not in self.regexes_:
            raise KeyError(f"unknown target {name!r}; known: {list(self.regexes_)}")
        return self._spans(name, text)

    def _spans(self, name: str, text: str) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) spans of target ``name`` in ``text``."""
        candidates = []
        for regex in self.regexes_[name]:
            for m in regex.finditer(text):
                if m.end() > m.start() and not self._excluded(text, m.start()):
                    candidates.append((m.start(), m.end()))
        if candidates:
            blocked = self._blocked(name, text)
            candidates = [c for c in candidates
                          if not any(c[0] < b_end and b_start < c[1] for b_start, b_end in blocked)]
        candidates.sort(key=lambda span: (span[0], span[0] - span[1]))
        spans, last_end = [], -1
        for start, end in candidates:
            if start >= last_end:
                spans.append((start, end))
                last_end = end
        return spans

    def _blocked(self, name: str, text: str) -> list[tuple[int, int]]:
        """Spans of ``text`` where no mention of ``name`` may be: exclusions and a dateline."""
        blocked = [m.span() for regex in self.excludes_[name] for m in regex.finditer(text)]
        if self.exclude_datelines and (dateline := DATELINE.match(text)):
            blocked.append(dateline.span())
        return blocked

    def _excluded(self, text: str, start: int) -> bool:
        """True if one of the excluded prefixes ends right at ``start``."""
        for prefix in self.exclude_prefixes or ():
            if start >= len(prefix) and text[start - len(prefix):start].lower() == prefix.lower():
                return True
        return False


def _validate_targets(targets) -> list[dict]:
    """Check target dicts and return normalised copies (lists, not tuples)."""
    if isinstance(targets, dict) or not isinstance(targets, Iterable):
        raise TypeError("targets must be a list of dicts with 'name', 'aliases', 'patterns'")
    out, seen = [], set()
    for i, target in enumerate(targets):
        if not isinstance(target, dict):
            raise TypeError(f"target #{i} is {type(target).__name__}, expected dict")
        name = target.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"target #{i} needs a non-empty string 'name'")
        if name in seen:
            raise ValueError(f"target name {name!r} appears twice")
        seen.add(name)
        fields = {field: _strings(target.get(field) or [], name, field)
                  for field in ("aliases", "cased_aliases", "patterns", "exclude")}
        if not (fields["aliases"] or fields["cased_aliases"] or fields["patterns"]):
            raise ValueError(f"target {name!r} has neither aliases nor patterns")
        out.append({"name": name, **fields})
    return out


def _strings(values, name: str, field: str) -> list[str]:
    """Return ``values`` as a list of non-empty strings or raise ``ValueError``."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(f"target {name!r}: {field} must be a list of strings")
    values = list(values)
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise ValueError(f"target {name!r}: {field} must be non-empty strings")
    return values


def is_acronym(alias: str) -> bool:
    """True if ``alias`` has 1-4 letters, all capitals (``EU``, ``U.S.``, ``G7``)."""
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= _ACRONYM_MAX_LETTERS and all(c.isupper() for c in letters)


def _alias_regex(aliases: list[str], flags: int) -> re.Pattern | None:
    """One whole-word alternation of ``aliases``, longest first."""
    if not aliases:
        return None
    bodies = [r"\s+".join(re.escape(w) for w in a.split()) for a in aliases]
    bodies.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)", flags)


def _cased_word(word: str) -> str:
    """A word of a cased alias: a capital initial stays a capital, the rest matches any case."""
    if word[:1].isupper():
        return re.escape(word[0]) + (f"(?i:{re.escape(word[1:])})" if word[1:] else "")
    return f"(?i:{re.escape(word)})"


def _cased_regex(aliases: list[str]) -> re.Pattern | None:
    """One whole-word alternation of case-aware ``aliases``, longest first."""
    if not aliases:
        return None
    bodies = sorted((r"\s+".join(_cased_word(w) for w in a.split()) for a in aliases),
                    key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)")


def _compile_patterns(target: dict, field: str) -> tuple[re.Pattern, ...]:
    """Compile the regular expressions of ``target[field]`` (``patterns`` or ``exclude``)."""
    compiled = []
    for pattern in target[field]:
        try:
            compiled.append(re.compile(pattern))
        except re.error as err:
            raise ValueError(f"target {target['name']!r}: bad {field} pattern {pattern!r}: {err}") from err
    return tuple(compiled)


def _compile_target(target: dict) -> tuple[re.Pattern, ...]:
    """Compile a target's aliases (three case modes) and patterns."""
    acronyms = [a for a in target["aliases"] if is_acronym(a)]
    words = [a for a in target["aliases"] if not is_acronym(a)]
    regexes = [_alias_regex(words, re.IGNORECASE), _alias_regex(acronyms, 0),
               _cased_regex(target["cased_aliases"]), *_compile_patterns(target, "patterns")]
    return tuple(r for r in regexes if r is not None)


def mask_targets(sentence: str, mentions, placeholder: str = "<TARGET>") -> str:
    """Replace mention spans in ``sentence`` by ``placeholder``.

    ``mentions`` is a DataFrame with ``start``/``end`` columns, or an iterable
    of objects with ``start``/``end`` attributes (e.g. :class:`Mention`, as
    returned by :meth:`TargetMatcher.find`) or of ``(start, end)`` pairs.
    Overlapping spans are merged. To mask every occurrence, pass
    ``matcher.find(sentence)``; a MENTIONS row holds only the first one.
    """
    spans = sorted(_as_spans(mentions))
    merged: list[list[int]] = []
    for start, end in spans:
        if not 0 <= start <= end <= len(sentence):
            raise ValueError(f"span ({start}, {end}) is outside a sentence of length {len(sentence)}")
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        sentence = sentence[:start] + placeholder + sentence[end:]
    return sentence


def _as_spans(mentions) -> list[tuple[int, int]]:
    """Read (start, end) pairs from the accepted ``mentions`` forms."""
    if isinstance(mentions, pd.DataFrame):
        return [(int(s), int(e)) for s, e in zip(mentions["start"], mentions["end"])]
    spans = []
    for m in mentions:
        if hasattr(m, "start") and hasattr(m, "end") and not callable(m.start):
            spans.append((int(m.start), int(m.end)))
        else:
            start, end = m
            spans.append((int(start), int(end)))
    return spans


def build_stance_input(sentences: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Join MENTIONS with SENTENCES into the scorer input (:data:`STANCE_INPUT`).

    The sentence text comes in as ``sentence``; mention offsets stay relative
    to it. Mentions whose sentence is missing are dropped. A ``spans`` column
    of the mentions (``TargetMatcher(with_spans=True)``) is kept.
    """
    schema.check_columns(sentences, ["sentence_id", "paragraph_id", "text"], "sentences")
    schema.check_columns(mentions, schema.MENTIONS, "mentions")
    extra = ["spans"] if "spans" in mentions.columns else []
    text = sentences[["sentence_id", "paragraph_id", "text"]].rename(columns={"text": "sentence"})
    out = mentions[schema.MENTIONS + extra].merge(text, on="sentence_id", how="inner",
                                                  validate="many_to_one")
    return out[STANCE_INPUT + extra].reset_index(drop=True)
