"""Readers for the public evaluation data sets, one per data set, read by path and never shipped.

News corpora with topic labels (20 Newsgroups, Reuters-21578, AG News) in
:mod:`.news`; the stance benchmarks SemEval-2016 Task 6 and RUW in
:mod:`.semeval_ruw`; NewsMTSC (target-dependent sentiment in news) in
:mod:`.newsmtsc`; the ukraine_news_bias framing set in :mod:`.ukraine_news_bias`.
"""
from .news import (BENCH_CORPORA, EVAL_CORPORA, eval_root, load_bench_corpus, load_eval_articles,
                   load_eval_corpus, write_corpus)
from .newsmtsc import NEWSMTSC_FILES, load_newsmtsc, newsmtsc_files
from .semeval_ruw import (SEMEVAL_TARGETS, clean_tweet, load_pstance, load_ruw, load_semeval, read_ruw,
                          read_semeval_official, read_tweeteval, tweet_key)
from .ukraine_news_bias import LABEL_RULES, TARGET_KEYS, load_ukraine_news_bias, stance_from_framing

__all__ = ["BENCH_CORPORA", "EVAL_CORPORA", "LABEL_RULES", "NEWSMTSC_FILES", "SEMEVAL_TARGETS",
           "TARGET_KEYS", "clean_tweet", "eval_root", "load_bench_corpus", "load_eval_articles",
           "load_eval_corpus", "load_newsmtsc", "load_pstance", "load_ruw", "load_semeval", "load_ukraine_news_bias",
           "newsmtsc_files", "read_ruw", "read_semeval_official", "read_tweeteval",
           "stance_from_framing", "tweet_key", "write_corpus"]
