"""Edits of a finished run (relabel, merge) and assignment of new articles, with no refit."""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import load_run
from analysis.assign import assign_run
from analysis.cli import app
from analysis.corpus import load_corpus
from analysis.edit import merge_topics, relabel_run
from analysis.io import table_digest
from analysis.runs import read_tables


@pytest.fixture
def run_copy(sample_run, tmp_path):
    """A private copy of the session's run folder (edits change it)."""
    target = tmp_path / sample_run.run_dir.name
    shutil.copytree(sample_run.run_dir, target)
    return target


@pytest.fixture
def no_refit(monkeypatch):
    """Embedding, encoding and topic fitting fail if anything calls them."""
    from sentence_transformers import SentenceTransformer

    from analysis.embed.embedder import Embedder
    from analysis.topics.modeler import TopicModeler

    def boom(*args, **kwargs):
        raise AssertionError("an edit must not embed or fit")

    monkeypatch.setattr(Embedder, "transform", boom)
    monkeypatch.setattr(SentenceTransformer, "encode", boom)
    monkeypatch.setattr(TopicModeler, "fit", boom)


def _two_topics(run_dir) -> tuple[int, int]:
    topics = read_tables(run_dir, ["topics"])["topics"]
    real = sorted(int(t) for t in topics["topic"] if t >= 0)
    return real[0], real[1]


def test_relabel_changes_tables_report_and_model(run_copy, no_refit):
    keep, _ = _two_topics(run_copy)
    manifest = relabel_run(run_copy, {keep: "Renamed Topic Xq"})
    tables = read_tables(run_copy)
    for name, df in tables.items():
        if {"topic", "name"} <= set(df.columns) and (df["topic"] == keep).any():
            assert set(df.loc[df["topic"] == keep, "name"]) == {"Renamed Topic Xq"}, name
            assert manifest["tables"][name] == table_digest(df)
    assert "Renamed Topic Xq" in (run_copy / "report.html").read_text(encoding="utf-8")
    assert manifest["edits"][-1]["kind"] == "relabel"
    assert json.loads((run_copy / "manifest.json").read_text())["edits"] == manifest["edits"]
    labels = load_run(run_copy).topic_model.get_topic_info().set_index("Topic")["CustomName"]
    assert labels[keep] == "Renamed Topic Xq"
    saved = json.loads((run_copy / "topic_model" / "topics.json").read_text())  # plain BERTopic.load sees it too
    assert "Renamed Topic Xq" in saved["custom_labels"]
    again = relabel_run(run_copy, {keep: "Renamed Topic Xq"})  # idempotent: nothing new recorded
    assert len(again["edits"]) == len(manifest["edits"])


def test_merge_conserves_paragraphs_and_recomputes_topic_stance(run_copy, no_refit):
    keep, drop = _two_topics(run_copy)
    before = read_tables(run_copy)
    manifest = merge_topics(run_copy, keep, drop)
    after = read_tables(run_copy)
    assert len(after["topics"]) == len(before["topics"]) - 1
    assert drop not in set(after["topics"]["topic"])
    sizes = before["topics"].set_index("topic")["size"]
    assert after["topics"].set_index("topic").loc[keep, "size"] == sizes[keep] + sizes[drop]
    assert after["topics"]["size"].sum() == before["topics"]["size"].sum()
    pt_before, pt_after = before["paragraph_topics"], after["paragraph_topics"]
    assert len(pt_after) == len(pt_before)
    assert (pt_after["topic"] == keep).sum() == pt_before["topic"].isin([keep, drop]).sum()
    assert manifest["counts"]["topics"] == int((after["topics"]["topic"] >= 0).sum())
    stance = after["stance_by_topic"]
    assert drop not in set(stance["topic"])
    merged = stance[stance["topic"] == keep].set_index("target")["n_sentences"]
    old = before["stance_by_topic"]
    old_sum = old[old["topic"].isin([keep, drop])].groupby("target")["n_sentences"].sum()
    pd.testing.assert_series_equal(merged.sort_index(), old_sum.sort_index(), check_names=False)
    unchanged = old[~old["topic"].isin([keep, drop])].reset_index(drop=True)
    pd.testing.assert_frame_equal(stance[~stance["topic"].isin([keep])].reset_index(drop=True), unchanged)
    assert manifest["edits"][-1]["kind"] == "merge"
    model = load_run(run_copy).topic_model
    assert len(model.get_topics()) == len(after["topics"])
    assert merge_topics(run_copy, keep, drop)["edits"] == manifest["edits"]  # idempotent


