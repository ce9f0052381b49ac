"""The fine-tuned cross-encoder stance scorer (``stance.crossencoder.v1``).

Data flow: annotations -> :func:`train_crossencoder` (fine-tuning the top
layers of MiniLM on marked mentions, or LoRA with ``mode="lora"``;
temperature on a held-out training slice,
validation) -> a data-only folder (``adapter.safetensors`` + ``model.json``)
-> :class:`CrossEncoderScorer` ``.fit()`` (checked load) ``.predict_frame``.
The recipe's defaults live in :class:`Config`. Importing this package loads
no torch and no model.
"""
from analysis.stance.crossencoder.build import (
    CrossEncoderResult, ValidationSet, build_crossencoder_default, default_validation_sets,
    fit_rows, train_crossencoder,
)
from analysis.stance.crossencoder.inputs import NET_LABELS, mark_mention
from analysis.stance.crossencoder.io import (
    CROSSENCODER_MODEL_DIR, read_crossencoder, read_crossencoder_info, save_crossencoder,
)
from analysis.stance.crossencoder.recipe import Config, base_fingerprint, base_model_path
from analysis.stance.crossencoder.scorer import CrossEncoderScorer

__all__ = [
    "CROSSENCODER_MODEL_DIR", "Config", "CrossEncoderResult", "CrossEncoderScorer", "NET_LABELS",
    "ValidationSet", "base_fingerprint", "base_model_path", "build_crossencoder_default",
    "default_validation_sets", "fit_rows", "mark_mention", "read_crossencoder", "read_crossencoder_info",
    "save_crossencoder", "train_crossencoder",
]
