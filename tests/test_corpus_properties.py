"""Property tests: every reader, on arbitrary and hostile input, ends in records or one clear error.

Each case ends with accepted articles and/or rejects with a reason (records
in = accepted + rejected, checked by ``hostile.check_load`` together with
storing, fingerprinting and segmenting the result), or with a CorpusError
naming the file. Never with another exception.
"""
from __future__ import annotations

import csv
import io
import json

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hostile import check_load, load_bytes, nonblank_lines

from analysis.corpus import load_corpus_frame

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Bytes biased towards the characters that matter to JSONL and CSV parsers.
_STRUCTURE = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\n", b"\r\n", b"\r", b"\\", b" ", b"text",
              b"id", b'"text"', b'"id"', b"\xef\xbb\xbf", b"\xff", b"\xe9", b"\x00", b"1", b"a", b"null",
              b"\xe2\x80\xa2", b"Tag: ", b"\\ud800", b"\xed\xa0\x80", b"\xff\xfe"]
structured = st.lists(st.sampled_from(_STRUCTURE) | st.binary(max_size=8), max_size=60).map(b"".join)
any_bytes = st.binary(max_size=400) | structured

# Text with the characters scraped news really contains: controls, NUL, BOMs, odd spaces, quotes.
_ODD = "\x00\x01\x7f\ufeff\u00a0\u2028\u2029\u200b\"',;\t•é—“”\U0001F600"
hostile_text = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list(_ODD)), max_size=40)
ids = st.sampled_from(["1", "2", "3", "x"])
texts = st.sampled_from(["Same text.", "Other text.", "  ", ""]) | hostile_text
json_scalar = st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | hostile_text
json_value = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=6)


@SETTINGS
@given(any_bytes)
def test_jsonl_reader_on_random_bytes(data):
    load = load_bytes(data, "input.jsonl")
    if load is not None and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert load.n_records == nonblank_lines(data)


@SETTINGS
@given(any_bytes)
def test_csv_reader_on_random_bytes(data):
    load_bytes(data, "input.csv")


@SETTINGS
@given(any_bytes)
def test_digest_and_text_readers_on_random_bytes(data):
    load_bytes(b"Tag: T\n\n  \xe2\x80\xa2 Title\n\n" + data, "input.txt")
    load = load_bytes(data, "input.txt", fmt="text")
    # a form feed or a line of --- / === separates articles in a .txt file (tested on their own)
    assume(b"\x0c" not in data and b"---" not in data and b"===" not in data)
    assert load is None or load.n_records == 1


