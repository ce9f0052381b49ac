"""Target-aware lexicon stance scorer, registered as ``"stance.lexicon.v1"``.

How a (sentence, target mention) pair is scored:

1. The sentence is split into lower-case word tokens; the tokens overlapping
   the mention are the anchor and are never cues themselves.
2. Cues are read left to right: first the longest phrase of the news-domain
   stance lexicon (``resources/news_stance_lexicon.txt``), else a word of
   VADER's lexicon (valence / 4, so in [-1, 1]). Negation words never count
   as cues. A domain entry overrides VADER for its words; entries scored 0
   neutralise event words ("war", "crisis", "killed") whose general
   sentiment is not stance. Domain entries with position ``after``/``before``
   count only when the mention follows/precedes them ("sanctions against
   <Russia>" hurts Russia, not whoever imposes them).
3. A cue ``d`` tokens from the anchor (1 = adjacent) counts only if
   ``d <= window``, with weight ``(window + 1 - d) / window`` (linear decay).
4. Negation: if a negator ("not", "never", "without", "n't" contractions, ...
   VADER's list) occurs within ``negation_scope`` tokens before a cue, the
   cue's valence is multiplied by VADER's ``N_SCALAR`` (-0.74), i.e. flipped
   and damped.
5. The weighted sum ``s`` is squashed to ``score = s / sqrt(s**2 + 1)`` in
   (-1, 1). ``label`` is favor if ``score > neutral_band``, against if
   ``score < -neutral_band``, else neutral.
6. ``p_favor, p_against, p_neutral = softmax(T*score, -T*score,
   T*neutral_band)`` with ``T = temperature``; the arg-max always equals the
   label, and ``confidence`` is the probability of the label. These are a
   monotone reshaping of the score, **not calibrated probabilities**.

Known limitations: the only syntax is proximity and cue position, so a
sentence about two targets ("the West condemned Russia's aggression") lends
"aggression" to both; only the first mention of a target in the sentence
anchors the window; no booster/"but" rules; sarcasm and reported speech are
not recognised. The scorer is deterministic.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from analysis import schema
from analysis.stance import lexicon_data
from analysis.stance.registry import register
from analysis.stance.targets import STANCE_INPUT

#: ``score = s / sqrt(s**2 + SQUASH_ALPHA)``: one adjacent cue of valence 0.6
#: gives a score of about 0.51.
SQUASH_ALPHA = 1.0


class Cue(NamedTuple):
    """One lexicon hit and its contribution to a mention's score."""

    cue: str
    source: str  # "domain" or "vader"
    first: int  # first token index
    last: int  # last token index
    distance: int
    weight: float
    valence: float  # after negation
    negated: bool
    counted: bool  # False when the domain position does not fit
    contribution: float


