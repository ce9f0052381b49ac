"""Annotated stance data: read a labelled CSV and turn it into scorer input.

An annotations CSV has one row per (text, target) with the columns

* ``text``: the sentence; ``target``: the target's name; ``label``: favor /
  against / neutral (``FAVOR``/``AGAINST``/``NONE``/``pro``/``con`` are
  accepted and mapped);
* optional: ``id``, ``split`` (train / dev / test), ``phenomenon``, a
  second annotator's labels in ``label_2`` (or ``label_b``,
  ``label_annotator2``), used for agreement, and ``start`` / ``end``: the
  character offsets of the labelled mention in ``text`` (end exclusive; with
  a ``mention`` column, ``text[start:end]`` must equal it). Without them the
  first mention found by the target's definition is the labelled one.

A NewsMTSC-style JSON-lines file (``*.jsonl``: ``sentence``, ``mention``,
``from``, ``to``, ``polarity`` -1/0/1, optional ``id``) is read into the same
table (:func:`read_newsmtsc`): the mention is the target, its offsets are
``start`` / ``end``, polarity -1/0/1 maps to against/neutral/favor.
Every table carries ``source_row``, the row's line number in its file, for
error messages.

:func:`annotation_input` finds the target's mentions in each text with the
target definitions (config targets, then the built-in catalogue
:data:`~analysis.default_targets.KNOWN_TARGETS`; a target in neither
is looked for by its name) and returns the scorer input table
(:data:`~analysis.stance.targets.STANCE_INPUT` plus ``spans`` and ``mentioned``).
"""
from __future__ import annotations

from pathlib import Path

import json

import pandas as pd

from analysis.default_targets import KNOWN_TARGETS
from analysis.stance.targets import STANCE_INPUT, TargetMatcher

LABEL_MAP = {
    "favor": "favor", "favour": "favor", "pro": "favor", "positive": "favor",
    "against": "against", "con": "against", "negative": "against",
    "neutral": "neutral", "none": "neutral",
}
SECOND_LABEL_COLUMNS = ("label_2", "label_b", "label_annotator2", "label2")
#: NewsMTSC polarity -> project label.
POLARITY_LABELS = {-1: "against", 0: "neutral", 1: "favor"}
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
    """Read and validate an annotations CSV (or NewsMTSC-style ``.jsonl``); labels are normalised.

    Rows with a blank label are dropped when ``require_labels`` (unlabelled
    rows of a sampling sheet); an unknown label is an error naming the row.
    Adds ``id`` (``row<n>``), ``split`` (empty) when absent, and ``source_row``.
    """
    path = Path(path)
    if not path.is_file():
        raise AnnotationError(f"annotations file not found: {path}")
    if path.suffix.lower() == ".jsonl":
        return read_newsmtsc(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("text", "target", "label") if c not in frame.columns]
    if missing:
        raise AnnotationError(f"{path}: missing column(s) {missing}; has {list(frame.columns)}")
    frame = frame.copy()
    frame["source_row"] = range(2, len(frame) + 2)
    if "id" not in frame.columns:
        frame["id"] = [f"row{i + 2}" for i in range(len(frame))]
    frame["split"] = frame["split"].str.strip().str.lower() if "split" in frame.columns else ""
    for column in ["label"] + [c for c in SECOND_LABEL_COLUMNS if c in frame.columns]:
        frame[column] = frame[column].map(normalise_label)
        bad = frame[frame[column].notna() & ~frame[column].isin(["favor", "against", "neutral"])]
        if len(bad):
            row = int(bad["source_row"].iloc[0])
            raise AnnotationError(f"{path}, row {row}: {column} {bad[column].iloc[0]!r} is not "
                                  f"favor / against / neutral")
    if require_labels:
        frame = frame[frame["label"].notna()]
    empty = frame["text"].str.strip().eq("") | frame["target"].str.strip().eq("")
    if empty.any():
        raise AnnotationError(f"{path}, row {int(frame.loc[empty, 'source_row'].iloc[0])}: "
                              "empty text or target")
    if "start" in frame.columns or "end" in frame.columns:
        frame = _check_offsets(frame, path)
    return frame.reset_index(drop=True)


