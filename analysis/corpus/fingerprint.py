"""A content hash of an accepted article table, for cache keys and run ids."""
from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

from ..schema import ARTICLES, check_columns
from .fields import is_missing

#: Bump when the hashed content or its encoding changes.
FINGERPRINT_VERSION = "corpus-fingerprint-v1"

#: Hashed columns: every article column except ``origin`` (where a record
#: came from is not what it says), so moving or renaming files keeps the hash.
HASHED = [c for c in ARTICLES if c != "origin"]


def corpus_fingerprint(articles: pd.DataFrame) -> str:
    """sha256 hex digest of the article table's content in canonical order.

    Rows are sorted by ``article_id`` (then text), so input order does not
    matter; ids, titles, texts, sources, dates, urls, tags and languages do.
    Missing values (None, NaN, NaT) hash alike. A value that cannot be
    encoded raises ``TypeError``: there is no fallback key.
    """
    check_columns(articles, HASHED, "articles")
    rows = [[_canonical(v) for v in row] for row in articles[HASHED].itertuples(index=False, name=None)]
    rows.sort(key=lambda r: (str(r[0]), str(r[2])))
    digest = hashlib.sha256(FINGERPRINT_VERSION.encode("utf-8"))
    for row in rows:
        line = json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [_canonical(v) for v in value]
    if value is None or is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (str, bool, int, float)):
        return value
    if type(value).__module__ == "numpy":
        return value.item()
    raise TypeError(f"cannot fingerprint a value of type {type(value).__name__}: {value!r:.80}")
