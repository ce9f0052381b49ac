"""Topics and stance over time share one period rule and, by default, one period."""
from __future__ import annotations

import pandas as pd

from analysis.config import Config
from analysis.stance.tables import run_period
from analysis.stance.aggregate import with_article_meta
from analysis.topics.temporal import resolve_freq, topics_over_time

ARTICLES = pd.DataFrame({
    "article_id": ["a", "b", "c", "d"],
    "source": ["X", "X", "Y", "Y"],
    "published": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-03-02", "2024-06-30"]),
})


def test_auto_resolves_to_the_same_period_for_topics_and_stance():
    cfg = Config()
    assert cfg.stance.time_window == "auto" and cfg.topics.time_freq == "auto"
    period = run_period(cfg, ARTICLES)
    assert period == resolve_freq(ARTICLES["published"]) == "W"  # 27 weeks fit in 40 periods
    units = pd.DataFrame({"article_id": list("abcd"), "topic": [0, 0, 1, 1]})
    topics = pd.DataFrame({"topic": [0, 1], "name": ["t0", "t1"]})
    topic_periods = set(topics_over_time(units, ARTICLES, topics, "auto")["period"])
    stance = pd.DataFrame({"article_id": list("abcd")})
    stance_periods = with_article_meta(stance, ARTICLES, period)["period"]
    starts = {pd.Period(p, freq="W").start_time for p in stance_periods}
    assert starts == topic_periods


def test_explicit_windows_are_kept():
    cfg = Config.model_validate({"stance": {"time_window": "quarter"}, "topics": {"time_freq": "M"}})
    assert run_period(cfg, ARTICLES) == "Q"
    cfg = Config.model_validate({"topics": {"time_freq": "M"}})
    assert run_period(cfg, ARTICLES) == "M"
