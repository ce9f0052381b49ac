"""Compressed input (.gz, .bz2, .xz): read as the file inside, with clear errors for damaged data."""
from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import CorpusError, corpus_fingerprint, load_corpus

from conftest import SAMPLE


def _rows(prefix: str) -> list[dict]:
    return [{"id": f"{prefix}{i}", "title": f"{prefix} title {i}",
             "text": f"{prefix}: Russia and the West met in Baku for round {i} of talks. " * 3}
            for i in range(3)]


def test_gzipped_digest_reads_like_the_bundled_corpus(tmp_path):
    packed = tmp_path / "digest.txt.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    plain, compressed = load_corpus(SAMPLE), load_corpus(packed)
    assert len(compressed.articles) == 10
    assert corpus_fingerprint(compressed.articles) == corpus_fingerprint(plain.articles)
    assert compressed.articles["origin"].iloc[0].startswith(f"{packed}:")


def test_each_compression_and_format(tmp_path):
    lines = "\n".join(json.dumps(r) for r in _rows("j")).encode()
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(lines))
    (tmp_path / "b.csv.bz2").write_bytes(bz2.compress(pd.DataFrame(_rows("c")).to_csv(index=False).encode()))
    (tmp_path / "c.json.xz").write_bytes(lzma.compress(json.dumps(_rows("o")).encode()))
    pd.DataFrame(_rows("p")).to_parquet(tmp_path / "d.parquet")
    (tmp_path / "d.parquet.gz").write_bytes(gzip.compress((tmp_path / "d.parquet").read_bytes()))
    (tmp_path / "d.parquet").unlink()
    (tmp_path / "e.txt.gz").write_bytes(gzip.compress(b"First\n\nOne body.\n\n---\n\nSecond\n\nTwo body."))
    load = load_corpus(tmp_path)
    ids = set(load.articles["article_id"])
    assert {f"{p}{i}" for p in "jcop" for i in range(3)} <= ids and len(ids) == 14
    texts = load.articles.set_index("title")["text"]
    assert texts["First"] == "One body." and texts["Second"] == "Two body."
    assert not [w for w in load.warnings if "near-copies" not in w]  # the generated rows share a template
    one = load_corpus(tmp_path / "a.jsonl.gz")
    assert one.articles["article_id"].tolist() == ["j0", "j1", "j2"]


def test_named_format_reads_compressed_bytes(tmp_path):
    path = tmp_path / "export.gz"
    path.write_bytes(gzip.compress("\n".join(json.dumps(r) for r in _rows("j")).encode()))
    with pytest.raises(CorpusError, match="cannot tell the format"):
        load_corpus(path)
    assert len(load_corpus(path, fmt="jsonl").articles) == 3


def test_damaged_and_misnamed_files_are_named(tmp_path):
    plain = "\n".join(json.dumps(r) for r in _rows("j")).encode()
    misnamed, truncated = tmp_path / "plain.jsonl.gz", tmp_path / "cut.jsonl.xz"
    misnamed.write_bytes(plain)
    truncated.write_bytes(lzma.compress(plain)[:40])
    with pytest.raises(CorpusError, match=r"plain\.jsonl\.gz: the ending '\.gz' says gzip-compressed"):
        load_corpus(misnamed)
    with pytest.raises(CorpusError, match=r"cut\.jsonl\.xz: damaged or truncated xz data"):
        load_corpus(truncated)


def test_folders_name_the_compressed_files_they_skip(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl.gz").write_bytes(gzip.compress(json.dumps(_rows("j")[0]).encode()))
    (folder / "c.bin.gz").write_bytes(gzip.compress(b"x"))
    (folder / "d.csv.gz").write_bytes(b"id,text\n1,not compressed\n")
    load = load_corpus(folder)
    assert load.articles["article_id"].tolist() == ["j0"]
    warning = " ".join(load.warnings)
    assert "skipped 2 file(s)" in warning and "c.bin.gz (unsupported ending '.bin.gz')" in warning
    assert "d.csv.gz" in warning and "not gzip data" in warning


def test_detection_reads_only_the_head(tmp_path: Path):
    big = tmp_path / "big.txt.gz"
    body = ("Tag: Russia\n\n• A title\n\n" + "Paragraph text about Baku. " * 20000).encode()
    big.write_bytes(gzip.compress(body))
    from analysis.corpus.decoding import read_head
    assert read_head(big, "big", 64) == body[:64]


def test_a_plain_file_starting_with_compression_magic_is_read_as_it_is(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_bytes(b"\xfd7zXZ\x00\n" + json.dumps(_rows("j")[0]).encode() + b"\n")  # xz magic, not xz
    load = load_corpus(path)
    assert load.articles["article_id"].tolist() == ["j0"] and load.rejects["position"].tolist() == ["line 1"]
