"""Topic and stance analysis of news corpora.

Public API::

    import analysis
    load = analysis.load_corpus("data/raw/sample_digest_russia.txt")
    result = analysis.run_pipeline(config=analysis.load_config("my.toml"))
    result.topics, result.stance_by_topic, result.report_path

Importing the package loads no model and touches no file; heavy libraries
(torch, sentence-transformers, BERTopic, matplotlib) are imported when a
stage runs.
"""
from __future__ import annotations

from . import catalog
from .batch import run_batch
from .config import Config, ConfigError, config_from_dict, load_config, save_config
from .corpus import CorpusError, corpus_fingerprint, load_corpus, load_corpus_frame, segment
from .embed import Embedder, ModelNotFoundError
from .manifest import read_manifest
from .paths import DEFAULT_CORPUS, default_cache_dir
from .pipeline import run_pipeline
from .report.compare import compare_runs
from .rerun import rerun
from .result import RunResult
from .runs import load_run
from .stance import TargetMatcher, aggregate_stance, get_scorer
from .topics import TopicModeler

__version__ = "0.1.0"

__all__ = [
    "Config", "ConfigError", "CorpusError", "DEFAULT_CORPUS", "Embedder", "ModelNotFoundError",
    "RunResult", "TargetMatcher", "TopicModeler", "aggregate_stance", "catalog", "compare_runs",
    "config_from_dict", "corpus_fingerprint", "default_cache_dir", "get_scorer", "load_config",
    "load_corpus", "load_corpus_frame", "load_run", "read_manifest", "rerun", "run_batch",
    "run_pipeline", "save_config", "segment",
]
