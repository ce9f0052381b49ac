"""The scorer a run's config names, and what the manifest records about it.

:func:`scorer_from_config` builds the configured scorer (passing the model
directory to the model-based scorers and the embedding cache to
``stance.learner.v1``); :func:`scorer_info` describes the fitted scorer for
the manifest.
"""
from __future__ import annotations

import inspect

from analysis.stance.modelio import model_digest
from analysis.stance.registry import get_scorer
from analysis.stance.train import build_static_stance_model


def scorer_from_config(scfg, cache_dir=None):
    """The unfitted scorer named by ``scfg.scorer`` with ``scfg.scorer_params``.

    Scorers that take a ``model`` / ``cache_dir`` parameter get
    ``scfg.model`` / ``cache_dir`` unless ``scorer_params`` sets them, and a
    ``train`` parameter the ``[stance.train]`` settings. For ``model =
    "static"`` the static stance model is built first (once; then cached:
    :func:`analysis.stance.train.build_static_stance_model`), so ``fit``
    only loads it.
    """
    params = dict(scfg.scorer_params)
    scorer = get_scorer(scfg.scorer, **params)
    accepted = inspect.signature(type(scorer).__init__).parameters
    extra = {}
    if "model" in accepted and "model" not in params:
        extra["model"] = scfg.model
    if "cache_dir" in accepted and "cache_dir" not in params and cache_dir is not None:
        extra["cache_dir"] = str(cache_dir)
    if "train" in accepted and "train" not in params:
        extra["train"] = scfg.train.model_dump(mode="json")
    scorer = scorer.set_params(**extra) if extra else scorer
    if str(getattr(scorer, "model", "")) == "static" and "train" in accepted:
        build_static_stance_model(getattr(scorer, "cache_dir", None), params=getattr(scorer, "train", None))
    return scorer


def scorer_info(scorer, scfg) -> dict:
    """What scored the run, for the manifest: name, and for a learned model its identity."""
    info = {"scorer": scfg.scorer}
    model_dir = getattr(scorer, "model_dir_", None)
    if model_dir is not None:
        learned = getattr(scorer, "info_", {})
        info.update({
            "model": scfg.model, "path": str(model_dir), "digest": model_digest(model_dir),
            "embedding_fingerprint": learned.get("embedding", {}).get("fingerprint"),
            "base_model_fingerprint": learned.get("base_model", {}).get("fingerprint"),
            "training_data": learned.get("training", {}).get("data"),
            "training_data_sha256": learned.get("training", {}).get("sha256"),
            "temperature": learned.get("temperature"),
        })
        companion = learned.get("companion")
        if companion:  # only models that have one (the shipped models have none)
            info["ngram_companion"] = (f"{len(companion.get('models', []))} regression(s), "
                                       f"weight {companion.get('weight', 0.0):.3f}")
    return info
