"""The topic tables of a pipeline run, the topics CLI, and the evaluation-corpus readers."""
import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import schema
from analysis.config import ConfigError, config_from_dict

from conftest import eval_path


def test_run_writes_the_topic_tables(sample_run):
    for name, columns in [("topic_quality", schema.TOPIC_QUALITY), ("topic_evaluation", schema.TOPIC_EVALUATION),
                          ("topics_over_time", schema.TOPICS_OVER_TIME),
                          ("topics_by_source", schema.TOPICS_BY_SOURCE), ("topic_hierarchy", schema.TOPIC_HIERARCHY)]:
        schema.check_columns(sample_run.tables[name], columns, name)
        assert (sample_run.run_dir / "tables" / f"{name}.parquet").is_file()
    quality = sample_run.topic_quality
    assert set(quality["topic"]) == set(sample_run.topics["topic"])
    assert quality["npmi"].between(-1, 1).all()
    metrics = sample_run.topic_evaluation.set_index("metric")["value"]
    assert metrics["n_topics"] == (sample_run.topics["topic"] >= 0).sum()
    assert 0 < metrics["diversity"] <= 1 and -1 <= metrics["npmi_mean"] <= 1
    assert metrics["outlier_share"] <= metrics["outlier_share_before_reduction"]
    assert metrics["outlier_share"] == pytest.approx(sample_run.manifest["resolved"]["outlier_share_after"])
    # the sample digest has no dates but one tag; the hierarchy joins every topic
    assert sample_run.topics_over_time.empty
    assert set(sample_run.topics_by_source["field"]) == {"tag"}
    hierarchy = sample_run.topic_hierarchy
    assert len(hierarchy) == metrics["n_topics"] - 1
    assert sorted(hierarchy["topics"].iloc[-1]) == sorted(t for t in sample_run.topics["topic"] if t >= 0)


def test_labels_without_stop_words(sample_run):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    for words in sample_run.topics["keywords"]:
        assert not {w for kw in words for w in kw.split()} & ENGLISH_STOP_WORDS


def test_topics_config_keys_validate():
    cfg = config_from_dict({"topics": {"seed_topics": {"Middle Corridor": ["corridor", "rail"]},
                                       "zeroshot_topics": ["plane crash"], "time_freq": "Q"}})
    assert cfg.topics.seed_topics["Middle Corridor"] == ["corridor", "rail"]
    with pytest.raises(ConfigError, match="time_freq"):
        config_from_dict({"topics": {"time_freq": "hourly"}})


def test_with_setting_and_parse_value():
    from analysis.config import Config
    from analysis.eval.topics import parse_value, with_setting

    assert [parse_value(v) for v in ["12", "0.5", "auto", "none", "true"]] == [12, 0.5, "auto", None, True]
    cfg = with_setting(Config(), "topics.hdbscan.min_cluster_size", 12)
    assert cfg.topics.hdbscan.min_cluster_size == 12 and cfg.hash() != Config().hash()
    with pytest.raises(KeyError):
        with_setting(Config(), "topics.hdbscan.min_clustersize", 3)


@pytest.mark.slow
def test_cli_evaluate_prints_quality(cache_dir, tmp_path):
    from analysis.cli import app

    result = CliRunner().invoke(app, ["topics", "evaluate", "--cache-dir", str(cache_dir), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "npmi_mean" in result.stdout and "diversity" in result.stdout
    table = pd.read_csv(tmp_path / "topic_quality.csv")
    assert table["npmi"].between(-1, 1).all() and (table["topic"] >= 0).any()


def test_cli_reports_bad_input():
    from analysis.cli import app

    result = CliRunner().invoke(app, ["topics", "benchmark", "--eval", "nonsense"])
    assert result.exit_code == 2 and "unknown evaluation corpus" in result.output


def test_eval_corpus_readers_keep_labels_apart():
    eval_path("ag_news", "test.csv")
    from analysis.eval.corpora import load_eval_corpus

    df = load_eval_corpus("ag_news", "test", sample=50, seed=3)
    assert len(df) == 50 and set(df["label"]) <= {"World", "Sports", "Business", "Sci/Tech"}
    assert not df["text"].str.contains(" #36;").any()
    again = load_eval_corpus("ag_news", "test", sample=50, seed=3)
    pd.testing.assert_frame_equal(df, again)
