"""The topic models that ``analysis topics benchmark`` compares, each behind one function.

Every method takes the same documents, one precomputed vector per document
and a seed, and returns a :class:`MethodFit`: one topic per document (``-1``
for an outlier), each topic's top words, and the tokenizer those words came
from (NPMI is counted on the documents as that tokenizer splits them).

* ``analysis-default``: :class:`analysis.topics.TopicModeler` with the given
  (default) config; it chooses the number of topics itself.
* ``bertopic-defaults``: ``BERTopic(embedding_model=<the same local model>)``
  with everything else at BERTopic's defaults; its UMAP is unseeded, so its
  runs differ by UMAP's own randomness, not by the seed.
* ``tfidf-kmeans``: TF-IDF (sublinear tf, English stop words, ``min_df=2``,
  ``max_df=0.5``, rows L2-normalised), LSA (:data:`LSA_DIMS`-dimensional
  truncated SVD, rows normalised again) and k-means (``n_init=10``) with the
  true number of classes, seeded: the recipe of scikit-learn's "Clustering
  text documents using k-means" example, which beat k-means on the raw
  TF-IDF rows on 20 Newsgroups and Reuters samples.
* ``embedding-kmeans``: k-means (``n_init=10``, seeded) with the true number
  of classes on the same document vectors as every other method, L2-normalised
  (so k-means groups by cosine): what the embedding model's vectors allow when
  the number of topics is known. A topic's words are its documents' heaviest
  terms by BERTopic's class-based TF-IDF (:func:`cluster_words`).
* ``fastopic``: FASTopic (Wu et al., 2024; PyPI ``fastopic``) on the same
  vectors, with the true number of classes (it needs one), seeded. Its
  bag of words comes from a scikit-learn vectorizer (5,000 words, English
  stop words, words of 3+ letters), never from ``topmost``; it trains for
  ``fastopic_epochs`` (FASTopic's default 200) and is optional
  (:func:`fastopic_available`).

``needs_k`` names the methods that are told the number of classes.
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from typing import Callable
from unittest import mock

import numpy as np

from ..config import TopicsConfig
from ..topics import TopicModeler
from ..topics.reduce import clear_memory_cache
from .baselines import baseline_sentence_model, ctfidf_words, fit_plain_bertopic

#: Install line of the optional FASTopic package (its own dependency ``topmost`` pulls a torchvision
#: that does not load beside the CPU build of torch, and FASTopic never imports it when given a
#: vectorizer, so it is installed without dependencies).
FASTOPIC_INSTALL = "pip install --no-deps fastopic==1.0.1"
#: Dimensions of the LSA step of ``tfidf-kmeans`` (fewer when the vocabulary or corpus is smaller).
LSA_DIMS = 100
#: FASTopic's training length and vocabulary size (its own defaults).
FASTOPIC_EPOCHS = 200
FASTOPIC_VOCAB = 5000
#: Torch threads while FASTopic trains: its many small Sinkhorn steps ran about nine times slower
#: with two threads than with one on a busy 2-core machine (20 epochs, 1,000 documents: 170 s vs 19 s).
FASTOPIC_THREADS = 1


@dataclass
class MethodFit:
    """What a benchmark method returns: assignments, top words per topic, the words' tokenizer."""

    topics: np.ndarray
    words: dict[int, list[str]]
    analyzer: Callable[[str], list[str]]


@dataclass
class MethodInput:
    """Everything a method may use: documents, their vectors, the embedder, the true k, the config."""

    docs: list[str]
    vectors: np.ndarray
    embedder: object
    true_k: int | None
    config: TopicsConfig
    fastopic_epochs: int = FASTOPIC_EPOCHS


def fit_analysis_default(data: MethodInput, seed: int) -> MethodFit:
    """The toolkit's default topic model through its public path (no k given)."""
    clear_memory_cache()  # a fair fit time: no reduced vectors from earlier fits
    fitted = TopicModeler(data.config, data.embedder, seed, None).fit(data.docs, data.vectors)
    return MethodFit(np.asarray(fitted.topics_), fitted.topic_words_,
                     fitted.model_.vectorizer_model.build_analyzer())


def fit_bertopic_defaults(data: MethodInput, seed: int) -> MethodFit:
    """Plain BERTopic with its defaults (``seed`` is not used: its default UMAP is unseeded)."""
    model, topics = fit_plain_bertopic(data.docs, data.vectors, baseline_sentence_model(data.embedder))
    return MethodFit(topics, ctfidf_words(model, data.config.diversity_top_n),
                     model.vectorizer_model.build_analyzer())


def fit_tfidf_kmeans(data: MethodInput, seed: int) -> MethodFit:
    """TF-IDF, LSA and k-means with the true k; a topic's words are its centroid's heaviest terms.

    The centroids are mapped back from the LSA space to the TF-IDF terms
    (``inverse_transform``), as in scikit-learn's text clustering example.
    """
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = TfidfVectorizer(stop_words="english", min_df=2, max_df=0.5, sublinear_tf=True)
    X = vectorizer.fit_transform(data.docs)
    dims = min(LSA_DIMS, X.shape[0] - 1, X.shape[1] - 1)
    svd = TruncatedSVD(dims, random_state=seed) if dims >= 2 else None
    Z = normalize(svd.fit_transform(X)) if svd is not None else X
    km = KMeans(n_clusters=_k(data), n_init=10, random_state=seed).fit(Z)
    centers = svd.inverse_transform(km.cluster_centers_) if svd is not None else km.cluster_centers_
    terms = vectorizer.get_feature_names_out()
    top = np.argsort(-centers, axis=1, kind="stable")[:, :data.config.diversity_top_n]
    words = {int(t): [str(terms[i]) for i in row] for t, row in enumerate(top)}
    return MethodFit(np.asarray(km.labels_), words, vectorizer.build_analyzer())


