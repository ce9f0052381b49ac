"""Embedding stage: local sentence-transformers with a content-addressed cache, or the static fast path.

Both backends share :class:`BaseEmbedder`; :func:`build_embedder` picks the
one named by the config, and :func:`encode_batch` computes one batch from a
backend's spec (what engines run in-process or on workers).
"""
from .backends import BACKENDS, build_embedder
from .base import BaseEmbedder
from .cache import EmbeddingCache, text_key
from .embedder import Embedder, article_vectors
from .encode import encode_batch, map_batches_locally
from .model import ModelNotFoundError, model_fingerprint, resolve_model_path, set_offline
from .static import StaticEmbedder

__all__ = ["BACKENDS", "BaseEmbedder", "Embedder", "EmbeddingCache", "ModelNotFoundError",
           "StaticEmbedder", "article_vectors", "build_embedder", "encode_batch",
           "map_batches_locally", "model_fingerprint", "resolve_model_path", "set_offline", "text_key"]
