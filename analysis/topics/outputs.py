"""The run tables derived from a fitted topic model: quality, evaluation, time, groups, hierarchy."""
from __future__ import annotations

import pandas as pd

from ..config import TopicsConfig
from .evaluate import QUALITY_COLUMNS, evaluate_assignments, summary_table
from .hierarchy import HIERARCHY_COLUMNS, hierarchy_table
from .temporal import topics_by_group, topics_over_time


def topic_quality_table(quality: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """Per topic: name, size, share and NPMI (schema.TOPIC_QUALITY)."""
    merged = topics[["topic", "name", "size", "share"]].merge(quality, on="topic", how="left")
    return merged[QUALITY_COLUMNS]


def evaluate_modeler(modeler, docs: list[str], labels=None) -> tuple[pd.DataFrame, dict]:
    """NPMI per topic and the summary figures of a fitted :class:`TopicModeler`."""
    cfg = modeler.config or TopicsConfig()
    analyzer = modeler.model_.vectorizer_model.build_analyzer()
    return evaluate_assignments(modeler.topics_, modeler.topic_words_, docs, analyzer, labels=labels,
                                npmi_top_n=cfg.npmi_top_n, diversity_top_n=cfg.diversity_top_n)


def topic_outputs(modeler, docs: list[str], topics: pd.DataFrame, paragraph_topics: pd.DataFrame,
                  articles: pd.DataFrame, labels=None, *, show_progress: bool = False) -> dict[str, pd.DataFrame]:
    """The topic tables a run writes besides ``topics`` and the assignments.

    ``labels`` (one per modelled document, or ``None``) are used only to score
    the assignments. With the article as unit, time and group counts are of
    articles; otherwise of paragraphs. ``show_progress`` shows BERTopic's
    progress bar while the hierarchy is built.
    """
    cfg = modeler.config or TopicsConfig()
    quality, summary = evaluate_modeler(modeler, docs, labels)
    summary = {**summary, "outlier_share_before_reduction": modeler.outlier_share_before_}
    units = paragraph_topics.drop_duplicates("article_id") if cfg.unit == "article" else paragraph_topics
    hierarchy = (hierarchy_table(modeler.model_, docs, cfg.name_words, show_progress=show_progress)
                 if cfg.hierarchy
                 else pd.DataFrame(columns=HIERARCHY_COLUMNS))
    return {
        "topic_quality": topic_quality_table(quality, topics),
        "topic_evaluation": summary_table(summary),
        "topics_over_time": topics_over_time(units, articles, topics, cfg.time_freq),
        "topics_by_source": topics_by_group(units, articles, topics),
        "topic_hierarchy": hierarchy,
    }
