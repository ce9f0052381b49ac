"""Edits of a finished run folder: rename topics, merge two topics, without refitting or re-embedding.

Both edits read the stored tables and manifest, change the tables that carry
topic ids or names, write them back atomically (Parquet, and CSV as the run
did), re-render the report from the stored tables, and record the edit in
the manifest (``edits``: time, kind, arguments, seconds) with the new table
digests. The manifest is written last, so an interrupted edit leaves the
old manifest in place; running the same relabel again records the tables it
had written. An edit that would change nothing (the same name again, a
merge already done) is a no-op and is not recorded twice.

* :func:`relabel_run`: new names in every table with ``topic`` and ``name``
  columns and in the saved topic model's custom labels.
* :func:`merge_topics`: the paragraphs of topic ``drop`` move to ``keep``;
  sizes add up; articles' topic shares, topics over time and by source,
  the size figures of ``topic_evaluation``, stance by topic and topic
  evidence are recomputed with the functions the pipeline uses (stance
  from the stored ``stance`` table, so intervals stay honest). The merged
  topic keeps ``keep``'s keywords and representatives; its NPMI and
  stability measures are left empty (they were measured on the fitted
  topics). The topic hierarchy stays the fitted one. The saved BERTopic
  model records the merge, and applies it with its own ``merge_topics`` when
  it is loaded (see :mod:`analysis.topics.persist`).
"""
from __future__ import annotations

import base64
import html
import re
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Config
from .io import table_digest, write_json, write_table
from .machine import usable_cores
from .manifest import config_of, read_manifest
from .report.build import FIGURES_DIR
from .report.plan import figure_plan
from .report.stage import report_node
from .runs import read_tables
from .stance.tables import run_period, stance_tables
from .topics import article_topic_table, topics_by_group, topics_over_time
from .topics.evaluate import size_summary
from .topics.persist import TOPIC_MODEL_DIR, merge_saved_topics, relabel_saved_model

#: Per-topic measures of the fitted topics that a merge cannot carry over.
_UNMEASURED = {"topic_quality": ["npmi"],
               "topic_stability": ["recurrence", "mean_overlap", "mean_keyword_overlap"]}


def relabel_run(run_dir: str | Path, labels: dict[int, str]) -> dict:
    """Rename topics (``{topic id: new name}``) in every table and the report; returns the manifest."""
    start = time.perf_counter()
    run_dir = Path(run_dir)
    manifest, cfg, tables = _read(run_dir)
    labels = {int(t): _clean_name(n) for t, n in labels.items()}
    _check_topics(tables["topics"], labels)
    changed = {}
    for name, df in tables.items():
        if {"topic", "name"} <= set(df.columns):
            new = df.copy()
            for topic, label in labels.items():
                new.loc[new["topic"] == topic, "name"] = label
            if not new.equals(df):
                changed[name] = new
    if not changed:  # nothing new; tables written by an interrupted run of this edit are recorded now
        named = {n: df for n, df in tables.items() if {"topic", "name"} <= set(df.columns)}
        changed = {n: named[n] for n in _stale(manifest, named)}
        if not changed:
            return manifest
    if (run_dir / TOPIC_MODEL_DIR).is_dir():
        topics = changed.get("topics", tables["topics"])
        relabel_saved_model(run_dir, dict(zip(topics["topic"].astype(int), topics["name"])))
    return _commit(run_dir, manifest, cfg, tables, changed,
                   {"kind": "relabel", "arguments": {"labels": {str(t): n for t, n in labels.items()}}}, start)


