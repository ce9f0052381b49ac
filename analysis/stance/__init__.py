"""Target detection and stance scoring toward targets such as Russia and the West.

Data flow (tables from :mod:`analysis.schema`)::

    SENTENCES --TargetMatcher--> MENTIONS --build_stance_input--> scorer input
        --get_scorer("stance.crossencoder.v1").fit().predict_frame--> STANCE
        --aggregate_stance--> STANCE_AGGREGATE,  --select_evidence--> EVIDENCE

Training and validation: ``read_annotations`` -> ``train_model`` (a data-only
model directory, written by ``save_model``) -> ``evaluate_predictions``;
``annotation_sheet`` draws new sentences to label. ``load_model`` only reads a
model directory; the ``"static"`` model is built first, explicitly, by
``build_static_stance_model``. Importing this package loads no lexicon, model
or data.
Names are resolved on first use (``lazy_loader``).
"""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "aggregate": ["aggregate_stance", "select_evidence"],
    "annotations": ["DEFAULT_ANNOTATIONS", "annotation_input", "read_annotations"],
    "calibration": ["TemperatureScaler"],
    "coverage": ["coverage_lines", "target_coverage"],
    "crossencoder": ["CrossEncoderScorer", "build_crossencoder_default", "train_crossencoder"],
    "features": ["StanceFeaturizer"],
    "learner": ["LearnedStanceScorer", "StanceLearner", "load_model"],
    "modelio": ["save_model"],
    "registry": ["available_scorers", "get_scorer", "register"],
    "sampling": ["annotation_sheet", "write_annotation_sheet"],
    "scoring": ["score_stance"],
    "static_model": ["static_stance_model_dir"],
    "targets": ["STANCE_INPUT", "Mention", "TargetMatcher", "build_stance_input", "mask_targets"],
    "train": ["build_fast_default", "build_static_stance_model", "train_model"],
    "validation": ["evaluate_predictions", "summary"],
})

from analysis.default_targets import DEFAULT_TARGETS, KNOWN_TARGETS  # noqa: E402  (plain data)

__all__ = sorted([*__all__, "DEFAULT_TARGETS", "KNOWN_TARGETS"])


def __dir__() -> list[str]:
    return list(__all__)
