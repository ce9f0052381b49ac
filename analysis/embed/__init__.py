"""Embedding stage: local sentence-transformers with a content-addressed cache."""
from .cache import EmbeddingCache, text_key
from .embedder import Embedder, article_vectors
from .model import ModelNotFoundError, model_fingerprint, resolve_model_path, set_offline

__all__ = ["Embedder", "EmbeddingCache", "ModelNotFoundError", "article_vectors",
           "model_fingerprint", "resolve_model_path", "set_offline", "text_key"]
