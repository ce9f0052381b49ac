"""Marked cross-encoder input: the sentence with its target mention wrapped in markers.

The model reads one sentence per (sentence, target mention) pair, with the
mention ``sentence[start:end]`` (character offsets, end exclusive) wrapped as
``[TGT] mention [/TGT]``. :func:`mark_mention` returns that text and the
mention's character span inside it; :func:`encode_rows` tokenizes a batch of
rows once and keeps, per token, whether it belongs to the mention (the span
the head pools over).

A row without a mention span (``start == end``: the target is not named in
the text, e.g. a tweet about "Atheism" that never says the word) is encoded
as the sentence pair ``target [SEP] sentence`` (target first), and its span
is the target's tokens, the ``[CLS]`` token or every token
(:data:`PAIR_POOLING`, ``Config.pair_pooling``). Rows with a span keep their
format, so a model trained only on rows with spans reads them exactly as
before.

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
#: What the span of a row without a mention covers (``Config.pair_pooling``).
PAIR_POOLING = ("target", "cls", "mean")
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


def encode_rows(tokenizer, sentences, starts, ends, max_length: int, fmt: str = "mark",
                targets=None, pair_pooling: str = "cls") -> list[dict]:
    """Token ids and mention-token mask per row (the mask falls back to CLS if truncated away).

    ``fmt``: ``mark`` (marked sentence), ``nomark`` (plain sentence), ``pair``
    / ``pair_nomark`` (the mention as a first segment, then the sentence).
    Rows with ``start == end`` (no mention) are encoded by :func:`encode_pair`
    whatever ``fmt`` is; they need ``targets`` (one target name per row).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown input format {fmt!r}; choose one of {FORMATS}")
    if pair_pooling not in PAIR_POOLING:
        raise ValueError(f"unknown pair pooling {pair_pooling!r}; choose one of {PAIR_POOLING}")
    targets = [None] * len(starts) if targets is None else list(targets)
    out = []
    for sentence, start, end, target in zip(sentences, starts, ends, targets):
        sentence = str(sentence)
        if int(start) == int(end):
            if target is None:
                raise ValueError("a row without a mention span (start == end) needs its target name")
            out.append(encode_pair(tokenizer, str(target), sentence, max_length, pair_pooling))
        else:
            out.append(_encode_mention(tokenizer, sentence, int(start), int(end), max_length, fmt))
    return out


def _encode_mention(tokenizer, sentence: str, start: int, end: int, max_length: int,
                    fmt: str) -> dict:
    pair = fmt.startswith("pair")
    text, (s, e) = mark_mention(sentence, start, end, marked=fmt in ("mark", "pair"))
    first, second = (sentence[start:end], text) if pair else (text, None)
    enc = tokenizer(first, second, truncation="longest_first", max_length=max_length,
                    return_offsets_mapping=True)
    seg = 1 if pair else 0
    mask = [int(sid == seg and a < e and b > s and b > a)
            for sid, (a, b) in zip(enc.sequence_ids(), enc["offset_mapping"])]
    return _item(enc, mask)


def encode_pair(tokenizer, target: str, sentence: str, max_length: int,
                pair_pooling: str = "cls") -> dict:
    """``target [SEP] sentence`` (no markers); the span is the target's tokens, CLS, or all tokens."""
    enc = tokenizer(target, sentence[:MAX_CHARS], truncation="only_second",
                    max_length=max_length, return_offsets_mapping=True)
    ids = enc.sequence_ids()
    if pair_pooling == "target":
        mask = [int(sid == 0) for sid in ids]
    elif pair_pooling == "mean":
        mask = [1] * len(ids)
    else:
        mask = [0] * len(ids)
    return _item(enc, mask)


def _item(enc, mask: list[int]) -> dict:
    if not any(mask):
        mask[0] = 1
    types = enc.get("token_type_ids")
    return {"ids": list(enc["input_ids"]), "span": mask,
            "types": list(types) if types is not None else [0] * len(mask)}


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
