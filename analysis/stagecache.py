"""The stage cache: topic-stage and stance-stage outputs kept under a content key.

A stage's outputs (its tables and a small JSON of the rest, e.g. resolved
parameters) are stored in ``<cache_dir>/stages/<stage>/<key>/`` with the
layout of a run folder (``tables/<name>.parquet``, read by
:func:`analysis.runs.read_tables`) and an ``entry.json`` that names every
table file with its sha256 and content digest. The key is a sha256 over the
stage's name, the content digests of its inputs, its part of the config, the
versions of the packages that shape results and the package's own files
(:func:`stage_key`); what cannot be put into JSON raises instead of getting a
random key.

* Writing is atomic and safe under concurrent runs: an entry is filled in a
  private folder and renamed into place once, under a file lock
  (:func:`analysis.io.build_dir_once`). An entry whose tables do not read
  back to the same content digests is not stored.
* Reading trusts nothing: an entry is used only when its ``entry.json``
  parses, names this key and every table file has its recorded sha256;
  otherwise it is removed and the stage recomputed.
* Cached stages never change results, only speed: a warm run gives the same
  table digests as a cold one.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from filelock import FileLock

from .embed.model import model_fingerprint, resolve_model_path
from .io import build_dir_once, file_sha256, folder_digest, folder_sha256s, table_digest, write_json, write_table
from .manifest import package_versions
from .runs import TABLES_DIR, code_fingerprint, read_tables
from .safety import inside
from .stance.static_model import static_stance_model_dir
from .stance.from_config import scorer_from_config

#: Bump when the layout of an entry changes.
FORMAT_VERSION = 1
#: Sub-folder of the cache folder holding the entries.
STAGES_DIR = "stages"
#: The file that marks a complete entry.
ENTRY_JSON = "entry.json"


@dataclass
class StageOutput:
    """What a cached stage produced: named tables and JSON-ready extra values (``info``)."""

    tables: dict[str, pd.DataFrame]
    info: dict[str, Any] = field(default_factory=dict)
    #: How this output was obtained: ``"computed"``, ``"stored"`` (computed, then cached) or ``"hit"``.
    source: str = "computed"
    #: Folders (name -> path) kept with the entry, e.g. a saved topic model.
    folders: dict[str, Path] = field(default_factory=dict)
    #: In memory only, never stored: e.g. the fitted topic units of a computed topic stage.
    model: Any = None
    #: The entry this output belongs to (set by :meth:`StageCache.run`).
    stage: str = ""
    key: str = ""


def array_digest(values: np.ndarray) -> str:
    """sha256 of an array's dtype, shape and bytes."""
    arr = np.ascontiguousarray(values)
    h = hashlib.sha256(f"{arr.dtype.str}:{arr.shape}".encode())
    h.update(arr.tobytes())
    return h.hexdigest()


