"""Interactive plotly views: figures from the sample tables, and how report.html carries them.

No browser here (tests/test_browser_report.py opens the page in Chromium):
plotly.js is inlined exactly once, the CSP allows exactly the page's two
scripts by hash, the JSON data blocks cannot be closed by text from the data,
and ``report.interactive`` (or ``report.figures``) off leaves every script out.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.report import interactive, style
from analysis.report.build import build_figures
from analysis.report.interactive_page import BOOT_SCRIPT, interactive_views, plotly_bundle, script_json
from analysis.report.render import render_report

from report_sample import sample_manifest, sample_tables

PAYLOAD = "<b>bold</b></script><script>window.__injected = 1</script> & more"
DATA_BLOCK = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def tables() -> dict:
    found = sample_tables()
    found["articles"].loc[0, "title"] = PAYLOAD
    return found


@pytest.fixture(scope="module")
def page(tables, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("interactive")
    drawn = {k: tables[k] for k in ("topics", "paragraph_map")}
    figures = build_figures(drawn, out, [], dpi=60, html_dpi=None)
    return render_report(tables, sample_manifest(), out, figures)["html"].read_text("utf-8")


def _points(fig) -> int:
    return sum(len(trace.x) for trace in fig.data)


def test_document_map_has_every_paragraph_with_title_source_and_topic(tables):
    fig = interactive.document_map(tables["paragraph_map"], tables["topics"], tables["paragraphs"],
                                   tables["articles"])
    assert _points(fig) == len(tables["paragraph_map"]) == 12
    names = [trace.name for trace in fig.data]
    assert sorted(names) == sorted(["corridor_rail_caspian", "azerbaijan_russia_crash",
                                    "armenia_eu_integration", style.OUTLIER_LABEL])
    rows = [row for trace in fig.data for row in trace.customdata]
    titles = {row[0] for row in rows}
    assert "Armenia Deepens Its Ties with the West" in titles
    escaped = ("&lt;b&gt;bold&lt;/b&gt;&lt;/script&gt;&lt;script&gt;window.__injected = 1"
               "&lt;/script&gt; &amp; more")
    assert escaped in titles  # plotly reads tags in hover text: data text is escaped
    assert {row[1] for row in rows} == {"Eurasia Review", "Caspian News"}
    for trace in fig.data:
        assert {row[2] for row in trace.customdata} == {trace.name}
        assert trace.hovertemplate == interactive.MAP_HOVER


def test_document_map_keeps_the_static_maps_colours(tables):
    from matplotlib.colors import to_rgba

    from analysis.report.figures_map import paragraph_map

    fig = interactive.document_map(tables["paragraph_map"], tables["topics"])
    static = paragraph_map(tables["paragraph_map"], tables["topics"])
    drawn = [c for c in static.axes[0].collections if len(c.get_offsets())]
    sizes = tables["paragraph_map"]["topic"].value_counts()
    # the static map draws outliers first, then the topics from the smallest to the largest
    by_size = sorted((t for t in sizes.index if t != -1), key=lambda t: (-sizes[t], t))
    static_colour = dict(zip([-1, *reversed(by_size)] if -1 in sizes.index else reversed(by_size),
                             (tuple(c.get_facecolor()[0]) for c in drawn)))
    by_name = dict(zip(tables["topics"]["name"], tables["topics"]["topic"]))
    for trace in fig.data:
        topic = -1 if trace.name == style.OUTLIER_LABEL else int(by_name[trace.name])
        assert to_rgba(trace.marker.color)[:3] == static_colour[topic][:3], topic
    assert fig.data[0].name == style.OUTLIER_LABEL  # drawn first, below the topics
    ranks = sorted(fig.data, key=lambda t: t.legendrank)
    assert ranks[-1].name == style.OUTLIER_LABEL  # listed last


def test_topic_word_bars_one_topic_at_a_time_with_rank_scores(tables):
    fig = interactive.topic_word_bars(tables["topics"], tables["paragraph_map"])
    assert len(fig.data) == 3  # outliers left out
    assert [trace.visible for trace in fig.data] == [True, False, False]
    first = fig.data[0]
    keywords = dict(zip(tables["topics"]["name"], tables["topics"]["keywords"]))
    assert list(first.y) == keywords[first.name]
    assert list(first.x) == [5, 4, 3, 2, 1]  # rank scores, not weights
    buttons = fig.layout.updatemenus[0].buttons
    assert len(buttons) == 3 and buttons[2].args[0]["visible"] == [False, False, True]


def test_views_without_data_are_left_out(tables):
    assert interactive.document_map(None, None) is None
    assert interactive.topic_word_bars(tables["topics"].iloc[:0]) is None
    assert interactive_views({}) == []
    views = interactive_views({"topics": tables["topics"]})
    assert [v["id"] for v in views] == ["iv-topic_words"]


def test_plotly_js_is_inlined_exactly_once(page):
    bundle = plotly_bundle()
    assert len(bundle) > 1_000_000
    assert page.count(bundle) == 1
    assert page.count("plotly.js v") == 1
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert scripts == [bundle, BOOT_SCRIPT]
    assert page.index(bundle) < page.index(BOOT_SCRIPT)


def test_csp_allows_only_the_two_scripts_by_hash(page):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in csp
    script_src = csp.split("script-src ", 1)[1].split(";")[0].split()
    expected = [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                for s in (plotly_bundle(), BOOT_SCRIPT)]
    assert script_src == expected  # no 'unsafe-inline', no 'unsafe-eval'


def test_data_blocks_cannot_be_closed_by_the_data(page):
    blocks = dict(DATA_BLOCK.findall(page))
    assert sorted(blocks) == ["iv-paragraph_map-data", "iv-topic_words-data"]
    for text in blocks.values():
        assert "<" not in text and ">" not in text and "&" not in text
    spec = json.loads(blocks["iv-paragraph_map-data"])
    titles = {row[0] for trace in spec["data"] for row in trace["customdata"]}
    assert any("&lt;/script&gt;" in t for t in titles)  # round-trips to the escaped title
    assert spec["config"]["displaylogo"] is False
    assert "<script>window.__injected" not in page


def test_script_json_escapes_what_could_end_a_script():
    text = script_json({"a": "</script><!-- & \u2028"})
    assert not set(text) & set("<>&\u2028")
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_views_sit_in_details_blocks_beside_the_static_map(page):
    static = page.index('<figure id="fig-paragraph_map">')
    view = page.index('<div class="plotly-view" id="iv-paragraph_map"')
    end = page.index("</figure>", static)
    assert page[end:view].count("<") == 4  # right below it: </figure>, <details>, <summary>, </summary>
    assert view < page.index('<div class="plotly-view" id="iv-topic_words"')  # after the topic figures
    assert page.count('<details class="interactive">') == 2
    assert page.count("Interactive view:") == 2


@pytest.mark.parametrize("setting", ["interactive", "figures"])
def test_switching_off_leaves_out_every_script(tables, tmp_path, setting):
    manifest = copy.deepcopy(sample_manifest())
    manifest["config"]["report"][setting] = False
    html = render_report(tables, manifest, tmp_path)["html"].read_text("utf-8")
    assert "<script" not in html and "script-src" not in html
    assert "Interactive view" not in html
    assert len(html) < 1_000_000
    forced = render_report(tables, manifest, tmp_path, interactive=True)["html"].read_text("utf-8")
    assert forced.count("plotly.js v") == 1


def test_report_views_need_no_plotly_import(tables):
    """The report embeds plain plotly.js data: building it imports no plotly (a new process checks)."""
    code = ("import sys; sys.path.insert(0, 'tests'); from report_sample import sample_tables; "
            "from analysis.report.interactive_page import interactive_views; "
            "views = interactive_views(sample_tables()); "
            "print(len(views), 'plotly' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.split() == ["2", "False"], done.stderr


def test_embedded_template_is_plotlys_own():
    import plotly.io

    from analysis.report.interactive_page import plotly_template

    assert plotly_template("simple_white") == json.loads(json.dumps(
        plotly.io.templates["simple_white"].to_plotly_json()))


def test_missing_coordinates_become_gaps_not_invalid_json(tables):
    map_df = tables["paragraph_map"].copy()
    map_df.loc[map_df.index[0], "x"] = float("nan")
    spec = interactive.document_map_spec(map_df, tables["topics"])
    xs = [x for trace in spec["data"] for x in trace["x"]]
    assert xs.count(None) == 1
    json.loads(script_json(spec))  # no NaN token


def test_spec_and_figure_agree(tables):
    spec = interactive.topic_word_bars_spec(tables["topics"], tables["paragraph_map"])
    fig = interactive.topic_word_bars(tables["topics"], tables["paragraph_map"])
    assert [t["name"] for t in spec["data"]] == [t.name for t in fig.data]
    assert fig.layout.margin.t == 100 and fig.layout.margin.l == spec["layout"]["margin"]["l"]
