"""Input is never dropped without a word: columns, separators, folders, multi-article text, names."""
from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.config import ConfigError, config_from_dict, load_config
from analysis.corpus import CorpusError, load_corpus
from analysis.corpus.readers.csvfile import sniff_delimiter
from analysis.registry_names import EMBED_BACKENDS, STANCE_SCORERS

ROWS = [
    {"headline_text": "Rail link opens", "article_text": "Kazakhstan opened a rail link to China, bypassing Russia.",
     "outlet_name": "Daily Planet", "pub_date": "2024-03-01", "views": "10"},
    {"headline_text": "Port grows", "article_text": "The Caspian port doubled its capacity; officials said so.",
     "outlet_name": "The Globe", "pub_date": "2024-03-02", "views": "5"},
]


def _csv(path, rows=ROWS, delimiter=","):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _field_lines(load):
    return [w for w in load.warnings if "columns read as fields" in w]


def test_aliases_fill_title_source_and_date_and_are_reported(tmp_path):
    path = _csv(tmp_path / "news.csv")
    load = load_corpus(path)
    a = load.articles
    assert a["title"].tolist() == ["Rail link opens", "Port grows"]
    assert a["source"].tolist() == ["Daily Planet", "The Globe"]
    assert a["published"].tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-02")]
    [line] = _field_lines(load)
    for pair in ("'article_text' -> text", "'headline_text' -> title", "'outlet_name' -> source",
                 "'pub_date' -> published"):
        assert pair in line
    assert line.startswith(f"{path}: ") and "ignored columns: 'views'" in line


@pytest.mark.parametrize("column, field, value", [
    ("outlet", "source", "X"), ("headline", "title", "H"), ("published_at", "published", "2024-01-02"),
    ("date", "published", "2024-01-02"),
])
def test_common_aliases(tmp_path, column, field, value):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "Some text.", column: value}) + "\n", encoding="utf-8")
    got = load_corpus(path).articles[field].iloc[0]
    assert (got == pd.Timestamp(value)) if field == "published" else got == value


def test_unknown_columns_are_named_and_missing_fields_listed(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "Some text.", "Zeitung": "Die Welt", "Titel": "T"}) + "\n",
                    encoding="utf-8")
    load = load_corpus(path)
    assert load.articles["source"].iloc[0] is None
    [line] = _field_lines(load)
    assert "ignored columns: 'Zeitung', 'Titel'" in line
    assert "no column for title, source, published" in line


def test_exact_field_names_give_no_column_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "1", "text": "x", "title": "t", "source": "s", "date": "2024-01-01"})
                    + "\n", encoding="utf-8")
    assert load_corpus(path).warnings == []


