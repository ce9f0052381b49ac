"""The stance model on static features (``stance.model = "static"``), trained at first use.

The shipped model (``"default"``) reads every target-mentioning sentence
through the transformer, which dominates the run time on the static fast
path. The ``"static"`` model is the shipped recipe (the
``[stance.train]`` settings, by default those of the shipped model; seed 0;
the shipped annotations) with features from the static model distilled from
the same sentence-transformer. It cannot be shipped ready-made, because the static
model is distilled on the user's machine; training it takes a few seconds,
so it is trained on first use and kept in ``<cache_dir>/stance-models/``,
keyed by the recipe version, the settings, the annotations' sha256 and the
distilled model's fingerprint. Training is deterministic, so every machine
that distills the same static model builds the same stance model.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

#: Bump when the recipe of the static stance model changes.
STATIC_RECIPE = "stance.static.v1"


def static_train_params(params=None):
    """The training settings of the static model: ``params`` (``StanceTrainConfig`` or
    dict; ``None`` = the shipped defaults) with ``embed_backend = "static"``."""
    from analysis.config import StanceTrainConfig

    base = params if isinstance(params, StanceTrainConfig) else StanceTrainConfig(**(params or {}))
    return base.model_copy(update={"embed_backend": "static"})


def static_model_dir(cache_dir: str | Path | None = None, annotations: str | Path | None = None,
                     params=None) -> Path:
    """The directory of the static stance model, training it first if it is not cached.

    ``cache_dir`` holds distilled static models and the trained stance
    models (``None`` = the user cache directory); ``annotations`` defaults
    to the shipped annotations CSV; ``params`` are the training settings
    (the ``[stance.train]`` section; ``None`` = defaults), always on static
    features.
    """
    from analysis.embed.static import StaticEmbedder
    from analysis.io import build_dir_once
    from analysis.paths import default_cache_dir
    from analysis.stance.modelio import MODEL_JSON, file_sha256
    from analysis.stance.train import DEFAULT_ANNOTATIONS, train_model

    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    annotations = Path(annotations) if annotations else DEFAULT_ANNOTATIONS
    params = static_train_params(params)
    embedder = StaticEmbedder(model=params.embed_model, dims=params.static_dims,
                              cache_dir=str(cache)).fit()
    key = hashlib.sha256(json.dumps({
        "recipe": STATIC_RECIPE, "params": params.model_dump(mode="json"),
        "annotations": file_sha256(annotations), "embedding": embedder.fingerprint_,
    }, sort_keys=True).encode()).hexdigest()
    return build_dir_once(cache / "stance-models" / f"static-{key[:24]}", MODEL_JSON,
                          lambda tmp: train_model(annotations, tmp, params, cache_dir=str(cache), seed=0))
