"""``analysis check`` and corpus_profile: what a corpus holds before a run, and nothing written unless asked."""
from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

import analysis
from analysis.cli import app
from analysis.corpus import corpus_fingerprint, corpus_profile, load_corpus, profile_lines

from conftest import SAMPLE

CSV = ("id,text,date,outlet\n"
       "1,Russia and the West met in Baku on Monday.,2024-03-04,TASS\n"
       "2,,2024-03-05,RT\n"
       '3,"Moscow and Kyiv traded blame again, officials said.",not a date,RT\n'
       "4,Kazakhstan opened a new rail link to China.,2024-05-01,RT\n")


def test_profile_of_the_bundled_corpus():
    load = load_corpus(SAMPLE)
    profile = corpus_profile(load)
    assert (profile["records"], profile["accepted"], profile["rejected"]) == (10, 10, 0)
    assert profile["coverage"] == {"title": 10, "source": 0, "published": 0, "url": 0, "tags": 10}
    assert profile["dates"] is None and profile["sources"]["count"] == 0
    words = [len(t.split()) for t in load.articles["text"]]
    assert profile["words"] == {"min": min(words), "median": int(pd.Series(words).median()), "max": max(words)}
    assert profile["fingerprint"] == corpus_fingerprint(load.articles)


def test_check_prints_fields_dates_outlets_warnings_and_rejects(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--corpus", str(path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "records: 4 read, 3 accepted, 1 rejected (0 exact duplicates), 2 warnings" in out
    assert "fields: title 0/3, source 3/3, published 2/3, url 0/3, tags 0/3" in out
    assert "dates: 2024-03-04 to 2024-05-01" in out and "outlets: 2 (RT 2, TASS 1)" in out
    assert "unparseable date 'not a date'" in out and f"rejected: {path} row 2: empty text" in out
    assert list(tmp_path.iterdir()) == [path]  # nothing written


def test_check_writes_tables_on_request_and_fails_without_articles(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    out = tmp_path / "checked"
    result = CliRunner().invoke(app, ["check", "-c", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    articles, rejects = pd.read_parquet(out / "articles.parquet"), pd.read_csv(out / "rejects.csv")
    assert articles["article_id"].tolist() == ["1", "3", "4"] and rejects["reason"].tolist() == ["empty text"]
    empty = tmp_path / "empty.csv"
    empty.write_text("id,text\n1,\n", encoding="utf-8")
    failed = CliRunner().invoke(app, ["check", "-c", str(empty)])
    assert failed.exit_code == 1 and "0 accepted" in failed.output
    missing = CliRunner().invoke(app, ["check", "-c", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output


def test_public_api_names():
    assert analysis.corpus_profile is corpus_profile and analysis.profile_lines is profile_lines
    assert profile_lines(corpus_profile(load_corpus(SAMPLE)))[0].startswith("records: 10 read, 10 accepted")


def test_target_coverage_counts_what_a_run_scores(sample_run):
    from analysis.stance import coverage_lines, target_coverage

    coverage = target_coverage(sample_run.articles).set_index("target")
    scored = sample_run.stance.groupby("target")
    assert coverage["sentences"].to_dict() == scored.size().to_dict()
    assert coverage["articles"].to_dict() == scored["article_id"].nunique().to_dict()
    assert coverage.loc["Russia", "forms"][0][0] == "Russia"
    custom = target_coverage(sample_run.articles, [{"name": "Atlantis", "aliases": ["Atlantis"]}])
    assert coverage_lines(custom, 10) == ["target Atlantis: no mentions (check its aliases)"]
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 0
    assert f"target Russia: {coverage.loc['Russia', 'sentences']} sentences in 10 of 10 articles" in result.output


def test_check_counts_articles_per_file_and_names_files_that_gave_none(tmp_path):
    (tmp_path / "a.jsonl").write_text("".join(f'{{"text": "Story {i} about Russia and the West."}}\n' for i in range(3)))
    (tmp_path / "b.csv").write_text("text\nKazakhstan opened a rail link.\n")
    (tmp_path / "c.jsonl").write_text('{"title": "no text here"}\n')
    profile = corpus_profile(load_corpus(tmp_path))
    assert profile["files"]["count"] == 2 and profile["files"]["top"][0] == (str(tmp_path / "a.jsonl"), 3)
    assert profile["files"]["without_articles"] == [str(tmp_path / "c.jsonl")]
    lines = profile_lines(profile)
    assert f"files: 2 gave articles ({tmp_path / 'a.jsonl'} 3, {tmp_path / 'b.csv'} 1)" in lines
    assert f"files whose every record was rejected: 1 ({tmp_path / 'c.jsonl'})" in lines
    assert not any(line.startswith("files") for line in profile_lines(corpus_profile(load_corpus(SAMPLE))))
