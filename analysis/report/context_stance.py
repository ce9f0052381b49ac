"""Template data for stance: per-target summaries, article tables, evidence."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import schema
from analysis.report._format import (
    fmt_ci, fmt_int, fmt_num, fmt_pct, fmt_score, is_na, shorten, slug,
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
    if is_na(score) or abs(float(score)) <= NEUTRAL_BAND:
        return "neutral"
    return "favor" if float(score) > 0 else "against"


def corrected_cell(row, label: str) -> str:
    """Corrected share of ``label`` with its interval, e.g. ``22% [15%, 30%]``; dash when unknown."""
    value = row.get(f"share_{label}_corrected") if row is not None else None
    if is_na(value):
        return "–"
    low, high = row.get(f"share_{label}_corrected_low"), row.get(f"share_{label}_corrected_high")
    return f"{fmt_pct(value)} [{fmt_pct(low)},\u00a0{fmt_pct(high)}]"  # a narrow column breaks before "["


def stance_cells(row: pd.Series | dict | None) -> dict:
    """Formatted mean, CI, n, label shares (raw and corrected), direction and small-group flag."""
    if row is None:
        return {"mean": "–", "ci": "–", "n": "0", "n_articles": "0", "favor": "–", "against": "–",
                "neutral": "–", "direction": "neutral", "small": False,
                **{f"{label}_corrected": "–" for label in schema.LABELS}}
    small = row.get("small_group")
    return {
        "mean": fmt_score(row["mean_score"]), "direction": direction(row["mean_score"]),
        "ci": fmt_ci(row["ci_low"], row["ci_high"]),
        "n": fmt_int(row["n_sentences"]), "n_articles": fmt_int(row.get("n_articles")),
        "favor": fmt_pct(row["share_favor"]),
        "against": fmt_pct(row["share_against"]), "neutral": fmt_pct(row["share_neutral"]),
        **{f"{label}_corrected": corrected_cell(row, label) for label in schema.LABELS},
        "small": bool(small) if not is_na(small) else False,
    }


def overall_by_target(tables: dict[str, pd.DataFrame], params: dict | None = None,
                      ) -> tuple[pd.DataFrame, str]:
    """Corpus-level aggregate per target (the pipeline's ``stance_by_target``) and where it came from.

    The report never recomputes it: a run folder without the table (written
    before the pipeline produced it) gets an empty frame and says so.
    ``params`` is ignored; it is accepted for callers of the earlier signature.
    """
    given = tables.get("stance_by_target")
    if given is not None and not given.empty:
        schema.check_columns(given, schema.STANCE_AGGREGATE, "stance_by_target")
        return given, "all scored sentences of each target (table stance_by_target)"
    if table(tables, "stance", schema.STANCE).empty:
        return pd.DataFrame(columns=schema.STANCE_AGGREGATE), "no scored sentences"
    return (pd.DataFrame(columns=schema.STANCE_AGGREGATE),
            "no stance_by_target table in this run folder, so no corpus-level aggregate")


def corrected_note(tables: dict[str, pd.DataFrame], overall: pd.DataFrame) -> str:
    """Why the corrected shares are shown, or why they are missing."""
    confusion = tables.get("stance_confusion")
    has_matrix = confusion is not None and not confusion.empty
    has_values = "share_favor_corrected" in overall and overall["share_favor_corrected"].notna().any()
    if has_values:
        return ("Corrected shares: label shares corrected for the scorer's errors on its held-out "
                "validation data (confusion matrix), with 95% intervals; see Methods.")
    if not has_matrix:
        return ("Corrected shares are not available: this scorer has no validation confusion matrix "
                "(no held-out annotated data), so only the raw shares of predicted labels are shown.")
    return "Corrected shares are not available for this run."


def target_summaries(tables: dict[str, pd.DataFrame], targets: Sequence[str],
                     overall: pd.DataFrame) -> list[dict]:
    """One summary line per target: mentions, articles, mean stance with CI, shares.

    ``overall`` is the corpus-level aggregate from :func:`overall_by_target`.
    """
    stance = table(tables, "stance", schema.STANCE)
    rows = {r["target"]: r for _, r in overall.iterrows()}
    out = []
    for target in targets:
        mine = stance[stance["target"] == target]
        out.append({
            "name": target, "anchor": f"target-{slug(target)}",
            **stance_cells(rows.get(target)),
            "mentions": fmt_int(len(mine)), "articles": fmt_int(mine["article_id"].nunique()),
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
    ``per_1000`` is the outlet's mentions per 1,000 of its sentences (dash
    for periods).
    """
    df = tables.get(name)
    if df is None or df.empty or key not in df.columns:
        return []
    schema.check_columns(df, schema.STANCE_AGGREGATE, name)
    mine = df[(df["target"] == target) & df[key].notna()]
    mine = mine.sort_values(key if by_time else ["n_sentences", key],
                            ascending=True if by_time else [False, True], kind="stable")
    return [{"group": shorten(r[key], 80), **stance_cells(r),
             "per_1000": fmt_num(r.get("mentions_per_1000"), 1)}
            for _, r in mine.head(MAX_GROUP_ROWS).iterrows()]


def outlet_pairs(tables: dict[str, pd.DataFrame], target: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The target's rows of ``stance_contrasts`` (empty without the table), and those that differ:
    interval excludes zero, both outlets at least ``stance.min_articles``; largest difference first."""
    df = tables.get("stance_contrasts")
    if df is None or df.empty:
        return pd.DataFrame(columns=schema.STANCE_CONTRASTS), pd.DataFrame(columns=schema.STANCE_CONTRASTS)
    mine = df[df["target"] == target]
    clear = mine[mine["excludes_zero"].astype(bool) & ~mine["small_group"].astype(bool)]
    return mine, clear.reindex(clear["difference"].abs().sort_values(ascending=False, kind="stable").index)


def contrast_block(tables: dict[str, pd.DataFrame], target: str, shown: int = 10) -> dict | None:
    """Differences between outlets for one target (``stance_contrasts``), or ``None`` without pairs.

    Lists the pairs whose interval excludes zero and whose outlets both have
    at least ``stance.min_articles`` articles, largest difference first (at
    most ``shown``), with the counts that put them in proportion.
    """
    mine, clear = outlet_pairs(tables, target)
    if mine.empty:
        return None
    rows = [{"a": shorten(r.group_a, 60), "b": shorten(r.group_b, 60), "n": f"{r.n_articles_a} / {r.n_articles_b}",
             "difference": f"{r.difference:+.2f}", "ci": f"[{r.ci_low:+.2f}, {r.ci_high:+.2f}]"}
            for r in clear.head(shown).itertuples(index=False)]
    return {"rows": rows, "note": _contrast_note(len(mine), int(mine["small_group"].sum()), len(clear))}


def _contrast_note(pairs: int, small: int, clear: int) -> str:
    """What the listed differences stand for, in proportion."""
    if small == pairs:
        return (f"All {pairs} pair(s) of outlets include an outlet with fewer articles than "
                "stance.min_articles: no difference between outlets is claimed.")
    counted = pairs - small
    text = (f"{clear} of {counted} pair(s) of outlets differ in mean stance beyond the bootstrap interval "
            "of their difference (each outlet's articles resampled)")
    if small:
        text += f"; {small} pair(s) with an outlet under stance.min_articles are not counted"
    return (text + ". The intervals are not adjusted for the number of pairs: with no real difference, "
            "a share of the pairs equal to one minus the interval's level (one in twenty at 95 %) would "
            "differ by chance. All pairs: table stance_contrasts, or analysis contrast RUN_DIR.")


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
                    "contrasts": contrast_block(tables, target),
                    "evidence": target_evidence(tables, target, titles),
                    "figures": [], "notes": []})
    return out
