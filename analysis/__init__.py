"""Topic and stance analysis of news corpora.

Public API::

    import analysis
    load = analysis.load_corpus("data/raw/sample_digest_russia.txt")
    result = analysis.run_pipeline(config=analysis.load_config("my.toml"))
    result.topics, result.stance_by_topic, result.report_path

Importing the package loads no model and touches no file; heavy libraries are
imported when a stage runs.
"""
from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "Config": "config", "load_config": "config", "save_config": "config",
    "config_from_dict": "config", "ConfigError": "config",
    "load_corpus": "corpus", "load_corpus_frame": "corpus", "segment": "corpus",
    "corpus_fingerprint": "corpus", "CorpusError": "corpus",
    "Embedder": "embed", "ModelNotFoundError": "embed",
    "TopicModeler": "topics",
    "TargetMatcher": "stance", "get_scorer": "stance", "aggregate_stance": "stance",
    "run_pipeline": "pipeline", "RunResult": "runs",
    "rerun": "rerun", "read_manifest": "manifest",
    "run_batch": "batch", "load_run": "runs", "compare_runs": "report.compare",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
