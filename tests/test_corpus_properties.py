"""Property tests: readers on arbitrary bytes never fail with anything but CorpusError."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import CorpusError, load_corpus, load_corpus_frame

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Bytes biased towards the characters that matter to JSONL and CSV parsers.
_STRUCTURE = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\n", b"\r\n", b"\\", b" ", b"text", b"id",
              b'"text"', b'"id"', b"\xef\xbb\xbf", b"\xff", b"\xe9", b"\x00", b"1", b"a", b"null"]
structured = st.lists(st.sampled_from(_STRUCTURE) | st.binary(max_size=8), max_size=60).map(b"".join)
any_bytes = st.binary(max_size=400) | structured


def _load(data: bytes, suffix: str, **kwargs):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            load = load_corpus(path, **kwargs)
        except CorpusError as exc:
            assert str(path) in str(exc)
            return None
    assert load.n_records == len(load.articles) + len(load.rejects)
    assert load.n_duplicates <= len(load.rejects)
    assert load.articles["article_id"].is_unique
    assert (load.articles["text"].str.strip() != "").all()
    return load


@SETTINGS
@given(any_bytes)
def test_jsonl_reader_on_random_bytes(data):
    _load(data, ".jsonl")


@SETTINGS
@given(any_bytes)
def test_csv_reader_on_random_bytes(data):
    _load(data, ".csv")


@SETTINGS
@given(st.lists(st.lists(st.text(max_size=15), min_size=1, max_size=4), max_size=8))
def test_csv_with_header_and_random_rows(rows):
    lines = ["text,id,date"] + [",".join(row) for row in rows]
    _load("\n".join(lines).encode("utf-8"), ".csv")


@SETTINGS
@given(any_bytes)
def test_digest_and_text_readers_on_random_bytes(data):
    _load(b"Tag: T\n\n  \xe2\x80\xa2 Title\n\n" + data, ".txt")
    _load(data, ".txt", fmt="text")


@SETTINGS
@given(st.lists(st.fixed_dictionaries({
    "text": st.none() | st.text(max_size=30) | st.integers(),
    "id": st.none() | st.sampled_from(["a", "b", "c"]),
    "date": st.none() | st.text(max_size=12),
    "tags": st.none() | st.text(max_size=10) | st.lists(st.text(max_size=5), max_size=3),
}), max_size=10))
def test_frame_validation_invariant(rows):
    load = load_corpus_frame(pd.DataFrame(rows, columns=["text", "id", "date", "tags"]), max_chars=20)
    assert load.n_records == len(rows) == len(load.articles) + len(load.rejects)
    assert all(len(t) <= 20 for t in load.articles["text"])
