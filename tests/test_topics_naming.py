"""Topic names: keyphrase candidates, the news stop list, whole hyphenated names, override precedence."""
import re
from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.config import config_from_dict
from analysis.topics.build import vectorizer
from analysis.topics.keyphrases import PhraseCounts, keyphrase_labels, phrase_spans
from analysis.topics.naming import topic_names
from analysis.topics.vocabulary import NEWS_STOP_WORDS, TOKEN_PATTERN, stop_words

STOP = stop_words("english+news")


class WordEmbedder:
    """Texts as normalised counts over a fixed vocabulary (a stand-in for the sentence embedder)."""

    def __init__(self, vocabulary):
        self.vocabulary = [w.lower() for w in vocabulary]

    def transform(self, texts):
        vecs = np.array([[t.lower().split().count(w) + 1e-3 for w in self.vocabulary] for t in texts])
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def test_spans_stop_at_stop_words_punctuation_and_possessives():
    spans = phrase_spans("Turkey's Middle Corridor grows, Mr Erdogan said in 2024.", STOP)
    assert {"Turkey", "Middle Corridor", "Middle Corridor grows", "Erdogan"} <= set(spans)
    assert not [s for s in spans if re.search(r"\b(said|Mr|in|s)\b|2024", s)]
    assert "Turkey Middle" not in spans and "grows Erdogan" not in spans  # across "'s" and ","
    assert max(len(s.split()) for s in spans) <= 3


def test_hyphenated_and_apostrophised_names_stay_whole():
    spans = phrase_spans("President Ahmed al-Sharaa met O'Brien on Russia-Ukraine talks", STOP)
    assert {"Ahmed al-Sharaa", "al-Sharaa", "O'Brien", "Russia-Ukraine talks"} <= set(spans)
    assert "al" not in spans and "Sharaa" not in spans
    words = vectorizer(config_from_dict({}).topics).build_analyzer()(
        "Ahmed al-Sharaa told Russia's envoy about the Russia-Ukraine war and O'Brien")
    assert {"al-sharaa", "russia", "russia-ukraine", "o'brien"} <= set(words)
    assert not {"al", "sharaa", "russia's", "told", "s"} & set(words)


def test_news_stop_list_extends_the_english_one_in_the_vectorizer():
    filler = {"said", "says", "mr", "told", "according", "percent", "reuters", "year", "people"}
    assert filler <= NEWS_STOP_WORDS
    assert not {"government", "war", "election", "russia", "corridor", "bank", "president"} & NEWS_STOP_WORDS
    assert all(re.fullmatch(TOKEN_PATTERN, w) and w == w.lower() for w in NEWS_STOP_WORDS)
    text = "Mr Tokayev said the tenge fell 5 percent this year, according to Reuters."
    default = vectorizer(config_from_dict({}).topics).build_analyzer()(text)
    assert set(default) == {"tokayev", "tenge", "fell", "tokayev tenge", "tenge fell"}
    english = vectorizer(config_from_dict({"topics": {"vectorizer": {"stop_words": "english"}}}).topics)
    assert {"said", "mr", "percent"} <= set(english.build_analyzer()(text))
    assert stop_words("english") == frozenset(ENGLISH_STOP_WORDS) and stop_words("none") is None


def _corpus():
    """Three small topics; "Kazakhstan" is everywhere, "Middle Corridor" only in topic 0."""
    docs = ["Kazakhstan backs the Middle Corridor across the Caspian.",
            "Freight on the Middle Corridor grew, Kazakhstan said.",
            "The Middle Corridor needs new ports in Kazakhstan.",
            "Kazakhstan's tenge fell against the dollar.",
            "The National Bank of Kazakhstan defended the tenge.",
            "Inflation pushed the tenge lower, Kazakhstan reported.",
            "Kazakhstan hosted a summit on water.",
            "Water shortages worry Kazakhstan farmers.",
            "Stray sentence without a topic."]
    return docs, np.array([0, 0, 0, 1, 1, 1, 2, 2, -1])


def test_keyphrase_prefers_phrases_particular_to_the_topic():
    docs, topics = _corpus()
    counts = PhraseCounts(docs, topics, STOP)
    assert counts.doc_freq[0]["middle corridor"] == 3 and counts.total["kazakhstan"] == 8
    weights = counts.weights(0)
    assert weights["middle corridor"] > weights["kazakhstan"]
    assert "caspian" not in weights  # used in one document of the topic only
    labels = keyphrase_labels(docs, topics, {}, None, STOP)
    # spelled as in the text (lower-case words capitalised); outliers get no keyphrase
    assert labels == {0: "Middle Corridor", 1: "Tenge", 2: "Water"}


