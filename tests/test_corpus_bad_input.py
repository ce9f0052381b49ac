"""Bad input: every problem is a reject row or a CorpusError naming the place."""
from __future__ import annotations

import codecs
import json

import pytest

from analysis.corpus import CorpusError, load_corpus
from analysis.corpus.fields import text_field_names


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _invariant(load):
    assert load.n_records == len(load.articles) + len(load.rejects)


def test_malformed_jsonl_line_is_rejected_with_position(tmp_path):
    path = _write(tmp_path / "corpus.jsonl", b'{"text": "a"}\n{"text": "b"}\n{"text": "c"}\n{"text": "d" "x": 1}\n{"text": "e"}\n')
    load = load_corpus(path)
    _invariant(load)
    assert load.articles["text"].tolist() == ["a", "b", "c", "e"]
    assert load.messages() == [f"{path} line 4: invalid JSON (Expecting ',' delimiter: column 14)"]
    assert load.rejects["raw"].iloc[0] == '{"text": "d" "x": 1}'


def test_non_object_json_lines_are_rejected(tmp_path):
    path = _write(tmp_path / "c.jsonl", b'[1, 2]\n"just a string"\n42\nnull\n{"text": "ok"}\n')
    load = load_corpus(path)
    _invariant(load)
    assert load.rejects["reason"].tolist() == [
        "not a JSON object (got an array)", "not a JSON object (got a string)",
        "not a JSON object (got a number)", "not a JSON object (got null)",
    ]
    assert load.rejects["position"].tolist() == ["line 1", "line 2", "line 3", "line 4"]


def test_wrong_field_types_are_rejected_not_raised(tmp_path):
    lines = [{"text": ["a", 1, None]}, {"text": "ok", "title": {"a": 1}}, {"text": True}, {"text": 7}]
    path = _write(tmp_path / "c.jsonl", "\n".join(json.dumps(x) for x in lines).encode())
    load = load_corpus(path)
    _invariant(load)
    assert load.rejects["reason"].tolist() == [
        "text is a list holding NoneType, int values, not only paragraph strings", "title is an object without a text under name, title, rendered, "
        "text, value (its keys: 'a')", "text is a bool, not a string",
    ]
    assert load.articles["text"].tolist() == ["7"]


def test_bad_csv_rows_are_rejected_and_the_rest_kept(tmp_path):
    path = _write(tmp_path / "c.csv", b'id,text\n1,fine\n2,too,many\n3\n4,"bad"quote\n5,also fine\n')
    load = load_corpus(path)
    _invariant(load)
    assert load.articles["article_id"].tolist() == ["1", "5"]
    assert load.messages() == [
        f"{path} row 2: expected 2 fields, got 3",
        f"{path} row 3: expected 2 fields, got 1",
        f"{path} row 4: malformed CSV (',' expected after '\"')",
    ]
    assert load.rejects["raw"].tolist()[:2] == ["2,too,many", "3"]


def test_unterminated_csv_quote_rejects_the_rest_as_one_record(tmp_path):
    path = _write(tmp_path / "c.csv", b'id,text\n1,ok\n2,"never closed\n3,lost\n')
    load = load_corpus(path)
    _invariant(load)
    assert load.n_records == 2
    assert "unexpected end of data" in load.rejects["reason"].iloc[0]
    assert "3,lost" in load.rejects["raw"].iloc[0]


def test_empty_and_whitespace_text_is_rejected(tmp_path):
    path = _write(tmp_path / "c.jsonl", b'{"text": ""}\n{"text": "  \\n\\t "}\n{"title": "no text"}\n{"text": null}\n{"text": "ok"}\n')
    load = load_corpus(path)
    _invariant(load)
    assert load.rejects["reason"].tolist() == [
        "empty text", "empty text",
        f"no text field (looked for {text_field_names()}; the record's fields: 'title')", "empty text",
    ]


def test_duplicate_id_with_different_text_is_rejected(tmp_path):
    path = _write(tmp_path / "c.jsonl", b'{"id": "k", "text": "one"}\n{"id": "k", "text": "two"}\n')
    load = load_corpus(path)
    _invariant(load)
    assert load.articles["text"].tolist() == ["one"]
    assert load.messages() == [f"{path} line 2: duplicate id k with different text (first at {path} line 1)"]
    assert load.n_duplicates == 0


def test_exact_duplicates_are_dropped_counted_and_reported(tmp_path):
    path = _write(
        tmp_path / "c.jsonl",
        b'{"id": "k", "text": "Same  text."}\n{"id": "k", "text": "Same text."}\n{"id": "z", "text": "Same\\ntext. "}\n',
    )
    load = load_corpus(path)
    _invariant(load)
    assert load.n_duplicates == 2 and len(load.articles) == 1
    assert load.rejects["reason"].tolist() == ["exact duplicate of k", "exact duplicate of k"]


def test_missing_paths_raise_corpus_error_naming_them(tmp_path):
    for path in (tmp_path / "nope.jsonl", tmp_path / "nope_dir", tmp_path / "x.csv"):
        with pytest.raises(CorpusError, match=str(path.name)):
            load_corpus(path)
    with pytest.raises(CorpusError, match="nope.parquet"):
        load_corpus(tmp_path / "nope.parquet", fmt="parquet")
    with pytest.raises(CorpusError, match="no input paths"):
        load_corpus([])