@pytest.mark.parametrize("delimiter, name", [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_delimited_files_are_sniffed_and_the_separator_reported(tmp_path, delimiter, name):
    path = _csv(tmp_path / "news.csv", delimiter=delimiter)
    load = load_corpus(path)
    assert load.rejects.empty and len(load.articles) == 2
    assert load.articles["text"].iloc[0] == ROWS[0]["article_text"]  # a comma inside the text stays text
    assert any(name in w and "columns separated by" in w for w in load.warnings)


def test_comma_csv_is_read_without_a_separator_note(tmp_path):
    load = load_corpus(_csv(tmp_path / "news.csv"))
    assert len(load.articles) == 2
    assert not any("separated" in w for w in load.warnings)


def test_sniffer_falls_back_to_the_header():
    assert sniff_delimiter("text\nhello; there, you\n") == ","  # one column
    assert sniff_delimiter("a;b;c\n1;2;3\n") == ";"
    assert sniff_delimiter('"title","text"\n"x","long; text, with; both"\n') == ","


def test_mixed_folder_reads_every_format_and_names_skipped_files(tmp_path):
    (tmp_path / "sub").mkdir()
    _csv(tmp_path / "news.csv", delimiter=";")
    (tmp_path / "sub" / "more.jsonl").write_text(json.dumps({"text": "From JSONL."}) + "\n", encoding="utf-8")
    pd.DataFrame({"text": ["From Parquet."]}).to_parquet(tmp_path / "table.parquet")
    (tmp_path / "story.txt").write_text("A story\n\nFrom text.\n", encoding="utf-8")
    (tmp_path / "digest.txt").write_text("Tag: X\n\n  • Digest title\n\n    From digest.\n", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    load = load_corpus(tmp_path)
    texts = set(load.articles["text"])
    assert {ROWS[0]["article_text"], ROWS[1]["article_text"], "From JSONL.", "From Parquet.",
            "From text.", "From digest."} == texts
    [skipped] = [w for w in load.warnings if "skipped" in w]
    assert "report.pdf (unsupported ending '.pdf')" in skipped
    assert "broken.parquet (" in skipped and "not a readable Parquet file" in skipped
    assert any("semicolon" in w for w in load.warnings)


def test_multi_article_txt_is_split_on_separators(tmp_path):
    path = tmp_path / "seven.txt"
    parts = [f"Title {i}\n\nBody of article {i}.\n" for i in range(1, 8)]
    text = "\n---\n\n".join(parts[:3]) + "\n===\n\n" + parts[3] + "\f" + "\n\n----\n\n".join(parts[4:])
    path.write_text(text, encoding="utf-8")
    load = load_corpus(path)
    assert load.articles["title"].tolist() == [f"Title {i}" for i in range(1, 8)]
    assert load.articles["text"].tolist() == [f"Body of article {i}." for i in range(1, 8)]
    assert load.articles["origin"].iloc[1] == f"{path}:line 7"  # "Title 2" after "---" on line 5
    assert load.warnings == []


def test_setext_heading_is_not_a_separator(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Heading\n=======\n\nBody.\n\nSub\n---\n\nMore.\n", encoding="utf-8")
    load = load_corpus(path)
    assert load.articles["title"].tolist() == ["Heading"] and len(load.articles) == 1


def test_markdown_is_never_split(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("# Title\n\nPart one.\n\n---\n\nPart two.\n", encoding="utf-8")
    assert len(load_corpus(path).articles) == 1


@pytest.mark.parametrize("text", [
    "".join(f"Title {i}\n\nBody {i}.\n\n\n\n" for i in range(7)),
    "".join(f"Title: T{i}\nSource: S\nBody {i}.\n\n" for i in range(7)),
])
def test_multi_article_txt_without_separator_is_warned(tmp_path, text):
    path = tmp_path / "seven.txt"
    path.write_text(text, encoding="utf-8")
    load = load_corpus(path)
    assert len(load.articles) == 1
    [warning] = load.warnings
    assert "looks like several" in warning and "---" in warning


def test_single_article_txt_is_not_warned(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Title\n\nOne paragraph.\n\nAnother paragraph.\n", encoding="utf-8")
    assert load_corpus(path).warnings == []


def test_unknown_ending_names_the_cli_option_and_the_python_argument(tmp_path):
    path = tmp_path / "rows.data"
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_corpus(path)
    message = str(err.value)
    assert "--format" in message and "fmt=" in message and "corpus.format" in message
    assert "jsonl" in message


def test_cli_run_has_a_format_option(tmp_path):
    path = tmp_path / "rows.data"
    path.write_text("not json\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "-c", str(path), "--format", "jsonl", "-o", str(tmp_path / "out"),
                                      "-q", "--cache-dir", str(tmp_path / "cache")])
    # read as JSONL (no "cannot tell the format"), so the only record is rejected with its reason
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "cannot tell the format" not in flat
    assert "1 records rejected" in flat and "line 1: invalid JSON" in flat


@pytest.mark.parametrize("data, words", [
    ({"stance": {"scorer": "stance.lexicon.v2"}}, ["unknown stance scorer", "stance.lexicon.v1"]),
    ({"embed": {"backend": "statc"}}, ["unknown embedding backend", "static"]),
])
def test_config_rejects_unknown_registry_names(data, words):
    with pytest.raises(ConfigError) as err:
        config_from_dict(data)
    assert all(w in str(err.value) for w in words)


def test_known_names_are_accepted_including_the_crossencoder():
    for name in STANCE_SCORERS:
        assert config_from_dict({"stance": {"scorer": name}}).stance.scorer == name
    assert "stance.crossencoder.v1" in STANCE_SCORERS
    for backend in EMBED_BACKENDS:
        assert config_from_dict({"embed": {"backend": backend}}).embed.backend == backend


def test_known_names_match_the_stage_registries():
    from analysis.embed.backends import BACKENDS
    from analysis.stance.registry import available_scorers

    from analysis.registry_names import stance_scorer_names

    assert set(STANCE_SCORERS) <= set(available_scorers()) <= set(stance_scorer_names())
    assert set(BACKENDS) == set(EMBED_BACKENDS)


def test_cli_config_and_run_fail_on_unknown_scorer_before_any_work(tmp_path, monkeypatch):
    import analysis.pipeline as pipeline

    bad = tmp_path / "bad.toml"
    bad.write_text('[stance]\nscorer = "stance.lexicon.v9"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["config", str(bad)])
    assert result.exit_code == 2 and "unknown stance scorer" in " ".join(result.output.split())

    def no_loading(*args, **kwargs):
        raise AssertionError("the corpus was loaded before the config was checked")

    monkeypatch.setattr(pipeline, "load_node", no_loading)
    with pytest.raises(ConfigError, match="unknown stance scorer"):
        pipeline.run_pipeline(tmp_path / "none.jsonl", bad, tmp_path / "out", cache_dir=tmp_path / "c",
                              show_progress=False, reuse=False)
    assert load_config(None).stance.scorer in STANCE_SCORERS


def test_no_valid_article_error_gives_the_first_reasons(tmp_path):
    from analysis import run_pipeline

    path = tmp_path / "bad.jsonl"
    path.write_text("".join(f'{{"title": "t{i}"}}\n' for i in range(5)), encoding="utf-8")
    with pytest.raises(ValueError) as err:
        run_pipeline(path, None, tmp_path / "out", cache_dir=tmp_path / "c", show_progress=False, reuse=False)
    message = str(err.value)
    assert "5 records rejected" in message
    assert f"{path} line 1: no text field" in message and f"{path} line 3: no text field" in message
    assert f"{path} line 4" not in message and "(and 2 more)" in message


def test_cli_prints_the_first_reasons_when_nothing_is_valid(tmp_path):
    path = _csv(tmp_path / "bad.csv", rows=[{"headline": "a", "views": "1"}, {"headline": "b", "views": "2"}])
    result = CliRunner().invoke(app, ["run", "-c", str(path), "-o", str(tmp_path / "out"), "-q",
                                      "--cache-dir", str(tmp_path / "cache")])
    flat = " ".join(result.output.split())
    assert result.exit_code == 2
    assert "row 1: no text field" in flat and "'headline', 'views'" in flat


def test_a_scorer_registered_by_user_code_is_a_valid_config_name():
    from analysis.stance import register

    with pytest.raises(ConfigError):
        config_from_dict({"stance": {"scorer": "user.tests.v1"}})

    @register("user.tests.v1")
    class UserScorer:  # a stand-in: the config only checks the name
        pass

    assert config_from_dict({"stance": {"scorer": "user.tests.v1"}}).stance.scorer == "user.tests.v1"


def test_corpus_fields_match_the_readers():
    from analysis.corpus.fields import ALIASES
    from analysis.registry_names import CORPUS_FIELDS

    assert CORPUS_FIELDS == tuple(ALIASES)


def test_config_columns_name_known_fields_only():
    with pytest.raises(ConfigError) as err:
        config_from_dict({"corpus": {"columns": {"txt": "headline_only"}}})
    assert "unknown corpus field 'txt'" in str(err.value) and "did you mean 'text'" in str(err.value)


def test_config_columns_feed_fields_the_readers_do_not_know(tmp_path):
    from analysis.pipeline import load_node

    path = tmp_path / "headlines.csv"
    path.write_text("headline_only,when\nRussia and Kazakhstan sign a rail deal,2024-03-01\n", encoding="utf-8")
    assert load_node(path, config_from_dict({})).articles.empty  # no text column: rejected with a reason
    cfg = config_from_dict({"corpus": {"columns": {"text": "headline_only", "published": "when"}}})
    load = load_node(path, cfg)
    assert load.articles["text"].tolist() == ["Russia and Kazakhstan sign a rail deal"]
    assert str(load.articles["published"].iloc[0].date()) == "2024-03-01"
    frame = pd.DataFrame({"headline_only": ["A rail deal with Russia"]})
    assert load_node(frame, cfg).articles["text"].tolist() == ["A rail deal with Russia"]


def test_cli_column_option_sets_corpus_columns(tmp_path, monkeypatch):
    import analysis

    seen = {}

    def record(paths, cfg, *args, **kwargs):
        seen["columns"] = dict(cfg.corpus.columns)
        raise ValueError("recorded")

    monkeypatch.setattr(analysis, "run_pipeline", record)
    result = CliRunner().invoke(app, ["run", "-c", str(tmp_path / "x.csv"), "--column", "text=headline_only",
                                      "--column", "source=paper", "-q"])
    assert result.exit_code == 2 and "recorded" in result.output
    assert seen["columns"] == {"source": "paper", "text": "headline_only"}
    bad = CliRunner().invoke(app, ["run", "--column", "text", "-q"])
    assert bad.exit_code == 2 and "--column takes FIELD=NAME" in " ".join(bad.output.split())


def test_topic_commands_read_the_config_columns(tmp_path):
    """``analysis topics ...`` reads its corpus with ``corpus.columns`` too, beside ``--label-column``."""
    from analysis.topics.inputs import load_articles

    path = tmp_path / "headlines.csv"
    path.write_text("headline_only,desk\nRussia and Kazakhstan sign a rail deal,economy\n"
                    "Drone strike on Kyiv,war\n", encoding="utf-8")
    articles, labelled = load_articles(path, label_column="desk", columns={"text": "headline_only"})
    assert labelled and articles["text"].tolist()[1] == "Drone strike on Kyiv"
    assert [list(t) for t in articles["tags"]] == [["economy"], ["war"]]
    assert load_articles(path)[0].empty  # no text column without the mapping: every row rejected


def test_many_skipped_files_are_counted_by_ending(tmp_path):
    (tmp_path / "story.jsonl").write_text(json.dumps({"id": "s1", "text": "Russia and the West in Baku."}) + "\n",
                                          encoding="utf-8")
    assets = tmp_path / "story_files"
    assets.mkdir()
    for i in range(30):
        (assets / f"script{i:02d}.js").write_text("x", encoding="utf-8")
    for i in range(5):
        (assets / f"image{i}.png").write_bytes(b"\x89PNG")
    load = load_corpus(tmp_path)
    [note] = [w for w in load.warnings if "skipped" in w]
    assert note.startswith(f"{tmp_path}: skipped 35 file(s): story_files/image0.png (unsupported ending '.png')")
    assert note.count("unsupported ending") == 20
    assert note.endswith("; and 15 more (all skipped files by ending: .js 30, .png 5)")
    assert load.articles["article_id"].tolist() == ["s1"]


def test_empty_columns_are_told_apart_from_unknown_ones(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,text,notes,summary\n1,,x,\n2,,y,\n", encoding="utf-8")
    load = load_corpus(path)
    [line] = [w for w in load.warnings if "columns read as fields" in w]
    assert "ignored columns: 'notes'" in line and "empty columns: 'text', 'summary'" in line
    assert load.rejects["reason"].tolist() == ["empty text", "empty text"]