def merge_topics(run_dir: str | Path, keep: int, drop: int, name: str | None = None) -> dict:
    """Merge topic ``drop`` into ``keep`` (named ``name``, default ``keep``'s); returns the manifest."""
    start = time.perf_counter()
    run_dir = Path(run_dir)
    manifest, cfg, tables = _read(run_dir)
    keep, drop = int(keep), int(drop)
    args = {"keep": keep, "drop": drop, "name": name}
    if _already_merged(manifest, tables["topics"], keep, drop, name):
        return manifest
    if keep == drop or -1 in (keep, drop):
        raise ValueError(f"cannot merge topic {drop} into {keep}: give two different topics other than -1")
    _check_topics(tables["topics"], {keep: "", drop: ""})
    changed = _merged_tables(tables, cfg, keep, drop, _clean_name(name) if name else None)
    if (run_dir / TOPIC_MODEL_DIR).is_dir():
        names = dict(zip(changed["topics"]["topic"].astype(int), changed["topics"]["name"]))
        merge_saved_topics(run_dir, keep, drop, names)
        args["topic_model"] = "merge recorded, applied on load"
    manifest.setdefault("counts", {})["topics"] = int((changed["topics"]["topic"] >= 0).sum())
    return _commit(run_dir, manifest, cfg, tables, changed, {"kind": "merge", "arguments": args}, start)


# ------------------------------------------------------------------ reading and writing
def _read(run_dir: Path) -> tuple[dict, Config, dict[str, pd.DataFrame]]:
    manifest = read_manifest(run_dir)
    return manifest, config_of(manifest, strict=False), read_tables(run_dir)


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise ValueError("a topic name cannot be empty")
    return name


def _check_topics(topics: pd.DataFrame, wanted: dict[int, str]) -> None:
    known = set(topics["topic"].astype(int))
    missing = sorted(set(wanted) - known)
    if missing:
        raise ValueError(f"no topic {', '.join(map(str, missing))} in this run; its topics are "
                         f"{', '.join(map(str, sorted(known)))}")


def _already_merged(manifest: dict, topics: pd.DataFrame, keep: int, drop: int, name) -> bool:
    """The same merge was recorded and ``drop`` is gone: nothing to do."""
    done = any(e.get("kind") == "merge" and e["arguments"].get("keep") == keep
               and e["arguments"].get("drop") == drop for e in manifest.get("edits", []))
    return done and drop not in set(topics["topic"].astype(int)) and (
        name is None or name in set(topics.loc[topics["topic"] == keep, "name"]))


