"""Template data for the Topics section: one block per topic."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import schema
from analysis.report._format import as_list, fmt_int, fmt_num, fmt_pct, is_na, shorten
from analysis.report._tables import lookup, table, topic_key
from analysis.report.context_stance import evidence_item, stance_cells

OUTLIER_TOPIC = -1
#: Representative paragraphs shown per topic, and their length.
REPRESENTATIVES = 3
PARAGRAPH_CHARS = 320
#: Evidence sentences per topic, target and direction; top articles per topic.
EVIDENCE_PER_LABEL = 2
TOP_ARTICLES = 3
#: A topic is flagged "unstable" when it recurs (``topic_stability.recurrence``: the share of the
#: refits under other seeds in which a topic shares at least half its documents with it) in fewer
#: than this share of the refits: with 2 refits, a topic found in only one of them.
UNSTABLE_BELOW = 2 / 3
UNSTABLE_RULE = "recurs in fewer than two thirds of the refits under other seeds"


def _share(row: pd.Series, total: float) -> float:
    if "share" in row and not is_na(row["share"]):
        return float(row["share"])
    return float(row["size"]) / total if total else float("nan")


def outlier_share(topics: pd.DataFrame) -> float:
    """Share of paragraphs in the outlier topic (-1); NaN without topics."""
    total = float(topics["size"].sum()) if not topics.empty else 0.0
    if not total:
        return float("nan")
    return float(topics.loc[topics["topic"].astype(int) == OUTLIER_TOPIC, "size"].sum()) / total


def _paragraphs(ids: Sequence, paragraphs: pd.DataFrame, titles: dict) -> list[dict]:
    by_id = paragraphs.drop_duplicates("paragraph_id").set_index("paragraph_id")
    out = []
    for pid in ids[:REPRESENTATIVES]:
        if pid not in by_id.index:
            continue
        row = by_id.loc[pid]
        out.append({"id": str(pid), "text": shorten(row["text"], PARAGRAPH_CHARS),
                    "title": shorten(titles.get(row["article_id"]) or row["article_id"], 90)})
    return out


def _stance_by_key(tables: dict) -> tuple:
    """Stance rows and topic-level evidence per :func:`topic_key`, read once: two functions from a
    topic key to its rows (empty, with the table's columns, for a topic without any)."""
    by_topic = table(tables, "stance_by_topic", ["topic", *schema.STANCE_AGGREGATE])
    evidence = table(tables, "evidence", schema.EVIDENCE)
    evidence = evidence[(evidence["level"] == "topic") & (evidence["rank"] <= EVIDENCE_PER_LABEL)]
    rows = dict(list(by_topic.groupby(by_topic["topic"].map(topic_key), sort=False)))
    ev = dict(list(evidence.groupby(evidence["key"].map(topic_key), sort=False)))
    return (lambda key: rows.get(key, by_topic.iloc[:0])), (lambda key: ev.get(key, evidence.iloc[:0]))


def _topic_stance(mine: pd.DataFrame, ev: pd.DataFrame, targets: Sequence[str], titles: dict) -> list[dict]:
    """Stance cells and evidence sentences of one topic (its rows of the two stance tables)."""
    out = []
    for target in targets:
        row = mine[mine["target"] == target]
        sentences = ev[ev["target"] == target].sort_values(["label", "rank"], ascending=[False, True])
        if row.empty and sentences.empty:
            continue
        out.append({"target": target, **stance_cells(None if row.empty else row.iloc[0]),
                    "evidence": [evidence_item(r, titles) for _, r in sentences.iterrows()]})
    return out


def _top_articles(article_topics: pd.DataFrame, topic: int, titles: dict) -> list[dict]:
    mine = article_topics[article_topics["topic"].map(topic_key) == topic_key(topic)]
    mine = mine.sort_values(["share", "article_id"], ascending=[False, True]).head(TOP_ARTICLES)
    return [{"title": shorten(titles.get(r["article_id"]) or r["article_id"], 110),
             "share": fmt_pct(r["share"])} for _, r in mine.iterrows()]


def topic_blocks(tables: dict[str, pd.DataFrame], targets: Sequence[str],
                 quality: dict[str, dict] | None = None) -> list[dict]:
    """One dict per topic, largest first and outliers last, ready for the templates.

    ``quality`` is :func:`topic_quality_fields` of ``tables`` when already built.
    """
    topics = table(tables, "topics", schema.TOPICS)
    if topics.empty:
        return []
    paragraphs = table(tables, "paragraphs", schema.PARAGRAPHS)
    article_topics = table(tables, "article_topics", schema.ARTICLE_TOPICS)
    titles = lookup(table(tables, "articles", schema.ARTICLES), "article_id", "title")
    scores = table(tables, "topic_quality", ["topic", "npmi"])
    npmi = dict(zip(scores["topic"].map(topic_key), scores["npmi"]))
    quality = topic_quality_fields(tables) if quality is None else quality
    stance_rows, stance_evidence = _stance_by_key(tables)
    total = float(topics["size"].sum())
    ordered = topics.assign(_out=topics["topic"].astype(int) == OUTLIER_TOPIC)
    ordered = ordered.sort_values(["_out", "size", "topic"], ascending=[True, False, True])
    blocks = []
    for _, row in ordered.iterrows():
        topic = int(row["topic"])
        outlier = topic == OUTLIER_TOPIC
        blocks.append({
            "topic": topic, "anchor": "topic-outliers" if outlier else f"topic-{topic}",
            "name": "Outliers" if outlier else str(row["name"]), "is_outlier": outlier,
            "keywords": ", ".join(str(k) for k in as_list(row["keywords"])),
            "size": fmt_int(row["size"]), "share": fmt_pct(_share(row, total), 1),
            "npmi": fmt_num(npmi.get(topic_key(topic)), 3) if topic_key(topic) in npmi else "",
            **quality.get(topic_key(topic), _NO_QUALITY),
            "paragraphs": _paragraphs(as_list(row["representative"]), paragraphs, titles),
            "stance": _topic_stance(stance_rows(topic_key(topic)), stance_evidence(topic_key(topic)),
                                    targets, titles),
            "articles": _top_articles(article_topics, topic, titles),
        })
    return blocks


_NO_QUALITY = {"unique_words": "", "recurrence": "", "unstable": False}


def unique_word_shares(topics: pd.DataFrame) -> dict[str, float]:
    """Per topic (outliers left out): the share of its keywords that no other topic lists.

    Its contribution to topic diversity: 1.0 when every keyword is its own.
    """
    real = topics[topics["topic"].astype(int) != OUTLIER_TOPIC]
    words = {topic_key(t): [str(w) for w in as_list(k)] for t, k in zip(real["topic"], real["keywords"])}
    out = {}
    for key, mine in words.items():
        others = {w for k, ws in words.items() if k != key for w in ws}
        out[key] = sum(w not in others for w in mine) / len(mine) if mine else float("nan")
    return out


def topic_quality_fields(tables: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """Per topic key: unique-keyword share, recurrence across seeds and the "unstable" flag.

    Built from the ``topics`` and ``topic_stability`` tables only; without
    stability fits, recurrence is blank and no topic is flagged.
    """
    unique = unique_word_shares(table(tables, "topics", schema.TOPICS))
    stability = table(tables, "topic_stability", schema.TOPIC_STABILITY)
    recurrence = dict(zip(stability["topic"].map(topic_key), stability["recurrence"]))
    refits = max(len(stability_summary(tables)[0]) - 1, 0)
    out = {}
    for key in unique.keys() | recurrence.keys():
        share = recurrence.get(key)
        measured = share is not None and not is_na(share)
        found = f"{round(float(share) * refits)} of {refits}" if measured and refits else \
            (f"{fmt_pct(share)} of the" if measured else "")
        out[key] = {"unique_words": fmt_pct(unique.get(key)) if key in unique else "",
                    "recurrence": found,
                    "unstable": bool(measured and float(share) < UNSTABLE_BELOW - 1e-9)}
    return out


def topic_quality_note(tables: dict[str, pd.DataFrame], quality: dict[str, dict] | None = None) -> dict:
    """What the per-topic quality table says about stability: the rule, refits, unstable count.

    ``quality`` is :func:`topic_quality_fields` of ``tables`` when already built.
    """
    seeds, _ = stability_summary(tables)
    quality = topic_quality_fields(tables) if quality is None else quality
    flags = [f["unstable"] for f in quality.values()]
    return {"rule": UNSTABLE_RULE, "refits": max(len(seeds) - 1, 0), "measured": len(seeds) >= 2,
            "n_unstable": int(sum(flags))}


#: Labels of the ``topic_evaluation`` metrics shown in the report.
EVALUATION_LABELS = {
    "n_documents": "Documents modelled", "n_topics": "Topics", "outlier_share": "Outlier share",
    "outlier_share_before_reduction": "Outlier share before reassignment",
    "size_min": "Smallest topic", "size_median": "Median topic size", "size_max": "Largest topic",
    "largest_topic_share": "Share of the largest topic", "size_entropy": "Size evenness (entropy)",
    "npmi_mean": "Mean NPMI coherence", "diversity": "Topic diversity", "nmi": "NMI vs. labels",
    "ari": "ARI vs. labels", "v_measure": "V-measure vs. labels",
    "n_labelled": "Labelled documents", "n_labels": "Reference labels",
}


def evaluation_rows(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    """The ``topic_evaluation`` metrics as (label, formatted value) pairs, then the
    mean pairwise ARI across seeds when the run measured topic stability."""
    df = tables.get("topic_evaluation")
    if df is None or df.empty or not {"metric", "value"} <= set(df.columns):
        return []
    out = []
    for metric, value in zip(df["metric"], df["value"]):
        name = str(metric)
        if "share" in name:
            text = fmt_pct(value, 1)
        elif name.startswith(("n_", "size_m")) and not is_na(value) and float(value).is_integer():
            text = fmt_int(value)
        else:
            text = fmt_num(value, 3)
        out.append((EVALUATION_LABELS.get(name, name.replace("_", " ")), text))
    seeds, mean_ari = stability_summary(tables)
    if seeds:
        out.append((f"Mean pairwise ARI across {len(seeds)} seeds", fmt_num(mean_ari, 3)))
    return out


def stability_summary(tables: dict[str, pd.DataFrame]) -> tuple[list[int], float]:
    """(the seeds of the stability fits, their mean pairwise ARI); ([], nan) when not run."""
    pairs = tables.get("topic_stability_pairs")
    if pairs is None or pairs.empty or not {"seed_a", "seed_b", "ari"} <= set(pairs.columns):
        return [], float("nan")
    return sorted(set(pairs["seed_a"]) | set(pairs["seed_b"])), float(pairs["ari"].mean())
