"""The stance model on static features (``stance.model = "static"``): its recipe and its folder.

The shipped model (``"default"``) reads every target-mentioning sentence
through the transformer, which dominates the run time on the static fast
path. The ``"static"`` model is the shipped recipe (the
``[stance.train]`` settings, by default those of the shipped model; seed 0;
the shipped annotations) with features from the static model distilled from
the same sentence-transformer. It cannot be shipped ready-made, because the static
model is distilled on the user's machine; training it takes a few seconds.
:func:`analysis.stance.train.build_static_stance_model` trains it once, as an
explicit step before loading (the pipeline's scorer construction does so),
and keeps it in ``<cache_dir>/stance-models/``, keyed by the recipe version,
the settings, the annotations' sha256 and the distilled model's fingerprint.
Training is deterministic, so every machine that distills the same static
model builds the same stance model. Nothing here trains.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysis.config import StanceTrainConfig
from analysis.embed import StaticEmbedder
from analysis.paths import default_cache_dir
from analysis.stance.annotations import DEFAULT_ANNOTATIONS
from analysis.stance.modelio import MODEL_JSON, ModelFormatError, file_sha256, resolve_model_dir

#: Bump when the recipe of the static stance model changes.
STATIC_RECIPE = "stance.static.v1"


def static_train_params(params=None) -> StanceTrainConfig:
    """The training settings of the static model: ``params`` (``StanceTrainConfig`` or
    dict; ``None`` = the shipped defaults) with ``embed_backend = "static"``."""
    base = params if isinstance(params, StanceTrainConfig) else StanceTrainConfig(**(params or {}))
    return base.model_copy(update={"embed_backend": "static"})


def static_stance_model_dir(cache_dir: str | Path | None = None, annotations: str | Path | None = None,
                            params=None) -> Path:
    """Where the static stance model for these settings is (or will be) kept; never trains.

    ``cache_dir`` holds distilled static models and the trained stance
    models (``None`` = the user cache directory); ``annotations`` defaults
    to the shipped annotations CSV; ``params`` are the training settings
    (the ``[stance.train]`` section; ``None`` = defaults), always on static
    features. The key needs the distilled model's fingerprint, so the static
    embedding model is distilled here on first use (see :class:`StaticEmbedder`).
    """
    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    annotations = Path(annotations) if annotations else DEFAULT_ANNOTATIONS
    params = static_train_params(params)
    embedder = StaticEmbedder(model=params.embed_model, dims=params.static_dims,
                              cache_dir=str(cache)).fit()
    key = hashlib.sha256(json.dumps({
        "recipe": STATIC_RECIPE, "params": params.model_dump(mode="json"),
        "annotations": file_sha256(annotations), "embedding": embedder.fingerprint_,
    }, sort_keys=True).encode()).hexdigest()
    return (cache / "stance-models" / f"static-{key[:24]}").resolve()


def locate_model_dir(model: str | Path, cache_dir: str | Path | None = None, train=None) -> Path:
    """The folder of ``model``: ``"default"``, ``"static"`` or a directory; never trains.

    ``"static"`` must have been built (with the settings ``train``) by
    :func:`analysis.stance.train.build_static_stance_model`; a missing one is a
    :class:`ModelFormatError` saying so.
    """
    if str(model) != "static":
        return resolve_model_dir(model)
    path = static_stance_model_dir(cache_dir, params=train)
    if not (path / MODEL_JSON).is_file():
        raise ModelFormatError(
            f"the static stance model for these settings is not built yet ({path} is missing); "
            f"build it first with analysis.stance.build_static_stance_model(cache_dir, params=...)")
    return path
