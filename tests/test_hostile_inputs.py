"""Hostile input by example: enormous records, limits, broken encodings, and the CLI's one-line errors."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from hostile import check_load

from analysis.cli import app
from analysis.config import Config
from analysis.corpus import load_corpus
from analysis.pipeline import load_node

BIG = ("The word of the day is in this text, and it is a long one. " * 2 + "\n\n") * 40_000  # 5 MB, 40,000 paragraphs


def _flat(text: str) -> str:
    """CLI output without the line breaks the console inserts."""
    return "".join(text.split())


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "digest"])
def test_enormous_article_is_truncated_to_configured_limits_with_a_reason(tmp_path, fmt):
    path = tmp_path / f"big.{'txt' if fmt == 'digest' else fmt}"
    if fmt == "jsonl":
        path.write_text(json.dumps({"id": "big", "text": BIG}) + "\n" + json.dumps({"text": "small"}))
    elif fmt == "csv":
        pd.DataFrame({"id": ["big", "s"], "text": [BIG, "small"]}).to_csv(path, index=False)
    else:
        body = "\n".join("    " + line for line in BIG.split("\n"))
        path.write_text(f"Tag: X\n\n  • Big one\n\n{body}\n  • Small\n\n    A small article.\n", encoding="utf-8")
    cfg = Config.model_validate({"corpus": {"max_chars": 50_000, "max_paragraphs": 300}})
    load = check_load(load_node(path, cfg), max_chars=50_000, max_paragraphs=300)
    assert load.n_records == 2 and len(load.articles) == 2
    assert len(load.warnings) == 1
    warning = load.warnings[0]
    where = {"jsonl": "line 1", "csv": "row 1", "digest": "line 3"}[fmt]  # the article's first line
    assert warning.startswith(f"{path} {where}:")
    assert "40,000 paragraphs, truncated to the first 300 (max_paragraphs)" in warning


def test_character_limit_alone(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "x" * 1_000_000}) + "\n")
    load = check_load(load_corpus(path, max_chars=1000), max_chars=1000)
    assert load.warnings == [f"{path} line 1: 1,000,000 characters, truncated to 1,000 (max_chars=1,000)"]


def test_run_manifest_records_every_warning(sample_run):
    warnings = sample_run.manifest["warnings"]
    assert isinstance(warnings, list) and len(warnings) == sample_run.manifest["counts"]["warnings"]


def test_lone_surrogates_are_repaired_and_reported(tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_bytes(b'{"id": "e", "text": "An emoji cut in half: \\ud83d", "title": "\\udfff"}\n')
    load = check_load(load_corpus(path))
    assert load.articles["text"].tolist() == ["An emoji cut in half: \ufffd"]
    assert load.warnings == [
        f"{path} line 1: text had 1 unpaired surrogate(s) (first U+D83D at character 22); replaced by U+FFFD",
        f"{path} line 1: title had 1 unpaired surrogate(s) (first U+DFFF at character 0); replaced by U+FFFD"]


def test_mixed_encoding_keeps_utf8_and_reports_bad_bytes(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("id,text\n1,Déjà vu — “quoted”\n".encode() + b"2,caf\xe9 cr\xe8me\n")
    load = check_load(load_corpus(path))
    assert load.articles["text"].tolist() == ["Déjà vu — “quoted”", "café crème"]
    assert load.warnings == [f"{path}: not valid UTF-8 (byte 0xe9 at line 3, column 6; 2 bad byte(s) "
                             f"in all); decoded those bytes as cp1252"]


def test_time_without_a_date_is_not_dated_today(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"text": "a", "date": "10:30"}) + "\n")
    load = check_load(load_corpus(path))
    assert load.articles["published"].isna().all()
    assert "a time without a date" in load.warnings[0]


@pytest.mark.parametrize("name,data", [("empty.jsonl", b""), ("empty.csv", b""), ("header.csv", b"id,text\n"),
                                       ("blank.jsonl", b"\n\r\n  \n")])
def test_empty_files_say_so(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    load = check_load(load_corpus(tmp_path / name))
    assert load.n_records == 0
    assert load.warnings == [f"{tmp_path / name}: no records found (empty file, or a header only)"]


@pytest.mark.parametrize("name,data,message", [
    ("corrupt.parquet", b"PAR1" + b"\x00" * 64 + b"PAR1", "not a readable Parquet file"),
    ("rejected.jsonl", b'{"text": ""}\n[1]\n', "no valid articles"),
    ("odd.xyz", b"text", "cannot tell the format"),
    ("utf16.csv", b"\xff\xfet\x00e\x00x", "not valid UTF-16"),
])
def test_cli_bad_input_is_one_line_naming_the_file(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    result = CliRunner().invoke(app, ["run", "--corpus", str(tmp_path / name), "--output",
                                      str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c"), "-q"])
    assert result.exit_code == 2, result.output
    assert _flat(message) in _flat(result.output) and _flat(str(tmp_path / name)) in _flat(result.output)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_digest_is_recognised_in_any_encoding(tmp_path, encoding):
    path = tmp_path / "digest.txt"
    path.write_bytes("Tag: X\r\n\r\n  • Café\r\n\r\n    Body one.\r\n\r\n  • Two\r\n\r\n    Body two.\r\n"
                     .encode(encoding))
    load = check_load(load_corpus(path))
    assert load.articles["title"].tolist() == ["Café", "Two"]
    assert load.articles["text"].tolist() == ["Body one.", "Body two."]
