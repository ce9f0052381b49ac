"""The static fast path: distilled locally once, cached by the source model's fingerprint, deterministic."""
import numpy as np
import pytest

from analysis.config import ConfigError, config_from_dict
from analysis.embed import ModelNotFoundError, StaticEmbedder, build_embedder

TEXTS = ["The Middle Corridor links China and Europe.", "Russia shot down an airliner, Baku says.",
         "Sanctions on Moscow were extended by the European Union.", "", "A ship crossed the Caspian Sea."]


def _static(cache, **kw):
    return StaticEmbedder(model=str(cache / "small-model"), dims=32, cache_dir=str(cache), **kw)


def test_distilled_once_then_loaded_from_the_cache(small_model_cache, capsys):
    first = _static(small_model_cache).fit()
    again = _static(small_model_cache).fit()
    assert again.distilled_ is False  # found in the cache, not distilled a second time
    assert again.model_path_ == first.model_path_ and again.fingerprint_ == first.fingerprint_
    assert again.model_path_.parent == small_model_cache / "static-models"
    assert again.model_path_.name.startswith(first.source_fingerprint_[:24])
    assert again.fingerprint_ != first.source_fingerprint_
    other_width = StaticEmbedder(model=str(small_model_cache / "small-model"), dims=16,
                                 cache_dir=str(small_model_cache / "elsewhere"))
    assert other_width.fit().model_path_ != first.model_path_  # width is part of the key
    assert other_width.distilled_ and "Encoding tokens" not in capsys.readouterr().err  # quiet by default


def test_vectors_are_deterministic_normalised_and_batch_free(small_model_cache):
    a = _static(small_model_cache).fit().transform(TEXTS)
    b = _static(small_model_cache, batch_size=2).fit().transform(TEXTS)
    assert a.shape == (5, 32) and a.dtype == np.float32
    assert np.array_equal(a, b)
    norms = np.linalg.norm(a, axis=1)
    assert np.allclose(norms[[0, 1, 2, 4]], 1.0, atol=1e-5) and norms[3] == 0.0  # empty text stays zero
    assert np.isfinite(a).all()


def test_missing_source_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="not found locally"):
        StaticEmbedder(model=str(tmp_path / "no-model"), cache_dir=str(tmp_path)).fit()


def test_backend_is_selected_by_the_config(tmp_path):
    cfg = config_from_dict({"embed": {"backend": "static", "static_dims": 64}})
    emb = build_embedder(cfg.embed, tmp_path)
    assert isinstance(emb, StaticEmbedder) and emb.dims == 64 and emb.cache_dir == str(tmp_path)
    assert type(build_embedder(config_from_dict({}).embed, tmp_path)).__name__ == "Embedder"
    with pytest.raises(ConfigError, match="backend"):
        config_from_dict({"embed": {"backend": "onnx"}})


def test_topic_inputs_embed_with_the_configured_backend(small_model_cache):
    from analysis.topics.inputs import document_vectors, load_articles, prepare

    cfg = config_from_dict({"embed": {"backend": "static", "static_dims": 32,
                                      "model": str(small_model_cache / "small-model")}})
    articles, labelled = load_articles()
    embedder, vectors = document_vectors(articles, cfg, str(small_model_cache))
    assert isinstance(embedder, StaticEmbedder) and vectors.shape == (len(articles), 32)
    data = prepare(articles, labelled, cfg, str(small_model_cache))
    assert isinstance(data.embedder, StaticEmbedder) and data.embeddings.shape == (len(data.paragraphs), 32)
