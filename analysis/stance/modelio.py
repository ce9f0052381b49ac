"""Data-only model directories for the stance learner: no pickle, ever.

A learner model directory holds exactly two files (the cross-encoder's folder
format is in :mod:`analysis.stance.crossencoder.io`):

``model.json``
    format and version, the scorer name, class order, featurizer and
    classifier parameters, the TF-IDF vocabulary, the training targets, the
    calibration temperature, the embedding model (spec and sha256
    fingerprint), the training data (file name, sha256, row counts) and the
    measured metrics (``metrics``; ``validation`` tables as records).
``weights.npz``
    float64 arrays ``coef``, ``intercept``, ``idf``, ``char_idf``, ``mean``, ``scale``,
    read with ``np.load(allow_pickle=False)``.

Before a user-given directory is read, :func:`check_stance_model_dir` refuses
any file that could run code when loaded (pickle, joblib, torch checkpoints,
object arrays), through :mod:`analysis.safety`.

This module only reads and writes folders: it never trains a model and builds
no learner (:func:`analysis.stance.learner.load_model` does, from what
:func:`read_model` returns).
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from analysis.io import atomic_write, file_sha256, write_text
from analysis.safety import UnsafeModelError, check_safe_model_dir

FORMAT = "analysis.stance.learner"
FORMAT_VERSION = 1
MODEL_JSON, WEIGHTS = "model.json", "weights.npz"
#: Where the shipped models live (data files only).
MODELS_DIR = Path(__file__).resolve().parent / "models"
#: The shipped learner (``stance.learner.v1``, model ``"fast"``; also its ``"default"``).
FAST_MODEL_DIR = MODELS_DIR / "fast"
#: Weight files of the model formats (learner, cross-encoder), for :func:`model_digest`.
_WEIGHT_FILES = (WEIGHTS, "adapter.safetensors")

_ARRAYS = ("coef", "intercept", "idf", "char_idf", "mean", "scale")


class ModelFormatError(ValueError):
    """A model directory that is missing, unsafe, or not in the expected format."""


def resolve_model_dir(model: str | Path) -> Path:
    """``"fast"`` or ``"default"`` -> the shipped learner; anything else is a model directory path.

    The static-feature model (``"static"``) lives in the cache; see
    :func:`analysis.stance.static_model.static_stance_model_dir`.
    """
    shipped = str(model) in ("fast", "default")
    path = FAST_MODEL_DIR if shipped else Path(model).expanduser()
    if not (path / MODEL_JSON).is_file() or not (path / WEIGHTS).is_file():
        hint = (" (rebuild it with `analysis stance build-default --fast`)" if shipped
                else "; a cross-encoder folder (adapter.safetensors) needs scorer "
                     "stance.crossencoder.v1")
        raise ModelFormatError(f"stance model directory {path} needs {MODEL_JSON} and {WEIGHTS}{hint}")
    return path.resolve()


def check_stance_model_dir(path: str | Path) -> Path:
    """Refuse a model directory holding pickles or other formats that run code when loaded.

    Delegates to :func:`analysis.safety.check_safe_model_dir` (strict: a stance
    model is JSON + NPZ only) and reports a refusal as :class:`ModelFormatError`.
    """
    try:
        return check_safe_model_dir(path, strict=True)
    except UnsafeModelError as err:
        raise ModelFormatError(str(err)) from None


def model_digest(path: str | Path) -> str:
    """sha256 over the model files (names and bytes): the model's identity (either format)."""
    digest = hashlib.sha256()
    names = [MODEL_JSON] + [n for n in _WEIGHT_FILES if (Path(path) / n).is_file()]
    for name in names:
        digest.update(name.encode())
        digest.update(file_sha256(Path(path) / name).encode())
    return digest.hexdigest()


def save_model(learner, path: str | Path, info: dict[str, Any] | None = None) -> Path:
    """Write a fitted :class:`~analysis.stance.learner.StanceLearner` to ``path``.

    ``info`` (training data, metrics, validation tables) is stored under its
    keys in ``model.json``. Files are written in a fixed order and format, so
    the same model gives the same bytes.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    feat = learner.featurizer_
    params = feat.get_params()
    params.pop("cache_dir", None)
    for key in ("ngram_range", "char_ngram_range"):
        params[key] = list(params[key]) if params[key] else None
    doc = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "scorer": "stance.learner.v1",
        "classes": [str(c) for c in learner.classes_],
        "featurizer": params,
        "classifier": {"type": "logistic_regression", "C": learner.C,
                       "class_weight": learner.class_weight, "max_iter": learner.max_iter},
        "temperature": learner.temperature_,
        "embedding": {"model": feat.embed_model, "fingerprint": feat.embedding_fingerprint_,
                      "dim": int(len(feat.mean_))},
        "vocabulary": list(feat.vocabulary_), "char_vocabulary": list(feat.char_vocabulary_),
        "targets": list(feat.targets_),
        **(info or {}),
    }
    arrays = {"coef": learner.coef_, "intercept": learner.intercept_, "idf": feat.idf_,
              "char_idf": feat.char_idf_, "mean": feat.mean_, "scale": feat.scale_}
    _write_npz(path / WEIGHTS, {k: np.asarray(v, dtype=np.float64) for k, v in arrays.items()})
    write_text(path / MODEL_JSON, json.dumps(doc, indent=1, sort_keys=True, default=json_default) + "\n")
    return path


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Uncompressed NPZ with fixed member timestamps, so equal arrays give equal bytes."""
    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
            for name in _ARRAYS:
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, arrays[name], allow_pickle=False)
                member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                zf.writestr(member, buffer.getvalue())

    atomic_write(path, write)


def json_default(value):
    """Plain JSON values of NumPy scalars and arrays (anything else as text), for ``json.dumps``."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def read_model_json(path: Path, fmt: str = FORMAT, version: int = FORMAT_VERSION) -> dict[str, Any]:
    """The parsed ``model.json`` of the (safety-checked) folder ``path``, checked to be ``fmt`` v``version``."""
    path = check_stance_model_dir(path)
    doc = json.loads((path / MODEL_JSON).read_text(encoding="utf-8"))
    if doc.get("format") != fmt or doc.get("format_version") != version:
        raise ModelFormatError(f"{path / MODEL_JSON} is not a {fmt} v{version} model")
    return doc


def read_model_info(path: str | Path) -> dict[str, Any]:
    """The parsed ``model.json`` of a (safety-checked) learner model directory."""
    return read_model_json(resolve_model_dir(path))


def read_model(path: str | Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """``(info, arrays)`` of a (safety-checked) model directory: ``model.json`` and the weights."""
    info = read_model_info(path)
    with np.load(resolve_model_dir(path) / WEIGHTS, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in _ARRAYS}
    return info, arrays