def test_unknown_format_and_corrupt_parquet_raise_corpus_error(tmp_path):
    odd = _write(tmp_path / "x.xyz", b"text")
    with pytest.raises(CorpusError, match=r"x\.xyz.*fmt="):
        load_corpus(odd)
    with pytest.raises(CorpusError, match="unknown format"):
        load_corpus(odd, fmt="yaml")
    broken = _write(tmp_path / "b.parquet", b"PAR1 not really parquet")
    with pytest.raises(CorpusError, match=r"b\.parquet: not a readable Parquet file"):
        load_corpus(broken)
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(odd, fmt="folder")


def test_non_utf8_jsonl_line_is_rejected_with_position(tmp_path):
    path = _write(tmp_path / "c.jsonl", b'{"text": "good"}\n{"text": "caf\xe9"}\n')
    load = load_corpus(path)
    _invariant(load)
    assert load.messages() == [f"{path} line 2: not valid UTF-8 (byte 0xe9 at column 14)"]
    assert load.rejects["raw"].iloc[0] == '{"text": "caf\\xe9"}'


def test_non_utf8_csv_and_text_fall_back_to_cp1252_with_warning(tmp_path):
    csv_path = _write(tmp_path / "c.csv", b"id,text\n1,caf\xe9 \x93quoted\x94\n")
    load = load_corpus(csv_path)
    assert load.articles["text"].tolist() == ["café “quoted”"]
    assert load.warnings == [f"{csv_path}: not valid UTF-8 (byte 0xe9 at line 2, column 6; "
                             f"3 bad byte(s) in all); decoded those bytes as cp1252"]
    digest = _write(tmp_path / "d.txt", b"Tag: X\n\n  \x95 Caf\xe9\n\n    Body.\n")
    load = load_corpus(digest, fmt="digest")
    assert load.articles["title"].tolist() == ["Café"]  # cp1252 0x95 is the bullet
    text = _write(tmp_path / "t.txt", b"Body \x81\xe9.")  # 0x81 is not cp1252
    load = load_corpus(text)
    assert load.articles["text"].tolist() == ["Body \x81é."]
    assert "2 bad byte(s) in all" in load.warnings[0]
    # mixed: UTF-8 bullets and dashes stay intact around a stray cp1252 byte
    mixed = _write(tmp_path / "m.txt", "Tag: X\n\n  • Café — one\n\n    Été\n".encode() + b"    caf\xe9\n")
    load = load_corpus(mixed, fmt="digest")
    assert load.articles["title"].tolist() == ["Café — one"]
    assert load.articles["text"].tolist() == ["Été\ncafé"]


def test_byte_order_marks_are_handled(tmp_path):
    bom = codecs.BOM_UTF8
    jsonl = load_corpus(_write(tmp_path / "c.jsonl", bom + b'{"text": "a"}\n'))
    assert jsonl.articles["text"].tolist() == ["a"] and jsonl.rejects.empty
    csv = load_corpus(_write(tmp_path / "c.csv", bom + b"text,id\nb,1\n"))
    assert csv.articles["article_id"].tolist() == ["1"]
    digest = load_corpus(_write(tmp_path / "d.txt", bom + "Tag: T\n• Title\n\nBody.\n".encode()))
    assert digest.articles["tags"].tolist() == [["T"]]
    utf16 = load_corpus(_write(tmp_path / "u.jsonl", '{"text": "ü"}\n'.encode("utf-16")))
    assert utf16.articles["text"].tolist() == ["ü"]
    utf16_csv = load_corpus(_write(tmp_path / "u.csv", "text\nü\n".encode("utf-16")))
    assert utf16_csv.articles["text"].tolist() == ["ü"]


def test_crlf_line_ends_are_normalised(tmp_path):
    csv = load_corpus(_write(tmp_path / "c.csv", b'id,text\r\n1,"a\r\n\r\nb"\r\n2,c\r\n'))
    assert csv.articles["text"].tolist() == ["a\n\nb", "c"]
    jsonl = load_corpus(_write(tmp_path / "c.jsonl", b'{"text": "x\\r\\ny"}\r\n{"text": "z"}\r\n'))
    assert jsonl.articles["text"].tolist() == ["x\ny", "z"] and jsonl.rejects.empty
    digest = load_corpus(_write(tmp_path / "d.txt", "Tag: T\r\n  • T1\r\n\r\n    T1\r\n\r\n    P1\r\n\r\n    P2\r\n".encode()))
    assert digest.articles["text"].tolist() == ["P1\n\nP2"]


def test_raw_is_truncated_in_rejects(tmp_path):
    path = _write(tmp_path / "c.jsonl", b"{" + b"x" * 2000 + b"\n")
    raw = load_corpus(path).rejects["raw"].iloc[0]
    assert len(raw) == 501 and raw.endswith("…")


def test_empty_inputs_give_empty_tables(tmp_path):
    for name in ("e.jsonl", "e.csv"):
        load = load_corpus(_write(tmp_path / name, b""))
        assert load.n_records == 0 and load.articles.empty and load.rejects.empty
    (tmp_path / "empty_dir").mkdir()
    load = load_corpus(tmp_path / "empty_dir")
    assert load.n_records == 0 and "no records found in any" in load.warnings[0]