def test_edits_load_no_model_library(run_copy):
    """The relabel and merge commands read and write files only: no torch, BERTopic, sentence-transformers,
    and not even scikit-learn (the modelling code loads only when a command needs it) or plotly (the
    report embeds plain plotly.js data)."""
    import subprocess
    import sys

    keep, drop = _two_topics(run_copy)
    code = ("import sys; from analysis.cli import app; "
            f"app(['relabel', {str(run_copy)!r}, '--topic', '{keep}=Plain Name'], standalone_mode=False); "
            f"app(['merge', {str(run_copy)!r}, '--topics', '{keep},{drop}'], standalone_mode=False); "
            "heavy = [m for m in ('torch', 'bertopic', 'sentence_transformers', 'umap', 'transformers', "
            "'sklearn', 'plotly') if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    saved = json.loads((run_copy / "topic_model" / "topics.json").read_text())
    assert saved["custom_labels"].count("Plain Name") == 2  # both fitted topics show the merged name
    model = load_run(run_copy).topic_model  # the recorded merge is applied on load
    assert len(model.get_topics()) == len(read_tables(run_copy, ["topics"])["topics"])
    assert set(model.get_topic_info()["CustomName"]) >= {"Plain Name"}


def test_merge_refuses_unknown_topics(run_copy):
    with pytest.raises(ValueError, match="no topic 999"):
        merge_topics(run_copy, 0, 999)


def test_cli_merge_with_a_name(run_copy, no_refit):
    keep, drop = _two_topics(run_copy)
    runner = CliRunner()
    result = runner.invoke(app, ["merge", str(run_copy), "--topics", f"{keep},{drop}", "--name", "Cli Name"])
    assert result.exit_code == 0, result.output
    topics = read_tables(run_copy, ["topics"])["topics"]
    assert topics.set_index("topic").loc[keep, "name"] == "Cli Name"
    assert drop not in set(topics["topic"])
    assert runner.invoke(app, ["relabel", str(run_copy), "--topic", "nonsense"]).exit_code == 2
    assert runner.invoke(app, ["merge", str(run_copy), "--topics", "1"]).exit_code == 2


def test_cli_lists_the_commands():
    runner = CliRunner()
    for command in ("assign", "relabel", "merge"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, result.output
    assert "--format" in runner.invoke(app, ["assign", "--help"]).output
    assert runner.invoke(app, ["assign", "/nonexistent", "--corpus", "x.jsonl"]).exit_code == 2


def _new_articles(sample_run, tmp_path, n: int = 2):
    """The first four paragraphs of ``n`` run articles under new ids, as a JSONL corpus."""
    source = load_corpus(sample_run.manifest["corpus"]["paths"][0]).articles.head(n)
    new = tmp_path / "new.jsonl"
    with new.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(source.itertuples()):
            text = "\n\n".join(row.text.split("\n\n")[:4])
            fh.write(json.dumps({"id": f"new{i}", "title": f"Update: {row.title}", "text": text}) + "\n")
    return source, new


def _agreement(tables, source, run_paragraph_topics) -> float:
    """Share of the fitted new paragraphs that got the topic their original paragraph has in the run."""
    run_topics = run_paragraph_topics.set_index("paragraph_id")["topic"]
    mapped = tables["paragraph_topics"]["paragraph_id"].str.replace(
        r"^new(\d)", lambda m: source["article_id"].iloc[int(m.group(1))], regex=True)
    fitted = tables["paragraph_topics"]["probability"].notna().to_numpy()
    return (mapped.map(run_topics).to_numpy() == tables["paragraph_topics"]["topic"].to_numpy())[fitted].mean()


def test_assign_after_a_merge_uses_the_merged_topics(sample_run, run_copy, tmp_path, cache_dir):
    keep, drop = _two_topics(run_copy)
    merge_topics(run_copy, keep, drop)
    source, new = _new_articles(sample_run, tmp_path, n=10)
    tables = assign_run(run_copy, new, tmp_path / "assigned", cache_dir=cache_dir)
    assert drop not in set(tables["paragraph_topics"]["topic"])
    assert _agreement(tables, source, read_tables(run_copy, ["paragraph_topics"])["paragraph_topics"]) >= 0.8


def test_assign_new_articles(sample_run, run_copy, tmp_path, cache_dir):
    source, new = _new_articles(sample_run, tmp_path)
    out = tmp_path / "assigned"
    tables = assign_run(run_copy, new, out, cache_dir=cache_dir)
    known = set(read_tables(run_copy, ["topics"])["topics"]["topic"])
    assert set(tables["paragraph_topics"]["topic"]) <= known
    assert len(tables["paragraph_topics"]) == len(tables["paragraphs"]) > 0
    assert set(tables["article_topics"]["article_id"]) == set(tables["articles"]["article_id"])
    assert {"stance", "stance_by_topic", "stance_by_target"} <= set(tables)
    assert (out / "paragraph_topics.parquet").is_file() and (out / "stance_by_topic.csv").is_file()
    assert json.loads((out / "assignment.json").read_text())["run_id"] == sample_run.run_id
    assert _agreement(tables, source, sample_run.paragraph_topics) >= 0.8  # the run's topics again


def test_cli_assign_says_what_reading_the_corpus_found(run_copy, tmp_path, cache_dir):
    corpus = tmp_path / "new.csv"
    corpus.write_text("id;headline;body;extra\n"
                      "q1;A headline;Russia said the West is wrong about trade routes across the Caspian.;z\n"
                      "q2;Empty;;z\n", encoding="utf-8")
    out = tmp_path / "assigned"
    result = CliRunner().invoke(app, ["assign", str(run_copy), "--corpus", str(corpus), "--out", str(out),
                                      "--cache-dir", str(cache_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())  # the console wraps long lines
    assert "1 articles (1 rejected)" in shown
    assert "ignored columns: 'extra'" in shown and "new.csv row 2: empty text" in shown
    recorded = json.loads((out / "assignment.json").read_text())
    assert any("ignored columns: 'extra'" in w for w in recorded["warnings"]) and recorded["rejected"] == 1
