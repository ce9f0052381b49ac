"""Assemble everything the report templates show into one plain dict.

The context holds only strings, numbers, lists and dicts (numbers already
formatted), so the HTML and Markdown templates show the same content and
neither needs pandas. Escaping is left to the templates.
"""
from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import schema
from analysis.manifest import config_of
from analysis.report import context_findings, context_stance, context_topics, context_validation, methods
from analysis.corpus.neardup import THRESHOLD as NEAR_THRESHOLD
from analysis.report._format import fmt_date, fmt_int, fmt_num, fmt_pct, shorten
from analysis.report._tables import lookup, table, targets_in

#: (anchor id, navigation label) of each section, in order.
SECTIONS = [
    ("summary", "Summary"), ("corpus", "Corpus & data quality"), ("topics", "Topics"),
    ("stance", "Stance per target"), ("methods", "Methods"), ("validation", "Validation"),
    ("reproducibility", "Reproducibility"),
]
MAX_REJECT_ROWS = 100
MAX_ARTICLE_ROWS = 200
COUNT_LABELS = {"records": "Input records", "accepted": "Accepted articles",
                "rejected": "Rejected records", "duplicates": "Duplicates dropped",
                "paragraphs": "Paragraphs", "sentences": "Sentences",
                "embedded": "Paragraphs embedded", "embedding_cache_hits": "Embedding cache hits",
                "topics": "Topics (without outliers)", "mentions": "Target mentions",
                "warnings": "Warnings while reading"}


def _config_targets(config: dict) -> list[str]:
    """Target names from the config (``stance.targets``: names or dicts with a name)."""
    return [t["name"] for t in methods.targets_table(config) if t["name"]]


def report_targets(tables: dict, manifest: dict, figures: dict | None) -> list[str]:
    """Configured targets first (even with no mentions), then any others found."""
    found = _config_targets(manifest.get("config") or {})
    extra = set(targets_in(tables)) | {str(e["target"]) for e in (figures or {}).values()
                                       if e.get("target") is not None}
    return found + sorted(extra - set(found))


def figure_item(stem: str, entry: dict, out_dir: Path) -> dict:
    """One figure for the templates: caption, relative paths, data URI, or a note.

    The embedded image is ``entry["html_png"]`` (a lighter PNG made for the
    page) when given, else the saved PNG file.
    """
    section = entry.get("section") or ("topics" if stem.startswith("topic") else "stance")
    item = {"stem": stem, "caption": str(entry.get("caption") or stem), "section": section,
            "target": entry.get("target"), "note": entry.get("note"), "data_uri": None,
            "png_rel": None, "vector_rel": None, "vector_format": None}
    png = entry.get("png")
    if png is None:
        item["note"] = item["note"] or f"Figure {stem} was not drawn."
        return item
    if not Path(png).is_file():
        item["note"] = f"Figure file {Path(png).name} is missing: {item['caption']}"
        return item
    data = base64.b64encode(entry.get("html_png") or Path(png).read_bytes()).decode("ascii")
    item["data_uri"] = f"data:image/png;base64,{data}"
    item["png_rel"] = Path(os.path.relpath(png, out_dir)).as_posix()
    for fmt in ("pdf", "svg"):
        if entry.get(fmt):
            item["vector_rel"] = Path(os.path.relpath(entry[fmt], out_dir)).as_posix()
            item["vector_format"] = fmt.upper()
    return item


def _summary(tables: dict, manifest: dict, targets: Sequence[str]) -> dict:
    counts = manifest.get("counts") or {}
    articles = table(tables, "articles", schema.ARTICLES)
    paragraphs = table(tables, "paragraphs", schema.PARAGRAPHS)
    topics = table(tables, "topics", schema.TOPICS)
    n_topics = int((topics["topic"].astype(int) != context_topics.OUTLIER_TOPIC).sum()) \
        if not topics.empty else 0
    overall, source = context_stance.overall_by_target(tables)
    outliers = fmt_pct(context_topics.outlier_share(topics), 1)
    rejects = table(tables, "rejects", schema.REJECTS)
    facts = [
        ("Articles", fmt_int(len(articles) or counts.get("accepted"))),
        ("Paragraphs", fmt_int(len(paragraphs) or counts.get("paragraphs"))),
        ("Topics", fmt_int(n_topics)),
        ("Outlier share", outliers),
        ("Scored mentions", fmt_int(len(table(tables, "stance", schema.STANCE)))),
        ("Rejected records", fmt_int(counts.get("rejected", len(rejects)))),
    ]
    summaries = context_stance.target_summaries(tables, targets, overall)
    return {"facts": facts, "targets": summaries,
            "findings": context_findings.key_findings(tables, manifest, summaries),
            "aggregate_source": source, "corrected_note": context_stance.corrected_note(tables, overall),
            "min_articles": fmt_int(config_of(manifest, strict=False).stance.min_articles),
            "n_topics": fmt_int(n_topics), "outlier_share": outliers}


def _reject_rows(rejects: pd.DataFrame) -> list[dict]:
    return [{"file": str(r["file"]), "position": str(r["position"]), "reason": str(r["reason"]),
             "raw": shorten(r["raw"], 120)} for _, r in rejects.iterrows()]


