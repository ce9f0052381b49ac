"""Data-only folders of the cross-encoder: ``adapter.safetensors`` + ``model.json``, no pickle.

``adapter.safetensors``
    the trained tensors only (LoRA matrices, or the adapted top layers, and
    the head), stored as float16 (:data:`STORED_DTYPE`), names sorted. The
    validation in ``model.json`` is measured on these stored weights.
``model.json``
    format and version, scorer name, the recipe (:class:`Config` fields), the
    label order of the logits, the base model (package and fingerprint), the
    weights file's sha256, the calibration temperature, the training data
    (file, sha256, row counts) and the validation tables per data set.

:func:`read_crossencoder` checks the folder for unsafe files, the weights'
sha256 against ``model.json`` and the base model's fingerprint against the
installed one; any mismatch is a :class:`~analysis.stance.modelio.ModelFormatError`.
Writing is deterministic: the same tensors and info give the same bytes.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from analysis.io import atomic_write, write_text
from analysis.stance.crossencoder.recipe import base_fingerprint
from analysis.stance.modelio import (
    MODEL_JSON, MODELS_DIR, ModelFormatError, json_default, read_model_json,
)

FORMAT = "analysis.stance.crossencoder"
FORMAT_VERSION = 1
SCORER = "stance.crossencoder.v1"
ADAPTER = "adapter.safetensors"
#: Precision of the stored tensors (they are loaded into float32 parameters).
STORED_DTYPE = "float16"
#: The cross-encoder shipped with the package (``stance.model = "default"``).
CROSSENCODER_MODEL_DIR = MODELS_DIR / "newsmtsc-minilm"


def resolve_crossencoder_dir(model: str | Path) -> Path:
    """``"default"`` -> the shipped cross-encoder; anything else is a folder path."""
    if str(model) in ("fast", "static"):
        raise ModelFormatError(f"model {str(model)!r} belongs to the scorer stance.learner.v1; "
                               "set stance.scorer = \"stance.learner.v1\" to use it")
    path = CROSSENCODER_MODEL_DIR if str(model) == "default" else Path(model).expanduser()
    if not (path / MODEL_JSON).is_file() or not (path / ADAPTER).is_file():
        hint = (" (rebuild it with `analysis stance build-default`)" if str(model) == "default"
                else "; a stance.learner.v1 folder (weights.npz) needs scorer stance.learner.v1")
        raise ModelFormatError(f"cross-encoder model directory {path} needs {MODEL_JSON} and "
                               f"{ADAPTER}{hint}")
    return path.resolve()


def save_crossencoder(path: str | Path, tensors: dict, doc: dict[str, Any]) -> Path:
    """Write ``tensors`` (name -> torch tensor, stored as float16) and ``doc`` (+ format, weights sha256)."""
    import torch
    from safetensors.torch import save

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    dtype = getattr(torch, STORED_DTYPE)
    blob = save({k: tensors[k].to(dtype).contiguous() for k in sorted(tensors)})
    atomic_write(path / ADAPTER, lambda tmp: Path(tmp).write_bytes(blob))
    info = {"format": FORMAT, "format_version": FORMAT_VERSION, "scorer": SCORER, **doc,
            "weights": {"file": ADAPTER, "sha256": hashlib.sha256(blob).hexdigest(),
                        "bytes": len(blob), "tensors": len(tensors), "dtype": STORED_DTYPE,
                        "parameters": int(sum(t.numel() for t in tensors.values()))}}
    write_text(path / MODEL_JSON, json.dumps(info, indent=1, sort_keys=True, default=json_default) + "\n")
    return path


def read_crossencoder_info(model: str | Path) -> dict[str, Any]:
    """The parsed ``model.json`` of a (safety-checked) cross-encoder folder."""
    return read_model_json(resolve_crossencoder_dir(model), FORMAT, FORMAT_VERSION)


def read_crossencoder(model: str | Path, base_path: str | Path | None = None):
    """``(path, info, tensors)``: weights checked against their sha256, base model against its fingerprint."""
    from safetensors.torch import load

    path = resolve_crossencoder_dir(model)
    info = read_crossencoder_info(path)
    blob = (path / ADAPTER).read_bytes()
    digest = hashlib.sha256(blob).hexdigest()
    if digest != info["weights"]["sha256"]:
        raise ModelFormatError(f"{path / ADAPTER} has sha256 {digest[:12]}, but {MODEL_JSON} "
                               f"records {info['weights']['sha256'][:12]}: the weights were changed")
    local = base_fingerprint(base_path)
    stored = info["base_model"]["fingerprint"]
    if local != stored:
        raise ModelFormatError(
            f"cross-encoder {path} was trained on base model {info['base_model']['package']} with "
            f"fingerprint {stored[:12]}, but the installed one has {local[:12]}; install the "
            f"matching base model or retrain (analysis stance train)")
    return path, info, load(blob)
