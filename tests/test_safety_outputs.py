"""Hostile strings through a whole run: everything stays inside the run folder, nothing executes.

One pipeline run on five sample articles with markup, scripts and path tricks
injected into titles, texts, sources, tags, ids and urls, and into config
strings (report title, target names, topic names). Checks: every file the run
creates lies inside ``<output>/<run-id>/``; report.html parsed as HTML has no
script element but the package's own two (plotly.js and the start script of
the interactive views), no event-handler attribute and no ``javascript:`` link;
report.md carries no raw HTML; the injected strings are shown as text.
"""
from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import SAMPLE

from analysis.corpus import load_corpus
from analysis.report.interactive_page import BOOT_SCRIPT, plotly_bundle

SCRIPT = "<script>document.title='PWNED'</script>"
IMG = '<img src=x onerror="alert(1)">'
TRICKS = [SCRIPT, IMG, "../../../../tmp/escaped", "/etc/passwd", "a\x00b", "C:\\evil\\..\\x",
          '"><svg onload=alert(2)>', "javascript:alert(3)"]


def _hostile_corpus(path: Path) -> Path:
    articles = load_corpus(SAMPLE).articles.head(5)
    with path.open("w", encoding="utf-8") as handle:
        for i, row in enumerate(articles.itertuples()):
            trick = TRICKS[i % len(TRICKS)]
            record = {"id": f"{trick}{i}", "title": f"{row.title} {trick}", "source": trick,
                      "url": "javascript:alert(4)", "tags": [trick, "Russia"],
                      "text": row.text.replace("Russia", f"Russia {SCRIPT}", 2) + f"\n\n{IMG} Russia."}
            handle.write(json.dumps(record) + "\n")
    return path


def _config():
    from analysis.config import Config

    long_name = "R" * 300
    targets = [{"name": f"Russia {SCRIPT}", "aliases": ["Russia", "Moscow"]},
               {"name": "../../../../tmp/escaped", "aliases": ["Europe", "EU"]},
               {"name": long_name, "aliases": ["Kremlin"]}]
    return Config.model_validate({
        "report": {"title": f"Report {SCRIPT} {IMG}", "paragraph_map": False},
        "stance": {"targets": targets, "scorer": "stance.lexicon.v1", "n_bootstrap": 100},
        "topics": {"names": {0: f"../../../../tmp/topic {SCRIPT}", 1: "/etc/passwd"}}})


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.js_links, self.text = [], [], [], []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") != "application/json":  # data blocks never run
            self.scripts.append("")
            self.in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.js_links.append((tag, value))

    def handle_endtag(self, tag):
        self.in_script = self.in_script and tag != "script"

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, cache_dir):
    from analysis import run_pipeline

    root = tmp_path_factory.mktemp("hostile")
    corpus = _hostile_corpus(root / "corpus.jsonl")
    before = {p for p in Path("/tmp").glob("*")}
    result = run_pipeline(corpus, _config(), root / "out", cache_dir=cache_dir, show_progress=False,
                          reuse=False)
    return root, result, before


def test_every_output_file_is_inside_the_run_folder(hostile_run):
    root, result, before = hostile_run
    run_dir = (root / "out" / result.run_id).resolve()
    for dirpath, _dirs, files in os.walk(root / "out"):
        for name in files:
            path = (Path(dirpath) / name).resolve()
            assert path == root.resolve() / "out" / f".{result.run_id}.lock" or run_dir in path.parents, path
    assert not list(root.glob("**/escaped*")) and not list(root.glob("**/passwd*"))
    new_in_tmp = {p for p in Path("/tmp").glob("*")} - before
    assert not [p for p in new_in_tmp if "escaped" in p.name or "topic" in p.name]
    figure_names = [p.name for p in (run_dir / "figures").iterdir()]
    assert figure_names and all(len(n.encode()) < 255 and "/" not in n for n in figure_names)


def test_report_html_runs_nothing_from_the_data(hostile_run):
    _root, result, _ = hostile_run
    audit = _Audit()
    audit.feed(result.report_path.read_text(encoding="utf-8"))
    # the only scripts are the package's own: plotly.js and the start script of the interactive views
    assert audit.scripts == [plotly_bundle(), BOOT_SCRIPT]
    assert audit.handlers == [] and audit.js_links == []
    shown = "".join(audit.text)
    assert SCRIPT in shown and IMG in shown  # the payloads are displayed as text


def test_report_markdown_carries_no_raw_html(hostile_run):
    _root, result, _ = hostile_run
    md = (result.run_dir / "report.md").read_text(encoding="utf-8")
    assert "<script" not in md.lower() and "<img" not in md.lower() and "<svg" not in md.lower()


def test_hostile_ids_and_sources_are_kept_as_data(hostile_run):
    _root, result, _ = hostile_run
    assert result.manifest["counts"]["accepted"] == 5
    assert any(SCRIPT in s for s in result.articles["source"])
    assert any("../../../../tmp/escaped" in i for i in result.articles["article_id"])
