"""build_figures: which figures a run gets, where they go, and what is left out."""
from __future__ import annotations

import threading
import warnings

import pandas as pd
import pytest

from analysis import schema
from analysis.report import build, figures_map
from analysis.report.build import FIGURES_DIR, build_figures, omitted
from analysis.report.plan import figure_plan

from report_sample import TARGETS, sample_tables

PER_TARGET = ["stance_by_topic", "stance_by_article", "stance_over_time", "stance_by_outlet"]
EXPECTED = (["topic_sizes", "paragraph_map", "topic_quality", "topic_hierarchy", "topic_stability",
             "topics_over_time", "topics_by_outlet", "stance_distribution"]
            + [f"{fig}_{key}" for key in ("middle_corridor", "russia") for fig in PER_TARGET]
            + ["stance_confusion", "stance_reliability", "stance_validation_f1"])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("figs")
    return out, build_figures(sample_tables(), out, list(TARGETS), dpi=150, html_dpi=60)


def test_builds_every_figure_with_caption(built):
    out, figures = built
    assert list(figures) == EXPECTED
    for stem, entry in figures.items():
        assert entry["png"] == out / FIGURES_DIR / f"{stem}.png" and entry["png"].is_file()
        assert entry["pdf"] == out / FIGURES_DIR / f"{stem}.pdf" and entry["pdf"].is_file()
        assert entry["caption"] and "note" not in entry
        assert entry["html_png"].startswith(b"\x89PNG")
        assert len(entry["html_png"]) < entry["png"].stat().st_size  # the embedded copy is lighter
    assert figures["stance_by_topic_russia"]["target"] == "Russia"
    assert figures["paragraph_map"]["section"] == "topics"
    assert figures["stance_confusion"]["section"] == "validation"
    assert omitted(figures) == []


def test_plan_lists_without_drawing():
    stems = [item.stem for item in figure_plan(sample_tables(), list(TARGETS))]
    assert stems == EXPECTED


def test_targets_default_to_those_in_the_tables(tmp_path):
    tables = {"stance_by_topic": sample_tables()["stance_by_topic"]}
    stems = [i.stem for i in figure_plan(tables, ["Middle Corridor", "Russia"])]
    assert {"stance_by_topic_middle_corridor", "stance_by_topic_russia"} <= set(stems)
    assert set(build_figures(tables, tmp_path)) >= {"stance_by_topic_russia"}


def test_nothing_to_draw_gives_notes_only(tmp_path):
    figures = build_figures({}, tmp_path, ["NATO"])
    assert not (tmp_path / FIGURES_DIR).exists() or not list((tmp_path / FIGURES_DIR).iterdir())
    notes = omitted(figures)
    assert "No topics table: topic sizes omitted." in notes
    assert "No dated articles: topics over time omitted." in notes
    assert any(n.startswith("Topic stability not run") for n in notes)
    assert "No scored sentence comes from a dated article: stance over time omitted." in notes
    assert "Scored sentences come from fewer than two outlets: stance by outlet omitted." in notes
    assert "No article-level stance toward NATO: stance by article omitted." in notes
    assert not any("stance_confusion" in n for n in notes)  # the Validation section says it once
    assert "stance_over_time_nato" not in figures  # one corpus-level note instead


def test_one_outlet_and_one_period_are_left_out(tmp_path):
    tables = sample_tables()
    by_source = tables["topics_by_source"]
    tables["topics_by_source"] = by_source[by_source["group"] != "Caspian News"]
    tables["stance_by_source"] = tables["stance_by_source"].query("source == 'Eurasia Review'")
    tables["stance_by_time"] = tables["stance_by_time"].query("period == '2025-01'")
    tables["topics_over_time"] = tables["topics_over_time"].iloc[:0]
    keep = ["topics_by_source", "stance_by_source", "stance_by_time", "topics_over_time"]
    figures = build_figures({k: tables[k] for k in keep}, tmp_path, ["Russia"])
    assert "png" not in figures["topics_by_outlet"]
    assert "stance_by_outlet_russia" not in figures and "png" not in figures["stance_by_outlet"]
    assert figures["stance_over_time_russia"]["note"].startswith("Sentences toward Russia fall in fewer")
    assert "png" not in figures["topics_over_time"]


