"""Topics over time and per outlet or tag: counts and shares from the assignments.

Both tables count modelled units (paragraphs, or articles when the unit is
the article) per group and topic. ``share`` is the topic's share of the
group's units, so the shares of one period or one source add up to 1;
``n_articles`` counts the distinct articles with at least one unit there.
"""
from __future__ import annotations

import pandas as pd

from .. import schema

OVER_TIME_COLUMNS = schema.TOPICS_OVER_TIME
BY_GROUP_COLUMNS = schema.TOPICS_BY_SOURCE
#: Candidate periods from finest to coarsest, and the most periods "auto" allows.
FREQS = ("D", "W", "M", "Q", "Y")
MAX_PERIODS = 40
#: pandas period codes of the named windows (``stance.time_window``).
PERIODS = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


def periods_of(dates: pd.Series, freq: str) -> pd.Series:
    """Calendar period of each date in steps of ``freq`` (D, W, M, Q, Y or a :data:`PERIODS` name).

    The one period rule of topics and stance over time: weeks run Monday to
    Sunday, quarters and years follow the calendar. Missing dates stay missing.
    """
    dates = pd.to_datetime(pd.Series(dates), errors="coerce")
    return dates.dt.to_period(PERIODS.get(freq, freq))


def choose_freq(dates: pd.Series, max_periods: int = MAX_PERIODS) -> str:
    """The finest of day/week/month/quarter/year giving at most ``max_periods`` periods."""
    dates = pd.to_datetime(dates).dropna()
    if dates.empty:
        return "M"
    for freq in FREQS:
        if len(pd.period_range(dates.min(), dates.max(), freq=freq)) <= max_periods:
            return freq
    return "Y"


def resolve_freq(published: pd.Series, setting: str = "auto") -> str:
    """The period code (D, W, M, Q, Y) of ``setting`` for articles published on ``published``.

    ``"auto"`` is :func:`choose_freq` over every article's date, so topics and
    stance over time resolve it to the same period; a named window
    (``"month"``) or a code (``"M"``) is returned as its code.
    """
    if setting == "auto":
        return choose_freq(pd.to_datetime(pd.Series(published), errors="coerce"))
    return PERIODS.get(setting, setting)


def _units(paragraph_topics: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    names = dict(zip(topics["topic"].astype(int), topics["name"]))
    units = paragraph_topics[["article_id", "topic"]].copy()
    units["topic"] = units["topic"].astype(int)
    units["name"] = units["topic"].map(names).fillna("Outliers").astype(str)
    return units


def _count(units: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = units.groupby([*keys, "topic", "name"], sort=True)
    out = grouped.agg(count=("article_id", "size"), n_articles=("article_id", "nunique")).reset_index()
    out["share"] = out["count"] / out.groupby(keys)["count"].transform("sum")
    return out


def topics_over_time(paragraph_topics: pd.DataFrame, articles: pd.DataFrame, topics: pd.DataFrame,
                     freq: str = "auto") -> pd.DataFrame:
    """Units per period and topic for the articles that have a publication date.

    ``period`` is the start of the period (a timestamp); ``freq`` is one of
    D, W, M, Q, Y or ``"auto"`` (:func:`resolve_freq` over every article's
    date, as stance over time does). Empty when no article has a date.
    """
    freq = resolve_freq(articles["published"], freq)
    dates = pd.to_datetime(articles.set_index("article_id")["published"])
    units = _units(paragraph_topics, topics)
    units["published"] = units["article_id"].map(dates)
    units = units[units["published"].notna()]
    if units.empty:
        return pd.DataFrame(columns=OVER_TIME_COLUMNS)
    units["period"] = periods_of(units["published"], freq).dt.start_time
    return _count(units, ["period"])[OVER_TIME_COLUMNS]


def topics_by_group(paragraph_topics: pd.DataFrame, articles: pd.DataFrame,
                    topics: pd.DataFrame, fields: tuple[str, ...] = ("source", "tags")) -> pd.DataFrame:
    """Units per outlet (``source``) and per tag, and topic.

    An article with several tags counts once under each. Articles without a
    value for a field are left out of that field's rows.
    """
    units = _units(paragraph_topics, topics)
    parts = []
    for field in fields:
        if field not in articles.columns:
            continue
        values = articles.set_index("article_id")[field]
        one = units.assign(group=units["article_id"].map(values))
        if field == "tags":
            one = one.explode("group")
        one = one[one["group"].notna() & (one["group"].astype(str).str.strip() != "")]
        if one.empty:
            continue
        one = one.assign(group=one["group"].astype(str))
        counted = _count(one, ["group"])
        counted.insert(0, "field", "tag" if field == "tags" else field)
        parts.append(counted)
    if not parts:
        return pd.DataFrame(columns=BY_GROUP_COLUMNS)
    return pd.concat(parts, ignore_index=True)[BY_GROUP_COLUMNS]
