#!/usr/bin/env python3
"""Validate ``stance_annotations.csv`` and print a summary.

Standard library only; pandas is used, when installed, to re-read the file as
an independent check of the CSV quoting. Exit status is 1 if any check fails
(problems are listed as ERROR), 0 otherwise (WARN lines do not fail the run).

Usage: ``python data/annotations/check_annotations.py [path/to/stance_annotations.csv]``
"""
from __future__ import annotations

import csv
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE / "stance_annotations.csv"

COLUMNS = ["id", "text", "target", "label", "phenomenon", "split"]
LABELS = ["favor", "against", "neutral"]
SPLITS = ["train", "dev", "test"]
FRACTIONS = {"train": 0.70, "dev": 0.10, "test": 0.20}
PHENOMENA = ["none", "negation", "reported_speech", "sarcasm", "mentioned_not_evaluated",
             "contrast", "hedged", "implicit"]
HARD = set(PHENOMENA) - {"none"}

# Canonical target -> aliases. Matched case-sensitively on word boundaries, so
# possessives ("Russia's") and compounds ("Russian-built", "Kremlin-backed")
# count, while lower-case common words ("us", "west of the river") do not.
# This must stay in sync with the alias table in DATACARD.md.
ALIASES: dict[str, list[str]] = {
    "Russia": ["Russia", "Russian", "Russians", "Russian Federation", "Moscow", "Kremlin",
               "Putin", "Lavrov"],
    "the West": ["the West", "The West", "West's", "Western", "Westerners", "Europe", "European",
                 "Europeans", "EU", "European Union", "Brussels", "NATO", "G7",
                 "transatlantic", "Euro-Atlantic"],
    "China": ["China", "Chinese", "Beijing", "PRC"],
    "Turkey": ["Turkey", "Türkiye", "Turkish", "Turks", "Ankara", "Erdoğan"],
    "Iran": ["Iran", "Iranian", "Iranians", "Tehran", "Islamic Republic"],
    "Ukraine": ["Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev"],
    "the United States": ["United States", "US", "U.S.", "USA", "America", "American",
                          "Americans", "Washington", "White House", "Pentagon",
                          "State Department"],
}
TARGETS = list(ALIASES)
BIG_TARGETS = ("Russia", "the West")
MIN_ROWS_BIG, MIN_ROWS_OTHER, MIN_TEXTS = 330, 120, 1600
MIN_WORDS, MAX_WORDS = 8, 45
MIN_LABEL_SHARE, MAX_LABEL_SHARE, MIN_NEUTRAL_SHARE = 0.25, 0.42, 0.25
MIN_HARD_SHARE = 0.30
NEAR_DUP_JACCARD = 0.75
SPLIT_TOL = {"train": 0.05, "dev": 0.04, "test": 0.04}  # absolute, for strata with >= 30 rows


def alias_regex(aliases: list[str]) -> re.Pattern:
    parts = []
    for a in sorted(aliases, key=len, reverse=True):
        esc = re.escape(a)
        left = r"(?<![\w])"
        right = r"(?![\w])" if a[-1].isalnum() else ""
        parts.append(left + esc + right)
    return re.compile("|".join(parts))


ALIAS_RE = {t: alias_regex(a) for t, a in ALIASES.items()}
TOKEN_RE = re.compile(r"[\w'-]+")


def tokens(text: str) -> list[str]:
    return [t.lower() for t in TOKEN_RE.findall(text)]


def has_emoji_or_social(text: str) -> bool:
    if re.search(r"(^|\s)[#@]\w|https?://|www\.", text):
        return True
    return any(unicodedata.category(ch) == "So" for ch in text)


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def load(path: Path, rep: Report) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            rep.error(f"columns are {reader.fieldnames}, expected {COLUMNS}")
        rows = list(reader)
    try:
        import pandas as pd  # optional cross-check of quoting
    except ImportError:
        rep.warn("pandas not installed: skipped the pandas re-read cross-check")
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        if list(df.columns) != COLUMNS or len(df) != len(rows):
            rep.error(f"pandas reads {df.shape} with columns {list(df.columns)}; csv module reads {len(rows)} rows")
        elif df["text"].tolist() != [r["text"] for r in rows]:
            rep.error("pandas and the csv module disagree on the text column (quoting problem)")
    return rows


