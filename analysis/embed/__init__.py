"""Embedding stage: local sentence-transformers with a content-addressed cache, or the static fast path."""
from .backends import build_embedder
from .cache import EmbeddingCache, text_key
from .embedder import Embedder, article_vectors
from .model import ModelNotFoundError, model_fingerprint, resolve_model_path, set_offline
from .static import StaticEmbedder

__all__ = ["Embedder", "EmbeddingCache", "ModelNotFoundError", "StaticEmbedder", "article_vectors",
           "build_embedder", "model_fingerprint", "resolve_model_path", "set_offline", "text_key"]