def fit_embedding_kmeans(data: MethodInput, seed: int) -> MethodFit:
    """k-means with the true k on the L2-normalised document vectors; words by class-based TF-IDF."""
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import normalize

    km = KMeans(n_clusters=_k(data), n_init=10, random_state=seed)
    labels = km.fit_predict(normalize(np.asarray(data.vectors, dtype=np.float64)))
    words, analyzer = cluster_words(data.docs, labels, data.config.diversity_top_n)
    return MethodFit(np.asarray(labels), words, analyzer)


def cluster_words(docs: list[str], labels: np.ndarray, top_n: int) -> tuple[dict[int, list[str]], Callable]:
    """Each cluster's ``top_n`` words by BERTopic's class-based TF-IDF (a cluster's documents as one).

    Words are counted with English stop words removed and kept when they
    occur in at least two documents; returns the words and the tokenizer.
    """
    from bertopic.vectorizers import ClassTfidfTransformer
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(stop_words="english", min_df=min(2, len(docs)))
    counts = vectorizer.fit_transform(docs)
    clusters = np.unique(labels)
    per_cluster = csr_matrix(np.vstack([np.asarray(counts[labels == c].sum(axis=0)) for c in clusters]))
    weights = ClassTfidfTransformer().fit_transform(per_cluster).toarray()
    terms = vectorizer.get_feature_names_out()
    top = np.argsort(-weights, axis=1, kind="stable")[:, :top_n]
    return ({int(c): [str(terms[i]) for i in row] for c, row in zip(clusters, top)},
            vectorizer.build_analyzer())


class _BowPreprocess:
    """FASTopic's preprocessing interface over a scikit-learn CountVectorizer."""

    def __init__(self):
        from sklearn.feature_extraction.text import CountVectorizer

        self.vectorizer = CountVectorizer(stop_words="english", max_features=FASTOPIC_VOCAB,
                                          token_pattern=r"(?u)\b[a-zA-Z]{3,}\b")

    def preprocess(self, docs: list[str]) -> dict:
        bow = self.vectorizer.fit_transform(docs)
        return {"train_bow": bow, "vocab": self.vectorizer.get_feature_names_out().tolist()}


def fastopic_available() -> bool:
    """Whether the optional ``fastopic`` package is installed."""
    return importlib.util.find_spec("fastopic") is not None


def fit_fastopic(data: MethodInput, seed: int) -> MethodFit:
    """FASTopic with the true k on the given vectors; seeded through torch's and NumPy's generators.

    FASTopic draws from torch's and NumPy's global generators; both are seeded
    here (its progress bar is silenced), and they and torch's thread count
    are restored afterwards.
    """
    if not fastopic_available():
        raise ModuleNotFoundError(f"fastopic is not installed ({FASTOPIC_INSTALL})")
    import torch
    from fastopic import FASTopic

    preprocess = _BowPreprocess()
    state, threads = np.random.get_state(), torch.get_num_threads()
    try:
        quiet = mock.patch.object(sys.modules["fastopic.FASTopic"], "tqdm", lambda it, **_: it)
        with torch.random.fork_rng(), quiet:
            torch.set_num_threads(FASTOPIC_THREADS)
            torch.manual_seed(seed)
            np.random.seed(seed)
            model = FASTopic(_k(data), preprocess=preprocess, num_top_words=data.config.diversity_top_n,
                             device="cpu", doc_embed_model=_NoEncoder(), verbose=False)
            _, theta = model.fit_transform(list(data.docs), epochs=data.fastopic_epochs,
                                           preset_doc_embeddings=np.asarray(data.vectors, dtype=np.float32))
    finally:
        np.random.set_state(state)
        torch.set_num_threads(threads)
    words = {t: line.split() for t, line in enumerate(model.top_words)}
    return MethodFit(np.asarray(theta).argmax(axis=1), words, preprocess.vectorizer.build_analyzer())


class _NoEncoder:
    """Stands in for FASTopic's document encoder: vectors are always given, so it never encodes."""

    def encode(self, docs, **_):
        raise RuntimeError("FASTopic must be given precomputed document vectors")


def _k(data: MethodInput) -> int:
    if not data.true_k:
        raise ValueError("this method needs the true number of classes (reference labels)")
    return int(data.true_k)


#: Benchmark methods in table order, by name.
METHODS: dict[str, Callable[[MethodInput, int], MethodFit]] = {
    "analysis-default": fit_analysis_default,
    "bertopic-defaults": fit_bertopic_defaults,
    "tfidf-kmeans": fit_tfidf_kmeans,
    "embedding-kmeans": fit_embedding_kmeans,
    "fastopic": fit_fastopic,
}
#: Methods that are told the true number of classes.
NEEDS_K = ("tfidf-kmeans", "embedding-kmeans", "fastopic")
