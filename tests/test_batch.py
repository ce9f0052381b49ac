"""analysis batch: several configs, one report each, index.html and the catalog."""
from __future__ import annotations

import re
from html import unescape

import pytest
from typer.testing import CliRunner

from analysis import catalog, load_corpus
from analysis.batch import config_paths, run_batch
from analysis.cli import app

from conftest import SAMPLE

BASE = "[report]\nfigures = false\n[stance]\nn_bootstrap = 100\n"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    configs = tmp_path_factory.mktemp("configs")
    (configs / "a_auto.toml").write_text(BASE, encoding="utf-8")
    (configs / "b_mcs5.toml").write_text(BASE + "[topics.hdbscan]\nmin_cluster_size = 5\n",
                                         encoding="utf-8")
    (configs / "notes.txt").write_text("not a config", encoding="utf-8")
    articles = load_corpus(SAMPLE).articles.head(4)
    out = tmp_path_factory.mktemp("batch-reports")
    cache = tmp_path_factory.mktemp("batch-cache")  # fresh: the first run must fill it
    return run_batch([configs], articles, out, cache_dir=cache), out


def test_one_report_per_run_and_shared_embeddings(batch):
    result, out = batch
    assert result.labels == ["a_auto", "b_mcs5"]
    assert len(set(result.run_ids)) == 2
    for run in result.runs:
        assert (out / run.run_id / "report.html").is_file()
    first, second = (run.manifest["counts"] for run in result.runs)
    # the second run finds every paragraph in the shared cache (the counts are of distinct paragraph texts)
    assert first["embedded"] > 0 and first["embedding_cache_hits"] == 0
    assert second["embedded"] == 0 and second["embedding_cache_hits"] == first["embedded"]


def test_index_compares_the_runs(batch):
    result, out = batch
    html = result.index_path.read_text(encoding="utf-8")
    assert result.index_path == out / "index.html"
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "topics.hdbscan.min_cluster_size" in text  # the one setting that differs
    for run in result.runs:
        assert f'href="{run.run_id}/report.html"' in html
        assert str(run.manifest["counts"]["topics"]) in text
    assert "npmi_mean" in text and "Russia" in text
    assert re.search(r'<img src="data:image/png;base64,', html)
    assert "default-src 'none'" in html and "<script" not in html


def test_catalog_holds_every_run(batch):
    result, _ = batch
    db = result.catalog_path
    runs = catalog.query(db, "SELECT run_id FROM runs ORDER BY run_id")["run_id"].tolist()
    assert runs == sorted(result.run_ids)
    counts = catalog.query(db, "SELECT run_id, count(*) AS n FROM topics GROUP BY run_id")
    expected = {r.run_id: len(r.topics) for r in result.runs}
    assert dict(zip(counts["run_id"], counts["n"])) == expected
    catalog.add_run(db, result.runs[0].run_dir)  # re-adding from the folder replaces, not appends
    again = catalog.query(db, "SELECT count(*) AS n FROM stance WHERE run_id = ?", [result.run_ids[0]])
    assert again["n"][0] == len(result.runs[0].stance)


def test_config_paths_expand_folders_and_reject_missing(tmp_path):
    (tmp_path / "b.yaml").write_text("seed: 1\n")
    (tmp_path / "a.toml").write_text("seed = 2\n")
    assert [p.name for p in config_paths([tmp_path])] == ["a.toml", "b.yaml"]
    with pytest.raises(FileNotFoundError):
        config_paths([tmp_path / "nope.toml"])
    with pytest.raises(FileNotFoundError):
        config_paths([tmp_path / "empty"] if (tmp_path / "empty").mkdir() is None else [])


def test_cli_reports_bad_configs_before_running(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[topics]\nmin_wrds = 3\n")
    res = CliRunner().invoke(app, ["batch", str(bad), "-o", str(tmp_path / "out")])
    assert res.exit_code == 2
    assert "min_words" in res.output  # the "did you mean" hint
    assert not (tmp_path / "out" / "index.html").exists()
