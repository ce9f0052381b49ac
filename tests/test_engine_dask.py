"""The Dask engine gives the in-process engine's results (LocalCluster on loopback, two workers)."""
import numpy as np
import pandas as pd
import pytest

from analysis import run_pipeline
from analysis.config import config_from_dict
from analysis.engine import InProcessEngine, get_engine

from conftest import SAMPLE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dask_engine():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    client = distributed.Client(cluster)
    engine = get_engine("dask", scheduler=client)
    yield engine
    engine.close()
    client.close()
    cluster.close()


def _config(small_model_cache, **embed):
    return config_from_dict({
        "embed": {"model": str(small_model_cache / "small-model"), **embed},
        "topics": {"fit_sample": 60, "check_sample": 20, "transform_chunk": 16},
        "stance": {"n_bootstrap": 50}, "report": {"figures": False}})


def test_dask_run_equals_in_process_run(dask_engine, small_model_cache, tmp_path):
    cfg = _config(small_model_cache)
    local = run_pipeline(SAMPLE, cfg, tmp_path / "a", cache_dir=tmp_path / "cache-a", show_progress=False)
    remote = run_pipeline(SAMPLE, cfg, tmp_path / "b", cache_dir=tmp_path / "cache-b", show_progress=False,
                          engine=dask_engine)
    assert remote.manifest["engine"]["name"] == "dask" and remote.manifest["engine"]["workers"] == 2
    assert remote.manifest["counts"]["embedded"] == local.manifest["counts"]["embedded"] > 0
    assert remote.run_id == local.run_id
    assert remote.manifest["tables"] == local.manifest["tables"]
    # topics were fitted on a sample and the rest assigned by transform, in both runs alike
    resolved = local.manifest["resolved"]
    assert resolved["fit_sample"] == 60 and resolved["assigned_by_transform"] == 37
    assert 0.0 <= resolved["check_agreement"] <= 1.0
    assert remote.manifest["resolved"]["check_agreement"] == resolved["check_agreement"]
    sizes = local.topics["size"].sum()
    assert sizes == 97  # every modelled paragraph is counted, not only the fitted sample
    assert len(local.paragraph_topics) == len(local.paragraphs)


def test_static_vectors_through_dask_batches(dask_engine, small_model_cache):
    from analysis.embed import StaticEmbedder

    texts = [f"Paragraph {i} about the corridor and Russia." * (1 + i % 3) for i in range(50)]
    emb = StaticEmbedder(model=str(small_model_cache / "small-model"), dims=32,
                         cache_dir=str(small_model_cache), batch_size=7).fit()
    assert np.array_equal(emb.transform_with(texts, dask_engine.map_batches), emb.transform(texts))


def test_stance_partitions_match_one_pass(dask_engine, sample_run):
    from analysis.stance.scoring import score_stance
    from analysis.stance import TargetMatcher, get_scorer

    sentences = sample_run.sentences
    matcher = TargetMatcher(with_spans=True).fit()
    scorer = get_scorer("stance.lexicon.v1").fit()
    whole_m, whole_s = score_stance(InProcessEngine(), matcher, scorer, sentences, part_rows=10**9)
    parts_m, parts_s = score_stance(dask_engine, matcher, scorer, sentences, part_rows=60)
    pd.testing.assert_frame_equal(parts_m, whole_m.reset_index(drop=True))
    pd.testing.assert_frame_equal(parts_s, whole_s.reset_index(drop=True))
    assert whole_s["article_id"].nunique() > 3  # several partitions were really used


def test_static_stance_model_scores_alike_through_dask(dask_engine, sample_run, small_model_cache):
    from analysis.stance.scoring import score_stance
    from analysis.stance import TargetMatcher
    from analysis.stance.learner import LearnedStanceScorer
    from analysis.stance.train import build_static_stance_model

    train = {"embed_model": str(small_model_cache / "small-model"), "static_dims": 32}
    build_static_stance_model(small_model_cache, params=train)
    scorer = LearnedStanceScorer(model="static", cache_dir=str(small_model_cache), train=train).fit()
    matcher = TargetMatcher(with_spans=True).fit()
    sentences = sample_run.sentences
    _, whole = score_stance(InProcessEngine(), matcher, scorer, sentences, part_rows=10**9)
    _, parts = score_stance(dask_engine, matcher, scorer, sentences, part_rows=60)
    pd.testing.assert_frame_equal(parts, whole.reset_index(drop=True))
    assert len(whole) > 100 and whole["label"].nunique() > 1


def test_dask_engine_needs_a_scheduler():
    with pytest.raises(ValueError, match="scheduler"):
        get_engine("dask")
    with pytest.raises(ValueError, match="unknown engine"):
        get_engine("spark")
