"""Target detection and stance scoring toward targets such as Russia and the West.

Data flow (tables from :mod:`analysis.schema`)::

    SENTENCES --TargetMatcher--> MENTIONS --build_stance_input--> scorer input
        --get_scorer("stance.learner.v1").fit().predict_frame--> STANCE
        --aggregate_stance--> STANCE_AGGREGATE,  --select_evidence--> EVIDENCE

Training and validation: ``read_annotations`` -> ``train_model`` (a data-only
model directory) -> ``evaluate_annotations``; ``annotation_sheet`` draws new
sentences to label. Importing this package loads no lexicon, model or data;
the learner and training modules are imported on first use.
"""
from importlib import import_module

from analysis.stance.aggregate import aggregate_stance, select_evidence
from analysis.stance.default_targets import DEFAULT_TARGETS, KNOWN_TARGETS
from analysis.stance.registry import available_scorers, get_scorer, register
from analysis.stance.targets import (
    STANCE_INPUT, Mention, TargetMatcher, build_stance_input, mask_targets,
)

_LAZY = {
    "StanceLearner": "learner", "LearnedStanceScorer": "learner",
    "StanceFeaturizer": "features", "TemperatureScaler": "calibration",
    "read_annotations": "annotations", "annotation_input": "annotations",
    "train_model": "train", "build_default": "train", "static_model_dir": "static_model",
    "evaluate_annotations": "evaluate", "evaluate_predictions": "validation",
    "agreement_table": "agreement", "annotation_sheet": "sampling",
    "load_model": "modelio", "save_model": "modelio",
}

__all__ = sorted([
    "DEFAULT_TARGETS", "KNOWN_TARGETS", "STANCE_INPUT", "Mention", "TargetMatcher",
    "aggregate_stance", "available_scorers", "build_stance_input", "get_scorer", "mask_targets",
    "register", "select_evidence", *_LAZY,
])


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"analysis.stance.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'analysis.stance' has no attribute {name!r}")
