"""Tiny corpora complete end to end and the report says what could not be computed."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis.config import TopicsConfig, config_from_dict
from analysis.topics.stage import MIN_UNITS, modelled_units

from conftest import SAMPLE

#: The shipped learner scores stance (fast, and needs no model built at first use).
CONFIG = {"stance": {"scorer": "stance.learner.v1"}}


def _digest_cut(tmp_path, n: int):
    """The first ``n`` articles of the bundled sample digest, as a digest file of their own."""
    text = SAMPLE.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^[ \t]*• ", text)]
    end = starts[n] if n < len(starts) else len(text)
    path = tmp_path / f"digest_{n}.txt"
    path.write_text(text[:end], encoding="utf-8")
    return path


def _run(corpus, tmp_path, cache_dir, **overrides):
    from analysis import run_pipeline

    data = {**CONFIG, **overrides}
    return run_pipeline(corpus, config_from_dict(data), tmp_path / "out", cache_dir=cache_dir,
                        show_progress=False, reuse=False)


def _small_articles(folder, n: int):
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(
            f"Rail article {i}\n\nKazakhstan expands its rail links with China while Russia loses "
            f"transit revenue, report {i} says.\n", encoding="utf-8")
    return folder


def test_modelled_units_never_write_into_the_paragraph_table():
    """Arrow-backed columns give read-only arrays; choosing units must not write into them."""
    paragraphs = pd.DataFrame({"paragraph_id": ["a:p0", "a:p1"], "article_id": ["a", "a"],
                               "text": pd.array(["Short.", "Also short."], dtype="string[pyarrow]")})
    ids, docs, vectors = modelled_units(paragraphs, np.eye(2, dtype=np.float32), TopicsConfig())
    assert ids == ["a:p0", "a:p1"] and len(vectors) == 2 and len(ids) < MIN_UNITS


@pytest.mark.slow
def test_one_small_article_completes_and_the_report_says_topics_were_not_fitted(tmp_path, cache_dir):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "Kazakhstan rail\n\nKazakhstan is expanding its rail links with China while bypassing Russia.\n\n"
        "Moscow loses transit revenue as Europe invests in ports on the Caspian Sea.\n", encoding="utf-8")
    result = _run(folder, tmp_path, cache_dir)
    assert result.manifest["counts"]["accepted"] == 1
    assert result.manifest["counts"]["topics"] == 0
    note = result.manifest["resolved"]["topics_not_fitted"]
    assert "too few documents" in note and "2 paragraph(s)" in note
    assert (result.tables["paragraph_topics"]["topic"] == -1).all()
    assert result.tables["topic_stability"].empty and result.tables["paragraph_map"].empty
    assert result.manifest["counts"]["mentions"] > 0 and len(result.tables["stance"]) > 0
    for name in ("report.md", "report.html"):
        text = (result.run_dir / name).read_text(encoding="utf-8")
        assert "Topics not computed: too few documents" in text


@pytest.mark.slow
def test_three_small_articles_complete(tmp_path, cache_dir):
    result = _run(_small_articles(tmp_path / "three", 3), tmp_path, cache_dir)
    assert result.manifest["counts"]["accepted"] == 3
    assert "topics_not_fitted" in result.manifest["resolved"]
    assert set(result.tables["article_topics"]["article_id"]) == set(result.tables["articles"]["article_id"])
    assert result.report_path.is_file()


@pytest.mark.slow
def test_one_article_cut_from_the_sample_completes(tmp_path, cache_dir):
    result = _run(_digest_cut(tmp_path, 1), tmp_path, cache_dir)
    counts = result.manifest["counts"]
    assert counts["accepted"] == 1 and counts["paragraphs"] >= MIN_UNITS
    assert "topics_not_fitted" not in result.manifest["resolved"]
    assert result.report_path.is_file()


@pytest.mark.slow
def test_three_articles_cut_from_the_sample_complete(tmp_path, cache_dir):
    result = _run(_digest_cut(tmp_path, 3), tmp_path, cache_dir, topics={"stability_seeds": 0})
    assert result.manifest["counts"]["accepted"] == 3
    assert result.report_path.is_file()


@pytest.mark.slow
def test_a_corpus_where_no_topic_is_found_completes(tmp_path, cache_dir):
    folder = tmp_path / "notes"
    folder.mkdir()
    for i, subject in enumerate(["weather", "cooking", "chess", "football", "gardening", "music"]):
        (folder / f"n{i}.txt").write_text(
            f"Note {i}\n\nA short paragraph {i} about {subject} in the town square today, nothing more.\n",
            encoding="utf-8")
    result = _run(folder, tmp_path, cache_dir, topics={"stability_seeds": 0})
    assert result.manifest["counts"]["accepted"] == 6
    assert "topics_not_fitted" not in result.manifest["resolved"]  # fitted, and found nothing
    assert result.manifest["counts"]["topics"] == 0
    assert result.tables["topics"]["topic"].tolist() == [-1]
    assert result.manifest["resolved"]["outlier_share_after"] == 1.0
    assert "Outliers" in (result.run_dir / "report.md").read_text(encoding="utf-8")
