"""build_figures: which figures a run gets, where they go, and what is left out."""
from __future__ import annotations

import pandas as pd

from analysis import schema
from analysis.report.build import FIGURES_DIR, build_figures, omitted
from analysis.report.sample import TARGETS, sample_tables

EXPECTED = ["topic_sizes", "stance_distribution",
            "stance_by_topic_middle_corridor", "stance_by_article_middle_corridor",
            "stance_by_topic_russia", "stance_by_article_russia"]


def test_builds_every_figure_with_caption(tmp_path):
    figures = build_figures(sample_tables(), tmp_path, list(TARGETS))
    assert list(figures) == EXPECTED
    for stem, entry in figures.items():
        assert entry["png"] == tmp_path / FIGURES_DIR / f"{stem}.png" and entry["png"].is_file()
        assert entry["pdf"] == tmp_path / FIGURES_DIR / f"{stem}.pdf" and entry["pdf"].is_file()
        assert entry["caption"] and "note" not in entry
    assert figures["stance_by_topic_russia"]["target"] == "Russia"
    assert figures["topic_sizes"]["section"] == "topics"
    assert omitted(figures) == []


def test_targets_default_to_those_in_the_tables(tmp_path):
    assert list(build_figures(sample_tables(), tmp_path)) == EXPECTED


def test_missing_data_is_noted_not_drawn(tmp_path):
    tables = sample_tables()
    tables["topics"] = pd.DataFrame(columns=schema.TOPICS)
    figures = build_figures(tables, tmp_path, [*TARGETS, "NATO"])
    assert "png" not in figures["topic_sizes"]
    assert "png" not in figures["stance_by_topic_nato"]
    assert not (tmp_path / FIGURES_DIR / "stance_by_topic_nato.png").exists()
    notes = omitted(figures)
    assert "No topics table: topic sizes omitted." in notes
    assert "No article-level stance toward NATO: stance by article omitted." in notes


def test_targets_with_the_same_slug_get_distinct_files(tmp_path):
    figures = build_figures(sample_tables(), tmp_path, ["Russia", "russia"])
    assert "stance_by_topic_russia" in figures and "stance_by_topic_russia_" in figures
