"""Topic stage: BERTopic built from local parts, with tables for paragraphs and articles."""
from .modeler import OUTLIER, TopicModeler, topic_name
from .tables import article_topic_table, assign_short_paragraphs, paragraph_topic_table

__all__ = ["OUTLIER", "TopicModeler", "article_topic_table", "assign_short_paragraphs",
           "paragraph_topic_table", "topic_name"]
