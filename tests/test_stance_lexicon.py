"""Tests for the lexicon stance scorer (analysis.stance.lexicon)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from analysis import schema
from analysis.stance import lexicon_data
from analysis.stance.lexicon import LexiconStanceScorer, score_probabilities
from analysis.stance.targets import STANCE_INPUT


def stance_input(items):
    """Scorer input from ``(sentence, mention, target)`` triples (first occurrence)."""
    rows = []
    for i, (sentence, mention, target) in enumerate(items):
        start = sentence.index(mention)
        rows.append((f"a:p0:s{i}", "a:p0", "a", target, mention, start, start + len(mention),
                     sentence))
    return pd.DataFrame(rows, columns=STANCE_INPUT)


@pytest.fixture(scope="module")
def scorer():
    return LexiconStanceScorer().fit()


def score_one(scorer, sentence, mention, target="Russia"):
    """The STANCE row of one mention."""
    return scorer.predict_frame(stance_input([(sentence, mention, target)])).iloc[0]


@pytest.mark.parametrize("sentence,mention,label", [
    ("Russia is a reliable partner and a close ally, officials said.", "Russia", "favor"),
    ("Kyiv welcomed the cooperation with Moscow.", "Moscow", "favor"),
    ("Russia's brutal aggression and war crimes shocked observers.", "Russia", "against"),
    ("Russia’s illegal annexation of Crimea was a violation of law.", "Russia", "against"),
    ("The Kremlin spread propaganda and disinformation.", "Kremlin", "against"),
    ("Russia said on Tuesday that talks would continue in Minsk.", "Russia", "neutral"),
    ("Russian troops were killed in the conflict, the ministry said.", "Russian", "neutral"),
])
def test_clear_examples(scorer, sentence, mention, label):
    assert score_one(scorer, sentence, mention)["label"] == label


@pytest.mark.parametrize("plain,negated,mention", [
    ("NATO is a threat to peace.", "NATO is not a threat to peace.", "NATO"),
    ("The EU supported Russia.", "The EU never supported Russia.", "Russia"),
    ("Russia is a partner.", "Russia isn't a partner.", "Russia"),
])
def test_negation_flips_sign(scorer, plain, negated, mention):
    a, b = score_one(scorer, plain, mention)["score"], score_one(scorer, negated, mention)["score"]
    assert a != 0 and np.sign(a) == -np.sign(b)


def test_cue_position_gates_actor_and_acted_upon(scorer):
    sentence = "The EU imposed sanctions against Russia."
    assert score_one(scorer, sentence, "Russia")["label"] == "against"
    assert score_one(scorer, sentence, "EU", "the West")["label"] == "neutral"
    assert score_one(scorer, "Russia condemned the move.", "Russia")["score"] == 0.0


def test_window_and_distance_decay():
    sentence = "Russia said many things on a long day about aggression."
    near = LexiconStanceScorer(window=10).fit().explain(sentence, 0, 6)
    assert near["cue"].tolist() == ["aggression"] and near["distance"].tolist() == [9]
    assert LexiconStanceScorer(window=3).fit().explain(sentence, 0, 6).empty
    close = LexiconStanceScorer(window=10).fit().explain("Russia aggression.", 0, 6)
    assert close["weight"].iloc[0] == 1.0 > near["weight"].iloc[0]


def test_mention_tokens_are_not_cues(scorer):
    # "United" is neutralised, but it is also part of the mention and never scored
    row = score_one(scorer, "The United States met.", "United States", "the West")
    assert row["score"] == 0.0 and row["label"] == "neutral"


def test_output_columns_and_ranges(scorer):
    items = [("Russia is a reliable partner.", "Russia", "Russia"),
             ("The EU condemned Russia's aggression.", "EU", "the West"),
             ("Russia met.", "Russia", "Russia")]
    out = scorer.predict_frame(stance_input(items))
    assert list(out.columns) == schema.STANCE
    assert out["score"].between(-1, 1).all() and out["confidence"].between(0, 1).all()
    probs = out[["p_favor", "p_against", "p_neutral"]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert set(out["label"]) <= set(schema.LABELS)
    assert out["sentence"].tolist() == [s for s, _, _ in items]


def test_predict_and_empty_input(scorer):
    assert scorer.predict(stance_input([("Russia is an ally.", "Russia", "Russia")])).tolist() == ["favor"]
    empty = scorer.predict_frame(stance_input([]))
    assert list(empty.columns) == schema.STANCE and empty.empty


def test_determinism():
    items = [("Russia is a reliable partner.", "Russia", "Russia"),
             ("NATO is not a threat to Russia.", "NATO", "the West")] * 3
    a = LexiconStanceScorer().fit().predict_frame(stance_input(items))
    b = LexiconStanceScorer().fit().fit().predict_frame(stance_input(items))
    pd.testing.assert_frame_equal(a, b)


def test_use_before_fit_and_bad_params_raise():
    with pytest.raises(NotFittedError):
        LexiconStanceScorer().predict_frame(stance_input([("Russia.", "Russia", "Russia")]))
    for params in ({"window": 0}, {"neutral_band": 1.5}, {"negation_scope": -1}, {"temperature": 0}):
        with pytest.raises(ValueError):
            LexiconStanceScorer(**params).fit()


def test_missing_input_columns_raise(scorer):
    with pytest.raises(ValueError, match="stance input"):
        scorer.predict_frame(pd.DataFrame({"sentence": ["Russia."]}))


def test_custom_lexicon_file(tmp_path):
    path = tmp_path / "lex.txt"
    path.write_text("# mine\nphrase\tscore\tposition\tnote\ngizmo\t0.9\tany\t\n", encoding="utf-8")
    row = LexiconStanceScorer(lexicon_path=str(path)).fit().predict_frame(
        stance_input([("Russia gizmo.", "Russia", "Russia")])).iloc[0]
    assert row["label"] == "favor"


@pytest.mark.parametrize("text", [
    "phrase\tscore\tposition\nfoo\t2.0\tany\n",
    "phrase\tscore\tposition\nfoo\t0.5\tsideways\n",
    "word\tvalue\nfoo\t0.5\n",
    "phrase\tscore\tposition\nfoo\n",
])
def test_bad_lexicon_text_raises(text):
    with pytest.raises(ValueError, match="lexicon line"):
        lexicon_data.parse_domain_lexicon(text)


def test_shipped_lexicon_loads():
    cues = lexicon_data.load_domain_lexicon()
    assert cues[("war", "crimes")].score < 0 and cues[("partnership",)].score > 0
    assert cues[("sanctions", "against")].position == "after"
    assert len(lexicon_data.load_vader_lexicon()) > 7000


def test_probability_mapping_matches_labels():
    scores = np.linspace(-1, 1, 41)
    probs = score_probabilities(scores, 0.1, 4.0)
    expected = np.where(scores > 0.1, 0, np.where(scores < -0.1, 1, 2))
    inside = np.abs(np.abs(scores) - 0.1) > 1e-9  # the boundary itself is a tie
    assert (probs.argmax(axis=1)[inside] == expected[inside]).all()


VOCAB = ["Russia", "not", "aggression", "partner", "said", "the", "never", "threat", "war",
         "good", "bad", "sanctions", "against", "ally", "very", "isn't", ",", "Ukraine"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), max_size=15), st.integers(0, 15))
def test_property_ranges_and_label_consistency(words, position):
    words = list(words)
    words.insert(min(position, len(words)), "Moscow")
    sentence = " ".join(words)
    row = LexiconStanceScorer().fit().predict_frame(
        stance_input([(sentence, "Moscow", "Russia")])).iloc[0]
    assert -1 <= row["score"] <= 1 and 0 <= row["confidence"] <= 1
    probs = row[["p_favor", "p_against", "p_neutral"]].astype(float)
    assert abs(probs.sum() - 1) < 1e-12
    assert row["confidence"] == pytest.approx(probs[f"p_{row['label']}"])
