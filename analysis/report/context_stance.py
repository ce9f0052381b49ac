"""Template data for stance: per-target summaries, article tables, evidence."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import schema
from analysis.report._format import (
    fmt_ci, fmt_int, fmt_num, fmt_pct, fmt_score, is_missing, shorten, slug,
)
from analysis.report._tables import lookup, table

#: At most this many articles per target in the article table.
MAX_ARTICLE_ROWS = 100
#: At most this many outlets or periods per target in their tables.
MAX_GROUP_ROWS = 60
#: Evidence sentences shown per target and direction.
EVIDENCE_PER_LABEL = 5
SENTENCE_CHARS = 400
POLAR = ("favor", "against")
#: Mean scores within this distance of zero are shown as neutral.
NEUTRAL_BAND = 0.05


def direction(score: float) -> str:
    """"favor", "against" or "neutral" (within ±NEUTRAL_BAND, or unknown) for a mean score."""
    if is_missing(score) or abs(float(score)) <= NEUTRAL_BAND:
        return "neutral"
    return "favor" if float(score) > 0 else "against"


def stance_cells(row: pd.Series | dict | None) -> dict[str, str]:
    """Formatted mean, CI, n, label shares and direction of one aggregate row."""
    if row is None:
        return {"mean": "–", "ci": "–", "n": "0", "favor": "–", "against": "–",
                "neutral": "–", "direction": "neutral"}
    return {
        "mean": fmt_score(row["mean_score"]), "direction": direction(row["mean_score"]),
        "ci": fmt_ci(row["ci_low"], row["ci_high"]),
        "n": fmt_int(row["n_sentences"]), "favor": fmt_pct(row["share_favor"]),
        "against": fmt_pct(row["share_against"]), "neutral": fmt_pct(row["share_neutral"]),
    }


def overall_by_target(tables: dict[str, pd.DataFrame], params: dict | None = None,
                      ) -> tuple[pd.DataFrame, str]:
    """Corpus-wide aggregate per target and a phrase saying where it came from.

    Uses ``tables["stance_by_target"]`` when given; otherwise aggregates the
    sentence-level ``stance`` table with the stance stage's own rule
    (:func:`analysis.stance.aggregate.aggregate_stance`) and ``params``
    (``n_boot``, ``ci``, ``seed``, as in the run's config).
    """
    given = tables.get("stance_by_target")
    if given is not None and not given.empty:
        schema.check_columns(given, schema.STANCE_AGGREGATE, "stance_by_target")
        return given, "the pipeline's corpus-level aggregate"
    stance = table(tables, "stance", schema.STANCE)
    if stance.empty:
        return pd.DataFrame(columns=schema.STANCE_AGGREGATE), "no scored sentences"
    from analysis.stance.aggregate import aggregate_stance  # loads scikit-learn: only when needed

    return (aggregate_stance(stance, by=[], **(params or {})),
            "all scored sentences of each target")


def target_summaries(tables: dict[str, pd.DataFrame], targets: Sequence[str],
                     overall: pd.DataFrame) -> list[dict]:
    """One summary line per target: mentions, articles, mean stance with CI.

    ``overall`` is the corpus-level aggregate from :func:`overall_by_target`.
    """
    stance = table(tables, "stance", schema.STANCE)
    rows = {r["target"]: r for _, r in overall.iterrows()}
    out = []
    for target in targets:
        mine = stance[stance["target"] == target]
        out.append({
            "name": target, "anchor": f"target-{slug(target)}",
            "mentions": fmt_int(len(mine)), "articles": fmt_int(mine["article_id"].nunique()),
            **stance_cells(rows.get(target)),
        })
    return out


def _article_rows(tables: dict[str, pd.DataFrame], target: str, titles: dict) -> tuple[list, int]:
    by_article = table(tables, "stance_by_article", ["article_id", *schema.STANCE_AGGREGATE])
    mine = by_article[by_article["target"] == target]
    mine = mine.sort_values(["mean_score", "article_id"], ascending=[False, True],
                            na_position="last")
    rows = [{"title": shorten(titles.get(r["article_id"]) or r["article_id"], 120),
             "article_id": str(r["article_id"]), **stance_cells(r)}
            for _, r in mine.head(MAX_ARTICLE_ROWS).iterrows()]
    return rows, max(len(mine) - MAX_ARTICLE_ROWS, 0)


def evidence_item(row: pd.Series, titles: dict) -> dict[str, str]:
    """One evidence sentence, shortened, with its score, confidence and article."""
    return {
        "sentence": shorten(row["sentence"], SENTENCE_CHARS), "label": str(row["label"]),
        "score": fmt_score(row["score"]), "confidence": fmt_num(row["confidence"]),
        "title": shorten(titles.get(row["article_id"]) or row["article_id"], 90),
        "target": str(row["target"]),
    }


def _best(df: pd.DataFrame, k: int) -> pd.DataFrame:
    ranked = df.assign(_abs=df["score"].abs())
    ranked = ranked.sort_values(["confidence", "_abs"], ascending=False, kind="stable")
    return ranked.drop_duplicates(subset=["sentence_id"]).head(k)


def target_evidence(tables: dict[str, pd.DataFrame], target: str, titles: dict) -> dict:
    """Most confident favor and against sentences toward ``target``.

    Taken from the article-level ``evidence`` table; when it has none for the
    target, from the sentence-level ``stance`` table directly.
    """
    evidence = table(tables, "evidence", schema.EVIDENCE)
    stance = table(tables, "stance", schema.STANCE)
    source = evidence[(evidence["target"] == target) & (evidence["level"] == "article")]
    if source.empty:
        source = stance[stance["target"] == target]
    best = {label: _best(source[source["label"] == label], EVIDENCE_PER_LABEL) for label in POLAR}
    return {label: [evidence_item(r, titles) for _, r in rows.iterrows()]
            for label, rows in best.items()}


def group_rows(tables: dict[str, pd.DataFrame], name: str, key: str, target: str,
               by_time: bool = False) -> list[dict]:
    """Aggregate rows of ``stance_by_source`` / ``stance_by_time`` for one target.

    Outlets come with most sentences first; periods in time order.
    """
    df = tables.get(name)
    if df is None or df.empty or key not in df.columns:
        return []
    schema.check_columns(df, schema.STANCE_AGGREGATE, name)
    mine = df[(df["target"] == target) & df[key].notna()]
    mine = mine.sort_values(key if by_time else ["n_sentences", key],
                            ascending=True if by_time else [False, True], kind="stable")
    return [{"group": shorten(r[key], 80), **stance_cells(r)}
            for _, r in mine.head(MAX_GROUP_ROWS).iterrows()]


def stance_targets(tables: dict[str, pd.DataFrame], summaries: list[dict]) -> list[dict]:
    """Per-target blocks of the "Stance per target" section (figures added later).

    ``summaries`` come from :func:`target_summaries`, one per target.
    """
    titles = lookup(table(tables, "articles", schema.ARTICLES), "article_id", "title")
    out = []
    for summary in summaries:
        target = summary["name"]
        rows, more = _article_rows(tables, target, titles)
        out.append({**summary, "article_rows": rows, "article_rows_more": more,
                    "source_rows": group_rows(tables, "stance_by_source", "source", target),
                    "time_rows": group_rows(tables, "stance_by_time", "period", target, True),
                    "evidence": target_evidence(tables, target, titles),
                    "figures": [], "notes": []})
    return out
