"""Near-copies (wire copy, corrections, reposts): found, kept, named; on generated and real text."""
from __future__ import annotations


from analysis.corpus import load_corpus_frame
from analysis.corpus.neardup import THRESHOLD, near_duplicate_note, near_duplicates

from conftest import eval_path

STORY = ("Kazakhstan and Azerbaijan signed an agreement on Monday to expand freight traffic on the "
         "Middle Corridor, the trade route that links China to Europe across the Caspian Sea while "
         "bypassing Russia. Officials said the volume of containers could double by the end of next "
         "year if new ferries and rail links are completed on schedule.")
OTHER = ("The central bank left its key rate unchanged at its meeting in Astana, citing inflation that "
         "remains above target and a weaker tenge, and said it would watch prices of food and fuel.")


def test_a_lightly_edited_copy_is_found_and_an_unrelated_story_is_not():
    repost = STORY.replace("on Monday", "on Monday, 3 March") + " (Corrects the ferry count.)"
    table = near_duplicates([STORY, OTHER, repost, OTHER + " Markets were calm."], ["a", "b", "c", "d"])
    assert table["article_id"].tolist() == ["c", "d"] and table["duplicate_of"].tolist() == ["a", "b"]
    assert (table["similarity"] >= THRESHOLD).all() and (table["similarity"] < 1).all()
    assert near_duplicates([STORY, OTHER], ["a", "b"]).empty
    notices = ["Unocal Raised Crude Oil Postings 50 Cts/Bbl, Wti Now 19 Dlrs/Bbl",
               "Southland Corp Raised Crude Oil Postings 50 Cts/Bbl, Wti Now 19 Dlrs/Bbl"]
    assert near_duplicates(notices, ["a", "b"]).empty  # short notices on one template: never compared


def test_each_copy_names_its_closest_earlier_article():
    second = STORY + " Shares of the operator rose."
    third = second + " Shares of the operator rose sharply."
    table = near_duplicates([STORY, second, third], ["first", "second", "third"])
    assert dict(zip(table["article_id"], table["duplicate_of"])) == {"second": "first", "third": "second"}


def test_near_copies_are_kept_and_named_in_the_load():
    import pandas as pd

    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": [STORY, OTHER, STORY + " Updated."]})
    load = load_corpus_frame(frame)
    assert len(load.articles) == 3 and load.rejects.empty  # kept: whether a repost counts is the researcher's call
    assert load.near_duplicates["article_id"].tolist() == ["c"]
    assert load.warnings[0] == near_duplicate_note(load.near_duplicates, 3)
    assert load.warnings[0].startswith("1 of 3 articles are near-copies of an earlier one") and "c of a" in load.warnings[0]


def test_reuters_corrections_are_found():
    path = eval_path("reuters21578", "reuters21578.csv")  # skips when the data is absent
    from analysis.eval.corpora import load_eval_corpus

    load = load_corpus_frame(load_eval_corpus("reuters21578", root=path.parent.parent).drop(columns="label"),
                             "reuters")
    near = load.near_duplicates
    assert len(near) == 14 and near["similarity"].between(THRESHOLD, 1).all()
    first = load.articles.set_index("article_id").loc[near["article_id"].iloc[0], "title"]
    original = load.articles.set_index("article_id").loc[near["duplicate_of"].iloc[0], "title"]
    assert first == original  # a story sent again, with its headline unchanged


def test_a_footer_every_article_carries_is_not_a_copy():
    import random

    rng = random.Random(0)
    vocabulary = [f"word{i}" for i in range(400)]
    footer = (" Follow us on Twitter and Facebook for the latest news from the region. Subscribe to our "
              "newsletter to receive daily updates. All rights reserved. Reproduction without permission "
              "is prohibited.")
    texts = [" ".join(rng.choice(vocabulary) for _ in range(40 if i == 3 else 3)) + footer for i in range(40)]
    ids = [f"a{i}" for i in range(40)]
    assert near_duplicates(texts, ids).empty  # short articles would otherwise "copy" each other via the footer
    copy = texts[3].replace(footer, "") + " Updated with a quote." + footer
    table = near_duplicates([*texts, copy], [*ids, "copy"])
    assert table["article_id"].tolist() == ["copy"] and table["duplicate_of"].tolist() == ["a3"]
