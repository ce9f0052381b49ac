"""Annotated stance data: read a labelled CSV and turn it into scorer input.

An annotations CSV has one row per (text, target) with the columns

* ``text``: the sentence; ``target``: the target's name; ``label``: favor /
  against / neutral (``FAVOR``/``AGAINST``/``NONE``/``pro``/``con`` are
  accepted and mapped);
* optional: ``id``, ``split`` (train / dev / test), ``phenomenon``, and a
  second annotator's labels in ``label_2`` (or ``label_b``,
  ``label_annotator2``), used for agreement.

:func:`annotation_input` finds the target's mentions in each text with the
target definitions (config targets, then the built-in catalogue
:data:`~analysis.default_targets.KNOWN_TARGETS`; a target in neither
is looked for by its name) and returns the scorer input table
(:data:`~analysis.stance.targets.STANCE_INPUT` plus ``spans`` and ``mentioned``).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.default_targets import KNOWN_TARGETS
from analysis.stance.targets import STANCE_INPUT, TargetMatcher

LABEL_MAP = {
    "favor": "favor", "favour": "favor", "pro": "favor", "positive": "favor",
    "against": "against", "con": "against", "negative": "against",
    "neutral": "neutral", "none": "neutral",
}
SECOND_LABEL_COLUMNS = ("label_2", "label_b", "label_annotator2", "label2")
#: The annotated set the shipped models are built from (in the source tree).
DEFAULT_ANNOTATIONS = (Path(__file__).resolve().parents[2] / "data" / "annotations"
                       / "stance_annotations.csv")


class AnnotationError(ValueError):
    """An annotations file that cannot be used, with the file and row named."""


def normalise_label(value) -> str | None:
    """Map a label spelling to favor / against / neutral (``None`` if blank)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    return LABEL_MAP.get(text, text)


def read_annotations(path: str | Path, require_labels: bool = True) -> pd.DataFrame:
    """Read and validate an annotations CSV; labels are normalised.

    Rows with a blank label are dropped when ``require_labels`` (unlabelled
    rows of a sampling sheet); an unknown label is an error naming the row.
    Adds ``id`` (``row<n>``) and ``split`` (empty) when absent.
    """
    path = Path(path)
    if not path.is_file():
        raise AnnotationError(f"annotations file not found: {path}")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("text", "target", "label") if c not in frame.columns]
    if missing:
        raise AnnotationError(f"{path}: missing column(s) {missing}; has {list(frame.columns)}")
    frame = frame.copy()
    if "id" not in frame.columns:
        frame["id"] = [f"row{i + 2}" for i in range(len(frame))]
    frame["split"] = frame["split"].str.strip().str.lower() if "split" in frame.columns else ""
    for column in ["label"] + [c for c in SECOND_LABEL_COLUMNS if c in frame.columns]:
        frame[column] = frame[column].map(normalise_label)
        bad = frame[frame[column].notna() & ~frame[column].isin(["favor", "against", "neutral"])]
        if len(bad):
            row = int(bad.index[0]) + 2
            raise AnnotationError(f"{path}, row {row}: {column} {bad[column].iloc[0]!r} is not "
                                  f"favor / against / neutral")
    if require_labels:
        frame = frame[frame["label"].notna()]
    empty = frame["text"].str.strip().eq("") | frame["target"].str.strip().eq("")
    if empty.any():
        raise AnnotationError(f"{path}, row {int(empty.idxmax()) + 2}: empty text or target")
    return frame.reset_index(drop=True)


def second_label_column(frame: pd.DataFrame) -> str | None:
    """Name of the second annotator's label column, if any."""
    return next((c for c in SECOND_LABEL_COLUMNS if c in frame.columns), None)


def target_definitions(names, targets: list[dict] | None = None) -> list[dict]:
    """Definitions for target ``names``: from ``targets``, else the catalogue, else the name."""
    given = {t["name"]: t for t in (targets or [])}
    out = []
    for name in dict.fromkeys(str(n) for n in names):
        if name in given:
            out.append(given[name])
        elif name in KNOWN_TARGETS:
            out.append(KNOWN_TARGETS[name])
        else:
            bare = name[4:] if name.lower().startswith("the ") else name
            out.append({"name": name, "aliases": list(dict.fromkeys([name, bare])), "patterns": []})
    return out


def annotation_input(frame: pd.DataFrame, targets: list[dict] | None = None) -> pd.DataFrame:
    """Scorer input for annotated rows: STANCE_INPUT + ``spans`` + ``mentioned``.

    ``sentence_id`` is the row's ``id``; ``paragraph_id``/``article_id`` are
    empty. ``start``/``end`` are the first mention (0, 0 if the target is not
    found), ``spans`` every mention of the row's target.
    """
    defs = target_definitions(frame["target"], targets)
    matcher = TargetMatcher(defs).fit()
    rows = []
    for rid, text, target in zip(frame["id"], frame["text"], frame["target"]):
        spans = matcher.spans(str(target), text)
        start, end = spans[0] if spans else (0, 0)
        rows.append((str(rid), "", "", str(target), text[start:end], start, end, text,
                     [list(s) for s in spans], bool(spans)))
    out = pd.DataFrame(rows, columns=STANCE_INPUT + ["spans", "mentioned"])
    return out.astype({"start": "int64", "end": "int64"})
