"""Embedding stage: local model only, content-addressed cache, article vectors."""
import sqlite3

import numpy as np
import pandas as pd
import pytest

from analysis.embed import Embedder, EmbeddingCache, ModelNotFoundError, article_vectors, resolve_model_path

TEXTS = ["The Middle Corridor links China and Europe.", "Russia shot down an airliner, Baku says.",
         "The Middle Corridor links China and Europe."]


def test_missing_model_path_is_a_clear_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="not found locally"):
        Embedder(model=str(tmp_path / "no-model")).fit()


def test_hub_name_is_not_downloaded():
    with pytest.raises(ModelNotFoundError, match="never"):
        resolve_model_path("sentence-transformers/all-MiniLM-L6-v2")


def test_second_run_embeds_nothing_new(tmp_path):
    first = Embedder(cache_dir=str(tmp_path), show_progress=False).fit()
    a = first.transform(TEXTS)
    assert a.shape == (3, 384) and first.n_embedded_ == 2
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    second = Embedder(cache_dir=str(tmp_path), show_progress=False).fit()
    b = second.transform(TEXTS)
    assert second.n_embedded_ == 0 and second.n_cached_ == 2
    assert np.array_equal(a, b)


def test_corrupt_cache_entry_is_recomputed(tmp_path):
    emb = Embedder(cache_dir=str(tmp_path), show_progress=False).fit()
    good = emb.transform(TEXTS[:1])
    with sqlite3.connect(EmbeddingCache(tmp_path).path) as con:
        con.execute("UPDATE vectors SET data = zeroblob(length(data))")
    again = Embedder(cache_dir=str(tmp_path), show_progress=False).fit()
    out = again.transform(TEXTS[:1])
    assert again.n_embedded_ == 1
    assert np.allclose(out, good, atol=1e-6)


def test_article_vector_uses_every_paragraph():
    paragraphs = pd.DataFrame({"article_id": ["a", "a", "b"], "text": ["xx", "xxxx", "y"]})
    emb = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=np.float32)
    ids, vecs = article_vectors(paragraphs, emb)
    assert ids == ["a", "b"]
    expected = np.array([2.0, 4.0]) / np.linalg.norm([2.0, 4.0])
    assert np.allclose(vecs[0], expected)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0)


def test_vectors_do_not_depend_on_batching_or_cache_state(tmp_path):
    """Equal-token batches need no padding: a fresh cache, a half-filled one and another
    batch size give bit-identical vectors for the paragraphs topics are fitted on (texts of a
    few tokens are the documented exception), so topic tables do not depend on cache history."""
    from analysis.config import TopicsConfig
    from analysis.corpus import load_corpus, segment
    from conftest import SAMPLE

    modelled = TopicsConfig().min_words
    texts = [t for t in segment(load_corpus(SAMPLE).articles)[0]["text"] if len(t.split()) >= modelled][:60]
    fresh = Embedder(cache_dir=str(tmp_path / "a"), show_progress=False).fit().transform(texts)
    warm = Embedder(cache_dir=str(tmp_path / "b"), show_progress=False).fit()
    warm.transform(texts[::3])
    other = Embedder(cache_dir=str(tmp_path / "b"), batch_size=5, show_progress=False).fit()
    assert np.array_equal(other.transform(texts), fresh)
    assert np.array_equal(Embedder(cache_dir=None, batch_size=7, show_progress=False).fit().transform(texts[5:]),
                          fresh[5:])
