"""Topic figures: what they draw, from small hand-made tables, and that they save."""
import numpy as np
import pandas as pd
import pytest

from analysis.report import figures_topics as ft
from analysis.report.figure_files import save_figure

NAMES = {0: "corridor, rail", 1: "sanctions, oil", 2: "elections", 3: "crash", -1: "Outliers"}


def _over_time():
    rows = []
    for month, counts in [("2024-01-01", {0: 3, 1: 1}), ("2024-02-01", {0: 1, 1: 2, 2: 1}),
                          ("2024-03-01", {1: 2, -1: 2})]:
        total = sum(counts.values())
        for topic, n in counts.items():
            rows.append({"period": pd.Timestamp(month), "topic": topic, "name": NAMES[topic],
                         "count": n, "n_articles": n, "share": n / total})
    return pd.DataFrame(rows)


def test_topics_over_time_draws_one_line_per_topic_and_counts():
    fig = ft.topics_over_time(_over_time())
    ax, ax_n = fig.axes[:2]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["sanctions, oil", "corridor, rail", "elections", "Outliers"]  # outliers last
    shares = dict(zip(labels, [line.get_ydata() for line in ax.get_lines()]))
    np.testing.assert_allclose(shares["corridor, rail"], [0.75, 0.25, 0.0])
    assert [p.get_height() for p in ax_n.patches] == [4, 4, 4]


def test_empty_tables_give_no_figure():
    assert ft.topics_over_time(pd.DataFrame(columns=["period", "topic", "name", "count", "n_articles", "share"])) is None
    assert ft.topics_by_source(None) is None and ft.topic_quality(None) is None
    assert ft.topic_hierarchy(None, None) is None and ft.topic_stability(None) is None


def test_topics_by_source_stacks_shares_per_outlet():
    df = pd.DataFrame({"field": ["source"] * 4 + ["tag"], "group": ["BBC", "BBC", "TASS", "TASS", "Russia"],
                       "topic": [0, 1, 0, 2, 0], "name": [NAMES[0], NAMES[1], NAMES[0], NAMES[2], NAMES[0]],
                       "count": [3, 1, 1, 1, 2], "n_articles": [1, 1, 1, 1, 1],
                       "share": [0.75, 0.25, 0.5, 0.5, 1.0]})
    fig = ft.topics_by_source(df, "source")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["BBC", "TASS"]
    assert len(ax.patches) == 2 * 3  # two outlets x three topics
    widths = np.array([p.get_width() for p in ax.patches]).reshape(3, 2)
    np.testing.assert_allclose(widths.sum(axis=0), [1.0, 1.0])
    assert ft.topics_by_source(df, "tag") is not None and ft.topics_by_source(df, "language") is None


def test_topic_quality_bars_sorted_by_npmi(tmp_path):
    quality = pd.DataFrame({"topic": [-1, 0, 1, 2], "name": ["Outliers", "a", "b", "c"], "size": [2, 5, 4, 3],
                            "share": [.1, .4, .3, .2], "npmi": [0.0, 0.1, 0.3, -0.2], "n_words": 10,
                            "n_pairs_unseen": 0})
    fig = ft.topic_quality(quality)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a", "c"]
    assert [round(p.get_width(), 3) for p in ax.patches] == [0.3, 0.1, -0.2]
    paths = save_figure(fig, tmp_path, "topic_quality")
    assert all(p.stat().st_size > 0 for p in paths.values())


def test_hierarchy_linkage_and_dendrogram():
    hierarchy = pd.DataFrame({"parent": [4, 5, 6], "parent_name": ["x", "y", "z"], "left": [0, 2, 4],
                              "right": [1, 3, 5], "distance": [0.2, 0.5, 0.9],
                              "topics": [[0, 1], [2, 3], [0, 1, 2, 3]]})
    Z, leaves = ft.linkage_matrix(hierarchy)
    assert leaves == [0, 1, 2, 3]
    np.testing.assert_allclose(Z, [[0, 1, 0.2, 2], [2, 3, 0.5, 2], [4, 5, 0.9, 4]])
    topics = pd.DataFrame({"topic": [0, 1, 2, 3], "name": ["a", "b", "c", "d"]})
    fig = ft.topic_hierarchy(hierarchy, topics)
    labels = {t.get_text() for t in fig.axes[0].get_yticklabels()}
    assert labels == {"0: a", "1: b", "2: c", "3: d"}


def test_stability_bars():
    df = pd.DataFrame({"topic": [0, 1], "name": ["a", "b"], "size": [5, 3], "recurrence": [1.0, 0.25],
                       "mean_overlap": [0.9, 0.3], "mean_keyword_overlap": [0.8, 0.1], "kept": [True, False]})
    ax = ft.topic_stability(df).axes[0]
    assert [p.get_width() for p in ax.patches] == pytest.approx([1.0, 0.25])
