"""A corpus that is not English is read with a warning and a caution in the report, never silently."""
from __future__ import annotations

import json

import pandas as pd

from analysis.corpus import load_corpus
from analysis.corpus import language
from analysis.corpus.language import articles_note, corpus_note, language_note, word_counts
from analysis.paths import DEFAULT_CORPUS
from analysis.report.context_findings import key_findings

from conftest import eval_path

ENGLISH = ("The government said on Monday that it would review the trade agreement with its neighbours, "
           "and officials in the capital expect talks on the new route to start in the spring. The plan "
           "is part of a wider effort to cut transit times between China and Europe, which have grown "
           "since the war began.")
KYRGYZ = ("Швейцария Кыргызстанга кышкы туризмди өнүктүрүүгө көмөктөшөт. Бул боюнча документке президент "
          "Сооронбай Жээнбековдун Швейцария президенти Ули Маурер менен сүйлөшүүлөрүнүн жыйынтыгында кол "
          "коюлду. Швейцария менен Кыргызстан айыл-чарба продукциялары жана туризм жаатында кызматташмакчы. "
          "Андан сырткары тараптар билим берүү жана саламаттыкты сактоо тармактарында да кызматташууну "
          "улантууга макул болушту, деп билдирди өкмөттүн маалымат кызматы.")


def test_words_are_runs_of_letters_in_any_script():
    assert word_counts("The 2 cats and the dog's bowl") == (7, 3)  # the, cats, and, the, dog, s, bowl
    assert word_counts(KYRGYZ)[1] == 0 and word_counts(KYRGYZ)[0] > 40


def test_english_corpus_gets_no_note():
    assert language_note([ENGLISH] * 5, list("abcde")) is None


def test_a_corpus_in_another_language_is_named_as_such():
    note = corpus_note([KYRGYZ] * 5)
    assert note.startswith("the texts do not look like English: 0.0 % of their words")
    assert "stance are not meaningful" in note and "README, Limitations" in note


def test_mixed_corpus_names_its_foreign_articles():
    texts = [ENGLISH] * 15 + [KYRGYZ] * 3
    ids = [f"en{i}" for i in range(15)] + ["kg1", "kg2", "kg3"]
    assert corpus_note(texts) is None  # the corpus as a whole is English
    note = language_note(texts, ids)
    assert note.startswith("3 of 18 articles of 40+ words do not look like English")
    assert "first: kg1, kg2, kg3" in note


def test_short_texts_and_rare_foreign_articles_are_not_judged():
    headlines = ["Putin warns Nato over Sweden", "Ukraine war: Kherson retaken"] * 30
    assert language_note(headlines, list(map(str, range(60)))) is None  # under 40 words each
    short = [" ".join(KYRGYZ.split()[i:i + 6]) for i in range(0, 48, 6)]  # headlines in Cyrillic
    assert corpus_note(short).startswith("the texts do not look like English: 100 % of their letters are not Latin")
    texts = [ENGLISH] * 40 + [KYRGYZ]  # one in 41 (2.4 %): below the 5 % that makes a note
    assert articles_note(texts, list(map(str, range(41)))) is None


def test_large_corpora_are_judged_on_an_even_sample(monkeypatch):
    monkeypatch.setattr(language, "MAX_JUDGED", 10)
    texts = [KYRGYZ if i % 4 == 0 else ENGLISH for i in range(100)]
    note = language_note(texts, [f"a{i}" for i in range(100)])
    # every 10th article is judged (a0, a10, ..., a90); a0, a20, a40, a60, a80 are Kyrgyz
    assert note.startswith("5 of 10 articles") and "first: a0, a20, a40" in note


def test_loading_a_kyrgyz_corpus_warns_and_the_report_cautions(tmp_path):
    path = eval_path("kyrgyz_24kg_topics", "qad-test_0500.csv")
    loaded = load_corpus(path)
    assert len(loaded.articles) > 400
    assert loaded.warnings[0].startswith("the texts do not look like English")  # first: never cut off
    findings = key_findings({"articles": loaded.articles}, {}, [])
    assert findings[0].startswith("Caution: the texts do not look like English")


def test_the_bundled_corpus_reads_without_a_language_note():
    loaded = load_corpus(DEFAULT_CORPUS)
    assert not any("English" in w for w in loaded.warnings)
    assert not key_findings({"articles": loaded.articles}, {}, [])[0].startswith("Caution")


def test_a_csv_of_foreign_text_warns(tmp_path):
    path = tmp_path / "kg.csv"
    pd.DataFrame({"text": [KYRGYZ + f" {i}" for i in range(3)]}).to_csv(path, index=False)
    assert any(w.startswith("the texts do not look like English") for w in load_corpus(path).warnings)


def test_html_markup_is_named_not_silently_read_as_words(tmp_path):
    from analysis.corpus.markup import markup_note, marks

    scraped = ('<div class="story"><p>Russia&#8217;s trade with Kazakhstan grew.</p>'
               '<p>Officials met in Astana&nbsp;on Monday.</p></div>')
    assert marks(scraped) == 8  # <div>, 2 x <p>, 2 x </p>, </div>, &#8217; and &nbsp;
    plain = "AT&T and <Company> say: 3 < 4 & 5 > 2, so the <i> index rose."
    assert marks(plain) < 3
    assert markup_note([plain, ENGLISH], ["p", "e"]) is None
    path = tmp_path / "scraped.jsonl"
    path.write_text("\n".join(f'{{"id": "s{i}", "text": {json.dumps(scraped + f" {i} " + ENGLISH)}}}'
                              for i in range(2)) + f'\n{{"id": "clean", "text": {json.dumps(ENGLISH)}}}\n')
    warnings = load_corpus(path).warnings
    assert warnings[0].startswith("2 of 3 articles contain HTML markup") and "first: s0, s1" in warnings[0]
    assert "BeautifulSoup" in warnings[0]


def test_english_tables_of_figures_are_not_called_foreign():
    table = ("Shr 12 cts vs 10 cts Net 1,234,000 vs 987,000 Revs 45.6 mln vs 40.1 mln Nine mths Shr "
             "34 cts vs 29 cts Net 3,456,000 vs 2,987,000 Revs 130.2 mln vs 118.7 mln Qtly div five cts "
             "vs five cts prior Pay April 15 Record March 31 Avg shrs 10.2 mln vs 9.9 mln NOTE full name")
    assert word_counts(table)[0] >= 40 and word_counts(table)[1] / word_counts(table)[0] < 0.05
    texts = [ENGLISH] * 10 + [table] * 3  # 23 % of the judged articles are tables
    assert language_note(texts, list(map(str, range(13)))) is None
    assert language_note([ENGLISH] * 10 + [KYRGYZ] * 3, list(map(str, range(13)))).startswith("3 of 13 articles")


def test_benchmark_news_corpora_read_without_a_language_note():
    from analysis.corpus import load_corpus_frame
    from analysis.eval.corpora import load_eval_corpus

    eval_path("reuters21578")
    load = load_corpus_frame(load_eval_corpus("reuters21578").drop(columns="label"), "reuters")
    assert not any("English" in w for w in load.warnings)  # its earnings tables included
