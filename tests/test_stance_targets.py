"""Tests for target matching (analysis.stance.targets)."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import schema
from analysis.default_targets import DEFAULT_TARGETS
from analysis.stance.targets import (
    STANCE_INPUT, Mention, TargetMatcher, build_stance_input, is_acronym, mask_targets,
)

CHINA = {"name": "China", "aliases": ["China", "Chinese", "Beijing"]}


def sentences_frame(texts):
    """A SENTENCES table holding ``texts`` in one paragraph of article 'a'."""
    return pd.DataFrame({
        "sentence_id": [f"a:p0:s{i}" for i in range(len(texts))],
        "paragraph_id": "a:p0",
        "article_id": "a",
        "position": range(len(texts)),
        "start": 0,
        "end": [len(t) for t in texts],
        "text": texts,
    })


@pytest.fixture(scope="module")
def matcher():
    return TargetMatcher().fit()


def spans(matcher, text, target=None):
    """[(target, mention)] found in ``text``, optionally for one target."""
    return [(m.target, m.mention) for m in matcher.find(text) if target in (None, m.target)]


@pytest.mark.parametrize("text", ["Russia acted.", "RUSSIA acted.", "russia acted.", "Russia."])
def test_case_insensitive_for_words(matcher, text):
    assert spans(matcher, text) == [("Russia", text[:6])]


@pytest.mark.parametrize("text,mention", [
    ("Russia's army moved.", "Russia"),
    ("Russia’s army moved.", "Russia"),
    ("The Kremlin’s line held.", "Kremlin"),
    ("The EU's reply came.", "EU"),
    ("The Russians' reply came.", "Russians"),
])
def test_possessives_including_curly_apostrophe(matcher, text, mention):
    found = matcher.find(text)
    assert [m.mention for m in found] == [mention]
    assert text[found[0].start:found[0].end] == mention


@pytest.mark.parametrize("text,mention", [
    ("Officials of the European Union met.", "European Union"),
    ("Officials of the european union met.", "european union"),
    ("Officials of the European\nUnion met.", "European\nUnion"),
    ("Talks with the United States stalled.", "United States"),
    ("The West was silent.", "The West"),
    ("Critics say the West was silent.", "the West"),
])
def test_multi_word_names(matcher, text, mention):
    assert spans(matcher, text) == [("the West", mention)]


def test_acronyms_are_case_sensitive(matcher):
    assert spans(matcher, "He told us to wait.") == []
    assert spans(matcher, "Us too, he said.") == []
    assert spans(matcher, "The US imposed tariffs.") == [("the West", "US")]
    assert spans(matcher, "The U.S. imposed tariffs.") == [("the West", "U.S.")]
    assert spans(matcher, "Nato and the eu met.") == []
    assert spans(matcher, "NATO and the EU met.") == [("the West", "NATO"), ("the West", "EU")]


def test_is_acronym():
    assert is_acronym("EU") and is_acronym("U.S.") and is_acronym("NATO") and is_acronym("G7")
    assert not is_acronym("Russia") and not is_acronym("UKRAINE") and not is_acronym("Us")


@pytest.mark.parametrize("text", [
    "Prussia was a kingdom.", "Belarussian officials spoke.", "The Muscovite style.",
    "Europeanisation proceeds.", "The USSR fell.", "A Putinesque style.",
    "They walked to the west of the city.", "Westernised tastes.",
])
def test_no_partial_word_or_direction_matches(matcher, text):
    assert spans(matcher, text) == []


def test_pro_and_anti_prefixes_are_skipped(matcher):
    text = "Pro-Russian rebels and anti-Western groups met Russian envoys."
    found = matcher.find(text)
    assert [(m.target, m.mention) for m in found] == [("Russia", "Russian")]
    assert found[0].start == text.index("Russian envoys")


@pytest.mark.parametrize("text", [
    "WASHINGTON (Reuters) - The talks resumed on Monday.",
    "WASHINGTON, March 3 (AP) — The talks resumed.",
    "The Washington Post reported the talks.",
    "Lviv is in Western Ukraine.",
    "Factories in Western China expanded.",
    "She wired the money by Western Union.",
    "He starred in a Western.",
    "Spaghetti Westerns were filmed in Spain.",
    "The Western film was shot in Almeria.",
    "Leaders from Latin America met.",
    "Bank of America raised its forecast.",
    "George Washington crossed the river.",
    "Russian-Americans voted.",
    "African Americans voted.",
    "Refugees from Eastern Europe arrived.",
    "They reached the European Championship final.",
    "They walked to the west of the city.",
    "Western-style dress and western tastes spread.",
])
def test_non_mentions_of_the_west(matcher, text):
    assert spans(matcher, text, "the West") == []


@pytest.mark.parametrize("text,mention", [
    ("Western sanctions hit the economy.", "Western"),
    ("WESTERN SANCTIONS HIT THE ECONOMY.", "WESTERN"),
    ("Western Europe imposed sanctions.", "Western Europe"[:7]),
    ("The talks in Washington resumed.", "Washington"),
    ("Westerners left the city.", "Westerners"),
    ("THE WEST WAS SILENT.", "THE WEST"),
])
def test_case_aware_mentions_of_the_west(matcher, text, mention):
    assert spans(matcher, text, "the West")[0] == ("the West", mention)


@pytest.mark.parametrize("text", [
    "MOSCOW (Reuters) - Prices rose.",
    "Ethnic Russians live in the north.",
    "Russian-speaking residents protested.",
    "The interview was conducted in Russian.",
    "The Russian Orthodox Church held a service.",
    "He ordered a White Russian.",
])
def test_non_mentions_of_russia(matcher, text):
    assert spans(matcher, text, "Russia") == []


def test_dateline_hides_only_the_dateline(matcher):
    text = "MOSCOW (Reuters) - Russia said Washington was to blame."
    assert spans(matcher, text) == [("Russia", "Russia"), ("the West", "Washington")]
    assert spans(TargetMatcher(exclude_datelines=False).fit(), text)[0] == ("Russia", "MOSCOW")


def test_user_exclusions_and_cased_aliases():
    target = {"name": "Apple", "cased_aliases": ["Apple"], "exclude": [r"Apple\s+Daily"]}
    m = TargetMatcher([target]).fit()
    assert spans(m, "Apple sued. apple pie. Apple Daily closed. APPLE rose.") == [
        ("Apple", "Apple"), ("Apple", "APPLE")]
    with pytest.raises(ValueError, match="bad exclude pattern"):
        TargetMatcher([{**target, "exclude": ["("]}]).fit()


def test_united_states_is_part_of_the_west_and_its_own_target():
    from analysis.config import TargetConfig

    us = TargetConfig(name="the United States").model_dump()
    assert us["exclude"] and "Washington" in us["aliases"]
    m = TargetMatcher([us, TargetConfig(name="the West").model_dump()]).fit()
    found = spans(m, "The Washington Post said Washington erred.")
    assert found == [("the United States", "Washington"), ("the West", "Washington")]


def test_metonyms_and_demonyms(matcher):
    text = "Moscow and Washington traded barbs as Brussels and American envoys watched."
    assert spans(matcher, text) == [
        ("Russia", "Moscow"), ("the West", "Washington"), ("the West", "Brussels"), ("the West", "American")]


def test_transform_one_row_per_sentence_and_target():
    texts = ["Russia and Moscow warned NATO, and Russia again.", "Nothing here.", "The EU met."]
    out = TargetMatcher(count_mentions=True).fit().transform(sentences_frame(texts))
    assert list(out.columns) == schema.MENTIONS + ["n_mentions"]
    assert out[["sentence_id", "target", "mention", "n_mentions"]].values.tolist() == [
        ["a:p0:s0", "Russia", "Russia", 3],
        ["a:p0:s0", "the West", "NATO", 1],
        ["a:p0:s2", "the West", "EU", 1],
    ]
    assert out.loc[0, "start"] == 0 and out.loc[0, "end"] == 6


def test_transform_has_exact_schema_by_default_and_correct_offsets():
    texts = ["Sanctions hit Russia’s banks, the White House said.", "the us and the USA"]
    out = TargetMatcher().fit().transform(sentences_frame(texts))
    assert list(out.columns) == schema.MENTIONS
    for row in out.itertuples():
        assert texts[int(row.sentence_id[-1])][row.start:row.end] == row.mention
    assert out["mention"].tolist() == ["Russia", "White House", "USA"]


def test_transform_empty_and_missing_text():
    empty = TargetMatcher().fit().transform(sentences_frame([]))
    assert list(empty.columns) == schema.MENTIONS and empty.empty
    frame = sentences_frame(["Russia."])
    frame.loc[0, "text"] = None
    assert TargetMatcher().fit().transform(frame).empty


def test_user_defined_target():
    m = TargetMatcher([CHINA]).fit()
    text = "Beijing said Chinese firms in China would comply; Indochina is elsewhere."
    out = m.transform(sentences_frame([text]))
    assert out[["target", "mention", "start"]].values.tolist() == [["China", "Beijing", 0]]
    assert [x.mention for x in m.find(text)] == ["Beijing", "Chinese", "China"]


def test_user_pattern_and_overlap_resolution():
    target = {"name": "X", "aliases": ["Foo"], "patterns": [r"Foo Bar(?!\w)"]}
    found = TargetMatcher([target]).fit().find("Foo Bar and foo.")
    assert [(m.mention, m.start) for m in found] == [("Foo Bar", 0), ("foo", 12)]


@pytest.mark.parametrize("targets,error", [
    ({"name": "X", "aliases": ["x"]}, TypeError),
    ([{"aliases": ["x"]}], ValueError),
    ([{"name": "X", "aliases": "x"}], ValueError),
    ([{"name": "X", "aliases": []}], ValueError),
    ([{"name": "X", "aliases": ["x"]}, {"name": "X", "aliases": ["y"]}], ValueError),
    ([{"name": "X", "aliases": ["x"], "patterns": ["("]}], ValueError),
])
def test_invalid_targets_raise(targets, error):
    with pytest.raises(error):
        TargetMatcher(targets).fit()


def test_default_targets_are_russia_and_west():
    assert [t["name"] for t in DEFAULT_TARGETS] == ["Russia", "the West"]
    assert TargetMatcher().fit().targets_ == TargetMatcher(DEFAULT_TARGETS).fit().targets_


def test_mask_targets_forms():
    text = "Russia’s envoy met the EU and Russia again."
    m = TargetMatcher().fit()
    assert mask_targets(text, m.find(text)) == "<TARGET>’s envoy met the <TARGET> and <TARGET> again."
    first = m.transform(sentences_frame([text]))
    assert mask_targets(text, first[first.target == "Russia"], "[R]") == "[R]’s envoy met the EU and Russia again."
    assert mask_targets(text, [(0, 6), (3, 8)], "X") == "X envoy met the EU and Russia again."
    with pytest.raises(ValueError):
        mask_targets(text, [(0, 999)])


def test_build_stance_input():
    texts = ["Russia warned the EU.", "Nothing."]
    sentences = sentences_frame(texts)
    mentions = TargetMatcher().fit().transform(sentences)
    out = build_stance_input(sentences, mentions)
    assert list(out.columns) == STANCE_INPUT
    assert out["sentence"].tolist() == [texts[0], texts[0]]
    assert out["paragraph_id"].tolist() == ["a:p0", "a:p0"]


words = st.sampled_from(["Russia", "the", "EU", "us", "Prussia", "West", "Western", "said",
                         "Kremlin’s", "pro-Russian", "United", "States", ",", "NATO's", "Moscow."])


@settings(max_examples=150, deadline=None)
@given(st.lists(words, max_size=12), st.sampled_from([" ", "  ", "\n"]))
def test_offsets_always_match_text(tokens, sep):
    text = sep.join(tokens)
    found = TargetMatcher().fit().find(text)
    for m in found:
        assert isinstance(m, Mention) and text[m.start:m.end] == m.mention
    for target in ("Russia", "the West"):
        own = [m for m in found if m.target == target]
        assert all(a.end <= b.start for a, b in zip(own, own[1:]))


# ----------------------------------------------------------- catalogue, spans
from analysis.default_targets import KNOWN_TARGETS  # noqa: E402


@pytest.mark.parametrize("target,text,mention", [
    ("China", "Beijing's loans came with strings attached.", "Beijing"),
    ("China", "Chinese lenders were absent.", "Chinese"),
    ("Turkey", "Ankara brokered the grain deal.", "Ankara"),
    ("Turkey", "Türkiye’s drones were decisive.", "Türkiye"),
    ("Iran", "Tehran denied the report.", "Tehran"),
    ("Ukraine", "Kyiv welcomed the decision.", "Kyiv"),
    ("the United States", "the United States' envoy left early.", "United States"),
    ("the United States", "The White House declined to comment.", "White House"),
])
def test_known_targets_cover_metonyms_and_demonyms(target, text, mention):
    matcher = TargetMatcher([KNOWN_TARGETS[target]]).fit()
    assert [m.mention for m in matcher.find(text)] == [mention]


def test_turkey_the_bird_is_not_a_mention():
    matcher = TargetMatcher([KNOWN_TARGETS["Turkey"]]).fit()
    assert matcher.find("We ate turkey at the summit dinner.") == []
    assert [m.mention for m in matcher.find("Turkey objected.")] == ["Turkey"]


def test_with_spans_lists_every_mention_and_build_input_keeps_it():
    text = "Russia said Moscow would answer Russia's critics."
    sents = sentences_frame([text])
    mentions = TargetMatcher(with_spans=True).fit().transform(sents)
    assert list(mentions.columns) == schema.MENTIONS + ["spans"]
    spans_ = mentions.loc[mentions["target"] == "Russia", "spans"].iloc[0]
    assert [text[a:b] for a, b in spans_] == ["Russia", "Moscow", "Russia"]
    assert "spans" in build_stance_input(sents, mentions).columns
    assert mask_targets(text, spans_, "[T]") == "[T] said [T] would answer [T]'s critics."


def test_public_spans_method():
    matcher = TargetMatcher().fit()
    assert matcher.spans("Russia", "Putin and the Kremlin") == [(0, 5), (14, 21)]
    with pytest.raises(KeyError):
        matcher.spans("Narnia", "text")


def test_config_target_known_by_name_is_filled_in():
    from analysis.config import ConfigError, config_from_dict

    cfg = config_from_dict({"stance": {"targets": [{"name": "China"}, {"name": "Mars", "aliases": ["Mars"]}]}})
    china = cfg.stance.targets[0]
    assert "Beijing" in china.aliases and cfg.stance.targets[1].aliases == ["Mars"]
    with pytest.raises(ConfigError, match="needs aliases or patterns"):
        config_from_dict({"stance": {"targets": [{"name": "Atlantis"}]}})


def test_known_targets_may_be_plain_names(tmp_path):
    from analysis.config import ConfigError, config_from_dict, load_config

    cfg = config_from_dict({"stance": {"targets": ["Russia", "China"]}})
    assert [t.name for t in cfg.stance.targets] == ["Russia", "China"]
    assert cfg.stance.targets == config_from_dict({"stance": {"targets": [{"name": "Russia"}, {"name": "China"}]}}).stance.targets
    path = tmp_path / "t.toml"
    path.write_text('[stance]\ntargets = ["China", {name = "Mars", aliases = ["Mars"]}]\n', encoding="utf-8")
    assert [t.name for t in load_config(path).stance.targets] == ["China", "Mars"]
    with pytest.raises(ConfigError, match="'Atlantis' needs aliases or patterns"):
        config_from_dict({"stance": {"targets": ["Atlantis"]}})