def test_embedding_similarity_breaks_ties_between_equally_weighted_phrases():
    docs = ["Ports and rail grow.", "Ports and rail expand."] + ["Bank rates rise.", "Bank rates fall."]
    topics = np.array([0, 0, 1, 1])
    embedder = WordEmbedder(["ports", "rail", "bank", "rates"])
    near_rail = {0: embedder.transform(["rail"])[0], 1: embedder.transform(["bank rates"])[0]}
    near_ports = {0: embedder.transform(["ports"])[0], 1: embedder.transform(["bank rates"])[0]}
    assert keyphrase_labels(docs, topics, near_rail, embedder, STOP)[0] == "Rail"
    assert keyphrase_labels(docs, topics, near_ports, embedder, STOP)[0] == "Ports"


def _modeler(docs, topics, labels=None):
    """A stand-in for a fitted TopicModeler: what naming reads from it."""
    embedder = WordEmbedder(["corridor", "rail", "caspian", "tenge", "bank", "dollar", "water"])
    centroids = {t: embedder.transform([" ".join(d for d, k in zip(docs, topics) if k == t)])[0]
                 for t in sorted(set(topics.tolist()))}
    keywords = {0: ["corridor", "kazakhstan", "caspian"], 1: ["tenge", "bank", "dollar"],
                2: ["water", "kazakhstan", "summit"], -1: ["stray"]}
    return SimpleNamespace(topics_=topics, embeddings_centroids_=centroids, embedder=embedder,
                           topic_words_=keywords, keywords=lambda t: keywords[t],
                           model_=SimpleNamespace(topic_labels_=labels or {}))


def test_names_precedence_manual_then_seeds_and_zeroshot_then_keyphrase_then_keywords():
    docs, topics = _corpus()
    plain = topic_names(_modeler(docs, topics), docs, config_from_dict({}).topics)
    assert plain == {0: "Middle Corridor", 1: "Tenge", 2: "Water", -1: "Outliers"}
    cfg = config_from_dict({"topics": {"name_from": "keywords"}}).topics
    assert topic_names(_modeler(docs, topics), docs, cfg)[0] == "corridor, kazakhstan, caspian"
    cfg = config_from_dict({"topics": {"seed_topics": {"Trade route": ["corridor", "rail"]},
                                       "zeroshot_topics": ["Water policy"], "names": {1: "Currency"}}}).topics
    names = topic_names(_modeler(docs, topics, {2: "Water policy", 1: "tenge_bank"}), docs, cfg)
    assert names == {0: "Trade route", 1: "Currency", 2: "Water policy", -1: "Outliers"}
    cfg = config_from_dict({"topics": {"zeroshot_topics": ["Water policy"], "names": {2: "Farming"}}}).topics
    assert topic_names(_modeler(docs, topics, {2: "Water policy"}), docs, cfg)[2] == "Farming"


@pytest.mark.slow
def test_bundled_corpus_names_read_like_phrases(sample_run):
    pt = sample_run.paragraph_topics.merge(sample_run.paragraphs[["paragraph_id", "text"]])
    about = pt[pt["text"].str.count("Middle Corridor") >= 2]
    corridor = about["topic"].mode()[0]
    names = sample_run.topics.set_index("topic")["name"]
    assert "Corridor" in names[corridor], names.to_dict()
    for name, words in zip(sample_run.topics["name"], sample_run.topics["keywords"]):
        tokens = {w.lower() for w in re.findall(TOKEN_PATTERN, name)}
        tokens |= {w for kw in words for w in kw.split()}
        assert not tokens & NEWS_STOP_WORDS, (name, words)
        assert len(name.split()) <= 3 and "," not in name


def test_boilerplate_names_no_topic_and_names_are_not_shared():
    """An outlet's name in every headline is no topic's name; two topics never share one."""
    docs = ["Rail freight grows - BBC News", "Rail freight slows - BBC News", "Rail freight booms - BBC News",
            *[f"Bank rates {verb} - BBC News" for verb in ("rise", "fall", "hold", "jump", "dip", "soar")],
            "Rail freight halted - BBC News", "Rail freight delayed - BBC News"]
    topics = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2])
    counts = PhraseCounts(docs, topics, STOP)
    assert not counts.distinctive(1, "bbc news") and counts.distinctive(1, "bank rates")
    assert counts.distinctive(2, "rail freight")  # 2 of 2 here, 3 of 9 elsewhere
    labels = keyphrase_labels(docs, topics, {}, None, STOP)
    assert not {"BBC News", "BBC", "News"} & set(labels.values())
    assert labels[0] == "Rail freight" and labels[1] == "Bank rates"
    assert labels[2] in ("Rail", "Freight")  # its best phrase is taken by the larger topic 0


def test_boilerplate_words_are_those_on_nearly_every_document():
    from analysis.topics.vocabulary import BOILERPLATE_MIN_DOCS, boilerplate_words

    docs = [f"Rail freight item {i} - BBC News" for i in range(10)]
    docs += [f"Bank rates move {i} - BBC News" for i in range(9)] + ["Bank rates hold"]
    assert len(docs) == BOILERPLATE_MIN_DOCS
    assert boilerplate_words(docs) == ["bbc", "news"]  # 19 of 20; "rail" and "bank" in half
    assert boilerplate_words(docs[:-1]) == []  # too few documents to tell
