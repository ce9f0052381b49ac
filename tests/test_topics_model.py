"""The topic model on the bundled corpus: determinism, reduction cache, stability, guided and zero-shot."""
import re

import numpy as np
import pandas as pd
import pytest

from analysis.config import Config, config_from_dict
from analysis.topics.modeler import TopicModeler
from analysis.topics.reduce import CachedUMAP, clear_memory_cache

pytestmark = pytest.mark.slow

CORRIDOR = ["corridor", "rail", "caspian", "transit", "container"]


@pytest.fixture(scope="module")
def units(cache_dir):
    from analysis.topics.inputs import load_articles, prepare

    cfg = Config()
    articles, labelled = load_articles()
    data = prepare(articles, labelled, cfg, str(cache_dir))
    ids, docs, vecs = data.units(cfg)
    return data.embedder, ids, docs, vecs


@pytest.fixture(scope="module")
def default_fit(units, cache_dir):
    embedder, ids, docs, vecs = units
    return TopicModeler(Config().topics, embedder, 42, str(cache_dir)).fit(docs, vecs)


def test_same_config_same_corpus_same_topics_and_labels(units, default_fit, tmp_path):
    embedder, ids, docs, vecs = units
    clear_memory_cache()  # recompute UMAP from scratch, no cache at all
    again = TopicModeler(Config().topics, embedder, 42, None).fit(docs, vecs)
    assert not again.reduction_cached_
    np.testing.assert_array_equal(again.topics_, default_fit.topics_)
    assert again.names_ == default_fit.names_
    assert again.topic_words_ == default_fit.topic_words_
    pd.testing.assert_frame_equal(again.topic_table(ids, vecs), default_fit.topic_table(ids, vecs))


def test_reduced_vectors_come_from_the_disk_cache(units, tmp_path):
    vecs = units[3][:40]  # a small matrix keeps the three UMAP fits cheap
    first = CachedUMAP(random_state=7, cache_dir=str(tmp_path)).fit(vecs)
    assert not first.cache_hit_ and list((tmp_path / "reduced").glob("*.npy"))
    clear_memory_cache()
    second = CachedUMAP(random_state=7, cache_dir=str(tmp_path)).fit(vecs)
    assert second.cache_hit_
    np.testing.assert_array_equal(first.embedding_, second.embedding_)
    other_seed = CachedUMAP(random_state=8, cache_dir=str(tmp_path)).fit(vecs)
    assert not other_seed.cache_hit_ and other_seed.key_ != first.key_
    # new data is mapped by a UMAP fitted on demand
    assert second.transform(vecs[:3]).shape == (3, 5)


def test_sweep_reuses_reduced_vectors(units, default_fit, cache_dir):
    from analysis.eval.topics import sweep

    embedder, _, docs, vecs = units
    table = sweep(docs, vecs, Config(), "topics.hdbscan.min_cluster_size", [4, 6], embedder,
                  cache_dir=str(cache_dir))
    assert table["umap_cached"].tolist() == [True, True]  # the default fit already reduced these
    assert table["min_cluster_size"].tolist() == [4, 6]
    assert (table["n_topics"].iloc[0] >= table["n_topics"].iloc[1])


def test_stability_output(units, cache_dir):
    from analysis.topics.stability import topic_stability

    embedder, _, docs, vecs = units
    result = topic_stability(docs, vecs, Config().topics, embedder, seeds=(42, 43),
                             cache_dir=str(cache_dir))
    assert result.runs["seed"].tolist() == [42, 43]
    assert len(result.pairs) == 1 and result.pairs["ari"].between(-1, 1).all()
    assert 0 < result.mean_ari <= 1
    topics = result.topics
    assert topics["recurrence"].between(0, 1).all() and topics["mean_overlap"].between(0, 1).all()
    kept = set(topics.loc[topics["kept"], "topic"])
    assert set(result.consensus.tolist()) - {-1} == kept
    # the topic holding most Middle Corridor paragraphs is kept and found under every seed
    corridor = pd.Series(result.consensus[_seeded(docs, CORRIDOR)]).mode()[0]
    assert corridor in kept
    assert topics.set_index("topic").loc[corridor, "recurrence"] == 1.0


