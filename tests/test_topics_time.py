"""Topics over time and per outlet/tag: hand-made tables and a dated slice of Reuters-21578."""
import numpy as np
import pandas as pd
import pytest

from analysis.schema import TOPICS_BY_SOURCE, TOPICS_OVER_TIME, check_columns
from analysis.topics.temporal import choose_freq, topics_by_group, topics_over_time

from conftest import eval_path

ARTICLES = pd.DataFrame({
    "article_id": ["a1", "a2", "a3", "a4"],
    "published": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", None]),
    "source": ["BBC", "Reuters", "BBC", None],
    "tags": [["Russia", "EU"], ["Russia"], [], ["China"]],
})
PARAGRAPH_TOPICS = pd.DataFrame({
    "paragraph_id": ["a1:p0", "a1:p1", "a2:p0", "a3:p0", "a3:p1", "a4:p0"],
    "article_id": ["a1", "a1", "a2", "a3", "a3", "a4"],
    "topic": [0, 1, 0, 1, -1, 0],
})
TOPICS = pd.DataFrame({"topic": [-1, 0, 1], "name": ["Outliers", "corridor", "sanctions"]})


def test_over_time_counts_and_shares_by_hand():
    table = topics_over_time(PARAGRAPH_TOPICS, ARTICLES, TOPICS, freq="M")
    check_columns(table, TOPICS_OVER_TIME, "topics_over_time")
    jan = table[table["period"] == pd.Timestamp("2024-01-01")].set_index("topic")
    assert jan.loc[0, "count"] == 2 and jan.loc[0, "n_articles"] == 2 and jan.loc[0, "share"] == pytest.approx(2 / 3)
    assert jan.loc[1, "name"] == "sanctions" and jan.loc[1, "share"] == pytest.approx(1 / 3)
    feb = table[table["period"] == pd.Timestamp("2024-02-01")].set_index("topic")
    assert feb.loc[-1, "name"] == "Outliers" and feb["share"].sum() == pytest.approx(1.0)
    assert table["count"].sum() == 5  # a4 has no date


def test_over_time_is_empty_without_dates():
    undated = ARTICLES.assign(published=pd.NaT)
    table = topics_over_time(PARAGRAPH_TOPICS, undated, TOPICS)
    assert table.empty and list(table.columns) == TOPICS_OVER_TIME


def test_choose_freq_stays_within_forty_periods():
    days = pd.Series(pd.date_range("2024-01-01", periods=30, freq="D"))
    assert choose_freq(days) == "D"
    assert choose_freq(pd.Series(pd.date_range("2020-01-01", periods=200, freq="D"))) == "W"
    assert choose_freq(pd.Series(pd.date_range("2000-01-01", periods=5, freq="YS"))) == "Q"
    assert choose_freq(pd.Series(pd.date_range("2000-01-01", periods=20, freq="YS"))) == "Y"


def test_by_source_and_tag():
    table = topics_by_group(PARAGRAPH_TOPICS, ARTICLES, TOPICS)
    check_columns(table, TOPICS_BY_SOURCE, "topics_by_source")
    bbc = table[(table["field"] == "source") & (table["group"] == "BBC")].set_index("topic")
    assert bbc["count"].to_dict() == {-1: 1, 0: 1, 1: 2}
    assert bbc["share"].sum() == pytest.approx(1.0)
    russia = table[(table["field"] == "tag") & (table["group"] == "Russia")].set_index("topic")
    assert russia.loc[0, "count"] == 2 and russia.loc[0, "n_articles"] == 2
    assert set(table.loc[table["field"] == "tag", "group"]) == {"Russia", "EU", "China"}


@pytest.mark.slow
def test_topics_over_time_on_dated_reuters(cache_dir):
    eval_path("reuters21578", "reuters21578.csv")
    from analysis.config import Config
    from analysis.corpus import load_corpus_frame, segment
    from analysis.embed import Embedder
    from analysis.report.figures_topics import topics_over_time as over_time_figure
    from analysis.topics import fit_units, paragraph_topic_table, topic_outputs
    from analysis.eval.corpora import load_eval_corpus

    df = load_eval_corpus("reuters21578", "train", sample=60, seed=1).drop(columns="label")
    articles = load_corpus_frame(df).articles
    paragraphs, _ = segment(articles)
    cfg = Config()
    embedder = Embedder(cache_dir=str(cache_dir), show_progress=False).fit()
    vectors = embedder.transform(paragraphs["text"].tolist())
    units = fit_units(paragraphs, vectors, cfg.topics, embedder, cfg.seed, str(cache_dir))
    table = units.modeler.topic_table(units.ids, units.vectors)
    ptopics = paragraph_topic_table(paragraphs, units.paragraph_topic)
    out = topic_outputs(units.modeler, units.docs, table, ptopics, articles)
    over = out["topics_over_time"]
    assert over["period"].nunique() >= 3
    assert np.allclose(over.groupby("period")["share"].sum(), 1.0)
    assert over["count"].sum() == len(ptopics)
    assert set(over["topic"]) <= set(table["topic"])
    fig = over_time_figure(over)
    assert fig is not None and len(fig.axes) == 2 and fig.axes[0].get_lines()