def _stale(manifest: dict, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Tables whose content no longer matches the digest the manifest records."""
    recorded = manifest.get("tables", {})
    return [name for name, df in tables.items() if name in recorded and recorded[name] != table_digest(df)]


def _commit(run_dir: Path, manifest: dict, cfg: Config, tables: dict, changed: dict,
            edit: dict, start: float) -> dict:
    """Write the changed tables, re-render the report, record the edit; the manifest last."""
    for name, df in changed.items():
        write_table(df, run_dir / "tables", name, csv=len(df) <= cfg.report.csv_max_rows)
        manifest.setdefault("tables", {})[name] = table_digest(df)
    tables = {**tables, **changed}
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    record = {"time": stamp, **edit}
    manifest["edits"] = [*manifest.get("edits", []), record]
    _rerender(run_dir, tables, manifest, cfg)
    record["seconds"] = round(time.perf_counter() - start, 3)
    write_json(run_dir / "manifest.json", manifest)
    return manifest


# ------------------------------------------------------------------ the report
def _rerender(run_dir: Path, tables: dict, manifest: dict, cfg: Config) -> None:
    """The report again from the stored tables: figures that show topics are redrawn, the others
    (stance by target, article, time, outlet; validation) keep their files and embedded images.

    The result is the report the pipeline's ``report_node`` would write; a
    figure whose file or embedded image is missing is drawn as there. The
    figures are drawn in two forked processes where that is safe (see
    :func:`analysis.report.build.build_figures`).
    """
    fig_dir = run_dir / FIGURES_DIR
    vector = cfg.report.vector_format
    embedded = _embedded_images(run_dir / "report.html")
    plan = list(figure_plan(tables, [t.name for t in cfg.stance.targets]))
    captions = Counter(item.caption for item in plan)

    def keep(item) -> dict | None:
        files = {"png": fig_dir / f"{item.stem}.png", vector: fig_dir / f"{item.stem}.{vector}"}
        shows_topics = item.section == "topics" or "topic" in item.stem
        if shows_topics or captions[item.caption] != 1 or item.caption not in embedded \
                or not all(f.is_file() for f in files.values()):
            return None
        return {**files, "html_png": embedded[item.caption]}

    report_node(tables, manifest, run_dir, cfg, keep=keep, processes=min(2, usable_cores()))


def _embedded_images(report: Path) -> dict[str, bytes]:
    """caption -> PNG bytes of the figures embedded in an existing report.html."""
    if not report.is_file():
        return {}
    found = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)">',
                       report.read_text(encoding="utf-8"))
    return {html.unescape(alt): base64.b64decode(data) for data, alt in found}


# ------------------------------------------------------------------ merging tables
def _merged_tables(tables: dict, cfg: Config, keep: int, drop: int, name: str | None) -> dict:
    """Every table that a merge of ``drop`` into ``keep`` changes."""
    out = {}
    for table in ("paragraph_topics", "paragraph_map"):
        if table in tables:
            df = tables[table].copy()
            df.loc[df["topic"] == drop, "topic"] = keep
            out[table] = df
    paragraph_topics = out["paragraph_topics"]
    topics = _merged_topics(tables["topics"], keep, drop, name)
    out["topics"] = topics
    out["article_topics"] = article_topic_table(tables["paragraphs"], paragraph_topics)
    for table, empty in _UNMEASURED.items():
        if table in tables and not tables[table].empty:
            out[table] = _merged_per_topic(tables[table], topics, keep, drop, empty)
    units = (paragraph_topics.drop_duplicates("article_id") if cfg.topics.unit == "article"
             else paragraph_topics)
    articles = tables["articles"]
    out["topics_over_time"] = topics_over_time(units, articles, topics, cfg.topics.time_freq)
    out["topics_by_source"] = topics_by_group(units, articles, topics)
    if "topic_evaluation" in tables:
        out["topic_evaluation"] = _merged_evaluation(tables["topic_evaluation"], paragraph_topics, cfg)
    if "stance" in tables:
        out.update(_topic_stance(tables, paragraph_topics, cfg))
    return out


def _merged_topics(topics: pd.DataFrame, keep: int, drop: int, name: str | None) -> pd.DataFrame:
    out = topics.copy()
    gone = out["topic"] == drop
    at = out.index[out["topic"] == keep][0]
    for col in ("size", "share"):
        out.loc[at, col] = out.loc[at, col] + out.loc[gone, col].sum()
    if name:
        out.loc[at, "name"] = name
    return out[~gone].reset_index(drop=True)


def _merged_per_topic(df: pd.DataFrame, topics: pd.DataFrame, keep: int, drop: int,
                      unmeasured: list[str]) -> pd.DataFrame:
    """A per-topic table with ``drop``'s row removed and ``keep``'s name, size, share from ``topics``."""
    out = df[df["topic"] != drop].copy()
    current = topics.set_index("topic")
    at = out["topic"] == keep
    for col in ("name", "size", "share"):
        if col in out.columns:
            out[col] = out["topic"].map(current[col]).fillna(out[col]).astype(df[col].dtype)
    for col in unmeasured:
        if col in out.columns:
            out.loc[at, col] = np.nan
    return out.reset_index(drop=True)


def _merged_evaluation(evaluation: pd.DataFrame, paragraph_topics: pd.DataFrame, cfg: Config) -> pd.DataFrame:
    """The size figures of ``topic_evaluation`` recomputed over the modelled units; the others kept."""
    if cfg.topics.unit == "article":
        units = paragraph_topics.drop_duplicates("article_id")
    else:
        units = paragraph_topics[paragraph_topics["probability"].notna()]
    sizes = size_summary(units["topic"].to_numpy())
    out = evaluation.copy()
    known = out["metric"].isin(list(sizes))
    out.loc[known, "value"] = out.loc[known, "metric"].map(sizes).astype(float)
    return out


def _topic_stance(tables: dict, paragraph_topics: pd.DataFrame, cfg: Config) -> dict[str, pd.DataFrame]:
    """``stance_by_topic`` and ``evidence`` from the stored scored sentences, as the pipeline makes them."""
    articles = tables["articles"]
    scfg = cfg.stance
    fresh = stance_tables(tables["stance"], paragraph_topics, articles, scfg, cfg.seed,
                          tables.get("sentences"), tables.get("stance_confusion"),
                          period=run_period(cfg, articles))
    return {"stance_by_topic": fresh["stance_by_topic"], "evidence": fresh["evidence"]}
