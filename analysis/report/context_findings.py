"""The key findings of a run as short sentences with numbers, for the report's summary.

Every sentence is computed from the result tables; a finding whose table is
absent is simply not stated. Groups flagged ``small_group`` by the pipeline
(fewer than ``stance.min_articles`` articles) never make a finding: a topic
extreme needs a topic that is not small, and a target whose mentions come
from too few articles gets its counts but no stance.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import schema
from analysis.corpus.language import language_note
from analysis.report._format import fmt_int, fmt_num, fmt_pct, fmt_score, is_na
from analysis.report._tables import table, topic_key
from analysis.report.context_stance import outlet_pairs
from analysis.report.context_validation import data_note

LARGEST_TOPICS = 3


def _language_finding(tables: dict) -> str | None:
    """A caution first when the articles do not look like English (the models are English)."""
    articles = table(tables, "articles", schema.ARTICLES)
    if articles.empty:
        return None
    note = language_note(articles["text"].astype(str).tolist(), articles["article_id"].astype(str).tolist())
    return f"Caution: {note}." if note else None


def _corpus_finding(tables: dict, counts: dict) -> str | None:
    articles = table(tables, "articles", schema.ARTICLES)
    if articles.empty:
        return None
    paragraphs = table(tables, "paragraphs", schema.PARAGRAPHS)
    text = (f"{fmt_int(len(articles))} articles analysed, {fmt_int(len(paragraphs))} paragraphs "
            f"(input records rejected: {fmt_int(counts.get('rejected', 0))}, "
            f"of them duplicates: {fmt_int(counts.get('duplicates', 0))})")
    dated = pd.to_datetime(articles["published"], errors="coerce").dropna()
    if not dated.empty:
        text += f"; published {dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}"
    sources = articles["source"].dropna().astype(str).str.strip()
    if (sources != "").any():
        text += f"; {fmt_int(sources[sources != ''].nunique())} outlet(s)"
    return text + "."


def _topic_finding(tables: dict) -> str | None:
    topics = table(tables, "topics", schema.TOPICS)
    if topics.empty:
        return None
    total = float(topics["size"].sum()) or 1.0
    real = topics[topics["topic"].astype(int) != -1].sort_values("size", ascending=False)
    outliers = float(topics.loc[topics["topic"].astype(int) == -1, "size"].sum()) / total
    largest = ", ".join(f"{r['name']} ({fmt_pct(r['size'] / total)})"
                        for _, r in real.head(LARGEST_TOPICS).iterrows())
    text = f"{fmt_int(len(real))} topics; {fmt_pct(outliers, 1)} of paragraphs are outliers"
    if largest:
        text += f". Largest: {largest}"
    evaluation = tables.get("topic_evaluation")
    if evaluation is not None and not evaluation.empty and {"metric", "value"} <= set(evaluation):
        values = dict(zip(evaluation["metric"], evaluation["value"]))
        parts = [f"{label} {fmt_num(values[key], 3)}" for key, label in
                 (("npmi_mean", "mean NPMI coherence"), ("diversity", "topic diversity"))
                 if key in values and not is_na(values[key])]
        if parts:
            text += f". Quality: {', '.join(parts)}"
    return text + "."


def _topic_extremes(tables: dict, target: str) -> str:
    by_topic = table(tables, "stance_by_topic", ["topic", *schema.STANCE_AGGREGATE])
    names = dict(zip(table(tables, "topics", schema.TOPICS)["topic"].map(topic_key),
                     table(tables, "topics", schema.TOPICS)["name"]))
    mine = by_topic[(by_topic["target"] == target) & ~_small(by_topic)
                    & by_topic["topic"].notna() & by_topic["mean_score"].notna()]
    mine = mine[mine["topic"].map(topic_key) != "-1"]
    if len(mine) < 2:
        return ""
    hi = mine.loc[mine["mean_score"].idxmax()]
    lo = mine.loc[mine["mean_score"].idxmin()]
    name = lambda r: names.get(topic_key(r["topic"]), f"topic {topic_key(r['topic'])}")  # noqa: E731
    return (f"; most favourable topic {name(hi)} ({fmt_score(hi['mean_score'])}, "
            f"n={fmt_int(hi['n_sentences'])}), least {name(lo)} ({fmt_score(lo['mean_score'])}, "
            f"n={fmt_int(lo['n_sentences'])})")


def _small(df: pd.DataFrame) -> pd.Series:
    """The ``small_group`` flag as booleans (missing counts as small: no evidence it is not)."""
    if "small_group" not in df:
        return pd.Series(True, index=df.index)
    return df["small_group"].map(lambda v: True if is_na(v) else bool(v)).astype(bool)


def _target_finding(tables: dict, summary: dict) -> str:
    text = f"{summary['name']}: {summary['mentions']} scored mentions in {summary['articles']} articles"
    if summary["mean"] == "–":
        return text + "."
    if summary.get("small"):
        return text + " (too few articles for a stance estimate; see the target's section)."
    text += (f", mean stance {summary['mean']} {summary['ci']} ({summary['direction']}); "
             f"raw label shares favor {summary['favor']}, against {summary['against']}")
    if summary.get("favor_corrected", "–") != "–":
        text += (f"; corrected for classifier error favor {summary['favor_corrected']}, "
                 f"against {summary['against_corrected']}")
    return text + _topic_extremes(tables, summary["name"]) + _outlet_differences(tables, summary["name"]) + "."


def _outlet_differences(tables: dict, target: str) -> str:
    """How many outlet pairs (both outlets not small) differ beyond their interval, and the largest."""
    mine, clear = outlet_pairs(tables, target)
    compared = int((~_small(mine)).sum())
    if not compared:
        return ""
    if clear.empty:
        return f"; no pair of outlets differs beyond its interval ({compared} compared)"
    top = clear.iloc[0]
    return (f"; {len(clear)} of {compared} outlet pairs differ beyond their interval (not adjusted for "
            f"the number of pairs), most {top['group_a']} vs {top['group_b']} "
            f"({fmt_score(top['difference'])} [{fmt_score(top['ci_low'])}, {fmt_score(top['ci_high'])}])")


def _validation_finding(tables: dict) -> str | None:
    validation = tables.get("stance_validation")
    if validation is None or validation.empty or "label" not in validation:
        return None
    first = validation["scorer"].iloc[0]
    rows = validation[validation["scorer"] == first]
    split = "its held-out test split"
    if "split" in rows.columns:
        split = str(rows["split"].iloc[0])
        rows = rows[rows["split"] == split]
    rows = rows.set_index("label")
    parts = [f"{label} {fmt_num(rows.loc[key, 'f1'])} "
             f"[{fmt_num(rows.loc[key, 'f1_low'])}, {fmt_num(rows.loc[key, 'f1_high'])}]"
             for key, label in (("macro", "macro-F1"), ("f_avg", "F_avg")) if key in rows.index]
    n = fmt_int(rows.loc["macro", "support"]) if "macro" in rows.index else "–"
    note = data_note(split)
    return (f"Stance scorer {first}, measured on {split} ({n} labelled sentences"
            f"{'; ' + note if note else ''}): {', '.join(parts)}.")


def key_findings(tables: dict[str, pd.DataFrame], manifest: dict,
                 target_summaries: Sequence[dict]) -> list[str]:
    """Short sentences stating the run's main numbers: corpus, topics, each target, validation;
    first a caution when the texts do not look like English."""
    counts = manifest.get("counts") or {}
    findings = [_language_finding(tables), _corpus_finding(tables, counts), _topic_finding(tables)]
    findings += [_target_finding(tables, s) for s in target_summaries]
    findings.append(_validation_finding(tables))
    return [f for f in findings if f]

