"""How stable are the topics? Refit under several seeds and compare.

Every run fits the same documents and vectors with a different seed (only
UMAP and the representation sampling depend on it). Runs are compared by the
pairwise adjusted Rand index of their assignments; each topic of the first
run is matched in every other run to the topic sharing most of its documents
(Jaccard overlap of the member sets), and it *recurs* there when that overlap
reaches ``min_overlap``. The consensus keeps only topics that recur in at
least ``min_recurrence`` of the other runs; the documents of the others
become outliers.

In a pipeline run (``topics.stability_seeds`` >= 2), :func:`stability_tables`
reuses the run's own fitted model as the first run, so the topic numbers of
``topic_stability`` are those of the run's ``topics`` table.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from .. import schema
from ..config import TopicsConfig
from .modeler import OUTLIER, TopicModeler

RUN_COLUMNS = ["seed", "n_topics", "outlier_share", "outlier_share_before"]
PAIR_COLUMNS = schema.TOPIC_STABILITY_PAIRS
TOPIC_COLUMNS = schema.TOPIC_STABILITY


@dataclass
class StabilityResult:
    """Per-run summary, pairwise agreement, per-topic recurrence and consensus assignments."""

    runs: pd.DataFrame
    pairs: pd.DataFrame
    topics: pd.DataFrame
    consensus: np.ndarray

    @property
    def mean_ari(self) -> float:
        """Mean pairwise ARI over all pairs of runs."""
        return float(self.pairs["ari"].mean()) if len(self.pairs) else float("nan")


def best_matches(reference: np.ndarray, other: np.ndarray) -> dict[int, tuple[int, float]]:
    """For each non-outlier topic of ``reference``: (best topic in ``other``, Jaccard overlap)."""
    out = {}
    other_sets = {t: set(np.flatnonzero(other == t)) for t in set(other.tolist()) if t != OUTLIER}
    for topic in sorted(set(reference.tolist()) - {OUTLIER}):
        members = set(np.flatnonzero(reference == topic))
        best, score = OUTLIER, 0.0
        for cand, cand_members in sorted(other_sets.items()):
            jac = len(members & cand_members) / len(members | cand_members)
            if jac > score:
                best, score = cand, jac
        out[int(topic)] = (int(best), float(score))
    return out


def _keyword_overlap(a: list[str], b: list[str]) -> float:
    return len(set(a) & set(b)) / len(set(a) | set(b)) if (a or b) else 0.0


def compare_runs(fits: list[TopicModeler], seeds: list[int], min_overlap: float = 0.5,
                 min_recurrence: float = 0.5) -> StabilityResult:
    """Compare fitted models of the same documents (the first one is the reference)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    runs = pd.DataFrame([{"seed": s, "n_topics": len(set(f.topics_.tolist()) - {OUTLIER}),
                          "outlier_share": f.outlier_share_after_,
                          "outlier_share_before": f.outlier_share_before_} for s, f in zip(seeds, fits)],
                        columns=RUN_COLUMNS)
    pairs = pd.DataFrame([{"seed_a": seeds[i], "seed_b": seeds[j],
                           "ari": adjusted_rand_score(fits[i].topics_, fits[j].topics_),
                           "nmi": normalized_mutual_info_score(fits[i].topics_, fits[j].topics_)}
                          for i, j in combinations(range(len(fits)), 2)], columns=PAIR_COLUMNS)
    ref = fits[0]
    matches = [best_matches(ref.topics_, f.topics_) for f in fits[1:]]
    rows = []
    for topic in sorted(set(ref.topics_.tolist()) - {OUTLIER}):
        overlaps = [m[topic][1] for m in matches]
        kw = [_keyword_overlap(ref.keywords(topic), f.keywords(m[topic][0]) if m[topic][0] != OUTLIER else [])
              for f, m in zip(fits[1:], matches)]
        recurrence = float(np.mean([o >= min_overlap for o in overlaps])) if overlaps else 1.0
        rows.append({"topic": topic, "name": ref.names_[topic], "size": int((ref.topics_ == topic).sum()),
                     "recurrence": recurrence, "mean_overlap": float(np.mean(overlaps)) if overlaps else 1.0,
                     "mean_keyword_overlap": float(np.mean(kw)) if kw else 1.0,
                     "kept": recurrence >= min_recurrence})
    topics = pd.DataFrame(rows, columns=TOPIC_COLUMNS)
    kept = set(topics.loc[topics["kept"], "topic"])
    consensus = np.where(np.isin(ref.topics_, list(kept)), ref.topics_, OUTLIER)
    return StabilityResult(runs, pairs, topics, consensus)


def topic_stability(docs: list[str], embeddings: np.ndarray, config: TopicsConfig | None = None,
                    embedder=None, seeds: tuple[int, ...] = (42, 43, 44, 45, 46), *,
                    cache_dir: str | None = None, min_overlap: float = 0.5,
                    min_recurrence: float = 0.5, groups: list | None = None) -> StabilityResult:
    """Fit the topic model once per seed on the same vectors and compare the runs.

    ``groups`` (each document's article id; ``None`` when documents are
    articles) is passed to every fit, where ``n_topics = 'auto'`` chooses k.
    """
    if len(seeds) < 2:
        raise ValueError("stability needs at least two seeds")
    fits = [TopicModeler(config, embedder, seed, cache_dir).fit(docs, embeddings, groups) for seed in seeds]
    return compare_runs(fits, list(seeds), min_overlap, min_recurrence)


def stability_seeds(seed: int, n: int) -> tuple[int, ...]:
    """The ``n`` seeds of a stability check: ``seed``, ``seed + 1``, ... (the first is the run's own)."""
    return tuple(int(seed) + i for i in range(n))


def stability_tables(fitted, config: TopicsConfig, embedder=None, seed: int = 42,
                     cache_dir: str | None = None) -> dict[str, pd.DataFrame]:
    """``topic_stability`` and ``topic_stability_pairs`` of a run (empty when ``stability_seeds`` < 2).

    ``fitted`` is the run's :class:`~analysis.topics.stage.FittedUnits` (the
    fitted sample with ``topics.fit_sample``): its model is the first run, and
    the other seeds refit on its documents and vectors, so no document is
    embedded again and UMAP reductions come from the cache when present.
    """
    seeds = stability_seeds(seed, config.stability_seeds)
    if len(seeds) < 2:
        return {"topic_stability": pd.DataFrame(columns=TOPIC_COLUMNS),
                "topic_stability_pairs": pd.DataFrame(columns=PAIR_COLUMNS)}
    groups = getattr(fitted, "groups", None)
    refits = [TopicModeler(config, embedder, s, cache_dir).fit(fitted.docs, fitted.vectors, groups)
              for s in seeds[1:]]
    result = compare_runs([fitted.modeler, *refits], list(seeds))
    return {"topic_stability": result.topics, "topic_stability_pairs": result.pairs}
