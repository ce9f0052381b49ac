"""Topic stage: BERTopic built from local parts, with tables for paragraphs and articles."""
from .choose_k import choose_k
from .evaluate import evaluate_assignments, label_agreement, topic_diversity, topic_npmi
from .modeler import OUTLIER, TopicModeler
from .naming import topic_name
from .outputs import evaluate_modeler, topic_outputs, topic_quality_table
from .sampled import TopicUnits, fit_topic_units, topic_table
from .stability import topic_stability
from .stage import fit_units, modelled_units, unit_labels
from .tables import (article_topic_table, assign_short_paragraphs, dominant_topics, own_paragraph_topics,
                     paragraph_topic_table)
from .temporal import topics_by_group, topics_over_time

__all__ = ["OUTLIER", "TopicModeler", "TopicUnits", "article_topic_table", "assign_short_paragraphs",
           "choose_k", "dominant_topics", "evaluate_assignments", "evaluate_modeler", "fit_topic_units", "fit_units", "label_agreement",
           "modelled_units", "own_paragraph_topics", "paragraph_topic_table", "topic_diversity", "topic_name",
           "topic_npmi", "topic_outputs", "topic_quality_table", "topic_stability", "topic_table",
           "topics_by_group", "topics_over_time", "unit_labels"]