def stage_key(stage: str, inputs: dict[str, Any], settings: dict[str, Any]) -> str:
    """sha256 of a stage's name, its inputs' digests, its settings, the package versions and code.

    DataFrames in ``inputs`` are replaced by :func:`analysis.io.table_digest`,
    arrays by :func:`array_digest`; everything else must be JSON (a
    ``TypeError`` otherwise: no silent fallback key).
    """
    digests = {name: table_digest(v) if isinstance(v, pd.DataFrame)
               else array_digest(v) if isinstance(v, np.ndarray) else v for name, v in inputs.items()}
    blob = json.dumps({"stage": stage, "format": FORMAT_VERSION, "inputs": digests, "settings": settings,
                       "versions": package_versions(), "code": code_fingerprint()}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _json_ready(value: Any) -> Any:
    """NumPy scalars and arrays as plain Python values (tuples as lists), recursively."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return _json_ready(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


class StageCache:
    """Entries of cached stages under ``<cache_dir>/stages/``: :meth:`get`, :meth:`put`, :meth:`run`."""

    def __init__(self, cache_dir: str | Path):
        self.cache_dir = cache_dir

    def entry_dir(self, stage: str, key: str) -> Path:
        """The folder of one entry (it exists only when complete)."""
        return inside(Path(self.cache_dir) / STAGES_DIR, stage, key)

    def get(self, stage: str, key: str) -> StageOutput | None:
        """The stored outputs of ``stage`` under ``key``, or ``None`` (absent, or found damaged and removed)."""
        folder = self.entry_dir(stage, key)
        if not (folder / ENTRY_JSON).is_file():
            return None
        try:
            entry = json.loads((folder / ENTRY_JSON).read_text(encoding="utf-8"))
            if entry["format"] != FORMAT_VERSION or entry["stage"] != stage or entry["key"] != key:
                raise ValueError("entry of another key or format")
            files = {n: folder / TABLES_DIR / f"{n}.parquet" for n in entry["tables"]}
            if any(file_sha256(files[n]) != t["sha256"] for n, t in entry["tables"].items()):
                raise ValueError("a table file changed")
            if any(folder_sha256s(inside(folder, n)) != f for n, f in entry["folders"].items()):
                raise ValueError("a kept folder changed")
            tables = read_tables(folder, list(entry["tables"]))
            return StageOutput(tables, entry["info"], "hit", {n: folder / n for n in entry["folders"]})
        except Exception:  # noqa: BLE001 - a damaged entry of any kind is dropped, never trusted
            self.remove(stage, key)
            return None

    def put(self, stage: str, key: str, out: StageOutput) -> bool:
        """Store ``out`` under ``key`` once; ``False`` when it could not be stored (a table that does not
        read back to the same content, or a write that failed): the run goes on without it."""
        def build(tmp: Path) -> None:
            tables = {}
            for name, df in out.tables.items():
                write_table(df, tmp / TABLES_DIR, name, csv=False)
                tables[name] = {"sha256": file_sha256(tmp / TABLES_DIR / f"{name}.parquet"),
                                "digest": table_digest(df)}
            back = read_tables(tmp, list(tables))
            if any(table_digest(back[n]) != t["digest"] for n, t in tables.items()):
                raise _NotFaithful
            for name, src in out.folders.items():
                shutil.copytree(src, inside(tmp, name))
            write_json(tmp / ENTRY_JSON, {"format": FORMAT_VERSION, "stage": stage, "key": key,
                                          "tables": tables, "info": _json_ready(out.info),
                                          "folders": {n: folder_sha256s(tmp / n) for n in out.folders}})
        try:
            build_dir_once(self.entry_dir(stage, key), ENTRY_JSON, build)
        except Exception:  # noqa: BLE001 - not faithful, not writable or a full disk: the run goes on uncached
            return False
        return True

    def remove(self, stage: str, key: str) -> None:
        """Drop an entry (moved aside under the entry's lock, then deleted)."""
        folder = self.entry_dir(stage, key)
        with FileLock(str(folder) + ".lock"):
            if folder.exists():
                aside = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{key}.removed."))
                os.replace(folder, aside / key)
                shutil.rmtree(aside, ignore_errors=True)

    def attach(self, stage: str, key: str, name: str, src: Path) -> bool:
        """Add the folder ``src`` to a complete entry as ``name`` (once; moved in whole, then listed
        with its files' sha256); ``False`` when it could not be added (the run goes on)."""
        folder = self.entry_dir(stage, key)
        try:
            with FileLock(str(folder) + ".lock"):
                if not (folder / ENTRY_JSON).is_file() or (folder / name).exists():
                    return False
                tmp = Path(tempfile.mkdtemp(dir=folder, prefix=f".{name}."))
                try:
                    shutil.copytree(src, tmp / name)
                    files = folder_sha256s(tmp / name)
                    os.replace(tmp / name, inside(folder, name))
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
                entry = json.loads((folder / ENTRY_JSON).read_text(encoding="utf-8"))
                write_json(folder / ENTRY_JSON, {**entry, "folders": {**entry["folders"], name: files}})
        except (OSError, ValueError, KeyError):
            return False
        return True

    def run(self, stage: str, key: str, compute: Callable[[], StageOutput]) -> StageOutput:
        """The stored outputs of ``stage`` under ``key``, or ``compute()`` stored for next time."""
        if (found := self.get(stage, key)) is not None:
            found.stage, found.key = stage, key
            return found
        out = compute()
        out.stage, out.key = stage, key
        if self.put(stage, key, out):
            out.source = "stored"
        return out


class _NotFaithful(Exception):
    """A table that does not read back from Parquet with the same content digest."""


def cached_stage(cache: StageCache | None, stage: str, key: Callable[[], str],
                 compute: Callable[[], StageOutput]) -> StageOutput:
    """``compute()`` through ``cache`` (``key()`` is only computed when a cache is given)."""
    return compute() if cache is None else cache.run(stage, key(), compute)


def sync_folder(cache: StageCache | None, out: StageOutput, run_dir: Path, name: str) -> None:
    """Keep the run folder's ``name`` folder (e.g. the saved topic model) with the stage's entry.

    After a hit it is copied from the entry into ``run_dir`` (when the entry
    has it); after a computed and stored stage the run's folder is added to
    the entry.
    """
    if cache is None or not out.key:
        return
    here = Path(run_dir) / name
    if out.source == "hit" and name in out.folders and not here.exists():
        shutil.copytree(out.folders[name], here)
    elif out.source == "stored" and here.is_dir():
        cache.attach(out.stage, out.key, name, here)


def topics_stage_key(cfg, paragraphs: pd.DataFrame, articles: pd.DataFrame, embeddings: np.ndarray,
                     embedder) -> str:
    """Key of the topic stage (topics, stability, map): its input tables, the embeddings and their
    model, ``topics``, ``embed``, ``seed`` and the map settings of ``report``."""
    report = cfg.report
    return stage_key("topics", {"paragraphs": paragraphs, "articles": articles, "embeddings": embeddings,
                                "embed_model": embedder.fingerprint_},
                     {"topics": cfg.topics.model_dump(mode="json"), "embed": cfg.embed.model_dump(mode="json"),
                      "seed": cfg.seed, "map": [report.paragraph_map, report.map_neighbors, report.map_max_points]})


def stance_stage_key(cfg, sentences: pd.DataFrame, paragraph_topics: pd.DataFrame, articles: pd.DataFrame,
                     cache_dir) -> str:
    """Key of the stance stage: its input tables, the stance model's files, ``stance``, ``seed`` and
    ``topics.time_freq`` (the period of ``stance.time_window = "auto"``)."""
    return stage_key("stance", {"sentences": sentences, "paragraph_topics": paragraph_topics,
                                "articles": articles, "model": stance_model_identity(cfg.stance, cache_dir)},
                     {"stance": cfg.stance.model_dump(mode="json"), "seed": cfg.seed,
                      "time_freq": cfg.topics.time_freq})


def model_identities(cfg, cache_dir) -> dict[str, str | None]:
    """The content of the models a run reads (embedding model files, stance model), for the key of
    whole-run reuse: a model replaced in the same folder is a new input, as a changed corpus is."""
    return {"embed": model_fingerprint(resolve_model_path(cfg.embed.model)),
            "stance": stance_model_identity(cfg.stance, cache_dir)}


def stance_model_identity(scfg, cache_dir) -> str | None:
    """What names the stance model's content: a digest of its folder, or the shipped model's name
    (shipped models are part of the package's files, in every key); ``None`` for scorers without one."""
    scorer = scorer_from_config(scfg, cache_dir)  # builds the static model first, as the stage would
    model = getattr(scorer, "model", None)
    if model is None or str(model) in ("default", "fast"):
        return None if model is None else str(model)
    if str(model) == "static":
        path = static_stance_model_dir(getattr(scorer, "cache_dir", None), params=getattr(scorer, "train", None))
    else:
        path = Path(str(model)).expanduser()
    return folder_digest(path) if path.is_dir() else str(model)

