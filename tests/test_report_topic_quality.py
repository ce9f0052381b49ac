"""Per-topic quality in the report: NPMI, unique keywords, recurrence across seeds, "unstable" flags."""
from __future__ import annotations

import re

import pandas as pd

from analysis import schema
from analysis.report.context_topics import (UNSTABLE_BELOW, UNSTABLE_RULE, topic_quality_fields, topic_quality_note,
                                            unique_word_shares)
from analysis.report.render import render_report

from report_sample import sample_manifest, sample_tables


def _render(tmp_path, tables) -> tuple[str, str]:
    paths = render_report(tables, sample_manifest(), tmp_path, {})
    return paths["html"].read_text("utf-8"), paths["md"].read_text("utf-8")


def test_unique_keyword_share_counts_words_no_other_topic_lists():
    topics = pd.DataFrame({"topic": [0, 1, -1], "keywords": [["a", "b", "c", "d"], ["c", "d", "e", "f"],
                                                             ["a", "z", "y", "x"]]})
    shares = unique_word_shares(topics)
    assert shares == {"0": 0.5, "1": 0.5}  # outliers neither count nor are counted


def test_sample_topic_below_the_threshold_is_flagged():
    tables = sample_tables()
    fields = topic_quality_fields(tables)
    stability = tables["topic_stability"].set_index("topic")["recurrence"]
    assert stability[2] < UNSTABLE_BELOW <= stability[0]
    assert fields["2"]["unstable"] and not fields["0"]["unstable"] and not fields["1"]["unstable"]
    assert fields["2"]["recurrence"] == "1 of 2"  # three seeds: the run and two refits
    assert topic_quality_note(tables) == {"rule": UNSTABLE_RULE, "refits": 2,
                                          "measured": True, "n_unstable": 1}


def test_unstable_topic_is_flagged_in_html_and_markdown(tmp_path):
    html, md = _render(tmp_path, sample_tables())
    assert "Per topic" in html and "Unique keywords" in html
    # the flag sits in the per-topic table and in the heading of the unstable topic only
    heading = re.search(r"<h3>armenia_eu_integration.*?</h3>", html, flags=re.S).group(0)
    assert 'class="flag-unstable"' in heading and ">unstable<" in heading
    for stable in ("corridor_rail_caspian", "azerbaijan_russia_crash"):
        assert "unstable" not in re.search(rf"<h3>{stable}.*?</h3>", html, flags=re.S).group(0)
    assert re.search(r'<tr class="unstable">.*?armenia_eu_integration.*?unstable', html, flags=re.S)
    assert html.count('<tr class="unstable">') == 1
    assert "### armenia_eu_integration (topic 2) — **unstable**" in md
    row = next(line for line in md.splitlines() if line.startswith("| armenia_eu_integration"))
    assert row.rstrip().endswith("| **unstable** |") and "| 1 of 2 |" in row
    assert "**Found again in** 1 of 2 seed refits" in md


def test_without_stability_nothing_is_flagged(tmp_path):
    tables = sample_tables()
    tables["topic_stability"] = pd.DataFrame(columns=schema.TOPIC_STABILITY)
    tables["topic_stability_pairs"] = pd.DataFrame(columns=schema.TOPIC_STABILITY_PAIRS)
    html, md = _render(tmp_path, tables)
    assert "flag-unstable\">unstable" not in html and "**unstable**" not in md
    assert "was not measured" in html and "was not measured" in md
    assert "Unique keywords" in md
