"""Checks on what users hand in: model directories and output paths.

Nothing a user passes to the toolkit is ever unpickled. Model directories are
checked before anything in them is opened by a loader:

* :func:`check_safe_model_dir` refuses a directory holding a file that would
  run code when loaded: a pickle (``.pkl``, ``.pickle``, ``.joblib``, ``.dill``,
  or any file starting with pickle protocol 2-5 bytes), a PyTorch checkpoint
  (``.pt``, ``.pth``, ``.bin``, ``.ckpt``; legacy or zip format, both
  pickles), or a NumPy ``.npy``/``.npz`` array of Python objects. PyTorch
  weight files that sit beside ``.safetensors`` weights in the same folder
  are tolerated (loaders here read only the safetensors), unless
  ``strict=True``.
* :func:`check_sentence_transformer_dir` adds the rules for a
  sentence-transformers folder: weights must exist as safetensors, module
  classes must come from ``sentence_transformers`` itself, and the
  configuration must not ask for custom (remote) code.

Loaders call these checks first (the embedding model in
:mod:`analysis.embed.model`, the stance learner in
:mod:`analysis.stance.modelio`). :func:`inside` resolves an output path and
refuses one that would land outside its output root.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

#: Always refused: these formats are pickles (possibly compressed).
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".dill", ".sav", ".cloudpickle")
#: PyTorch checkpoints (loading one unpickles it).
TORCH_SUFFIXES = (".pt", ".pth", ".bin", ".ckpt")
#: Pickle protocol 2-5 start with PROTO (0x80) and the protocol number.
_PICKLE_MAGIC = tuple(bytes([0x80, n]) for n in (2, 3, 4, 5))
_NPY_MAGIC = b"\x93NUMPY"


class UnsafeModelError(ValueError):
    """A model directory holds a file that could execute code when loaded."""


class UnsafePathError(ValueError):
    """An output path would resolve outside its output root."""


def sniff_executable(path: str | Path) -> str | None:
    """Why loading ``path`` could run code (``None`` if it is plain data).

    Looks at the bytes, not only the name: pickle protocol 2-5 headers,
    zip archives holding ``*.pkl`` members (PyTorch's format), and NumPy
    ``.npy``/``.npz`` arrays with an object dtype.
    """
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head[:2] in _PICKLE_MAGIC:
        return f"a pickle (protocol {head[1]})"
    if head.startswith(_NPY_MAGIC):
        return "a NumPy array of Python objects (stored as a pickle)" if _npy_has_objects(path) else None
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return None


def _npy_has_objects(path: Path) -> bool:
    import numpy as np

    with open(path, "rb") as handle:
        return _header_has_objects(handle, np)


def _header_has_objects(handle, np) -> bool:
    try:
        version = np.lib.format.read_magic(handle)
        reader = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                  else np.lib.format.read_array_header_2_0)
        _shape, _order, dtype = reader(handle)
    except (ValueError, OSError, SyntaxError):
        return True  # an unreadable header is not trusted
    return bool(dtype.hasobject)


def _sniff_zip(path: Path) -> str | None:
    import numpy as np

    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith((".pkl", ".pickle")):
                    return f"a zip archive holding the pickle {name!r} (a PyTorch checkpoint?)"
                if name.endswith(".npy"):
                    with archive.open(name) as member:
                        if _header_has_objects(member, np):
                            return f"an NPZ archive whose array {name!r} holds Python objects (a pickle)"
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return None
    return None


def _has_safetensors(folder: Path) -> bool:
    return any(p.is_file() and p.suffix == ".safetensors" for p in folder.iterdir())


def check_safe_model_dir(path: str | Path, *, strict: bool = False) -> Path:
    """Refuse a model directory that holds anything a loader would unpickle.

    Every file below ``path`` is checked by name and by content (see
    :func:`sniff_executable`). PyTorch weight files (``.bin``, ``.pt``,
    ``.pth``, ``.ckpt``) are tolerated only beside ``.safetensors`` weights
    in the same folder, which are what gets loaded; ``strict=True`` refuses
    them too. Returns the resolved directory; raises
    :class:`UnsafeModelError` naming the offending file, or
    ``FileNotFoundError`` if ``path`` is not a directory.
    """
    root = Path(path).expanduser()
    if not root.is_dir():
        raise FileNotFoundError(f"model directory {root} does not exist or is not a directory")
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        if ".git" in file.relative_to(root).parts:
            continue
        reason = _refusal(file, strict)
        if reason:
            raise UnsafeModelError(
                f"refusing to load model directory {root}: {file.relative_to(root)} is {reason}, "
                f"and loading it could run arbitrary code. Only data formats are accepted "
                f"(safetensors, NPZ without objects, JSON).")
    return root.resolve()


def _refusal(file: Path, strict: bool) -> str | None:
    suffix = file.suffix.lower()
    if suffix in PICKLE_SUFFIXES:
        return f"a {suffix} file (a pickle format)"
    sniffed = sniff_executable(file)
    if suffix in TORCH_SUFFIXES:
        if not strict and _has_safetensors(file.parent):
            return None  # shadowed by safetensors weights, never opened
        return sniffed or f"a {suffix} file (PyTorch checkpoints are pickles)"
    return sniffed


def check_sentence_transformer_dir(path: str | Path) -> Path:
    """:func:`check_safe_model_dir` plus the rules for a sentence-transformers folder.

    The folder must hold its weights as ``.safetensors``; every module in
    ``modules.json`` must be a ``sentence_transformers`` class (no code from
    the model folder or other packages); ``config.json`` must not name
    custom code (``auto_map``).
    """
    root = check_safe_model_dir(path)
    if not any(p.suffix == ".safetensors" for p in root.rglob("*") if p.is_file()):
        raise UnsafeModelError(
            f"model directory {root} holds no .safetensors weights; only safetensors are loaded "
            f"(convert pytorch_model.bin with the safetensors package first)")
    for module in _read_json(root / "modules.json", []) or []:
        kind = str(module.get("type", "")) if isinstance(module, dict) else ""
        if not kind.startswith("sentence_transformers."):
            raise UnsafeModelError(
                f"model directory {root}: modules.json asks for the class {kind!r}, which is not "
                f"part of sentence_transformers; custom module code is never imported")
    config = _read_json(root / "config.json", {})
    if isinstance(config, dict) and config.get("auto_map"):
        raise UnsafeModelError(
            f"model directory {root}: config.json names custom code (auto_map); it is never run")
    return root


def _read_json(path: Path, default):
    if not path.is_file():
        return default
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnsafeModelError(f"{path} is not valid JSON ({exc})") from None


def inside(root: str | Path, *parts: str | Path) -> Path:
    """``root / parts`` resolved, or :class:`UnsafePathError` if it leaves ``root``.

    Symbolic links and ``..`` are resolved first, so neither an absolute
    part, nor ``../``, nor a link pointing elsewhere can move an output
    outside the folder the user chose.
    """
    base = Path(root).resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        shown = "/".join(str(p) for p in parts)
        raise UnsafePathError(f"output path {shown!r} would be written outside {base} (to {target})")
    return target
