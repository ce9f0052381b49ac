"""Topic and stance analysis of news corpora.

Public API::

    import analysis
    load = analysis.load_corpus("data/raw/sample_digest_russia.txt")
    result = analysis.run_pipeline(config=analysis.load_config("my.toml"))
    result.topics, result.stance_by_topic, result.report_path

Importing the package loads no model and touches no file; heavy libraries
(torch, sentence-transformers, BERTopic, matplotlib) are imported when a
stage runs. Names are resolved on first use (``lazy_loader``), so a command
that needs only the run tables does not pay for the modelling libraries.
"""
from __future__ import annotations

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submodules=["catalog"], submod_attrs={
    "assign": ["assign_run"],
    "batch": ["run_batch"],
    "config": ["Config", "ConfigError", "config_from_dict", "load_config", "save_config"],
    "corpus": ["CorpusError", "corpus_fingerprint", "corpus_profile", "load_corpus", "load_corpus_frame",
               "profile_lines", "segment"],
    "edit": ["merge_topics", "relabel_run"],
    "embed": ["Embedder", "ModelNotFoundError"],
    "manifest": ["read_manifest"],
    "paths": ["DEFAULT_CORPUS", "default_cache_dir", "output_dir"],
    "pipeline": ["run_pipeline"],
    "report.compare": ["compare_runs"],
    "rerun": ["rerun"],
    "result": ["RunResult"],
    "runs": ["load_run"],
    "stance": ["TargetMatcher", "aggregate_stance", "get_scorer"],
    "stance.contrast": ["run_contrasts", "stance_contrasts"],
    "topics": ["TopicModeler"],
})

__version__ = "0.1.0"

