"""Dates written as numbers (03/04/2025) are read in the day/month order the corpus shows, and said so."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.corpus.dates import numeric_date, numeric_date_order, parse_date

TEXT = "The article is about the corridor and the trade route in the region, number {}."


def _load(tmp_path, dates):
    path = tmp_path / "dated.csv"
    pd.DataFrame({"text": [TEXT.format(i) for i in range(len(dates))], "date": dates}).to_csv(path, index=False)
    return load_corpus(path)


def test_numeric_dates_are_recognised_only_with_the_year_last():
    assert numeric_date("03/04/2025") == (3, 4, "/")
    assert numeric_date("3.4.25") == (3, 4, ".")
    assert numeric_date("03-04-2025 10:30") == (3, 4, "-")
    for other in ("2025-04-03", "April 3, 2025", "20250403", None, 20250403):
        assert numeric_date(other) is None


@pytest.mark.parametrize("dates, dayfirst, note", [
    (["03/04/2025", "13/04/2025"], True, "1 date(s) such as '03/04/2025' read day first, as 1 other(s)"),
    (["03/04/2025", "04/13/2025"], False, None),  # month first, as the dates show and as before
    (["03/04/2025", "04/05/2025"], False, "could be day or month first and none has a number above 12"),
    (["03.04.2025", "04.05.2025"], True, "read day first, as dates with dots are written"),
    (["13/04/2025", "04/13/2025", "01/02/2025"], False, "show both orders"),
    (["13.04.2025", "14.04.2025"], True, None),
    (["2025-04-03", "05/05/2025"], False, None),  # the same number twice is not ambiguous
    (["2025-04-03", "03/04/2025", "13/04/2025"], True, "such as '03/04/2025' read day first, as 1 other(s) such as '13/04/2025'"),
])
def test_the_order_follows_the_corpus(dates, dayfirst, note):
    found, said = numeric_date_order(dates)
    assert found is dayfirst
    assert (said is None) if note is None else (note in said)


def test_a_european_corpus_is_read_day_first(tmp_path):
    loaded = _load(tmp_path, ["03/04/2025", "13/04/2025", "01.02.2025", None])
    assert loaded.articles["published"].tolist()[:3] == [pd.Timestamp("2025-04-03"), pd.Timestamp("2025-04-13"),
                                                         pd.Timestamp("2025-02-01")]
    assert pd.isna(loaded.articles["published"].iloc[3])
    assert loaded.warnings == ["published: 2 date(s) such as '03/04/2025', '01.02.2025' read day first, "
                               "as 1 other(s) such as '13/04/2025' can only be"]


def test_a_us_corpus_reads_as_before_without_a_note(tmp_path):
    loaded = _load(tmp_path, ["03/04/2025", "04/13/2025", "2025-05-01"])
    assert loaded.articles["published"].tolist() == [pd.Timestamp("2025-03-04"), pd.Timestamp("2025-04-13"),
                                                     pd.Timestamp("2025-05-01")]
    assert loaded.warnings == []


def test_an_undecidable_corpus_is_read_month_first_and_says_so(tmp_path):
    loaded = _load(tmp_path, ["03/04/2025", "04/05/2025"])
    assert loaded.articles["published"].tolist() == [pd.Timestamp("2025-03-04"), pd.Timestamp("2025-04-05")]
    assert len(loaded.warnings) == 1 and "read month first (US order)" in loaded.warnings[0]


def test_parse_date_takes_the_order_only_for_numeric_dates():
    assert parse_date("03/04/2025", dayfirst=True)[0] == pd.Timestamp("2025-04-03")
    assert parse_date("2025-04-03", dayfirst=True)[0] == pd.Timestamp("2025-04-03")  # ISO untouched
    assert parse_date("03/04/2025")[0] == pd.Timestamp("2025-03-04")


def test_unix_time_written_as_text_is_read_like_the_number(tmp_path):
    assert parse_date("1712102400")[0] == parse_date(1712102400)[0] == pd.Timestamp("2024-04-03")
    assert parse_date("1712102400000")[0] == pd.Timestamp("2024-04-03")  # milliseconds
    assert parse_date("20250403")[0] == pd.Timestamp("2025-04-03")  # 8 digits: a date, not seconds
    loaded = _load(tmp_path, ["1712102400", "1712188800"])
    assert loaded.articles["published"].tolist() == [pd.Timestamp("2024-04-03"), pd.Timestamp("2024-04-04")]
    assert loaded.warnings == []
