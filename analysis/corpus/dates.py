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


#: A date written as numbers, day and month in either order, year last: ``03/04/2025``, ``3.4.25``.
_NUMERIC = re.compile(r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?=$|[\sT,])")
#: Unix seconds (9-10 digits) or milliseconds (12-13 digits) as text; 8 digits stay dates (20250403).
_EPOCH = re.compile(r"^(\d{9,10}|\d{12,13})(\.\d+)?$")
#: How many example dates a note on the day/month order quotes.
_EXAMPLES = 2


def parse_date(value: Any, dayfirst: bool = False) -> tuple[pd.Timestamp, str | None]:
    """Parse one date value; return ``(timestamp or NaT, problem or None)``.

    Strings are parsed by pandas; a date written as numbers with the year
    last (``03/04/2025``) is read month first unless ``dayfirst`` (see
    :func:`numeric_date_order`, which decides it for a whole corpus); numbers,
    and text of 9-10 or 12-13 digits, are Unix seconds (milliseconds when
    above 1e11). Aware times are converted to
    UTC, then the zone is dropped. Relative words such as "now" are refused,
    since they would make the corpus depend on the day it is loaded. Dates
    outside the ``datetime64[ns]`` range give NaT.
    """
    if value is None or is_missing(value):
        return pd.NaT, None
    try:
        stamp = _to_timestamp(value, dayfirst)
    except (ValueError, TypeError, OverflowError) as exc:
        return pd.NaT, f"unparseable date {str(value)[:80]!r} ({_short(exc)})"
    if stamp is None or stamp is pd.NaT:
        return pd.NaT, None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    if not pd.Timestamp.min <= stamp <= pd.Timestamp.max:
        return pd.NaT, f"date {str(value)[:80]!r} is out of range"
    return stamp.as_unit("ns"), None


def _to_timestamp(value: Any, dayfirst: bool = False) -> pd.Timestamp | None:
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
    if _EPOCH.match(text):  # Unix time written as text (a CSV cell): the same as the number
        return _to_timestamp(float(text))
    if text.lower() in _RELATIVE_WORDS:
        raise ValueError("relative dates are not allowed")
    if _TIME_ONLY.match(text):
        raise ValueError("a time without a date")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.Timestamp(pd.to_datetime(text, dayfirst=dayfirst and bool(_NUMERIC.match(text))))


def numeric_date(value: Any) -> tuple[int, int, str] | None:
    """``(first number, second number, separator)`` of a date written as numbers with the year last."""
    match = _NUMERIC.match(value) if isinstance(value, str) else None
    return (int(match.group(1)), int(match.group(3)), match.group(2)) if match else None


def numeric_date_order(values: list[str]) -> tuple[bool, str | None]:
    """Whether the numeric dates of a corpus are day first, and a note saying how they were read.

    A first number above 12 can only be a day, a second one only a month;
    the corpus is read in the order its dates show (day first for dates
    such as ``13/04/2025``). Where none tells, dates with dots
    (``03.04.2025``) are read day first, as written wherever dots are
    used, and others month first (the US order), with a note; dates that
    show both orders are read month first where ambiguous, with a note.
    ``values`` are the raw strings; the note is ``None`` when nothing was
    ambiguous.
    """
    pairs = [(v, p) for v in values if (p := numeric_date(v))]
    if not pairs:
        return False, None
    day_shown = [v for v, p in pairs if p[0] > 12]
    month_shown = [v for v, p in pairs if p[1] > 12]
    ambiguous = [v for v, p in pairs if p[0] <= 12 and p[1] <= 12 and p[0] != p[1]]
    if day_shown and month_shown:
        return False, (f"dates written as numbers show both orders (day first: {_quote(day_shown)}; "
                       f"month first: {_quote(month_shown)}); {len(ambiguous)} that could be either "
                       f"were read month first")
    if day_shown or month_shown:
        if month_shown or not ambiguous:  # month first, as before and as the dates show
            return bool(day_shown), None
        return True, (f"{len(ambiguous)} date(s) such as {_quote(ambiguous)} read day first, as "
                      f"{len(day_shown)} other(s) such as {_quote(day_shown)} can only be")
    if not ambiguous:
        return False, None
    dotted = all(p[2] == "." for _, p in pairs)
    return dotted, (f"{len(ambiguous)} date(s) such as {_quote(ambiguous)} could be day or month "
                    f"first and none has a number above 12 to tell; read "
                    f"{'day first, as dates with dots are written' if dotted else 'month first (US order)'}")


def _quote(values: list[str]) -> str:
    return ", ".join(repr(str(v)[:30]) for v in values[:_EXAMPLES])


def _short(exc: Exception) -> str:
    message = str(exc).split("\n")[0]
    return message[:120] or type(exc).__name__
