"""Topic stage: BERTopic built from local parts, with tables for paragraphs and articles."""
from .evaluate import evaluate_assignments, label_agreement, topic_diversity, topic_npmi
from .modeler import OUTLIER, TopicModeler
from .naming import topic_name
from .outputs import evaluate_modeler, topic_outputs
from .sampled import TopicUnits, fit_topic_units, topic_table
from .stability import topic_stability
from .stage import fit_units, modelled_units, unit_labels
from .tables import article_topic_table, assign_short_paragraphs, paragraph_topic_table
from .temporal import topics_by_group, topics_over_time

__all__ = ["OUTLIER", "TopicModeler", "TopicUnits", "article_topic_table", "assign_short_paragraphs",
           "evaluate_assignments", "evaluate_modeler", "fit_topic_units", "fit_units", "label_agreement",
           "modelled_units", "paragraph_topic_table", "topic_diversity", "topic_name",
           "topic_npmi", "topic_outputs", "topic_stability", "topic_table", "topics_by_group",
           "topics_over_time", "unit_labels"]
