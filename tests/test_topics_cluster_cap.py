"""The cap on the largest HDBSCAN cluster (``topics.hdbscan.max_cluster_share``)."""
import numpy as np
import pytest

from analysis.config import Config, config_from_dict
from analysis.topics.build import clusterer, resolve_max_cluster_size


def test_share_resolves_to_a_cluster_size():
    assert resolve_max_cluster_size(0.5, 97) == 49
    assert resolve_max_cluster_size(None, 97) == 0  # HDBSCAN's "no limit"
    assert clusterer(Config().topics, 2000).max_cluster_size == 1500
    cfg = config_from_dict({"topics": {"hdbscan": {"max_cluster_share": 0.25}}})
    assert clusterer(cfg.topics, 2000).max_cluster_size == 500
    with pytest.raises(ValueError):
        config_from_dict({"topics": {"hdbscan": {"max_cluster_share": 1.5}}})


@pytest.mark.slow
def test_static_vectors_of_the_bench_corpus_do_not_collapse(tmp_path):
    """Static article vectors of 2,000 benchmark documents: without the cap, HDBSCAN's 'eom'
    selection returned one cluster of 1,959 documents and one of 41 (NMI 0.02); with the default cap
    (0.75), 18 topics and NMI 0.42 (ARI 0.09) were measured (the transformer path: 8 topics, NMI 0.39)."""
    from conftest import eval_path
    from sklearn.metrics import normalized_mutual_info_score

    from analysis.eval.corpora import load_bench_corpus
    from analysis.corpus import load_corpus_frame, segment
    from analysis.embed import StaticEmbedder, article_vectors
    from analysis.topics import TopicModeler

    for name in ("20newsgroups", "reuters21578", "ag_news"):
        eval_path(name)
    corpus = load_bench_corpus(n=2000, seed=0)
    paragraphs, _ = segment(load_corpus_frame(corpus.drop(columns=["label", "corpus"])).articles)
    static = StaticEmbedder(cache_dir=str(tmp_path)).fit()
    ids, vecs = article_vectors(paragraphs, static.transform(paragraphs["text"].tolist()))
    docs = paragraphs.groupby("article_id", sort=False)["text"].agg("\n\n".join).loc[ids].tolist()
    labels = corpus.set_index("article_id")["label"].loc[ids].to_numpy()
    hdbscan_path = {"fit_sample": None, "n_topics": None}  # the cap is HDBSCAN's, not k-means'
    fit = TopicModeler(Config().topics.model_copy(update=hdbscan_path), static, 42).fit(docs, vecs)
    assert fit.params_["max_cluster_size"] == 1500
    assert len(set(fit.topics_.tolist()) - {-1}) >= 5
    assert normalized_mutual_info_score(labels, fit.topics_) >= 0.3
    assert np.bincount(fit.topics_[fit.topics_ >= 0]).max() < 0.9 * len(docs)
