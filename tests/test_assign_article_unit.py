"""``analysis assign`` on a run whose topic unit is the article: paragraphs follow the run's rule."""
from __future__ import annotations

import json
import shutil

import pytest

from analysis import run_pipeline
from analysis.assign import assign_run
from analysis.config import config_from_dict
from analysis.corpus import load_corpus
from analysis.edit import merge_topics
from analysis.topics.persist import CENTROIDS_FILE, TOPIC_MODEL_DIR, check_topic_model_dir, paragraph_centroids

from conftest import SAMPLE


@pytest.fixture(scope="module")
def article_run(tmp_path_factory, cache_dir):
    cfg = config_from_dict({"topics": {"unit": "article", "stability_seeds": 0}})
    return run_pipeline(SAMPLE, cfg, tmp_path_factory.mktemp("article-unit"), cache_dir=cache_dir,
                        show_progress=False)


@pytest.fixture
def same_articles(tmp_path):
    """The sample corpus again under new ids (new0, new1, ...), and new id -> run article id."""
    source = load_corpus(SAMPLE).articles
    path = tmp_path / "again.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(source.itertuples()):
            fh.write(json.dumps({"id": f"new{i}", "title": row.title, "text": row.text}) + "\n")
    return path, {f"new{i}": a for i, a in enumerate(source["article_id"])}


def _as_run_ids(paragraph_topics, ids: dict) -> dict:
    """paragraph id (rewritten to the run's article id) -> topic."""
    out = {}
    for pid, article, topic in paragraph_topics[["paragraph_id", "article_id", "topic"]].itertuples(index=False):
        out[ids[article] + pid[len(article):]] = int(topic)
    return out


def test_the_run_saves_its_paragraph_centroids(article_run):
    folder = check_topic_model_dir(article_run.run_dir / TOPIC_MODEL_DIR)
    assert (folder / CENTROIDS_FILE).is_file()
    centroids, min_words = paragraph_centroids(article_run.run_dir)
    assert set(centroids) >= set(article_run.topics["topic"].astype(int)) - {-1}
    assert min_words == article_run.manifest["config"]["topics"]["min_words"]


def test_same_articles_get_the_run_paragraph_topics(article_run, same_articles, tmp_path, cache_dir):
    path, ids = same_articles
    run = article_run.tables["paragraph_topics"]
    mixed = run.groupby("article_id")["topic"].nunique()
    assert (mixed >= 2).any()  # the sample holds mixed articles, so the rule matters here
    tables = assign_run(article_run.run_dir, path, tmp_path / "assigned", cache_dir=cache_dir)
    got = _as_run_ids(tables["paragraph_topics"], ids)
    assert got == dict(zip(run["paragraph_id"], run["topic"].astype(int)))


def test_after_a_merge_paragraphs_follow_the_merged_topic(article_run, same_articles, tmp_path, cache_dir):
    run_dir = tmp_path / "run"
    shutil.copytree(article_run.run_dir, run_dir)
    real = sorted(int(t) for t in article_run.topics["topic"] if t >= 0)
    keep, drop = real[0], real[1]
    merge_topics(run_dir, keep, drop)
    path, ids = same_articles
    tables = assign_run(run_dir, path, tmp_path / "assigned", cache_dir=cache_dir)
    run = article_run.tables["paragraph_topics"]
    expected = {p: keep if int(t) == drop else int(t) for p, t in zip(run["paragraph_id"], run["topic"])}
    assert _as_run_ids(tables["paragraph_topics"], ids) == expected
