"""Near-copies: articles that repeat another with small edits (wire copy, corrections, reposts).

Exact duplicates are rejected while reading. Near-copies are not: an agency
story run by several outlets with a new headline, or a corrected version of
a story, is a different record, but it counts its sentences twice in every
topic and stance aggregate. :func:`near_duplicates` finds them by the
overlap of their word 5-grams (Jaccard similarity of the sets of five-word
shingles, lower-cased): an article whose shingles overlap an earlier
article's by at least :data:`THRESHOLD` is listed with that article. They
are kept in the analysis (whether a republished story should count again
is the researcher's call) and named in a warning and the run's
``near_duplicates`` table.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..schema import NEAR_DUPLICATES

#: Jaccard similarity of the 5-gram sets from which an article counts as a near-copy.
THRESHOLD = 0.7
#: Articles shorter than this many words are never compared (one-line notices share their template).
MIN_WORDS = 25
#: A 5-gram in more than this share of the articles (and more than :data:`MIN_COMMON` of them) is
#: boilerplate (a footer, a byline formula) and is left out of every comparison.
COMMON_SHARE = 0.01
MIN_COMMON = 20
#: Articles with fewer distinctive 5-grams than this (after boilerplate is left out) are not compared.
MIN_SHINGLES = 20
#: Words per shingle.
SHINGLE = 5
#: Rows of the similarity product computed at a time (bounds memory).
_CHUNK = 2000
#: Articles named in the warning.
_NAMED = 3


def near_duplicates(texts: Sequence[str], ids: Sequence[str], threshold: float = THRESHOLD) -> pd.DataFrame:
    """``article_id, duplicate_of, similarity`` for every article that nearly copies an earlier one.

    "Earlier" is the order of ``texts``; each near-copy is listed once, with
    the earlier article it overlaps most (the first such on ties).
    Similarities are rounded to four decimals. Texts of fewer than
    :data:`MIN_WORDS` words are never compared: short notices built on one
    template ("X Cuts Prime Rate To 9.25 Pct") share most of their words.
    5-grams found in more than :data:`COMMON_SHARE` of the articles (and
    more than :data:`MIN_COMMON`) are boilerplate, such as a footer every
    article of an outlet carries, and are left out before comparing; an
    article left with fewer than :data:`MIN_SHINGLES` is not compared. So a
    story repeated in more than 1 % of a large corpus is not found either.
    """
    empty = pd.DataFrame({c: pd.Series(dtype=float if c == "similarity" else object) for c in NEAR_DUPLICATES})
    texts = [str(t) if len(str(t).split()) >= MIN_WORDS else "" for t in texts]
    if sum(1 for t in texts if t) < 2:  # nothing to compare: scikit-learn is not even imported
        return empty
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(analyzer="word", ngram_range=(SHINGLE, SHINGLE), n_features=2**24,
                                   binary=True, norm=None, alternate_sign=False, lowercase=True)
    shingles = _distinctive(vectorizer.transform(texts).tocsr().astype(np.float64))
    sizes = np.asarray(shingles.sum(axis=1)).ravel()
    best = _best_earlier(shingles, sizes, threshold)
    rows = [(str(ids[i]), str(ids[j]), round(float(s), 4)) for i, (j, s) in sorted(best.items())]
    return pd.DataFrame(rows, columns=NEAR_DUPLICATES) if rows else empty


def _distinctive(shingles):
    """The shingle matrix without boilerplate 5-grams, and without rows left with too few to compare."""
    import scipy.sparse as sp

    counts = np.bincount(shingles.indices, minlength=shingles.shape[1])
    cap = max(MIN_COMMON, int(np.ceil(COMMON_SHARE * shingles.shape[0])))
    keep_cols = sp.diags((counts <= cap).astype(np.float64))
    kept = (shingles @ keep_cols).tocsr()
    kept.eliminate_zeros()
    enough = sp.diags((kept.getnnz(axis=1) >= MIN_SHINGLES).astype(np.float64))
    kept = (enough @ kept).tocsr()
    kept.eliminate_zeros()
    return kept


def _best_earlier(shingles, sizes: np.ndarray, threshold: float) -> dict[int, tuple[int, float]]:
    """Row -> (earlier row, Jaccard similarity) of its most similar earlier row at or above ``threshold``."""
    transposed = shingles.T.tocsr()
    best: dict[int, tuple[int, float]] = {}
    for lo in range(0, shingles.shape[0], _CHUNK):
        shared = (shingles[lo:lo + _CHUNK] @ transposed).tocoo()
        rows, cols, counts = shared.row + lo, shared.col, shared.data
        earlier = cols < rows
        rows, cols, counts = rows[earlier], cols[earlier], counts[earlier]
        jaccard = counts / np.maximum(sizes[rows] + sizes[cols] - counts, 1.0)
        for i, j, s in zip(rows[jaccard >= threshold], cols[jaccard >= threshold], jaccard[jaccard >= threshold]):
            if i not in best or s > best[i][1] or (s == best[i][1] and j < best[i][0]):
                best[int(i)] = (int(j), float(s))
    return best


def near_duplicate_note(table: pd.DataFrame, n_articles: int) -> str | None:
    """A warning naming the near-copies, or ``None`` when there are none."""
    if table.empty:
        return None
    named = ", ".join(f"{a} of {b}" for a, b in zip(table["article_id"][:_NAMED], table["duplicate_of"][:_NAMED]))
    return (f"{len(table)} of {n_articles} articles are near-copies of an earlier one (shared word 5-grams, "
            f"Jaccard >= {THRESHOLD}; first: {named}): they are kept, so republished text counts again in "
            "every topic and stance figure; the run's near_duplicates table lists them all")
