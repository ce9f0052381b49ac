"""Small text and number formatters shared by the figures and the report.

They turn table values (which may be NaN, numpy scalars, lists or arrays)
into short, human-readable strings. None of them escape anything: escaping
is the templates' job.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

DASH = "–"
MINUS = "−"
_SPLIT = re.compile(r"\s+|(?<=_)(?=\S)")
#: Control characters (C0, DEL, C1): no font draws them, so labels and excerpts show a space instead.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _flat(text: Any) -> str:
    """``text`` on one line: control characters and runs of whitespace as one space."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def is_na(value: Any) -> bool:
    """True for None, NaN and NaT (never raises on lists or arrays)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def shorten(text: Any, limit: int = 280) -> str:
    """Collapse whitespace and cut ``text`` at a word boundary with an ellipsis."""
    if is_na(text):
        return ""
    flat = _flat(text)
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:_") + "…"


def wrap_label(text: Any, width: int = 28, max_lines: int = 2) -> str:
    """Wrap a plot label on spaces or after underscores; truncate what is left.

    Labels that fit on one line come back unchanged, so topic names such as
    ``corridor_rail_caspian`` stay exactly as they are in the tables.
    """
    label = _flat(text)
    if len(label) <= width:
        return label
    lines: list[str] = []
    current = ""
    for token in (t for t in _SPLIT.split(label) if t):
        glue = "" if not current or current.endswith("_") else " "
        if current and len(current) + len(glue) + len(token) > width:
            lines.append(current)
            current = token
        else:
            current += glue + token
    lines.append(current)
    lines = [shorten(line, width) if len(line) > width else line for line in lines]
    if len(lines) > max_lines:
        tail = " ".join(lines[max_lines - 1:])
        lines = lines[: max_lines - 1] + [shorten(tail, width)]
    return "\n".join(lines)


def as_list(value: Any) -> list:
    """Turn a list, tuple, numpy array, or comma/space separated string into a list."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        parts = value.split(",") if "," in value else value.split()
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def fmt_int(value: Any) -> str:
    """``1234`` -> ``"1,234"``; missing -> dash."""
    if is_na(value):
        return DASH
    return f"{int(value):,}"


def fmt_score(value: Any) -> str:
    """Signed score with two decimals and a true minus sign."""
    if is_na(value):
        return DASH
    return f"{float(value):+.2f}".replace("-", MINUS)


def fmt_ci(low: Any, high: Any) -> str:
    """Confidence interval as ``[−0.12, +0.30]``; dash when unknown."""
    if is_na(low) or is_na(high):
        return DASH
    return f"[{fmt_score(low)}, {fmt_score(high)}]"


def fmt_pct(value: Any, digits: int = 0) -> str:
    """Share in [0, 1] as a percentage string."""
    if is_na(value):
        return DASH
    return f"{100 * float(value):.{digits}f}%"


def fmt_num(value: Any, digits: int = 2) -> str:
    """Plain float with ``digits`` decimals; dash when missing."""
    if is_na(value):
        return DASH
    return f"{float(value):.{digits}f}"


def fmt_date(value: Any) -> str:
    """ISO date (YYYY-MM-DD) of a timestamp; dash when unknown."""
    if is_na(value):
        return DASH
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        return str(value)


def fmt_seconds(value: Any) -> str:
    """Duration in seconds, compact."""
    if is_na(value):
        return DASH
    seconds = float(value)
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.1f} s"


def slug(text: Any) -> str:
    """File-name and anchor safe slug (``"Middle Corridor"`` -> ``middle_corridor``).

    Slugs longer than 60 characters are cut and end in 10 hex digits of the
    text's sha256, so file names built from them stay well below the file
    system's 255-byte limit and stay distinct.
    """
    out = re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")
    if len(out) > 60:
        digest = hashlib.sha256(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:10]
        out = f"{out[:48].rstrip('_')}_{digest}"
    return out or "x"
