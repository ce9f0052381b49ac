"""Evaluation: benchmarks, evaluation corpora, plain baselines and validation reports.

The top layer of the package: it imports the stages and the report, and no
stage or report module imports it. Nothing here runs during ``analysis run``.

* :mod:`.corpora` -- one reader per public data set (20 Newsgroups,
  Reuters-21578, AG News, SemEval-2016 Task 6, RUW, ukraine_news_bias);
* :mod:`.baselines` -- the plain BERTopic baseline;
* :mod:`.topics` -- our topic model against that baseline, parameter sweeps;
* :mod:`.topic_methods`, :mod:`.topics_benchmark` -- the topic models that
  ``analysis topics benchmark`` compares, over data sets and seeds;
* :mod:`.stance`, :mod:`.stance_evaluate`, :mod:`.agreement`,
  :mod:`.validation_report` -- stance benchmarks, scoring against gold
  labels, annotator agreement and the validation report folder;
* :mod:`.bench` -- what ``analysis bench`` measures.
"""
from .agreement import agreement_table, krippendorff_alpha
from .baselines import baseline_sentence_model, ctfidf_words, fit_plain_bertopic, plain_bertopic
from .bench import bench_config, bench_json, format_bench, run_bench
from .corpora import (BENCH_CORPORA, EVAL_CORPORA, eval_root, load_bench_corpus, load_eval_articles,
                      load_eval_corpus, load_ruw, load_semeval, load_ukraine_news_bias, write_corpus)
from .stance import (GRID, out_of_box, pstance_crossencoder, ruw_benchmark, ruw_crossencoder, semeval_benchmark,
                     semeval_crossencoder, unseen_targets, with_backend)
from .stance_evaluate import (classification_report_frame, evaluate_annotations,
                              evaluate_on_ukraine_news_bias, label_shares_on_ukraine_news_bias,
                              predict_against_gold)
from .topic_methods import METHODS, MethodFit, MethodInput, fastopic_available
from .topics import parse_value, sweep, with_setting
from .topics_benchmark import (DATASETS, benchmark_articles, benchmark_frame, dataset_names, formatted,
                               markdown_table, run_seeds, run_topic_benchmark, stratified_sample, summarize)
from .validation_report import write_validation_report

__all__ = ["BENCH_CORPORA", "DATASETS", "EVAL_CORPORA", "GRID", "METHODS", "MethodFit", "MethodInput",
           "agreement_table", "baseline_sentence_model", "benchmark_articles", "benchmark_frame",
           "dataset_names", "fastopic_available", "formatted", "markdown_table", "run_seeds",
           "run_topic_benchmark", "stratified_sample", "summarize", "bench_config", "bench_json", "classification_report_frame",
           "ctfidf_words", "eval_root", "evaluate_annotations", "evaluate_on_ukraine_news_bias", "label_shares_on_ukraine_news_bias",
           "fit_plain_bertopic", "format_bench", "krippendorff_alpha", "load_bench_corpus",
           "load_eval_articles", "load_eval_corpus", "load_ruw", "load_semeval", "load_ukraine_news_bias",
           "out_of_box", "parse_value", "plain_bertopic", "predict_against_gold", "run_bench",
           "pstance_crossencoder", "ruw_benchmark", "ruw_crossencoder", "semeval_benchmark", "semeval_crossencoder", "sweep", "unseen_targets", "with_backend",
           "with_setting", "write_corpus", "write_validation_report"]
