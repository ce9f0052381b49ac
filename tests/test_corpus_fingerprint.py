"""corpus_fingerprint: content hash in canonical (article_id) order."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import corpus_fingerprint, load_corpus

DIGEST = Path(__file__).resolve().parents[1] / "data" / "raw" / "sample_digest_russia.txt"


@pytest.fixture(scope="module")
def articles():
    return load_corpus(DIGEST).articles


def test_fingerprint_is_sha256_hex_and_repeatable(articles):
    fp = corpus_fingerprint(articles)
    assert len(fp) == 64 and int(fp, 16) >= 0
    assert corpus_fingerprint(load_corpus(DIGEST).articles) == fp


def test_row_order_and_origin_do_not_matter(articles):
    shuffled = articles.sample(frac=1.0, random_state=0).reset_index(drop=True)
    moved = articles.assign(origin="elsewhere.txt:line 1")
    assert corpus_fingerprint(shuffled) == corpus_fingerprint(articles) == corpus_fingerprint(moved)


@pytest.mark.parametrize("column, value", [
    ("text", "changed"), ("title", "changed"), ("source", "changed"),
    ("published", pd.Timestamp("2020-01-01")), ("tags", ["other"]), ("article_id", "zzz"),
])
def test_content_changes_change_the_fingerprint(articles, column, value):
    changed = articles.copy()
    changed.at[changed.index[0], column] = value
    assert corpus_fingerprint(changed) != corpus_fingerprint(articles)


def test_missing_values_hash_alike_and_arrays_like_lists(articles):
    as_nan = articles.assign(title=pd.Series(np.nan, index=articles.index, dtype="str"))
    as_none = articles.assign(title=None)
    assert corpus_fingerprint(as_nan) == corpus_fingerprint(as_none)
    arrays = articles.assign(tags=[np.array(t) for t in articles["tags"]])
    assert corpus_fingerprint(arrays) == corpus_fingerprint(articles)


def test_parquet_round_trip_keeps_the_fingerprint(articles, tmp_path):
    path = tmp_path / "a.parquet"
    articles.to_parquet(path)
    assert corpus_fingerprint(pd.read_parquet(path)) == corpus_fingerprint(articles)


def test_missing_columns_and_unhashable_values_raise(articles):
    with pytest.raises(ValueError, match="lacks columns"):
        corpus_fingerprint(articles.drop(columns=["text"]))
    with pytest.raises(TypeError, match="cannot fingerprint"):
        corpus_fingerprint(articles.assign(source=[object()] * len(articles)))
