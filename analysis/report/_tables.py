"""Reading the result tables defensively: any of them may be missing or empty."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis import schema
from analysis.report._format import is_na


def table(tables: dict[str, pd.DataFrame], name: str, columns: Sequence[str]) -> pd.DataFrame:
    """``tables[name]`` checked against ``columns``; an empty frame if absent or empty.

    A non-empty table that lacks a column raises ``ValueError`` (a broken
    contract should fail loudly, not produce a quietly wrong report).
    """
    df = tables.get(name)
    if df is None or df.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    schema.check_columns(df, columns, name)
    return df


def lookup(df: pd.DataFrame, key: str, value: str) -> dict[Any, Any]:
    """Map ``df[key]`` to ``df[value]`` (first occurrence wins)."""
    if df.empty:
        return {}
    first = df.drop_duplicates(subset=[key])
    return dict(zip(first[key], first[value]))


def topic_key(value: Any) -> str:
    """Topic number as the text used in ``evidence.key`` (``3``, ``"3"``, ``3.0`` -> ``"3"``)."""
    if is_na(value):
        return ""
    try:
        return str(int(float(value)))
    except (TypeError, ValueError):
        return str(value)


def targets_in(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Targets named in any stance table, sorted."""
    found: set[str] = set()
    for name in ("stance", "stance_by_article", "stance_by_topic", "evidence"):
        df = tables.get(name)
        if df is not None and "target" in df.columns:
            found.update(str(t) for t in df["target"].dropna().unique())
    return sorted(found)