@st.composite
def jsonl_files(draw):
    """JSONL with wrong-typed and nested values, duplicate ids, junk and deep nesting."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["record", "record", "value", "junk", "deep", "surrogate"]))
        if kind == "record":
            rec = draw(st.fixed_dictionaries({}, optional={
                "text": texts | json_value, "id": ids | json_value, "title": hostile_text | json_value,
                "date": st.sampled_from(["2024-01-02", "10:30", "now", "1e400", "31/31/2031"]) | json_value,
                "tags": st.lists(hostile_text, max_size=3) | hostile_text | json_value}))
            line = json.dumps(rec, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
        elif kind == "value":
            line = json.dumps(draw(json_value)).encode("utf-8", "surrogatepass")
        elif kind == "deep":
            depth = draw(st.integers(500, 5000))
            line = b'{"text": ' + b"[" * depth + b"]" * depth + b"}"
        elif kind == "surrogate":
            line = b'{"text": "emoji cut \\ud83d", "title": "\\udfff"}'
        else:
            line = draw(any_bytes).replace(b"\n", b" ")
        lines.append(line)
    newline = draw(st.sampled_from([b"\n", b"\r\n"]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + newline.join(lines) + draw(st.sampled_from([b"", newline]))


@SETTINGS
@given(jsonl_files())
def test_jsonl_reader_on_hostile_records(data):
    # a first line of random bytes can open with a UTF-16 BOM, which declares the file UTF-16
    # (read, or refused when invalid, as tested in test_corpus_bad_input / test_hostile_inputs)
    assume(not data.startswith((b"\xff\xfe", b"\xfe\xff")))
    load = load_bytes(data, "input.jsonl")
    assert load is not None  # a JSONL file is never unreadable as a whole
    assert load.n_records == nonblank_lines(data)
    assert (load.rejects["position"].str.match(r"line \d+$")).all()


_COLUMNS = ["text", "id", "title", "date", "tags", "extra", "Body", " headline "]


@st.composite
def csv_files(draw):
    """CSV written by csv.writer: quoting of every kind, missing/extra fields, any encoding."""
    header = draw(st.lists(st.sampled_from(_COLUMNS), min_size=1, max_size=5))
    cell = hostile_text | st.sampled_from(['a "quoted" word', "comma, inside", "line\nbreak", "x" * 3000])
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 2), max_size=8))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    as_read = [[c.encode(encoding, errors="replace").decode(encoding) for c in r] for r in rows]
    return out.getvalue().encode(encoding, errors="replace"), header, as_read


@SETTINGS
@given(csv_files())
def test_csv_reader_on_hostile_rows(case):
    data, header, rows = case
    load = load_bytes(data, "input.csv")
    assert load is not None
    kept = [r for r in rows if len(r) > 1 or "".join(r).strip().replace("\x00", "x")]
    assume(all("\r" not in "".join(r) for r in rows))  # lone CRs are line ends once decoded
    assert load.n_records == len(kept)
    reasons = dict(zip(load.rejects["position"], load.rejects["reason"]))
    for number, row in enumerate(kept, start=1):
        if len(row) != len(header):
            assert reasons[f"row {number}"] == f"expected {len(header)} fields, got {len(row)}"


@SETTINGS
@given(st.lists(st.lists(st.text(max_size=15), min_size=1, max_size=4), max_size=8))
def test_csv_with_header_and_random_rows(rows):
    lines = ["text,id,date"] + [",".join(row) for row in rows]
    load_bytes("\n".join(lines).encode("utf-8"), "input.csv")


_line_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85"),
                     max_size=30)


@st.composite
def digest_files(draw):
    """Digest files: tags, bullets, bodies with hostile text, stray bytes, CRLF, a BOM."""
    lines, bullets = [], 0
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            lines += [f"Tag: {draw(_line_text)}", ""]
        bullets += 1
        lines += [f"  • {draw(_line_text)}", ""]
        for _ in range(draw(st.integers(0, 4))):
            body = draw(_line_text)
            assume(not body.strip().startswith("•") and not body.lower().startswith(("tag:", "tags:")))
            lines.append("    " + body)
    text = "\n".join(lines).replace("\n", draw(st.sampled_from(["\n", "\r\n"])))
    data = draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + text.encode("utf-8")
    if draw(st.booleans()):  # a stray cp1252 byte at the end of a body line
        data = data.replace(b"\n    ", b"\n    caf\xe9 ", 1)
    return data, bullets


@SETTINGS
@given(digest_files())
def test_digest_reader_keeps_one_record_per_bullet(case):
    data, bullets = case
    load = load_bytes(data, "input.txt", fmt="digest")
    assert load is not None and load.n_records == bullets


@SETTINGS
@given(st.lists(st.fixed_dictionaries({
    "text": st.none() | st.text(max_size=30) | st.integers(),
    "id": st.none() | st.sampled_from(["a", "b", "c"]),
    "date": st.none() | st.text(max_size=12),
    "tags": st.none() | st.text(max_size=10) | st.lists(st.text(max_size=5), max_size=3),
}), max_size=10))
def test_frame_validation_invariant(rows):
    load = load_corpus_frame(pd.DataFrame(rows, columns=["text", "id", "date", "tags"]), max_chars=20)
    assert load.n_records == len(rows)
    check_load(load, max_chars=20)


@SETTINGS
@given(st.lists(st.tuples(ids, st.sampled_from(["Alpha.", "Beta.", "alpha.", " Alpha. "])), max_size=10))
def test_duplicates_follow_first_wins(pairs):
    """Same normalised text again: duplicate; same id with another text: rejected; first wins."""
    load = load_corpus_frame(pd.DataFrame(pairs, columns=["id", "text"]))
    check_load(load)
    seen_text, accepted = set(), []
    for id_, text in pairs:
        key = " ".join(text.split())
        if key not in seen_text and id_ not in accepted:
            accepted.append(id_)
            seen_text.add(key)
    assert load.articles["article_id"].tolist() == accepted
    assert all(r.startswith(("exact duplicate of", "duplicate id")) for r in load.rejects["reason"])
