"""Short human-readable topic names: configured, guided, zero-shot, a keyphrase, or keywords.

Precedence, first that applies: a name in ``topics.names``; the name of the
seed list (``topics.seed_topics``) or zero-shot topic the topic came from;
the topic's keyphrase (``topics.name_from = "keyphrase"``, see
:mod:`.keyphrases`); its top keywords; ``"Topic <id>"``.
"""
from __future__ import annotations

import numpy as np

from ..config import TopicsConfig
from .keyphrases import keyphrase_labels
from .vocabulary import stop_words

OUTLIER = -1


def topic_names(modeler, docs: list[str], cfg: TopicsConfig) -> dict[int, str]:
    """The name of every fitted topic of ``modeler``, in the order of precedence above."""
    phrases = {}
    if cfg.name_from == "keyphrase":
        phrases = keyphrase_labels(docs, modeler.topics_, modeler.embeddings_centroids_, modeler.embedder,
                                   stop_words(cfg.vectorizer.stop_words) or frozenset())
    names = {t: phrases.get(t) or topic_name(t, modeler.keywords(t), cfg) for t in modeler.topic_words_}
    auto = {**zeroshot_names(modeler.model_, cfg), **guided_names(modeler, cfg)}
    names.update({t: n for t, n in auto.items() if t in names})
    names.update({t: n for t, n in cfg.names.items() if t in names})
    return names


def topic_name(topic: int, keywords: list[str], cfg: TopicsConfig) -> str:
    """Short human-readable name from keywords: a configured override, else the top keywords."""
    if topic in cfg.names:
        return cfg.names[topic]
    if topic == OUTLIER:
        return "Outliers"
    words: list[str] = []
    for word in keywords:
        if not any(word in w or w in word for w in words):
            words.append(word)
        if len(words) == cfg.name_words:
            break
    return ", ".join(words) if words else f"Topic {topic}"


def zeroshot_names(model, cfg: TopicsConfig) -> dict[int, str]:
    """Topics BERTopic created for a zero-shot name carry that name."""
    if not cfg.zeroshot_topics:
        return {}
    wanted = set(cfg.zeroshot_topics)
    return {int(t): label for t, label in model.topic_labels_.items() if t != OUTLIER and label in wanted}


def guided_names(modeler, cfg: TopicsConfig) -> dict[int, str]:
    """Give each seed topic's name to the fitted topic it pulled together.

    Seed lists and topics are paired one-to-one by the cosine similarity of
    the seed words' embedding to the topic centroid (Hungarian assignment);
    only topics whose keywords contain one of the seeds are candidates.
    """
    if not cfg.seed_topics or modeler.embedder is None:
        return {}
    from scipy.optimize import linear_sum_assignment

    topics = [t for t in sorted(modeler.embeddings_centroids_) if t != OUTLIER]
    if not topics:
        return {}
    seeds = list(cfg.seed_topics.items())
    seed_vecs = np.asarray(modeler.embedder.transform([" ".join(words) for _, words in seeds]))
    seed_vecs = seed_vecs / np.linalg.norm(seed_vecs, axis=1, keepdims=True).clip(1e-12)
    centroids = np.vstack([modeler.embeddings_centroids_[t] for t in topics])
    words = [" ".join(modeler.keywords(t)).lower().split() for t in topics]
    allowed = np.array([[bool({w.lower() for w in seed} & set(top)) for top in words] for _, seed in seeds])
    score = np.where(allowed, seed_vecs @ centroids.T, -10.0)
    rows, cols = linear_sum_assignment(-score)
    return {topics[c]: seeds[r][0] for r, c in zip(rows, cols) if allowed[r, c]}