def test_targets_with_the_same_slug_get_distinct_files():
    stems = [i.stem for i in figure_plan(sample_tables(), ["Russia", "russia"])]
    assert "stance_by_topic_russia" in stems and "stance_by_topic_russia_" in stems


def test_a_failing_figure_is_noted_not_fatal(tmp_path, monkeypatch):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(figures_map, "paragraph_map", broken)
    tables = {"paragraph_map": sample_tables()["paragraph_map"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures = build_figures(tables, tmp_path, [])
    assert figures["paragraph_map"]["note"] == "Figure paragraph_map could not be drawn (boom)."
    assert any("paragraph_map" in str(w.message) for w in caught)


def test_svg_instead_of_pdf(tmp_path):
    tables = {"topics": sample_tables()["topics"]}
    entry = build_figures(tables, tmp_path, [], vector="svg", html_dpi=None)["topic_sizes"]
    assert entry["svg"].suffix == ".svg" and entry["svg"].read_text().lstrip().startswith("<?xml")
    assert "pdf" not in entry and "html_png" not in entry


def test_empty_map_table_is_noted(tmp_path):
    tables = {"paragraph_map": pd.DataFrame(columns=["paragraph_id", "article_id", "topic", "x", "y"]),
              "topics": pd.DataFrame(columns=schema.TOPICS)}
    assert "No paragraph map" in build_figures(tables, tmp_path, [])["paragraph_map"]["note"]


@pytest.fixture()
def forking(monkeypatch):
    """Force the forked drawing (other tests may have left a thread behind) and count its uses."""
    calls = []
    real = build._fork_drawing
    monkeypatch.setattr(build, "_can_fork", lambda: True)
    monkeypatch.setattr(build, "_fork_drawing", lambda *args: calls.append(args) or real(*args))
    return calls


def test_forked_drawing_writes_the_same_files(tmp_path, forking):
    tables = sample_tables()
    here = build_figures(tables, tmp_path / "here", list(TARGETS), dpi=80, html_dpi=40)
    forked = build_figures(tables, tmp_path / "forked", list(TARGETS), dpi=80, html_dpi=40, processes=2)
    assert len(forking) == 1
    assert list(forked) == list(here) == EXPECTED
    for stem, entry in here.items():
        other = forked[stem]
        assert other["caption"] == entry["caption"] and other["html_png"] == entry["html_png"]
        for kind in ("png", "pdf"):
            assert other[kind] == tmp_path / "forked" / FIGURES_DIR / f"{stem}.{kind}"
            assert other[kind].read_bytes() == entry[kind].read_bytes(), (stem, kind)


def test_a_figure_failing_in_a_forked_process_warns_here(tmp_path, monkeypatch, forking):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(figures_map, "paragraph_map", broken)
    tables = {name: sample_tables()[name] for name in ("paragraph_map", "topics")}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures = build_figures(tables, tmp_path, [], processes=2)
    assert forking
    assert figures["paragraph_map"]["note"] == "Figure paragraph_map could not be drawn (boom)."
    assert figures["topic_sizes"]["png"].is_file()
    assert any("paragraph_map could not be drawn" in str(w.message) for w in caught)


def test_no_fork_while_another_thread_runs(tmp_path):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert not build._can_fork()  # a fork would copy locks the other thread may hold
        tables = {"topics": sample_tables()["topics"], "paragraph_map": sample_tables()["paragraph_map"]}
        figures = build_figures(tables, tmp_path, [], dpi=60, html_dpi=None, processes=2)
        assert figures["topic_sizes"]["png"].is_file() and figures["paragraph_map"]["png"].is_file()
    finally:
        stop.set()
        other.join()
