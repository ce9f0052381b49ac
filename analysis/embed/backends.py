"""The embedding backends by name, and choosing the one named by the config."""
from __future__ import annotations

from ..config import EmbedConfig
from .base import BaseEmbedder
from .embedder import Embedder
from .static import StaticEmbedder

#: ``embed.backend`` -> backend class; a spec's ``kind`` names its backend the same way.
BACKENDS: dict[str, type[BaseEmbedder]] = {"transformer": Embedder, "static": StaticEmbedder}


def build_embedder(cfg: EmbedConfig, cache_dir, show_progress: bool = False) -> BaseEmbedder:
    """An unfitted :class:`Embedder` (``backend = "transformer"``) or :class:`StaticEmbedder` (``"static"``)."""
    cache = str(cache_dir) if cache_dir else None
    if cfg.backend == "static":
        return StaticEmbedder(model=cfg.model, dims=cfg.static_dims, cache_dir=cache,
                              normalize=cfg.normalize, show_progress=show_progress)
    return Embedder(model=cfg.model, batch_size=cfg.batch_size, cache_dir=cache,
                    normalize=cfg.normalize, show_progress=show_progress)
