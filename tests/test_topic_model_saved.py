"""The fitted topic model saved in the run folder (safetensors, no pickles) and loaded back offline."""
from __future__ import annotations

import shutil

import pytest

from analysis import load_run
from analysis.topics.persist import TOPIC_MODEL_DIR, TopicModelMissingError, load_topic_model


def test_saved_folder_has_no_pickles(sample_run):
    folder = sample_run.run_dir / TOPIC_MODEL_DIR
    names = {p.name for p in folder.rglob("*")}
    assert {"topics.json", "config.json", "topic_embeddings.safetensors", "ctfidf.safetensors"} <= names
    assert not [n for n in names if n.endswith((".pkl", ".pickle", ".bin"))]


def test_bertopic_loads_it_offline(sample_run, monkeypatch):
    from bertopic import BERTopic

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = BERTopic.load(str(sample_run.run_dir / TOPIC_MODEL_DIR),
                          embedding_model=sample_run.manifest["model"]["path"])
    assert sorted(model.get_topics()) == sorted(sample_run.topics["topic"].astype(int))


def test_load_run_topic_model_has_the_run_topics(sample_run):
    run = load_run(sample_run.run_dir)
    info = run.topic_model.get_topic_info()
    assert run.topic_model is run.topic_model  # loaded once, then kept
    topics = run.topics.set_index("topic")
    assert sorted(info["Topic"]) == sorted(topics.index)
    assert dict(zip(info["Topic"], info["CustomName"])) == topics["name"].to_dict()
    assert dict(zip(info["Topic"], info["Count"])) == topics["size"].to_dict()


def test_a_run_without_topics_says_so(sample_run, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(sample_run.run_dir, run_dir)
    shutil.rmtree(run_dir / TOPIC_MODEL_DIR)
    with pytest.raises(TopicModelMissingError, match="no saved topic model"):
        _ = load_run(run_dir).topic_model


def test_missing_embedding_model_is_a_clear_error(sample_run):
    manifest = {**sample_run.manifest, "model": {"path": "/nonexistent/model"}}
    with pytest.raises(FileNotFoundError, match="not on this machine"):
        load_topic_model(sample_run.run_dir, manifest)


def test_names_follow_the_topics_table(sample_run):
    model = load_topic_model(sample_run.run_dir, names={0: "Renamed"})
    labels = dict(zip(model.get_topic_info()["Topic"], model.get_topic_info()["CustomName"]))
    assert labels[0] == "Renamed"