@register("stance.lexicon.v1")
class LexiconStanceScorer(BaseEstimator):
    """Score the stance of a sentence toward a mentioned target with lexicons.

    Parameters
    ----------
    window : int
        Cues at most this many tokens from the mention count (default 8).
    neutral_band : float
        Scores within ``[-neutral_band, neutral_band]`` are neutral (default 0.1).
    negation_scope : int
        A negator up to this many tokens before a cue flips it (default 3, as VADER).
    temperature : float
        Sharpness of the score-to-probability mapping (default 4.0).
    lexicon_path : str or None
        A domain lexicon file in the shipped format; ``None`` uses the shipped one.

    Attributes
    ----------
    vader_, domain_ : read-only mappings
        The loaded VADER (word -> valence / 4) and domain (token tuple -> cue) lexicons.
    negators_ : frozenset
        Negation words. ``negation_scalar_`` is VADER's -0.74 and
        ``max_phrase_len_`` the longest domain phrase in tokens.
    """

    def __init__(self, window=8, neutral_band=0.1, negation_scope=3, temperature=4.0,
                 lexicon_path=None):
        self.window = window
        self.neutral_band = neutral_band
        self.negation_scope = negation_scope
        self.temperature = temperature
        self.lexicon_path = lexicon_path

    def fit(self, X=None, y=None):
        """Validate parameters and load the lexicons (offline); return ``self``."""
        if not (isinstance(self.window, (int, np.integer)) and self.window >= 1):
            raise ValueError(f"window must be an integer >= 1, got {self.window!r}")
        if not 0.0 <= float(self.neutral_band) < 1.0:
            raise ValueError(f"neutral_band must be in [0, 1), got {self.neutral_band!r}")
        if not (isinstance(self.negation_scope, (int, np.integer)) and self.negation_scope >= 0):
            raise ValueError(f"negation_scope must be an integer >= 0, got {self.negation_scope!r}")
        if not float(self.temperature) > 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature!r}")
        self.vader_ = lexicon_data.load_vader_lexicon()
        self.domain_ = lexicon_data.load_domain_lexicon(self.lexicon_path)
        self.negators_ = lexicon_data.load_negators()
        self.negation_scalar_ = lexicon_data.vader_negation_scalar()
        self.max_phrase_len_ = max((len(k) for k in self.domain_), default=1)
        return self

    def predict_frame(self, X: pd.DataFrame) -> pd.DataFrame:
        """Score each row of a stance-input table; return a ``schema.STANCE`` table."""
        check_is_fitted(self, "vader_")
        schema.check_columns(X, STANCE_INPUT, "stance input")
        token_cache: dict[str, list] = {}
        scores = np.empty(len(X), dtype=float)
        for i, (sentence, start, end) in enumerate(zip(X["sentence"], X["start"], X["end"])):
            sentence = sentence if isinstance(sentence, str) else ""
            if sentence not in token_cache:
                token_cache[sentence] = lexicon_data.tokenize(sentence)
            cues = self._cues(token_cache[sentence], int(start), int(end))
            scores[i] = _squash(sum(c.contribution for c in cues))
        return self._frame(X, scores)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Return the stance labels of :meth:`predict_frame` as an array."""
        return self.predict_frame(X)["label"].to_numpy()

    def explain(self, sentence: str, start: int, end: int) -> pd.DataFrame:
        """Return the cues behind the score of the mention ``sentence[start:end]``."""
        check_is_fitted(self, "vader_")
        cues = self._cues(lexicon_data.tokenize(sentence), start, end)
        return pd.DataFrame(cues, columns=list(Cue._fields))

    def _frame(self, X: pd.DataFrame, scores: np.ndarray) -> pd.DataFrame:
        """Assemble the STANCE table from input rows and scores."""
        probs = score_probabilities(scores, float(self.neutral_band), float(self.temperature))
        labels = score_labels(scores, float(self.neutral_band))
        label_index = pd.Series(labels).map({"favor": 0, "against": 1, "neutral": 2}).to_numpy()
        out = pd.DataFrame({
            "sentence_id": X["sentence_id"].to_numpy(),
            "paragraph_id": X["paragraph_id"].to_numpy(),
            "article_id": X["article_id"].to_numpy(),
            "target": X["target"].to_numpy(),
            "mention": X["mention"].to_numpy(),
            "label": labels,
            "score": scores,
            "confidence": probs[np.arange(len(scores)), label_index] if len(scores) else [],
            "p_favor": probs[:, 0], "p_against": probs[:, 1], "p_neutral": probs[:, 2],
            "sentence": X["sentence"].to_numpy(),
        })
        return out[schema.STANCE]

    def _cues(self, tokens: list, start: int, end: int) -> list[Cue]:
        """Find and weigh the cues around the mention span [start, end)."""
        lo = sum(1 for t in tokens if t.end <= start)  # first token at/after the mention
        hi = sum(1 for t in tokens if t.start < end) - 1  # last token before its end
        cues, i = [], 0
        while i < len(tokens):
            if lo <= i <= hi:
                i += 1
                continue
            hit = self._match(tokens, i, lo, hi)
            if hit is None:
                i += 1
                continue
            n_tokens, source, valence, position = hit
            first, last = i, i + n_tokens - 1
            distance = lo - last if last < lo else first - hi
            if distance <= self.window:
                cues.append(self._weigh(tokens, first, last, distance, source, valence,
                                        _position_fits(position, last < lo)))
            i = last + 1
        return cues

    def _match(self, tokens: list, i: int, lo: int, hi: int):
        """Longest domain phrase, else VADER word, starting at token ``i``."""
        for n in range(min(self.max_phrase_len_, len(tokens) - i), 0, -1):
            if i <= hi and i + n - 1 >= lo:
                continue  # a phrase may not swallow the mention
            key = tuple(t.text for t in tokens[i:i + n])
            if key in self.domain_:
                cue = self.domain_[key]
                return n, "domain", cue.score, cue.position
        word = tokens[i].text
        if word in self.vader_ and not lexicon_data.is_negator(word, self.negators_):
            return 1, "vader", self.vader_[word], "any"
        return None

    def _weigh(self, tokens, first, last, distance, source, valence, counted) -> Cue:
        """Apply distance weight, negation and position gate to one cue."""
        scope = tokens[max(0, first - self.negation_scope):first]
        negated = any(lexicon_data.is_negator(t.text, self.negators_) for t in scope)
        if negated:
            valence *= self.negation_scalar_
        weight = (self.window + 1 - distance) / self.window
        text = " ".join(t.text for t in tokens[first:last + 1])
        contribution = weight * valence if counted else 0.0
        return Cue(text, source, first, last, distance, weight, valence, negated, counted,
                   contribution)


def _position_fits(position: str, cue_before_mention: bool) -> bool:
    """True if a cue with ``position`` counts given where the mention is."""
    if position == "after":
        return cue_before_mention
    if position == "before":
        return not cue_before_mention
    return True


def _squash(total: float) -> float:
    """Map a weighted cue sum into (-1, 1), VADER-style."""
    return total / math.sqrt(total * total + SQUASH_ALPHA)


def score_labels(scores, neutral_band: float) -> np.ndarray:
    """favor if score > band, against if score < -band, else neutral."""
    scores = np.asarray(scores, dtype=float)
    return np.where(scores > neutral_band, "favor",
                    np.where(scores < -neutral_band, "against", "neutral")).astype(object)


def score_probabilities(scores, neutral_band: float, temperature: float) -> np.ndarray:
    """Softmax of ``(T*s, -T*s, T*band)``: columns favor, against, neutral (uncalibrated)."""
    scores = np.asarray(scores, dtype=float).reshape(-1)
    logits = temperature * np.column_stack(
        [scores, -scores, np.full_like(scores, neutral_band)])
    logits -= logits.max(axis=1, keepdims=True) if len(scores) else 0.0
    expo = np.exp(logits)
    return expo / expo.sum(axis=1, keepdims=True)
