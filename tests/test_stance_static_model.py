"""``stance.model = "static"``: the shipped recipe on static features, built explicitly once and cached."""
import numpy as np
import pandas as pd
import pytest

from analysis.config import config_from_dict
from analysis.embed import StaticEmbedder
from analysis.stance import static_model
from analysis.stance.annotations import annotation_input, read_annotations
from analysis.stance.annotations import DEFAULT_ANNOTATIONS
from analysis.stance.learner import LearnedStanceScorer, load_model
from analysis.stance.modelio import ModelFormatError, model_digest, read_model_info
from analysis.stance.from_config import scorer_from_config
from analysis.stance.train import build_static_stance_model, train_model


def _params(cache):
    return {"embed_model": str(cache / "small-model"), "static_dims": 32}


@pytest.fixture(scope="module")
def subset(tmp_path_factory):
    """A stratified slice of the shipped annotations (12 rows per split and label)."""
    frame = pd.read_csv(DEFAULT_ANNOTATIONS, dtype=str, keep_default_na=False)
    path = tmp_path_factory.mktemp("static-stance") / "subset.csv"
    frame.groupby(["split", "label"], group_keys=False).head(12).to_csv(path, index=False)
    return path


def test_built_once_then_read_from_the_cache(small_model_cache, subset, monkeypatch):
    params = _params(small_model_cache)
    first = build_static_stance_model(small_model_cache, subset, params)
    assert first == static_model.static_stance_model_dir(small_model_cache, subset, params)
    assert first.parent == small_model_cache / "stance-models" and first.name.startswith("static-")
    info = read_model_info(first)
    assert info["featurizer"]["embed_backend"] == "static" and info["featurizer"]["static_dims"] == 32
    static = StaticEmbedder(model=params["embed_model"], dims=32, cache_dir=str(small_model_cache)).fit()
    assert info["embedding"]["fingerprint"] == static.fingerprint_  # features of the distilled model
    assert info["training"]["rows"] == {"train": 36, "dev": 36, "test": 36}

    import analysis.stance.train as train

    def refuse(*args, **kwargs):
        raise AssertionError("trained again although the model is cached")

    monkeypatch.setattr(train, "train_model", refuse)
    assert build_static_stance_model(small_model_cache, subset, params) == first
    with pytest.raises(AssertionError, match="trained again"):  # other settings: another model
        build_static_stance_model(small_model_cache, subset, {**params, "C": 0.5})


def test_loading_never_trains(small_model_cache, monkeypatch):
    import analysis.stance.train as train

    def refuse(*args, **kwargs):
        raise AssertionError("loading trained a model")

    monkeypatch.setattr(train, "train_model", refuse)
    params = {**_params(small_model_cache), "C": 0.25}  # settings nobody built
    with pytest.raises(ModelFormatError, match="not built yet"):
        LearnedStanceScorer(model="static", cache_dir=str(small_model_cache), train=params).fit()
    with pytest.raises(ModelFormatError, match="build_static_stance_model"):
        load_model("static", cache_dir=str(small_model_cache), train=params)


def test_the_cached_model_is_what_training_gives(small_model_cache, subset, tmp_path):
    params = _params(small_model_cache)
    cached = build_static_stance_model(small_model_cache, subset, params)
    fresh = train_model(subset, tmp_path / "again", static_model.static_train_params(params),
                        cache_dir=str(small_model_cache), seed=0)
    assert model_digest(fresh.model_dir) == model_digest(cached)  # deterministic training


def test_scorer_from_config_scores_with_the_static_model(small_model_cache, subset):
    cfg = config_from_dict({"stance": {"scorer": "stance.learner.v1", "model": "static",
                                       "train": _params(small_model_cache)}})
    scorer = scorer_from_config(cfg.stance, small_model_cache)
    assert isinstance(scorer, LearnedStanceScorer) and scorer.train["embed_backend"] == "transformer"
    scorer.fit()
    assert scorer.model_dir_.parent == small_model_cache / "stance-models"
    assert scorer.learner_.featurizer_.embed_backend == "static"  # forced, whatever [stance.train] says
    rows = annotation_input(read_annotations(subset).head(20))
    out = scorer.predict_frame(rows)
    assert len(out) == 20 and set(out["label"]) <= {"favor", "against", "neutral"}
    probs = out[["p_favor", "p_against", "p_neutral"]].to_numpy()
    assert np.allclose(probs.sum(axis=1), 1.0)
    default = scorer_from_config(config_from_dict({}).stance, small_model_cache).fit()
    assert default.model_dir_.name == "newsmtsc-minilm"  # the settings do not touch the shipped model