def _corpus(tables: dict, manifest: dict) -> dict:
    counts = manifest.get("counts") or {}
    rejects = table(tables, "rejects", schema.REJECTS)
    articles = table(tables, "articles", schema.ARTICLES)
    paragraphs = table(tables, "paragraphs", schema.PARAGRAPHS)
    per_article = paragraphs.groupby("article_id").size() if not paragraphs.empty else {}
    is_dup = rejects["reason"].astype(str).str.contains("duplicate", case=False)
    reasons = rejects["reason"].astype(str).value_counts()
    return {
        "counts": [(COUNT_LABELS.get(k, str(k).replace("_", " ").capitalize()), fmt_int(v))
                   for k, v in counts.items()],
        "reasons": [(str(k), fmt_int(v)) for k, v in reasons.items()],
        "rejects": _reject_rows(rejects.head(MAX_REJECT_ROWS)),
        "rejects_more": max(len(rejects) - MAX_REJECT_ROWS, 0),
        "duplicates": fmt_int(counts.get("duplicates", int(is_dup.sum()))),
        "duplicate_rows": _reject_rows(rejects[is_dup].head(MAX_REJECT_ROWS)),
        "articles": [{"title": shorten(r["title"], 140) or str(r["article_id"]),
                      "source": shorten(r["source"], 60), "date": fmt_date(r["published"]),
                      "paragraphs": fmt_int(per_article.get(r["article_id"], 0)),
                      "origin": shorten(r["origin"], 80), "url": shorten(r["url"], 100)}
                     for _, r in articles.head(MAX_ARTICLE_ROWS).iterrows()],
        "articles_more": max(len(articles) - MAX_ARTICLE_ROWS, 0),
        "undated": int(articles["published"].isna().sum()),
        **_near_copies(tables, articles),
    }


def _near_copies(tables: dict, articles: pd.DataFrame) -> dict:
    """The near-copies kept in the corpus (table ``near_duplicates``), named by their titles."""
    near = table(tables, "near_duplicates", schema.NEAR_DUPLICATES)
    titles = lookup(articles, "article_id", "title")
    name = lambda aid: shorten(titles.get(aid) or aid, 100)  # noqa: E731
    return {"near_threshold": fmt_num(NEAR_THRESHOLD, 1), "near_count": fmt_int(len(near)),
            "near_rows": [{"article": name(r["article_id"]), "original": name(r["duplicate_of"]),
                           "similarity": fmt_num(r["similarity"], 2)}
                          for _, r in near.head(MAX_REJECT_ROWS).iterrows()],
            "near_more": max(len(near) - MAX_REJECT_ROWS, 0)}


def _place_figures(ctx: dict, items: list[dict]) -> None:
    """Put each figure (or its omission note) in its section or target block."""
    blocks = {t["name"]: t for t in ctx["stance"]["targets"]}
    for item in items:
        if item["section"] == "topics":
            ctx["topics_figures"].append(item)
        elif item["section"] == "validation":
            ctx["validation"]["figures"].append(item)
        elif item["target"] is not None and str(item["target"]) in blocks:
            blocks[str(item["target"])]["figures"].append(item)
        else:
            ctx["stance"]["figures"].append(item)


def table_list(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, str]]:
    """(file, rows, columns) of every result table, as written under ``tables/``."""
    return [(f"tables/{name}.parquet", fmt_int(len(df)), ", ".join(str(c) for c in df.columns))
            for name, df in tables.items() if isinstance(df, pd.DataFrame)]


def build_context(tables: dict[str, pd.DataFrame], manifest: dict, out_dir: Path,
                  figures: dict[str, dict] | None = None) -> dict:
    """Everything the templates show, as plain data."""
    targets = report_targets(tables, manifest, figures)
    summary = _summary(tables, manifest, targets)
    quality = context_topics.topic_quality_fields(tables)
    report_cfg = (manifest.get("config") or {}).get("report")
    title = report_cfg.get("title") if isinstance(report_cfg, dict) else None
    ctx = {
        "title": str(title or "Topic and stance report"), "sections": SECTIONS,
        "run_id": str(manifest.get("run_id") or "unknown-run"),
        "created": str(manifest.get("created") or "–"),
        "summary": summary,
        "corpus": _corpus(tables, manifest),
        "topics": context_topics.topic_blocks(tables, targets, quality), "topics_figures": [],
        "topic_evaluation": context_topics.evaluation_rows(tables),
        "topic_quality": context_topics.topic_quality_note(tables, quality),
        "topics_note": str((manifest.get("resolved") or {}).get("topics_not_fitted") or ""),
        "stance": {"targets": context_stance.stance_targets(tables, summary["targets"]),
                   "figures": []},
        "figures_given": bool(figures),
        "methods": methods.methods(manifest),
        "validation": context_validation.validation(tables, manifest),
        "repro": {**methods.reproducibility(manifest), "tables": table_list(tables)},
    }
    _place_figures(ctx, [figure_item(s, e, Path(out_dir)) for s, e in (figures or {}).items()])
    return ctx
