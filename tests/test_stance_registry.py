"""Tests for the stance scorer registry and the estimator contract of stance stages."""
from __future__ import annotations

import subprocess
import sys

import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from analysis.stance import registry
from analysis.stance.lexicon import LexiconStanceScorer
from analysis.stance.registry import (
    UnknownScorerError, available_scorers, get_scorer, register,
)
from analysis.stance.targets import TargetMatcher


def test_builtin_scorer_is_available():
    assert "stance.lexicon.v1" in available_scorers()
    scorer = get_scorer("stance.lexicon.v1", window=5)
    assert isinstance(scorer, LexiconStanceScorer) and scorer.window == 5
    assert not hasattr(scorer, "vader_")  # unfitted


def test_unknown_name_lists_available_scorers():
    with pytest.raises(UnknownScorerError) as info:
        get_scorer("stance.nope.v9")
    message = str(info.value)
    assert "stance.nope.v9" in message and "'stance.lexicon.v1'" in message
    assert isinstance(info.value, ValueError)


def test_register_new_and_conflicting_names(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))

    @register("stance.dummy.v1")
    class Dummy:
        def __init__(self, k=1):
            self.k = k

    assert get_scorer("stance.dummy.v1", k=3).k == 3
    assert register("stance.dummy.v1")(Dummy) is Dummy  # same object again is fine
    with pytest.raises(ValueError, match="already registered"):
        register("stance.dummy.v1")(dict)
    with pytest.raises(ValueError):
        register("")


STAGES = [
    (TargetMatcher, {"targets": [{"name": "X", "aliases": ["x"]}], "count_mentions": True}),
    (LexiconStanceScorer, {"window": 4, "neutral_band": 0.2, "temperature": 2.0}),
]


@pytest.mark.parametrize("cls,params", STAGES)
def test_init_stores_params_and_clone_round_trips(cls, params):
    est = cls(**params)
    for name, value in params.items():
        assert est.get_params()[name] is value
    twin = clone(est)
    assert twin.get_params() == est.get_params() and twin is not est


@pytest.mark.parametrize("cls,params", STAGES)
def test_fit_returns_self_and_learned_state_ends_in_underscore(cls, params):
    est = cls(**params)
    assert not [k for k in vars(est) if k.endswith("_")]
    assert est.fit() is est
    assert [k for k in vars(est) if k.endswith("_")]


def test_use_before_fit_raises():
    with pytest.raises(NotFittedError):
        TargetMatcher().find("Russia")
    with pytest.raises(NotFittedError):
        LexiconStanceScorer().explain("Russia", 0, 6)


def test_import_is_light():
    code = ("import analysis.stance, analysis.stance.lexicon_data as d;"
            "assert d.load_vader_lexicon.cache_info().currsize == 0;"
            "assert d._shipped_domain_lexicon.cache_info().currsize == 0")
    subprocess.run([sys.executable, "-c", code], check=True)
