"""Keyphrase labels for topics: short phrases a reader recognises ("Middle Corridor").

Candidates are the 1- to 3-word spans of a document that contain no stop
word, number or punctuation (so a phrase never reaches across a removed word
or a sentence break), with hyphenated and apostrophised names kept whole.
Each topic ranks its candidates the way BERTopic's ``KeyBERTInspired`` ranks
words, but over phrases: a class-based weight (how many of the topic's
documents use the phrase, times the share of all its uses that fall in this
topic, so phrases common to many topics sink) picks a short list, and the
cosine similarity of each phrase's embedding to the topic centroid, times
that weight and a bonus of ``WORD_BONUS`` per word beyond the first (a
phrase of several words that recurs is stronger evidence of a name than a
recurring single word), orders it. A phrase is shown in its most frequent
spelling in the topic's documents. A phrase used in less than
``MIN_LIFT`` times the share of the other documents that use it does not set
the topic apart (an outlet's name in every headline, the country every
article is about) and never names it; and no two topics get the same name:
the larger topic keeps it, the other takes its next best phrase.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np

from .vocabulary import TOKEN_PATTERN

OUTLIER = -1
#: Longest candidate phrase, in words.
MAX_WORDS = 3
#: Phrases per topic, best class-based weight first, compared with the centroid.
N_CANDIDATES = 20
#: Score bonus per word of a phrase beyond the first.
WORD_BONUS = 0.5
#: A name is used in at least this many times the share of the topic's documents as of the others.
MIN_LIFT = 2.0
_PIECES = re.compile(rf"{TOKEN_PATTERN}|[^\w\s]")
_WORD = re.compile(TOKEN_PATTERN)


def phrase_spans(text: str, stop: frozenset[str], max_words: int = MAX_WORDS) -> list[str]:
    """Every 1- to ``max_words``-word span of ``text`` without stop words, numbers or punctuation.

    Spans keep the text's spelling; hyphenated names are one word.
    """
    spans: list[str] = []
    run: list[str] = []
    for piece in [*_PIECES.findall(text), "."]:
        word = _WORD.fullmatch(piece) is not None
        if word and piece.lower() not in stop and not any(ch.isdigit() for ch in piece):
            run.append(piece)
            continue
        for start in range(len(run)):
            for n in range(1, min(max_words, len(run) - start) + 1):
                spans.append(" ".join(run[start:start + n]))
        run = []
    return spans


class PhraseCounts:
    """Per topic: in how many documents each phrase occurs, and its spellings."""

    def __init__(self, docs: list[str], topics: np.ndarray, stop: frozenset[str], max_words: int = MAX_WORDS):
        self.doc_freq: dict[int, Counter] = defaultdict(Counter)
        self.spellings: dict[str, Counter] = defaultdict(Counter)
        self.sizes = Counter(int(t) for t in topics)
        for doc, topic in zip(docs, topics):
            spans = phrase_spans(doc, stop, max_words)
            for span in spans:
                self.spellings[span.lower()][span] += 1
            self.doc_freq[int(topic)].update({span.lower() for span in spans})
        self.total: Counter = Counter()
        for counts in self.doc_freq.values():
            self.total.update(counts)
        self.n_docs = len(docs)

    def distinctive(self, topic: int, phrase: str) -> bool:
        """Used in at least :data:`MIN_LIFT` times the share of the topic's documents as of the others."""
        others = self.n_docs - self.sizes[topic]
        inside = self.doc_freq[topic][phrase]
        return others == 0 or inside / self.sizes[topic] >= MIN_LIFT * (self.total[phrase] - inside) / others

    def weights(self, topic: int) -> dict[str, float]:
        """Class-based weight of the topic's phrases used in at least two of its documents."""
        size = self.sizes[topic]
        need = min(2, size)
        return {p: (df / size) * (df / self.total[p])
                for p, df in self.doc_freq[topic].items() if df >= need}

    def spelling(self, phrase: str) -> str:
        """The most frequent spelling, capitalised when it is all lower case."""
        counts = self.spellings[phrase]
        best = max(sorted(counts), key=lambda s: counts[s]) if counts else phrase
        return best[:1].upper() + best[1:] if best.islower() else best


def keyphrase_labels(docs: list[str], topics: np.ndarray, centroids: dict[int, np.ndarray], embedder,
                     stop: frozenset[str]) -> dict[int, str]:
    """One keyphrase per topic (outliers excluded; topics without candidates are left out).

    ``centroids`` are unit-length topic centroids in the space of
    ``embedder`` (any object whose ``transform`` embeds a list of texts);
    without an embedder the class-based weight alone decides.
    """
    counts = PhraseCounts(docs, np.asarray(topics), stop)
    shortlist = {}
    for topic in sorted(counts.sizes):
        weights = counts.weights(topic) if topic != OUTLIER else {}
        ranked = sorted((p for p in weights if counts.distinctive(topic, p)), key=lambda p: (-weights[p], p))
        if ranked[:N_CANDIDATES]:
            shortlist[topic] = [(p, weights[p]) for p in ranked[:N_CANDIDATES]]
    similarity = _similarities(shortlist, centroids, embedder)
    labels, taken = {}, set()
    for topic in sorted(shortlist, key=lambda t: (-counts.sizes[t], t)):  # the larger topic keeps a name
        ranked = shortlist[topic]
        score = [w * similarity.get((topic, p), 1.0) * (1 + WORD_BONUS * p.count(" ")) for p, w in ranked]
        for i in sorted(range(len(ranked)), key=lambda i: (-score[i], i)):
            if ranked[i][0] not in taken:
                taken.add(ranked[i][0])
                labels[topic] = counts.spelling(ranked[i][0])
                break
    return labels


def _similarities(shortlist: dict[int, list], centroids: dict[int, np.ndarray], embedder) -> dict:
    """Cosine similarity (clipped at 0) of every shortlisted phrase to its topic's centroid."""
    if embedder is None or not shortlist:
        return {}
    phrases = sorted({p for ranked in shortlist.values() for p, _ in ranked})
    vecs = np.asarray(embedder.transform(phrases), dtype=np.float64)
    vecs = vecs / np.linalg.norm(vecs, axis=1, keepdims=True).clip(1e-12)
    row = {p: i for i, p in enumerate(phrases)}
    return {(t, p): max(0.0, float(vecs[row[p]] @ centroids[t]))
            for t, ranked in shortlist.items() for p, _ in ranked}
