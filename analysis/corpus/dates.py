"""Publication dates: anything date-like to a timezone-naive timestamp."""
from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import Any

import pandas as pd

from .fields import is_missing

_RELATIVE_WORDS = {"now", "today", "tomorrow", "yesterday"}
#: A clock time with no date: pandas would date it today, so it is refused.
_TIME_ONLY = re.compile(
    r"^T?\d{1,2}(:\d{2}){1,2}(\.\d+)?\s*([ap]\.?m\.?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$", re.I)


def parse_date(value: Any) -> tuple[pd.Timestamp, str | None]:
    """Parse one date value; return ``(timestamp or NaT, problem or None)``.

    Strings are parsed by pandas (month-first when ambiguous); numbers are
    Unix seconds (milliseconds when above 1e11). Aware times are converted to
    UTC, then the zone is dropped. Relative words such as "now" are refused,
    since they would make the corpus depend on the day it is loaded. Dates
    outside the ``datetime64[ns]`` range give NaT.
    """
    if value is None or is_missing(value):
        return pd.NaT, None
    try:
        stamp = _to_timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        return pd.NaT, f"unparseable date {str(value)[:80]!r} ({_short(exc)})"
    if stamp is None or stamp is pd.NaT:
        return pd.NaT, None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    if not pd.Timestamp.min <= stamp <= pd.Timestamp.max:
        return pd.NaT, f"date {str(value)[:80]!r} is out of range"
    return stamp.as_unit("ns"), None


def _to_timestamp(value: Any) -> pd.Timestamp | None:
    if isinstance(value, bool):
        raise TypeError("a boolean is not a date")
    if isinstance(value, (dt.date, pd.Timestamp)):
        return pd.Timestamp(value)
    if isinstance(value, (int, float)) or type(value).__module__ == "numpy":
        number = float(value)
        unit = "ms" if abs(number) > 1e11 else "s"
        return pd.Timestamp(number, unit=unit)
    text = str(value).strip()
    if not text:
        return None
    if text.lower() in _RELATIVE_WORDS:
        raise ValueError("relative dates are not allowed")
    if _TIME_ONLY.match(text):
        raise ValueError("a time without a date")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.Timestamp(pd.to_datetime(text))


def _short(exc: Exception) -> str:
    message = str(exc).split("\n")[0]
    return message[:120] or type(exc).__name__
