"""How often each target is mentioned in a corpus, before any scoring: a check of the codebook.

A target defined by aliases can miss (a spelling the aliases lack) or
over-match (an exclusion left out). :func:`target_coverage` splits the
articles into sentences and finds the mentions exactly as a run does (no
model is loaded), and says per target how many sentences and articles
mention it and which written forms were matched most often, so the aliases
can be checked before a long run (``analysis check``).
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from analysis.corpus import segment
from analysis.stance.targets import TargetMatcher

#: Columns of :func:`target_coverage`.
COVERAGE = ["target", "sentences", "articles", "forms"]


def target_coverage(articles: pd.DataFrame, targets=None, top: int = 5) -> pd.DataFrame:
    """Per target: mentioning sentences (the rows a run scores), articles, and the ``top`` matched forms.

    ``targets`` as in :class:`~analysis.stance.targets.TargetMatcher` (default:
    Russia and the West). ``forms`` lists ``(text, count)`` pairs of each
    sentence's first mention of the target, most frequent first (case kept,
    ties by text). A target without mentions has a row of zeros.
    """
    matcher = TargetMatcher(targets).fit()
    _, sentences = segment(articles)
    mentions = matcher.transform(sentences)
    rows = []
    for target in (t["name"] for t in matcher.targets_):
        mine = mentions[mentions["target"] == target]
        forms = Counter(mine["mention"])
        rows.append([target, len(mine), mine["article_id"].nunique(),
                     sorted(forms.items(), key=lambda item: (-item[1], item[0]))[:top]])
    return pd.DataFrame(rows, columns=COVERAGE).astype({"sentences": "int64", "articles": "int64"})


def coverage_lines(coverage: pd.DataFrame, n_articles: int) -> list[str]:
    """One line per target, e.g. ``Russia: 157 sentences in 10 of 10 articles (Russia 60, Moscow 31)``."""
    lines = []
    for row in coverage.itertuples(index=False):
        if not row.sentences:
            lines.append(f"target {row.target}: no mentions (check its aliases)")
            continue
        forms = ", ".join(f"{text} {count}" for text, count in row.forms)
        lines.append(f"target {row.target}: {row.sentences} sentences in {row.articles} of {n_articles} "
                     f"articles (most matched: {forms})")
    return lines
