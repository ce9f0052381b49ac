"""Reader for NewsMTSC (Hamborg & Donnay, EACL 2021) in a benchmark folder.

The folder holds ``train.jsonl``, ``dev_rw.jsonl`` and ``dev_mt.jsonl`` (one
target mention per line: ``sentence, mention, from, to, polarity``); the
test splits are held back by the dataset's authors, so every figure on this
set is a dev figure. Rows become annotations (``text, target, label, start,
end, split``) through :func:`analysis.stance.annotations.read_newsmtsc`:
the mention is the target, polarity -1/0/1 maps to against/neutral/favor.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.stance.annotations import read_newsmtsc

#: Split name -> file name in the folder.
NEWSMTSC_FILES = {"train": "train.jsonl", "dev_rw": "dev_rw.jsonl", "dev_mt": "dev_mt.jsonl"}


def newsmtsc_files(root: str | Path) -> dict[str, Path]:
    """The split files of a NewsMTSC folder; a missing one is a ``FileNotFoundError``."""
    root = Path(root)
    paths = {split: root / name for split, name in NEWSMTSC_FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"NewsMTSC folder {root} lacks {', '.join(missing)}")
    return paths


def load_newsmtsc(root: str | Path) -> pd.DataFrame:
    """Every split of a NewsMTSC folder as one annotations table (``split`` = train/dev_rw/dev_mt)."""
    frames = [read_newsmtsc(path).assign(split=split) for split, path in newsmtsc_files(root).items()]
    return pd.concat(frames, ignore_index=True)