def test_best_matches_by_hand():
    from analysis.topics.stability import best_matches

    ref = np.array([0, 0, 0, 1, 1, -1])
    other = np.array([5, 5, 6, 6, 6, 6])
    got = best_matches(ref, other)
    assert got[0] == (5, pytest.approx(2 / 3))
    assert got[1] == (6, pytest.approx(2 / 4))


def _seeded(docs, words, at_least: int = 2) -> np.ndarray:
    """Paragraphs that mention at least ``at_least`` of the seed words."""
    return np.array([sum(bool(re.search(rf"\b{w}\b", d.lower())) for w in words) >= at_least for d in docs])


#: Seed word lists for guided topics on a 20 Newsgroups slice, and the group each should name.
GUIDED = {"Space flight": (["nasa", "orbit", "shuttle", "launch"], "sci.space"),
          "Ice hockey": (["hockey", "nhl", "goalie", "playoffs"], "rec.sport.hockey")}
GROUPS = ["sci.space", "rec.sport.hockey", "comp.graphics", "talk.politics.mideast", "sci.med", "rec.autos"]


@pytest.fixture(scope="module")
def newsgroups(cache_dir):
    """60 training posts from each of six newsgroups (first 1,000 characters), embedded."""
    from conftest import eval_path

    from analysis.embed import Embedder
    from analysis.eval.corpora import load_eval_corpus

    eval_path("20newsgroups")
    df = load_eval_corpus("20newsgroups", "train")
    df = pd.concat([df[df["label"] == g].sample(60, random_state=0) for g in GROUPS])
    docs = [t[:1000] for t in df["text"]]
    embedder = Embedder(cache_dir=str(cache_dir), show_progress=False).fit()
    return embedder, docs, embedder.transform(docs), df["label"].to_numpy()


def test_guided_topics_take_their_names_from_the_seeds(newsgroups, cache_dir):
    embedder, docs, vecs, labels = newsgroups
    cfg = config_from_dict({"topics": {"seed_topics": {k: v[0] for k, v in GUIDED.items()}}})
    guided = TopicModeler(cfg.topics, embedder, 42, str(cache_dir)).fit(docs, vecs)
    assert guided.params_["nr_topics"] is None  # seed topics switch automatic merging off
    names = {v: k for k, v in guided.names_.items()}
    for name, (_, group) in GUIDED.items():
        assert name in names
        members = guided.topics_ == names[name]
        # most posts of the named topic come from the matching group (0.78 to 0.90 measured
        # over three seeds), and it holds a good share of that group (0.38 to 0.92)
        assert np.mean(labels[members] == group) >= 0.6
        assert np.mean(members[labels == group]) >= 0.3


def test_zeroshot_topics_take_their_names(units, cache_dir):
    embedder, _, docs, vecs = units
    cfg = config_from_dict({"topics": {"zeroshot_topics": ["Middle Corridor trade route", "plane crash"]}})
    fit = TopicModeler(cfg.topics, embedder, 42, str(cache_dir)).fit(docs, vecs)
    names = {v: k for k, v in fit.names_.items()}
    assert "plane crash" in names
    crash_docs = [d.lower() for d, t in zip(docs, fit.topics_) if t == names["plane crash"]]
    assert crash_docs and np.mean([("crash" in d or "plane" in d or "airliner" in d) for d in crash_docs]) >= 0.5


def test_nr_topics_merges_to_the_requested_number(units, cache_dir):
    embedder, _, docs, vecs = units
    cfg = config_from_dict({"topics": {"nr_topics": 4}})
    fit = TopicModeler(cfg.topics, embedder, 42, str(cache_dir)).fit(docs, vecs)
    assert len(set(fit.topics_.tolist()) - {-1}) <= 4
    assert set(fit.names_) == set(fit.topics_.tolist())
