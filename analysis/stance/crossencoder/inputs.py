"""Marked cross-encoder input: the sentence with its target mention wrapped in markers.

The model reads one sentence per (sentence, target mention) pair, with the
mention ``sentence[start:end]`` (character offsets, end exclusive) wrapped as
``[TGT] mention [/TGT]``. :func:`mark_mention` returns that text and the
mention's character span inside it; :func:`encode_rows` tokenizes a batch of
rows once and keeps, per token, whether it belongs to the mention (the span
the head pools over).

Output order of the network is :data:`NET_LABELS` (against, neutral, favor);
:func:`to_schema_order` reorders probabilities to ``schema.LABELS``
(favor, against, neutral).
"""
from __future__ import annotations

import numpy as np

from analysis import schema

#: Class order of the network's logits (stored in ``model.json``).
NET_LABELS = ("against", "neutral", "favor")
OPEN, CLOSE = "[TGT]", "[/TGT]"
#: Input formats of the recipe (``Config.fmt``).
FORMATS = ("mark", "nomark", "pair", "pair_nomark")
#: Longer sentences are cut to a window of this many characters around the mention.
MAX_CHARS = 600


def mark_mention(sentence: str, start: int, end: int,
                 marked: bool = True) -> tuple[str, tuple[int, int]]:
    """``(marked text, (start, end) of the mention in it)`` for ``sentence[start:end]``.

    Offsets outside the sentence, or ``end < start``, raise ``ValueError``.
    Sentences over :data:`MAX_CHARS` characters keep a window around the mention.
    ``marked=False`` leaves the sentence as it is (the span is still returned).
    """
    start, end = int(start), int(end)
    if not 0 <= start <= end <= len(sentence):
        raise ValueError(f"mention offsets ({start}, {end}) do not fit a sentence of "
                         f"{len(sentence)} characters")
    if len(sentence) > MAX_CHARS:
        lo = max(0, min(start - MAX_CHARS // 2, len(sentence) - MAX_CHARS))
        sentence, start, end = sentence[lo:lo + MAX_CHARS], start - lo, end - lo
    mention = sentence[start:end]
    if not marked:
        return sentence, (start, end)
    before = sentence[:start] + OPEN + " "
    text = before + mention + " " + CLOSE + sentence[end:]
    return text, (len(before), len(before) + len(mention))


def encode_rows(tokenizer, sentences, starts, ends, max_length: int,
                fmt: str = "mark") -> list[dict]:
    """Token ids and mention-token mask per row (the mask falls back to CLS if truncated away).

    ``fmt``: ``mark`` (marked sentence), ``nomark`` (plain sentence), ``pair``
    / ``pair_nomark`` (the mention as a first segment, then the sentence).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown input format {fmt!r}; choose one of {FORMATS}")
    pair = fmt.startswith("pair")
    out = []
    for sentence, start, end in zip(sentences, starts, ends):
        sentence = str(sentence)
        text, (s, e) = mark_mention(sentence, start, end, marked=fmt in ("mark", "pair"))
        first, second = (sentence[int(start):int(end)], text) if pair else (text, None)
        enc = tokenizer(first, second, truncation="longest_first", max_length=max_length,
                        return_offsets_mapping=True)
        seg = 1 if pair else 0
        mask = [int(sid == seg and a < e and b > s and b > a)
                for sid, (a, b) in zip(enc.sequence_ids(), enc["offset_mapping"])]
        if not any(mask):
            mask[0] = 1
        types = enc.get("token_type_ids")
        out.append({"ids": list(enc["input_ids"]), "span": mask,
                    "types": list(types) if types is not None else [0] * len(mask)})
    return out


def label_ids(labels) -> np.ndarray:
    """Indices in :data:`NET_LABELS` of project labels (favor / against / neutral)."""
    index = {lab: i for i, lab in enumerate(NET_LABELS)}
    bad = sorted({str(v) for v in labels if str(v) not in index})
    if bad:
        raise ValueError(f"labels must be one of {list(NET_LABELS)}; got {bad}")
    return np.array([index[str(v)] for v in labels], dtype=np.int64)


def to_schema_order(probs: np.ndarray) -> np.ndarray:
    """Columns reordered from :data:`NET_LABELS` to ``schema.LABELS`` (favor, against, neutral)."""
    order = [NET_LABELS.index(lab) for lab in schema.LABELS]
    return np.asarray(probs)[:, order]
