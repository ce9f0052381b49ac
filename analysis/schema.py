"""Column contracts of the tables that flow between stages.

Every stage takes and returns pandas DataFrames with exactly these columns
(extra columns are allowed only where stated). The README documents them for
users; tests check them through :func:`check_columns`.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: One row per accepted article. ``text`` is the body (paragraphs joined by a
#: blank line); ``title`` is kept apart. ``tags`` is a list of strings.
#: ``published`` is a timezone-naive ``datetime64[ns]`` (NaT when unknown).
#: ``origin`` names the file and line/record the article came from.
ARTICLES = [
    "article_id", "title", "text", "source", "published", "url", "tags",
    "language", "origin",
]

#: One row per rejected input record: nothing is silently lost.
#: ``file`` and ``position`` (e.g. "line 7", "row 3", "record 2") locate it.
REJECTS = ["file", "position", "reason", "raw"]

#: One row per paragraph. ``start``/``end`` are character offsets into the
#: article's ``text``; ``paragraph_id`` is ``"<article_id>:p<position>"``.
PARAGRAPHS = ["paragraph_id", "article_id", "position", "start", "end", "text"]

#: One row per sentence. Offsets are into the article's ``text``;
#: ``sentence_id`` is ``"<paragraph_id>:s<position>"``.
SENTENCES = [
    "sentence_id", "paragraph_id", "article_id", "position", "start", "end",
    "text",
]

#: Topic assignment of each paragraph (topic -1 is "outlier").
PARAGRAPH_TOPICS = ["paragraph_id", "article_id", "topic", "probability"]

#: One row per topic: ``name`` is short and human readable, ``keywords`` a
#: list of the top words, ``representative`` a list of paragraph ids.
TOPICS = ["topic", "name", "keywords", "size", "share", "representative"]

#: Share of each article's paragraphs (by characters) in each topic.
ARTICLE_TOPICS = ["article_id", "topic", "share"]

#: Per-topic quality: NPMI coherence of the top words on this corpus's own
#: documents (-1 = never together, 0 = independent, 1 = always together),
#: the words scored and how many of their pairs never co-occur.
TOPIC_QUALITY = ["topic", "name", "size", "share", "npmi", "n_words", "n_pairs_unseen"]

#: Corpus-level topic figures, one per row: n_documents, n_topics,
#: outlier_share (after reduction), outlier_share_before_reduction, size_min,
#: size_median, size_max, largest_topic_share, size_entropy, npmi_mean,
#: diversity, and with reference labels nmi, ari, v_measure, n_labelled, n_labels.
TOPIC_EVALUATION = ["metric", "value"]

#: Units (paragraphs, or articles) per period and topic for dated articles;
#: ``period`` is the period start, ``share`` the topic's share of the period.
TOPICS_OVER_TIME = ["period", "topic", "name", "count", "n_articles", "share"]

#: Units per outlet (field "source") or tag (field "tag") and topic;
#: ``share`` is the topic's share of that group's units.
TOPICS_BY_SOURCE = ["field", "group", "topic", "name", "count", "n_articles", "share"]

#: The topic merge tree: ``left`` and ``right`` (topic ids, or earlier parents)
#: join into ``parent`` at ``distance``; ``topics`` lists the leaf topics.
TOPIC_HIERARCHY = ["parent", "parent_name", "left", "right", "distance", "topics"]

#: Stability of the run's topics (``topics.stability_seeds`` >= 2): the model
#: is refitted on the same units and vectors under the seeds seed, seed+1, ...;
#: per topic of the run (the first seed), the share of the other fits in which
#: a topic with Jaccard document overlap >= 0.5 exists (``recurrence``), the
#: mean best overlap and keyword overlap, and whether it recurs in at least half
#: of them (``kept``). Empty when stability is off.
TOPIC_STABILITY = ["topic", "name", "size", "recurrence", "mean_overlap", "mean_keyword_overlap", "kept"]

#: Pairwise agreement of the stability fits: adjusted Rand index and NMI of
#: the assignments of every pair of seeds. Empty when stability is off.
TOPIC_STABILITY_PAIRS = ["seed_a", "seed_b", "ari", "nmi"]

#: One row per (sentence, target) mention: offsets are into the sentence.
MENTIONS = ["sentence_id", "article_id", "target", "mention", "start", "end"]

#: A scored mention: label in {favor, against, neutral}, score in [-1, 1],
#: confidence in [0, 1], and the sentence itself as evidence.
STANCE = [
    "sentence_id", "paragraph_id", "article_id", "target", "mention",
    "label", "score", "confidence", "p_favor", "p_against", "p_neutral",
    "sentence",
]

#: Aggregated stance for a grouping (e.g. article x target, topic x target).
#: The grouping keys come first, then these columns. ``share_*`` are raw shares
#: of the predicted labels; ``share_*_corrected`` (with ``_low``/``_high``)
#: are corrected for the classifier's validation confusion matrix (NaN without
#: one); ``small_group`` marks groups with fewer than ``stance.min_articles``
#: resampled units (articles; sentences in the per-article table).
STANCE_AGGREGATE = [
    "target", "n_sentences", "n_articles", "mean_score", "ci_low", "ci_high",
    "share_favor", "share_against", "share_neutral",
    "share_favor_corrected", "share_favor_corrected_low", "share_favor_corrected_high",
    "share_against_corrected", "share_against_corrected_low", "share_against_corrected_high",
    "share_neutral_corrected", "share_neutral_corrected_low", "share_neutral_corrected_high",
    "small_group",
]

#: Top evidence sentences kept per group: ``level`` is "article" or "topic",
#: ``key`` the article id or topic number (as text), ``label`` the direction
#: (favor or against), ``rank`` 1 = most confident.
EVIDENCE = [
    "level", "key", "target", "label", "rank", "sentence_id", "article_id",
    "sentence", "score", "confidence",
]

#: Stance by outlet and by time window: ``stance_by_source`` has ``source``
#: then :data:`STANCE_AGGREGATE`; ``stance_by_time`` has ``period`` (the
#: article's published date in ``stance.time_window`` steps, e.g. "2024-03")
#: then :data:`STANCE_AGGREGATE`. Only sentences whose article has a source /
#: a date count; the tables are empty when no article has one.
#: ``stance_by_source`` adds the outlet's sentence count and the target's
#: mentions per 1,000 of them; ``stance_by_target`` is the corpus-level row.
STANCE_BY_SOURCE = ["source"] + STANCE_AGGREGATE + ["n_source_sentences", "mentions_per_1000"]
STANCE_BY_TARGET = STANCE_AGGREGATE
STANCE_BY_TIME = ["period"] + STANCE_AGGREGATE
#: Accepted articles that nearly copy an earlier one (word 5-gram Jaccard at or
#: above ``analysis.corpus.neardup.THRESHOLD``), with that article and the similarity.
NEAR_DUPLICATES = ["article_id", "duplicate_of", "similarity"]
#: Differences of mean stance between outlets (``by`` = "source"), per target
#: and pair: A minus B with a bootstrap interval over each outlet's articles
#: (:mod:`analysis.stance.contrast`); empty with fewer than two outlets.
STANCE_CONTRASTS = ["target", "by", "group_a", "group_b", "n_articles_a", "n_articles_b", "mean_a",
                    "mean_b", "difference", "ci_low", "ci_high", "excludes_zero", "small_group"]

#: The stance scorer's quality measured on the held-out (test) split of its
#: annotated data when the model was built (stored in the model directory).
#: ``label`` runs over favor, against, neutral, macro, f_avg (mean F1 of favor
#: and against) and accuracy (its value in ``f1``); ``f1_low``/``f1_high`` are
#: 95% bootstrap intervals. Rows of the learned scorer come first, then those
#: of the lexicon baseline on the same items.
STANCE_VALIDATION = ["scorer", "model", "split", "label", "precision", "recall", "f1",
                     "support", "f1_low", "f1_high"]
#: Confusion counts on the same split: gold label x predicted label.
STANCE_CONFUSION = ["gold", "predicted", "count"]
#: Reliability of the calibrated probabilities on the same split: equal-width
#: bins of the predicted label's probability, with the number of predictions,
#: their mean confidence and their accuracy.
STANCE_RELIABILITY = ["bin", "bin_low", "bin_high", "n", "confidence", "accuracy"]

LABELS = ("favor", "against", "neutral")


def check_columns(df: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise ``ValueError`` naming the table if any of ``columns`` is missing."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"table '{name}' lacks columns {missing}; has {list(df.columns)}")
