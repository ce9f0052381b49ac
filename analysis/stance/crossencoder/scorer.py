"""The registered scorer ``"stance.crossencoder.v1"``: a fine-tuned MiniLM cross-encoder.

:class:`CrossEncoderScorer` loads a cross-encoder folder in ``fit`` (never
trains; the network is built once per process and folder, then shared) and
scores a stance-input table into a ``schema.STANCE`` table: each row's
mention ``sentence[start:end]`` is marked (a row with ``start == end``, whose
target is not named, is read as ``target [SEP] sentence``), the network
gives logits, the stored temperature calibrates them (a folder with an
n-gram companion adds its weighted log-probabilities, see
:mod:`analysis.stance.crossencoder.companion`), and

* ``p_favor, p_against, p_neutral``: calibrated probabilities;
* ``label``: the most probable class; ``confidence``: its probability;
* ``score = p_favor - p_against`` in [-1, 1].
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.special import softmax
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from analysis import schema
from analysis.stance.crossencoder.companion import COMPANION_PREFIX, NgramCompanion
from analysis.stance.crossencoder.inputs import encode_rows, to_schema_order
from analysis.stance.crossencoder.io import read_crossencoder
from analysis.stance.crossencoder.recipe import Config
from analysis.stance.learner import stance_frame
from analysis.stance.registry import register
from analysis.stance.targets import STANCE_INPUT


@lru_cache(maxsize=4)
def _network(path: str, weights_sha256: str, info_key: str):
    """``(tokenizer, network, info, companion)`` of a checked folder, built once per process and content.

    Keyed by the weights' digest and the content of ``model.json``: training
    writes a folder twice with the same weights (before and after
    calibration), and a later load must see the final ``model.json``
    (temperature, companion weight), not the first.
    """
    from analysis.stance.crossencoder.network import build_network, load_trainable_state

    _, info, tensors = read_crossencoder(path)
    tokenizer, network = build_network(Config.from_dict(info["recipe"]))
    own = {k: v for k, v in tensors.items() if not k.startswith(COMPANION_PREFIX)}
    companion = None
    if "companion" in info:
        arrays = {k: v.float().numpy() for k, v in tensors.items() if k.startswith(COMPANION_PREFIX)}
        companion = NgramCompanion.from_arrays(info["companion"], arrays)
    return tokenizer, load_trainable_state(network, own), info, companion


def _info_key(info: dict) -> str:
    """A digest of a parsed ``model.json`` (part of the network cache's key)."""
    return hashlib.sha256(json.dumps(info, sort_keys=True, default=str).encode()).hexdigest()


@register("stance.crossencoder.v1")
class CrossEncoderScorer(BaseEstimator):
    """Score stance with a saved cross-encoder folder.

    Parameters
    ----------
    model : str
        ``"default"`` (the shipped model, trained on NewsMTSC) or a folder
        written by ``analysis stance train`` / :func:`train_crossencoder`.
    batch_size : int
        Sentences per forward pass.
    """

    def __init__(self, model="default", batch_size=64):
        self.model = model
        self.batch_size = batch_size

    def fit(self, X=None, y=None) -> "CrossEncoderScorer":
        """Load and check the folder (weights' sha256, base model fingerprint); return ``self``."""
        path, info, _ = read_crossencoder(self.model)
        self.model_dir_ = path
        self.tokenizer_, self.network_, self.info_, self.companion_ = _network(
            str(path), info["weights"]["sha256"], _info_key(info))
        self.temperature_ = float(self.info_["temperature"])
        self.companion_weight_ = float((self.info_.get("companion") or {}).get("weight", 0.0))
        return self

    def __getstate__(self):
        """Pickled without the network (an engine ships the scorer to its workers): reloaded on unpickling."""
        state = super().__getstate__()
        return {k: v for k, v in state.items() if k not in ("network_", "tokenizer_", "companion_")}

    def __setstate__(self, state):
        super().__setstate__(state)
        if "model_dir_" in state:
            self.tokenizer_, self.network_, _, self.companion_ = _network(
                str(self.model_dir_), self.info_["weights"]["sha256"], _info_key(self.info_))

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Raw logits (n, 3) in the network's order (``info_["labels"]``: against, neutral, favor)."""
        from analysis.stance.crossencoder.network import predict_logits

        check_is_fitted(self, "network_")
        cfg = self.network_.cfg
        encoded = encode_rows(self.tokenizer_, X["sentence"], X["start"], X["end"],
                              cfg.max_length, cfg.fmt, X["target"], cfg.pair_pooling)
        return predict_logits(self.network_, self.tokenizer_, encoded, self.batch_size)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities (n, 3) in ``schema.LABELS`` order: favor, against, neutral."""
        if len(X) == 0:
            return np.zeros((0, 3))
        return self.calibrated(X, self.decision_function(X))

    def calibrated(self, X: pd.DataFrame, logits: np.ndarray) -> np.ndarray:
        """:meth:`predict_proba` from the network's ``logits`` of ``X`` (temperature and companion)."""
        logits = np.asarray(logits) / self.temperature_
        if self.companion_ is not None and self.companion_weight_ and len(X):
            logits = logits + self.companion_weight_ * self.companion_.log_proba(X["sentence"], X["target"])
        return to_schema_order(softmax(logits, axis=1))

    def predict_frame(self, X: pd.DataFrame) -> pd.DataFrame:
        """Score each row of a stance-input table; return a ``schema.STANCE`` table."""
        check_is_fitted(self, "network_")
        schema.check_columns(X, STANCE_INPUT, "stance input")
        return stance_frame(X, self.predict_proba(X))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Stance labels of :meth:`predict_frame` as an array."""
        return self.predict_frame(X)["label"].to_numpy()
