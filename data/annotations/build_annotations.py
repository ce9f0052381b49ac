#!/usr/bin/env python3
"""Assemble the hand-written batches in ``batches/`` into ``stance_annotations.csv``.

This script does not write any sentence: every text comes verbatim from the
batch files, which were written by hand. It only

* maps the short codes used in the batches to canonical names,
* assigns sequential ids (order: targets in TARGET_ORDER, then the two-target
  sentences, in file and line order),
* assigns the fixed train/dev/test split (see ``assign_splits``),
* writes the CSV with the standard library ``csv`` module (all fields quoted
  where needed).

Batch formats (lines starting with ``#`` are comments):

* ``<target>_<n>.txt``: ``label|phenomenon|text``
* ``pairs.txt``: ``target1|label1|target2|label2|text`` (phenomenon ``contrast``
  for both rows)

Usage: ``python data/annotations/build_annotations.py`` (standard library only).
"""
from __future__ import annotations

import csv
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
BATCHES = HERE / "batches"
OUT = HERE / "stance_annotations.csv"

TARGET_ORDER = ["Russia", "the West", "China", "Turkey", "Iran", "Ukraine", "the United States"]
FILE_PREFIX = {
    "russia": "Russia", "west": "the West", "china": "China", "turkey": "Turkey",
    "iran": "Iran", "ukraine": "Ukraine", "us": "the United States",
}
PAIR_CODE = {
    "RU": "Russia", "WE": "the West", "CN": "China", "TR": "Turkey",
    "IR": "Iran", "UA": "Ukraine", "US": "the United States",
}
LABEL = {"f": "favor", "a": "against", "n": "neutral"}
PHENOMENON = {
    "none": "none", "neg": "negation", "rep": "reported_speech", "sar": "sarcasm",
    "mne": "mentioned_not_evaluated", "con": "contrast", "hed": "hedged", "imp": "implicit",
}
SPLITS = ("train", "dev", "test")
FRACTIONS = {"train": 0.70, "dev": 0.10, "test": 0.20}
COLUMNS = ["id", "text", "target", "label", "phenomenon", "split"]


def _lines(path: Path):
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield n, line


def read_batches() -> list[dict]:
    rows: list[dict] = []
    singles: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(BATCHES.glob("*.txt")):
        if path.name == "pairs.txt":
            continue
        target = FILE_PREFIX[path.stem.rsplit("_", 1)[0]]
        for n, line in _lines(path):
            parts = line.split("|")
            if len(parts) != 3:
                sys.exit(f"{path.name}:{n}: expected label|phenomenon|text, got {line!r}")
            lab, phen, text = parts
            singles[target].append({"text": text.strip(), "target": target,
                                    "label": LABEL[lab], "phenomenon": PHENOMENON[phen],
                                    "source": f"{path.name}:{n}"})
    for target in TARGET_ORDER:
        rows.extend(singles[target])
    for n, line in _lines(BATCHES / "pairs.txt"):
        parts = line.split("|")
        if len(parts) != 5:
            sys.exit(f"pairs.txt:{n}: expected t1|l1|t2|l2|text, got {line!r}")
        t1, l1, t2, l2, text = parts
        for t, lab in ((t1, l1), (t2, l2)):
            rows.append({"text": text.strip(), "target": PAIR_CODE[t], "label": LABEL[lab],
                         "phenomenon": "contrast", "source": f"pairs.txt:{n}"})
    return rows


def text_hash(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)


def assign_splits(rows: list[dict]) -> dict[str, str]:
    """Deterministic, stratified split over unique texts.

    Unit = one unique text (a two-target sentence is one unit with two rows).
    Stratum = (target, label). Units are visited in a fixed order - two-target
    units first, then single-target units, each group sorted by the SHA-256 of
    the text - and each unit goes to the split whose quota (70/10/20 % of the
    size of each stratum it belongs to) is furthest from being filled, summed
    over its strata. Ties go to train, then test, then dev. The result depends
    only on the texts and their labels, so rebuilding reproduces it exactly,
    and rows sharing a text always share a split.
    """
    strata_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in rows:
        strata_of[r["text"]].append((r["target"], r["label"]))
    size: dict[tuple[str, str], int] = defaultdict(int)
    for strata in strata_of.values():
        for s in strata:
            size[s] += 1
    count = {s: {k: 0 for k in SPLITS} for s in size}
    order = sorted(strata_of, key=lambda t: (len(strata_of[t]) == 1, text_hash(t)))
    tie_rank = {"train": 0, "test": 1, "dev": 2}
    split_of: dict[str, str] = {}
    for text in order:
        strata = strata_of[text]

        def score(k: str) -> tuple[float, int]:
            deficit = sum(FRACTIONS[k] * size[s] - count[s][k] for s in strata)
            return (deficit, -tie_rank[k])

        best = max(SPLITS, key=score)
        split_of[text] = best
        for s in strata:
            count[s][best] += 1
    return split_of


def main() -> None:
    rows = read_batches()
    split_of = assign_splits(rows)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL)
        w.writeheader()
        for i, r in enumerate(rows, 1):
            w.writerow({"id": f"s{i:04d}", "text": r["text"], "target": r["target"],
                        "label": r["label"], "phenomenon": r["phenomenon"],
                        "split": split_of[r["text"]]})
    print(f"wrote {len(rows)} rows ({len(split_of)} unique texts) to {OUT}")


if __name__ == "__main__":
    main()