def check_rows(rows: list[dict], rep: Report) -> None:
    ids = Counter(r["id"] for r in rows)
    for i, n in ids.items():
        if n > 1:
            rep.error(f"id {i} occurs {n} times")
    for k, r in enumerate(rows, 2):  # line 1 is the header
        where = f"line {k} ({r.get('id')})"
        if any(r.get(c) is None or r.get(c) == "" for c in COLUMNS):
            rep.error(f"{where}: empty field")
            continue
        if not re.fullmatch(r"s\d{4,}", r["id"]):
            rep.error(f"{where}: id does not look like s0001")
        if r["target"] not in TARGETS:
            rep.error(f"{where}: unknown target {r['target']!r}")
            continue
        if r["label"] not in LABELS:
            rep.error(f"{where}: unknown label {r['label']!r}")
        if r["phenomenon"] not in PHENOMENA:
            rep.error(f"{where}: unknown phenomenon {r['phenomenon']!r}")
        if r["split"] not in SPLITS:
            rep.error(f"{where}: unknown split {r['split']!r}")
        text = r["text"]
        if text != text.strip() or "\n" in text or "  " in text:
            rep.error(f"{where}: stray whitespace or newline in text")
        if not ALIAS_RE[r["target"]].search(text):
            rep.error(f"{where}: text does not mention target {r['target']!r} via any alias: {text!r}")
        n_words = len(text.split())
        if not MIN_WORDS <= n_words <= MAX_WORDS:
            rep.error(f"{where}: {n_words} words (allowed {MIN_WORDS}-{MAX_WORDS})")
        if has_emoji_or_social(text):
            rep.error(f"{where}: hashtag, handle, URL or emoji in text")
        if r["phenomenon"] == "mentioned_not_evaluated" and r["label"] != "neutral":
            rep.error(f"{where}: mentioned_not_evaluated rows must be neutral")


def check_shared_texts(rows: list[dict], rep: Report) -> None:
    by_text: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_text[r["text"]].append(r)
    for text, group in by_text.items():
        if len(group) == 1:
            if group[0]["phenomenon"] == "contrast" and sum(
                    1 for t in TARGETS if ALIAS_RE[t].search(text)) < 1:
                rep.error(f"{group[0]['id']}: contrast row without a target mention")
            continue
        ids = ", ".join(r["id"] for r in group)
        targets = [r["target"] for r in group]
        if len(set(targets)) != len(targets):
            rep.error(f"duplicate (text, target) in rows {ids}")
        if len({r["split"] for r in group}) != 1:
            rep.error(f"rows sharing a text are in different splits: {ids}")
        if any(r["phenomenon"] != "contrast" for r in group):
            rep.error(f"rows sharing a text must all have phenomenon 'contrast': {ids}")
        if len({r["label"] for r in group}) == 1:
            rep.error(f"two-target sentence with the same stance toward both targets: {ids}")


def check_near_duplicates(rows: list[dict], rep: Report) -> int:
    texts = sorted({r["text"] for r in rows})
    norm = {}
    for t in texts:
        key = " ".join(tokens(t))
        if key in norm:
            rep.error(f"texts identical after normalisation: {norm[key]!r} / {t!r}")
        norm[key] = t
    toks = {t: tokens(t) for t in texts}
    sets = {t: set(v) for t, v in toks.items()}
    flagged = 0
    for a, b in combinations(texts, 2):
        sa, sb = sets[a], sets[b]
        # cheap bound before the exact Jaccard
        small, large = sorted((len(sa), len(sb)))
        if small / large < NEAR_DUP_JACCARD:
            continue
        jac = len(sa & sb) / len(sa | sb)
        one_word = (len(toks[a]) == len(toks[b])
                    and sum(x != y for x, y in zip(toks[a], toks[b])) <= 1)
        if jac >= NEAR_DUP_JACCARD or one_word:
            flagged += 1
            rep.error(f"near-duplicate texts (Jaccard {jac:.2f}): {a!r} / {b!r}")
    return flagged


