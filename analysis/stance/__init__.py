"""Target detection and stance scoring toward targets such as Russia and the West.

Data flow (tables from :mod:`analysis.schema`)::

    SENTENCES --TargetMatcher--> MENTIONS --build_stance_input--> scorer input
        --get_scorer("stance.lexicon.v1").fit().predict_frame--> STANCE
        --aggregate_stance--> STANCE_AGGREGATE,  --select_evidence--> EVIDENCE

Importing this package loads no lexicon or data; that happens in ``fit``.
"""
from analysis.stance.aggregate import aggregate_stance, select_evidence
from analysis.stance.default_targets import DEFAULT_TARGETS
from analysis.stance.registry import available_scorers, get_scorer, register
from analysis.stance.targets import (
    STANCE_INPUT, Mention, TargetMatcher, build_stance_input, mask_targets,
)

__all__ = [
    "DEFAULT_TARGETS", "STANCE_INPUT", "Mention", "TargetMatcher", "aggregate_stance",
    "available_scorers", "build_stance_input", "get_scorer", "mask_targets", "register",
    "select_evidence",
]
