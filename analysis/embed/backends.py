"""Choosing the embedder named by the config: the transformer or the static fast path."""
from __future__ import annotations

from ..config import EmbedConfig


def build_embedder(cfg: EmbedConfig, cache_dir, show_progress: bool = False):
    """An unfitted :class:`Embedder` (``backend = "transformer"``) or :class:`StaticEmbedder` (``"static"``)."""
    if cfg.backend == "static":
        from .static import StaticEmbedder

        return StaticEmbedder(model=cfg.model, dims=cfg.static_dims,
                              cache_dir=str(cache_dir) if cache_dir else None,
                              normalize=cfg.normalize, show_progress=show_progress)
    from .embedder import Embedder

    return Embedder(model=cfg.model, batch_size=cfg.batch_size,
                    cache_dir=str(cache_dir) if cache_dir else None, normalize=cfg.normalize,
                    show_progress=show_progress)
