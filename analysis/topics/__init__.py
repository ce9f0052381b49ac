"""Topic stage: BERTopic built from local parts, with tables for paragraphs and articles.

Names are resolved on first use (``lazy_loader``): reading a finished run's
topic tables does not import scikit-learn or BERTopic.
"""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "choose_k": ["choose_k"],
    "evaluate": ["evaluate_assignments", "label_agreement", "topic_diversity", "topic_npmi"],
    "modeler": ["OUTLIER", "TopicModeler"],
    "naming": ["topic_name"],
    "outputs": ["evaluate_modeler", "topic_outputs", "topic_quality_table"],
    "sampled": ["TopicUnits", "fit_topic_units", "topic_table"],
    "stability": ["topic_stability"],
    "stage": ["fit_units", "modelled_units", "unit_labels"],
    "tables": ["article_topic_table", "assign_short_paragraphs", "dominant_topics", "own_paragraph_topics",
               "paragraph_topic_table"],
    "temporal": ["topics_by_group", "topics_over_time"],
})
