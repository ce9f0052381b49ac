"""Data-only model directories for the stance learner: no pickle, ever.

A model directory holds exactly two files:

``model.json``
    format and version, the scorer name, class order, featurizer and
    classifier parameters, the TF-IDF vocabulary, the training targets, the
    calibration temperature, the embedding model (spec and sha256
    fingerprint), the training data (file name, sha256, row counts) and the
    measured metrics (``metrics``; ``validation`` tables as records).
``weights.npz``
    float64 arrays ``coef``, ``intercept``, ``idf``, ``char_idf``, ``mean``, ``scale``,
    read with ``np.load(allow_pickle=False)``.

Before a user-given directory is read, :func:`check_model_dir` refuses any
file that could run code when loaded (pickle, joblib, torch checkpoints,
object arrays), through :mod:`analysis.safety`.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "analysis.stance.learner"
FORMAT_VERSION = 1
MODEL_JSON, WEIGHTS = "model.json", "weights.npz"
#: The model shipped with the package (data files only).
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "default"

_ARRAYS = ("coef", "intercept", "idf", "char_idf", "mean", "scale")


class ModelFormatError(ValueError):
    """A model directory that is missing, unsafe, or not in the expected format."""


def resolve_model_dir(model: str | Path, cache_dir: str | Path | None = None,
                      train=None) -> Path:
    """``"default"`` -> the shipped model; ``"static"`` -> the static-feature model.

    The static-feature model is trained with the settings ``train`` on first
    use and kept under ``cache_dir`` (see :mod:`analysis.stance.static_model`);
    anything else is a directory path.
    """
    if str(model) == "static":
        from analysis.stance.static_model import static_model_dir

        return static_model_dir(cache_dir, params=train).resolve()
    path = DEFAULT_MODEL_DIR if str(model) == "default" else Path(model).expanduser()
    if not (path / MODEL_JSON).is_file() or not (path / WEIGHTS).is_file():
        hint = " (rebuild it with `analysis stance build-default`)" if str(model) == "default" else ""
        raise ModelFormatError(f"stance model directory {path} needs {MODEL_JSON} and {WEIGHTS}{hint}")
    return path.resolve()


def check_model_dir(path: str | Path) -> Path:
    """Refuse a model directory holding pickles or other formats that run code when loaded.

    Delegates to :func:`analysis.safety.check_model_dir` (strict: a stance
    model is JSON + NPZ only) and reports a refusal as :class:`ModelFormatError`.
    """
    from analysis.safety import UnsafeModelError
    from analysis.safety import check_model_dir as safety_check

    try:
        return safety_check(path, strict=True)
    except UnsafeModelError as err:
        raise ModelFormatError(str(err)) from None


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_digest(path: str | Path) -> str:
    """sha256 over the two model files (names and bytes): the model's identity."""
    digest = hashlib.sha256()
    for name in (MODEL_JSON, WEIGHTS):
        digest.update(name.encode())
        digest.update(file_sha256(Path(path) / name).encode())
    return digest.hexdigest()


def save_model(learner, path: str | Path, info: dict[str, Any] | None = None) -> Path:
    """Write a fitted :class:`~analysis.stance.learner.StanceLearner` to ``path``.

    ``info`` (training data, metrics, validation tables) is stored under its
    keys in ``model.json``. Files are written in a fixed order and format, so
    the same model gives the same bytes.
    """
    from analysis.io import write_text

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
    write_text(path / MODEL_JSON, json.dumps(doc, indent=1, sort_keys=True, default=_json_default) + "\n")
    return path


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Uncompressed NPZ with fixed member timestamps, so equal arrays give equal bytes."""
    import io
    import zipfile

    from analysis.io import atomic_write

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
            for name in _ARRAYS:
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, arrays[name], allow_pickle=False)
                member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                zf.writestr(member, buffer.getvalue())

    atomic_write(path, write)


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def read_model_info(path: str | Path) -> dict[str, Any]:
    """The parsed ``model.json`` of a (safety-checked) model directory."""
    path = check_model_dir(resolve_model_dir(path))
    doc = json.loads((path / MODEL_JSON).read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT or doc.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(f"{path / MODEL_JSON} is not a {FORMAT} v{FORMAT_VERSION} model")
    return doc


def load_model(path: str | Path, cache_dir: str | None = None):
    """Load a model directory; return ``(learner, info)``.

    The embedding model named in ``model.json`` is resolved locally and its
    fingerprint must equal the recorded one: features from another model
    would silently give wrong predictions.
    """
    from analysis.stance.features import StanceFeaturizer
    from analysis.stance.learner import StanceLearner

    info = read_model_info(path)
    path = resolve_model_dir(path)
    with np.load(path / WEIGHTS, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in _ARRAYS}
    params = dict(info["featurizer"])
    for key in ("ngram_range", "char_ngram_range"):
        params[key] = tuple(params[key]) if params.get(key) else None
    feat = StanceFeaturizer(**params, cache_dir=cache_dir)
    feat._fit_embedder()
    if feat.embedding_fingerprint_ != info["embedding"]["fingerprint"]:
        raise ModelFormatError(
            f"stance model {path} was trained on embedding model {info['embedding']['model']} "
            f"with fingerprint {info['embedding']['fingerprint'][:12]}, but the local model has "
            f"{feat.embedding_fingerprint_[:12]}")
    feat.mean_, feat.scale_, feat.idf_ = arrays["mean"], arrays["scale"], arrays["idf"]
    feat.char_idf_, feat.char_vocabulary_ = arrays["char_idf"], list(info["char_vocabulary"])
    feat.vocabulary_, feat.targets_ = list(info["vocabulary"]), list(info["targets"])
    clf = info["classifier"]
    learner = StanceLearner(featurizer=feat, C=clf["C"], class_weight=clf["class_weight"],
                            max_iter=clf["max_iter"])
    learner.featurizer_ = feat
    learner.classes_ = np.array(info["classes"], dtype=object)
    learner.coef_, learner.intercept_ = arrays["coef"], arrays["intercept"]
    learner.temperature_ = float(info["temperature"])
    return learner, info
