"""Figures of the report: what they show, empty data, and saving."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from analysis import schema
from analysis.report import figures, style
from analysis.report._format import shorten, wrap_label
from analysis.report.figure_files import save_figure

from report_sample import sample_tables


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return sample_tables()


def _ticks(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def _points(ax) -> int:
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    return sum(len(c.get_offsets()) for c in dots)


def test_topic_sizes_one_bar_per_topic_labelled_by_name(tables):
    fig = figures.topic_sizes(tables["topics"])
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == len(tables["topics"])
    assert _ticks(ax) == ["corridor_rail_caspian", "azerbaijan_russia_crash",
                          "armenia_eu_integration", style.OUTLIER_LABEL]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [4, 3, 3, 2]
    assert ax.patches[-1].get_facecolor()[:3] != ax.patches[0].get_facecolor()[:3]


def test_topic_sizes_wraps_long_names(tables):
    topics = tables["topics"].copy()
    topics.loc[0, "name"] = "corridor_rail_caspian_kazakhstan_azerbaijan_georgia_turkey_europe_ports"
    labels = _ticks(figures.topic_sizes(topics).axes[0])
    assert "\n" in labels[0] and len(labels[0].split("\n")) <= 2
    assert all(len(line) <= 28 for line in labels[0].split("\n"))


def test_stance_by_topic_points_names_and_counts(tables):
    by_topic = tables["stance_by_topic"]
    fig = figures.stance_by_topic(by_topic, tables["topics"], "Russia")
    ax = fig.axes[0]
    rows = by_topic[by_topic["target"] == "Russia"]
    assert _points(ax) == len(rows)
    names = dict(zip(tables["topics"]["topic"], tables["topics"]["name"]))
    expected = {style.OUTLIER_LABEL if t == -1 else names[t] for t in rows["topic"]}
    assert set(_ticks(ax)) == expected
    assert _ticks(ax)[-1] == style.OUTLIER_LABEL  # outliers drawn last
    assert ax.get_xlim()[0] <= -1 and ax.get_xlim()[1] >= 1
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.get_lines())  # zero line
    n_labels = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert sorted(n_labels) == sorted(f"n={n}" + (" · small" if small else "")
                                      for n, small in zip(rows["n_sentences"], rows["small_group"]))


def test_stance_by_topic_orders_by_mean(tables):
    fig = figures.stance_by_topic(tables["stance_by_topic"], tables["topics"], "Russia")
    offsets = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)][0].get_offsets()
    means = [float(x) for x, _ in offsets[:-1]]  # without the outlier row
    assert means == sorted(means, reverse=True)


def test_stance_by_article_one_panel_per_target(tables):
    by_article = tables["stance_by_article"]
    fig = figures.stance_by_article(by_article, tables["articles"])
    panels = [ax for ax in fig.axes if ax.get_yticklabels() and _points(ax)]
    assert len(panels) == 2
    titles = dict(zip(tables["articles"]["article_id"], tables["articles"]["title"]))
    for ax, target in zip(panels, ["Middle Corridor", "Russia"]):
        rows = by_article[by_article["target"] == target]
        assert _points(ax) == len(rows)
        assert set(_ticks(ax)) == {shorten(titles[a], figures.TITLE_CHARS) for a in rows["article_id"]}


def test_stance_by_article_single_target_and_truncated_titles(tables):
    articles = tables["articles"].copy()
    articles.loc[articles["article_id"] == "a3", "title"] = "Armenia " * 30
    fig = figures.stance_by_article(tables["stance_by_article"], articles, target="Russia")
    ax = fig.axes[0]
    assert _points(ax) == 4
    assert max(len(t) for t in _ticks(ax)) <= figures.TITLE_CHARS


def test_stance_distribution_stacks_three_labels_per_target(tables):
    fig = figures.stance_distribution(tables["stance"])
    ax = fig.axes[0]
    assert len(ax.patches) == 3 * 2
    assert _ticks(ax) == ["Middle Corridor", "Russia"]
    for y in (0, 1):
        row = [p for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - y) < 1e-9]
        assert sum(p.get_width() for p in row) == pytest.approx(1.0)
    russia = tables["stance"][tables["stance"]["target"] == "Russia"]
    against = [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx(
        tuple(int(style.STANCE_COLOURS["against"][i:i + 2], 16) / 255 for i in (1, 3, 5)))]
    assert against[1].get_width() == pytest.approx((russia["label"] == "against").mean())


@pytest.mark.parametrize("empty", [None, pd.DataFrame(), "no-rows"])
def test_empty_data_gives_none(empty):
    def blank(columns):
        return pd.DataFrame(columns=columns) if isinstance(empty, str) else empty

    agg = ["topic", *schema.STANCE_AGGREGATE]
    assert figures.topic_sizes(blank(schema.TOPICS)) is None
    assert figures.stance_by_topic(blank(agg), blank(schema.TOPICS), "Russia") is None
    assert figures.stance_by_article(blank(["article_id", *schema.STANCE_AGGREGATE]),
                                     blank(schema.ARTICLES)) is None
    assert figures.stance_distribution(blank(schema.STANCE)) is None


def test_unknown_target_gives_none(tables):
    assert figures.stance_by_topic(tables["stance_by_topic"], tables["topics"], "NATO") is None
    assert figures.stance_by_article(tables["stance_by_article"], tables["articles"], "NATO") is None


def test_missing_column_raises(tables):
    with pytest.raises(ValueError, match="stance_by_topic"):
        figures.stance_by_topic(tables["stance_by_topic"].drop(columns="ci_low"),
                                tables["topics"], "Russia")


def test_save_figure_writes_png_and_pdf(tables, tmp_path):
    fig = figures.topic_sizes(tables["topics"])
    paths = save_figure(fig, tmp_path / "figures", "topic_sizes")
    assert paths == {"png": tmp_path / "figures" / "topic_sizes.png",
                     "pdf": tmp_path / "figures" / "topic_sizes.pdf"}
    assert paths["png"].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert paths["pdf"].read_bytes().startswith(b"%PDF")
    assert paths["png"].stat().st_size > 10_000
    assert sorted(p.name for p in paths["png"].parent.iterdir()) == ["topic_sizes.pdf", "topic_sizes.png"]


def test_save_figure_png_is_300_dpi(tables, tmp_path):
    from PIL import Image

    fig = figures.stance_distribution(tables["stance"])
    png = save_figure(fig, tmp_path, "dist")["png"]
    with Image.open(png) as image:
        width, _ = image.size
    assert width == round(fig.get_figwidth() * 300)

def test_save_figure_html_copy_is_the_png_scaled_down(tables, tmp_path):
    """The embedded copy is the 300-dpi raster at half size, close to drawing the figure at 150 dpi."""
    import io

    import numpy as np
    from PIL import Image

    from analysis.report.figure_files import png_bytes

    drawn = png_bytes(figures.topic_sizes(tables["topics"]), 150)
    fig = figures.topic_sizes(tables["topics"])
    entry = save_figure(fig, tmp_path, "sizes", html_dpi=150)
    with Image.open(io.BytesIO(entry["html_png"])) as small, Image.open(io.BytesIO(drawn)) as ref, \
            Image.open(entry["png"]) as big:
        assert small.size == (big.width // 2, big.height // 2)
        assert abs(small.width - ref.width) <= 1 and abs(small.height - ref.height) <= 1
        a = np.asarray(small.convert("L"), dtype=float)
        b = np.asarray(ref.convert("L").resize(small.size), dtype=float)
    assert np.mean(np.abs(a - b)) < 12  # same picture: the difference is antialiasing only
    from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine

    # the layout was computed once and kept (no engine left to run again for the vector copy)
    assert not isinstance(fig.get_layout_engine(), (ConstrainedLayoutEngine, TightLayoutEngine))
    again = save_figure(figures.topic_sizes(tables["topics"]), tmp_path / "again", "sizes", html_dpi=150)
    assert again["html_png"] == entry["html_png"]
    assert again["png"].read_bytes() == entry["png"].read_bytes()



@pytest.mark.parametrize("stem", ["", "../x", "a/b", ".hidden"])
def test_save_figure_rejects_bad_stems(tables, tmp_path, stem):
    with pytest.raises(ValueError):
        save_figure(figures.topic_sizes(tables["topics"]), tmp_path, stem)


def test_wrap_label_keeps_short_names():
    assert wrap_label("corridor_rail_caspian") == "corridor_rail_caspian"


def test_no_pyplot_and_lazy_matplotlib():
    code = (
        "import sys\n"
        "import analysis.report, analysis.report.render, analysis.report.build\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported at import time'\n"
        "from analysis.report import figures\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from report_sample import sample_tables\n"
        "t = sample_tables()\n"
        "figures.topic_sizes(t['topics']); figures.stance_distribution(t['stance'])\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_save_figure_with_a_pool_writes_the_same_files(tables, tmp_path, monkeypatch):
    """PNG encoding on a background thread: the same bytes as in the calling thread, and its errors surface."""
    from concurrent.futures import ThreadPoolExecutor

    from analysis.report import figure_files
    from analysis.report.figure_files import resolved, save_figure_async

    direct = save_figure(figures.topic_sizes(tables["topics"]), tmp_path / "direct", "sizes", html_dpi=150)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = save_figure_async(figures.topic_sizes(tables["topics"]), tmp_path / "pool", "sizes",
                                    html_dpi=150, submit=pool.submit)
        entry = resolved(pending)
    assert entry["png"] == tmp_path / "pool" / "sizes.png"
    assert entry["png"].read_bytes() == direct["png"].read_bytes()
    assert entry["html_png"] == direct["html_png"]
    assert entry["pdf"].read_bytes() == direct["pdf"].read_bytes()

    def broken(raw, size):
        raise OSError("disk full")

    monkeypatch.setattr(figure_files, "_image", broken)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = save_figure_async(figures.topic_sizes(tables["topics"]), tmp_path / "broken", "sizes",
                                    submit=pool.submit)
        with pytest.raises(OSError, match="disk full"):
            resolved(pending)
    assert not (tmp_path / "broken" / "sizes.png").exists()


def test_labels_and_excerpts_show_no_control_characters():
    assert wrap_label("Outlet\x00A\x7f") == "Outlet A"
    assert shorten("line\x1bone\u0085two", 50) == "line one two"


def test_map_uses_the_width_its_title_does_not_need():
    """The map has no tick labels: its axes start at the figure's left edge, under the title."""
    from analysis.report.figures_map import paragraph_map
    from report_sample import sample_tables

    sample = sample_tables()
    fig = paragraph_map(sample["paragraph_map"], sample["topics"])
    fig.canvas.draw()
    assert fig.axes[0].get_position().x0 < 0.03