def _check_offsets(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Parse ``start``/``end`` (both or neither per row); they must fit the text and the mention."""
    if "start" not in frame.columns or "end" not in frame.columns:
        raise AnnotationError(f"{path}: give both start and end columns, or neither")
    starts, ends = [], []
    for row in frame.itertuples(index=False):
        where = f"{path}, row {row.source_row}"
        a, b = str(row.start).strip(), str(row.end).strip()
        if not a and not b:
            starts.append(-1), ends.append(-1)
            continue
        try:
            start, end = int(a), int(b)
        except ValueError:
            raise AnnotationError(f"{where}: start/end {a!r}/{b!r} are not integers") from None
        if not 0 <= start < end <= len(row.text):
            raise AnnotationError(f"{where}: start/end ({start}, {end}) do not fit a text of "
                                  f"{len(row.text)} characters")
        mention = getattr(row, "mention", None)
        if mention and row.text[start:end] != mention:
            raise AnnotationError(f"{where}: text[{start}:{end}] is {row.text[start:end]!r}, "
                                  f"not the mention {mention!r}")
        starts.append(start), ends.append(end)
    return frame.assign(start=starts, end=ends).astype({"start": "int64", "end": "int64"})


def read_newsmtsc(path: str | Path) -> pd.DataFrame:
    """A NewsMTSC JSON-lines file as an annotations table (``start``/``end`` from ``from``/``to``)."""
    path = Path(path)
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            rows.append(_newsmtsc_row(line, line_no, path))
    if not rows:
        raise AnnotationError(f"{path}: no rows")
    columns = ["id", "text", "target", "label", "start", "end", "mention", "split", "source_row"]
    return pd.DataFrame(rows, columns=columns).astype({"start": "int64", "end": "int64"})


def _newsmtsc_row(line: str, line_no: int, path: Path) -> tuple:
    where = f"{path}, row {line_no}"
    try:
        item = json.loads(line)
        text, mention = str(item["sentence"]), str(item["mention"])
        start, end, polarity = int(item["from"]), int(item["to"]), item["polarity"]
    except (ValueError, KeyError, TypeError) as err:
        raise AnnotationError(f"{where}: not a NewsMTSC row (sentence, mention, from, to, "
                              f"polarity): {err}") from None
    if polarity not in POLARITY_LABELS:
        raise AnnotationError(f"{where}: polarity {polarity!r} is not -1, 0 or 1")
    if not 0 <= start < end <= len(text) or text[start:end] != mention:
        raise AnnotationError(f"{where}: sentence[{start}:{end}] is {text[start:end]!r}, "
                              f"not the mention {mention!r}")
    rid = str(item.get("id", f"row{line_no}"))
    return (rid, text, mention, POLARITY_LABELS[polarity], start, end, mention, "", line_no)


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


def annotation_input(frame: pd.DataFrame, targets: list[dict] | None = None,
                     strict: bool = False, source: str | Path = "annotations") -> pd.DataFrame:
    """Scorer input for annotated rows: STANCE_INPUT + ``spans`` + ``mentioned``.

    ``sentence_id`` is the row's ``id``; ``paragraph_id``/``article_id`` are
    empty. ``start``/``end`` are the row's own offsets when it has them, else
    the first mention found (0, 0 if the target is not found: the
    cross-encoder reads such a row as ``target [SEP] text``; with
    ``strict``, an :class:`AnnotationError` naming ``source`` and the row),
    ``spans`` every mention of the row's target.
    """
    given = _given_offsets(frame)
    todo = [t for t, (a, _b) in zip(frame["target"], given) if a < 0]
    matcher = TargetMatcher(target_definitions(todo, targets)).fit() if todo else None
    rows = []
    for i, (rid, text, target) in enumerate(zip(frame["id"], frame["text"], frame["target"])):
        start, end = given[i]
        if start >= 0:
            spans = [(start, end)]
        else:
            spans = matcher.spans(str(target), text)
            if not spans and strict:
                row = frame["source_row"].iloc[i] if "source_row" in frame.columns else i + 2
                raise AnnotationError(f"{source}, row {row}: target {target!r} is not found in "
                                      f"its text (give start/end columns for this mention, or "
                                      f"train with --pair to read such rows as target + text)")
            start, end = spans[0] if spans else (0, 0)
        rows.append((str(rid), "", "", str(target), text[start:end], start, end, text,
                     [list(s) for s in spans], bool(spans)))
    out = pd.DataFrame(rows, columns=STANCE_INPUT + ["spans", "mentioned"])
    return out.astype({"start": "int64", "end": "int64"})


def _given_offsets(frame: pd.DataFrame) -> list[tuple[int, int]]:
    """Per row ``(start, end)`` from the table, ``(-1, -1)`` where it has none."""
    if "start" not in frame.columns or "end" not in frame.columns:
        return [(-1, -1)] * len(frame)
    return [(int(a), int(b)) if str(a).strip() not in ("", "-1") else (-1, -1)
            for a, b in zip(frame["start"], frame["end"])]