def check_distribution(rows: list[dict], rep: Report) -> None:
    per_target = Counter(r["target"] for r in rows)
    for t in TARGETS:
        n = per_target.get(t, 0)
        need = MIN_ROWS_BIG if t in BIG_TARGETS else MIN_ROWS_OTHER
        if n < need:
            rep.error(f"target {t!r} has {n} rows (< {need})")
    others = [per_target.get(t, 0) for t in TARGETS if t not in BIG_TARGETS]
    for t in BIG_TARGETS:
        if per_target.get(t, 0) <= max(others, default=0):
            rep.error(f"{t!r} should have more rows than every non-bloc target")
    n_texts = len({r["text"] for r in rows})
    if n_texts < MIN_TEXTS:
        rep.error(f"only {n_texts} unique sentences (< {MIN_TEXTS})")
    for t in TARGETS:
        sub = [r for r in rows if r["target"] == t]
        if not sub:
            continue
        c = Counter(r["label"] for r in sub)
        for lab in LABELS:
            share = c[lab] / len(sub)
            if lab == "neutral" and share < MIN_NEUTRAL_SHARE:
                rep.error(f"{t}: neutral share {share:.1%} < {MIN_NEUTRAL_SHARE:.0%}")
            elif not MIN_LABEL_SHARE <= share <= MAX_LABEL_SHARE:
                rep.error(f"{t}: {lab} share {share:.1%} outside {MIN_LABEL_SHARE:.0%}-{MAX_LABEL_SHARE:.0%}")
    hard = sum(r["phenomenon"] in HARD for r in rows) / max(len(rows), 1)
    if hard < MIN_HARD_SHARE:
        rep.error(f"hard-case share {hard:.1%} < {MIN_HARD_SHARE:.0%}")
    phen = Counter(r["phenomenon"] for r in rows)
    for p in PHENOMENA:
        if phen[p] == 0:
            rep.error(f"no rows with phenomenon {p!r}")
    # split proportions per stratum
    strata: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for r in rows:
        strata[(r["target"], r["label"])][r["split"]] += 1
    for (t, lab), c in sorted(strata.items()):
        n = sum(c.values())
        for s in SPLITS:
            share = c[s] / n
            if n >= 30 and abs(share - FRACTIONS[s]) > SPLIT_TOL[s]:
                rep.error(f"split imbalance in {t}/{lab}: {s} = {share:.1%} of {n}")
            if c[s] == 0:
                rep.error(f"stratum {t}/{lab} has no {s} rows")
    total = Counter(r["split"] for r in rows)
    for s in SPLITS:
        share = total[s] / len(rows)
        if abs(share - FRACTIONS[s]) > 0.02:
            rep.error(f"overall {s} share {share:.1%} differs from {FRACTIONS[s]:.0%}")


def print_summary(rows: list[dict]) -> None:
    print(f"rows: {len(rows)}   unique sentences: {len({r['text'] for r in rows})}   "
          f"two-target sentences: {sum(1 for v in Counter(r['text'] for r in rows).values() if v > 1)}")
    c = Counter((r["target"], r["label"], r["split"]) for r in rows)
    cols = [(s, lab) for s in SPLITS + ["all"] for lab in LABELS]
    head = ["target"] + [f"{s}:{lab[:3]}" for s, lab in cols] + ["total"]
    widths = [max(19, len(head[0]))] + [max(9, len(h)) for h in head[1:]]
    print("\nCounts by target x split x label")
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
    for t in TARGETS + ["ALL"]:
        ts = TARGETS if t == "ALL" else [t]
        vals = []
        for s, lab in cols:
            ss = SPLITS if s == "all" else [s]
            vals.append(sum(c[(x, lab, y)] for x in ts for y in ss))
        total = sum(c[(x, lab, y)] for x in ts for lab in LABELS for y in SPLITS)
        print("  ".join(str(v).ljust(w) for v, w in zip([t] + vals + [total], widths)))
    print("\nRows per split:", dict(Counter(r["split"] for r in rows)))
    ph = Counter(r["phenomenon"] for r in rows)
    print("\nPhenomenon counts (rows):")
    for p in PHENOMENA:
        print(f"  {p:<25} {ph[p]:>5}  ({ph[p] / len(rows):.1%})")
    print(f"  {'hard cases (not none)':<25} {sum(ph[p] for p in HARD):>5}  "
          f"({sum(ph[p] for p in HARD) / len(rows):.1%})")
    pt = Counter((r["phenomenon"], r["target"]) for r in rows)
    short = {"Russia": "RU", "the West": "West", "China": "CN", "Turkey": "TR", "Iran": "IR",
             "Ukraine": "UA", "the United States": "US"}
    print("\nPhenomenon x target (rows):")
    print(f"  {'':<25} " + " ".join(f"{short.get(t, t):>6}" for t in TARGETS))
    for p in PHENOMENA:
        print(f"  {p:<25} " + " ".join(f"{pt[(p, t)]:>6}" for t in TARGETS))
    pl = Counter((r["phenomenon"], r["label"]) for r in rows)
    print("\nPhenomenon x label (rows):")
    print(f"  {'':<25} " + " ".join(f"{lab:>8}" for lab in LABELS))
    for p in PHENOMENA:
        print(f"  {p:<25} " + " ".join(f"{pl[(p, lab)]:>8}" for lab in LABELS))
    lengths = sorted(len(t.split()) for t in {r["text"] for r in rows})
    print(f"\nSentence length in words: min {lengths[0]}, median {lengths[len(lengths) // 2]}, "
          f"max {lengths[-1]}")


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    rep = Report()
    if not path.exists():
        print(f"ERROR: {path} not found")
        return 1
    rows = load(path, rep)
    if rows:
        check_rows(rows, rep)
        check_shared_texts(rows, rep)
        check_near_duplicates(rows, rep)
        check_distribution(rows, rep)
        print_summary(rows)
    else:
        rep.error("file has no data rows")
    print()
    for w in rep.warnings:
        print("WARN:", w)
    for e in rep.errors:
        print("ERROR:", e)
    print(f"\n{len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
