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
"""
from analysis.default_targets import DEFAULT_TARGETS, KNOWN_TARGETS
from analysis.stance.aggregate import aggregate_stance, select_evidence
from analysis.stance.annotations import DEFAULT_ANNOTATIONS, annotation_input, read_annotations
from analysis.stance.calibration import TemperatureScaler
from analysis.stance.crossencoder import (
    CrossEncoderScorer, build_crossencoder_default, train_crossencoder,
)
from analysis.stance.features import StanceFeaturizer
from analysis.stance.learner import LearnedStanceScorer, StanceLearner, load_model
from analysis.stance.modelio import save_model
from analysis.stance.registry import available_scorers, get_scorer, register
from analysis.stance.sampling import annotation_sheet, write_annotation_sheet
from analysis.stance.scoring import score_stance
from analysis.stance.static_model import static_stance_model_dir
from analysis.stance.targets import (
    STANCE_INPUT, Mention, TargetMatcher, build_stance_input, mask_targets,
)
from analysis.stance.train import build_fast_default, build_static_stance_model, train_model
from analysis.stance.validation import evaluate_predictions, summary

__all__ = [
    "CrossEncoderScorer", "DEFAULT_ANNOTATIONS", "DEFAULT_TARGETS", "KNOWN_TARGETS", "LearnedStanceScorer", "Mention", "STANCE_INPUT",
    "StanceFeaturizer", "StanceLearner", "TargetMatcher", "TemperatureScaler", "aggregate_stance",
    "annotation_input", "annotation_sheet", "available_scorers", "build_crossencoder_default", "build_fast_default",
    "build_stance_input", "build_static_stance_model", "evaluate_predictions", "get_scorer",
    "load_model", "mask_targets", "read_annotations", "register", "save_model", "score_stance",
    "select_evidence", "static_stance_model_dir", "summary", "train_crossencoder", "train_model", "write_annotation_sheet",
]
