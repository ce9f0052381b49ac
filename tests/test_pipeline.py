"""End to end on the bundled corpus: tables, topics, stance, outputs, determinism."""
import json

import pandas as pd

from analysis import load_run, run_pipeline
from analysis.schema import ARTICLES, PARAGRAPHS, SENTENCES, STANCE, TOPICS, check_columns

from conftest import SAMPLE


def test_tables_have_their_columns(sample_run):
    check_columns(sample_run.articles, ARTICLES, "articles")
    check_columns(sample_run.paragraphs, PARAGRAPHS, "paragraphs")
    check_columns(sample_run.sentences, SENTENCES, "sentences")
    check_columns(sample_run.topics, TOPICS, "topics")
    check_columns(sample_run.stance, STANCE, "stance")
    assert len(sample_run.articles) == 10


def test_middle_corridor_and_airliner_topics(sample_run):
    keywords = sample_run.topics.set_index("topic")["keywords"]
    words = {t: set(" ".join(keywords[t]).split()) for t in keywords.index}
    # the paragraphs that talk about the Middle Corridor share one topic, and its keywords say so
    pt = sample_run.paragraph_topics.merge(sample_run.paragraphs[["paragraph_id", "text"]])
    about = pt[pt["text"].str.count("Middle Corridor") >= 2]
    corridor = about["topic"].mode()[0]
    assert corridor != -1 and (about["topic"] == corridor).mean() >= 0.6
    assert {"corridor", "route", "transit", "caspian", "rail"} & words[corridor], keywords[corridor]
    airliner = [t for t in keywords.index if {"crash", "plane", "airliner", "incident", "airlines"} & words[t]]
    assert airliner and corridor not in airliner


def test_both_targets_scored_with_intervals(sample_run):
    stance = sample_run.stance
    assert set(stance["target"]) == {"Russia", "the West"}
    assert stance["label"].isin(["favor", "against", "neutral"]).all()
    assert stance["score"].between(-1, 1).all()
    agg = sample_run.stance_by_article
    assert (agg["ci_low"] <= agg["mean_score"] + 1e-12).all()
    assert (agg["mean_score"] <= agg["ci_high"] + 1e-12).all()
    assert (agg["n_sentences"] >= 1).all()


def test_run_folder_outputs(sample_run):
    run_dir = sample_run.run_dir
    assert run_dir.name == sample_run.run_id
    for name in ("articles", "topics", "stance", "stance_by_topic", "rejects"):
        assert (run_dir / "tables" / f"{name}.parquet").is_file()
    assert (run_dir / "report.html").is_file() and (run_dir / "report.md").is_file()
    assert list((run_dir / "figures").glob("*.png")) and list((run_dir / "figures").glob("*.pdf"))
    manifest = json.loads((run_dir / "manifest.json").read_text())
    for key in ("config", "corpus_fingerprint", "model_fingerprint", "versions", "seed", "timings", "counts"):
        assert key in manifest
    counts = manifest["counts"]
    assert counts["records"] == counts["accepted"] + counts["rejected"]
    html = (run_dir / "report.html").read_text()
    assert "Middle Corridor" in html or "middle corridor" in html


def test_same_inputs_give_identical_tables(sample_run, tmp_path, cache_dir):
    again = run_pipeline(SAMPLE, None, tmp_path, cache_dir=cache_dir, show_progress=False, reuse=False)
    assert again.run_id == sample_run.run_id
    assert again.manifest["counts"]["embedded"] == 0
    for name, table in sample_run.tables.items():
        pd.testing.assert_frame_equal(table, again.tables[name], obj=name)
    assert again.manifest["tables"] == sample_run.manifest["tables"]
    read_back = load_run(again.run_dir).tables  # what a reused run returns: the same values and dtypes
    for name, table in again.tables.items():
        pd.testing.assert_frame_equal(table, read_back[name], obj=f"{name} read back")


def test_script_in_title_is_escaped(tmp_path, cache_dir):
    bad = "<script>alert(1)</script>"
    body = ("The Middle Corridor runs from China through Kazakhstan and the Caspian Sea. "
            "Russia loses transit revenue as cargo moves to the new route.")
    rows = [{"title": bad if i == 0 else f"Article {i}", "text": f"{body} Paragraph variant {i}.\n\n"
             f"Moscow criticised the European Union over the corridor in statement {i}."}
            for i in range(8)]
    result = run_pipeline(pd.DataFrame(rows), None, tmp_path, cache_dir=cache_dir, show_progress=False)
    html = result.report_path.read_text()
    assert bad not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_engine_made_by_name_is_closed_when_a_stage_fails(monkeypatch, tmp_path):
    import pytest

    import analysis.pipeline as pipeline

    closed = []

    class Engine:
        def close(self):
            closed.append(True)

    def failing_load(corpus, cfg, progress=None):
        raise RuntimeError("stage failed")

    monkeypatch.setattr(pipeline, "get_engine", lambda name, scheduler: Engine())
    monkeypatch.setattr(pipeline, "load_node", failing_load)
    with pytest.raises(RuntimeError, match="stage failed"):
        run_pipeline(SAMPLE, None, tmp_path, cache_dir=tmp_path / "cache", show_progress=False,
                     engine="dask", scheduler="tcp://unused:8786", reuse=False)
    assert closed == [True]
