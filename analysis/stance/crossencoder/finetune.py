"""Fine-tune the cross-encoder on labelled (sentence, mention) rows; deterministic on one machine.

:func:`finetune` seeds torch, fixes the thread count and turns on
deterministic algorithms for the duration of the training (restoring the
previous settings afterwards), builds a fresh network, runs the frozen lower
layers once per row (cached in bfloat16), then trains the top layers and the
head with AdamW, linear warm-up and decay, in length-bucketed batches whose
order comes from a seeded generator. Same rows + same :class:`Config` + same
base model + same machine = same weights, bit for bit.
"""
from __future__ import annotations

import math
import time
from contextlib import contextmanager

import numpy as np
import torch
from torch import nn

from analysis.stance.crossencoder.inputs import encode_rows
from analysis.stance.crossencoder.network import build_network, collate
from analysis.stance.crossencoder.recipe import Config


@contextmanager
def torch_settings(threads: int, deterministic: bool, seed: int):
    """Seeded, fixed-thread, deterministic torch inside the block; previous settings after it."""
    old_threads, old_det = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(deterministic)
    torch.manual_seed(seed)
    try:
        yield
    finally:
        torch.set_num_threads(old_threads)
        torch.use_deterministic_algorithms(old_det)


def bucket_batches(lengths: list[int], batch_size: int, gen: torch.Generator) -> list[list[int]]:
    """Shuffle, sort by length inside chunks of 50 batches, then shuffle the batches."""
    order = torch.randperm(len(lengths), generator=gen).tolist()
    chunk = batch_size * 50
    batches = []
    for i in range(0, len(order), chunk):
        part = sorted(order[i:i + chunk], key=lambda j: lengths[j])
        batches += [part[k:k + batch_size] for k in range(0, len(part), batch_size)]
    perm = torch.randperm(len(batches), generator=gen).tolist()
    return [batches[p] for p in perm]


@torch.inference_mode()
def cache_prefix(network, data: list[dict], pad_id: int, bf16: bool, batch_size: int = 64):
    """Run the frozen layers once per row; unpadded hidden states (bfloat16)."""
    order = sorted(range(len(data)), key=lambda i: (len(data[i]["ids"]), i))
    out = [None] * len(data)
    network.eval()
    for k in range(0, len(order), batch_size):
        idx = order[k:k + batch_size]
        batch = collate([data[i] for i in idx], pad_id)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            hid = network.prefix(**batch)
        for j, i in enumerate(idx):
            out[i] = hid[j, :len(data[i]["ids"])].to(torch.bfloat16).clone()
    return out


def _pad_hidden(items: list[torch.Tensor]) -> torch.Tensor:
    width = max(t.shape[0] for t in items)
    return torch.stack([nn.functional.pad(t, (0, 0, 0, width - t.shape[0])) for t in items]).float()


def _optimiser(network, cfg: Config, n_rows: int):
    head = list(network.head.parameters())
    enc = [p for p in network.bert.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": enc, "lr": cfg.lr}, {"params": head, "lr": cfg.head_lr}],
                            weight_decay=cfg.weight_decay)
    steps = cfg.epochs * math.ceil(n_rows / cfg.batch_size)
    warm = max(1, int(cfg.warmup * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    return opt, sched, steps


def _loss_fn(labels: np.ndarray, weighted: bool) -> nn.Module:
    if not weighted:
        return nn.CrossEntropyLoss()
    counts = np.maximum(np.bincount(labels, minlength=3).astype(float), 1.0)
    return nn.CrossEntropyLoss(weight=torch.tensor(counts.sum() / (3 * counts), dtype=torch.float32))


def start_from(network, model: str) -> None:
    """Load a trained cross-encoder's stored weights (top layers and head) into ``network``."""
    from analysis.stance.crossencoder.companion import COMPANION_PREFIX
    from analysis.stance.crossencoder.io import read_crossencoder
    from analysis.stance.crossencoder.network import load_trainable_state

    path, info, tensors = read_crossencoder(model)
    stored = Config.from_dict(info.get("recipe"))
    keys = ("mode", "trainable_layers", "pooling") + (("rank", "alpha") if stored.mode == "lora" else ())
    for key in keys:
        if getattr(stored, key) != getattr(network.cfg, key):
            raise ValueError(f"init model {path} has {key}={getattr(stored, key)!r}, the recipe "
                             f"{getattr(network.cfg, key)!r}: they must match to start from it")
    load_trainable_state(network, {k: v for k, v in tensors.items()
                                   if not k.startswith(COMPANION_PREFIX)})  # a companion is refitted


def _progress(total: int, show: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not show, unit="step", desc="fine-tuning", leave=False,
                dynamic_ncols=True)


def finetune(sentences, starts, ends, labels, cfg: Config | None = None, log=None,
             progress: bool = False, targets=None):
    """Train on rows (``labels``: indices in ``NET_LABELS``); return ``(tokenizer, network, seconds)``.

    ``targets`` (target name per row) are needed for rows without a mention (``start == end``).
    """
    cfg = cfg or Config()
    labels = np.asarray(labels, dtype=np.int64)
    started = time.perf_counter()
    with torch_settings(cfg.threads, cfg.deterministic, cfg.seed):
        tokenizer, network = build_network(cfg)
        if cfg.init:
            start_from(network, cfg.init)
        data = encode_rows(tokenizer, sentences, starts, ends, cfg.max_length, cfg.fmt,
                           targets, cfg.pair_pooling)
        for item, label in zip(data, labels):
            item["label"] = int(label)
        gen = torch.Generator().manual_seed(cfg.seed)
        opt, sched, steps = _optimiser(network, cfg, len(data))
        loss_fn = _loss_fn(labels, cfg.class_weights)
        cached = cache_prefix(network, data, tokenizer.pad_token_id, cfg.bf16)
        if log:
            log(f"lower layers cached for {len(data)} rows ({time.perf_counter() - started:.0f} s)")
        lengths = [len(d["ids"]) for d in data]
        network.train()
        with _progress(steps, progress) as bar:
            for epoch in range(cfg.epochs):
                total = _epoch(network, data, cached, lengths, (opt, sched, loss_fn), gen, cfg,
                               tokenizer.pad_token_id, bar)
                if log:
                    log(f"epoch {epoch + 1}/{cfg.epochs}: loss {total:.4f} "
                        f"({time.perf_counter() - started:.0f} s)")
        network.eval()
    return tokenizer, network, time.perf_counter() - started


def _epoch(network, data, cached, lengths, tools, gen, cfg: Config, pad_id: int, bar) -> float:
    """One pass over the rows; the mean training loss."""
    opt, sched, loss_fn = tools
    total, n = 0.0, 0
    for idx in bucket_batches(lengths, cfg.batch_size, gen):
        batch = collate([data[i] for i in idx], pad_id)
        hid = _pad_hidden([cached[i] for i in idx])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            logits = network.top(hid, **batch)
        loss = loss_fn(logits.float(), torch.tensor([data[i]["label"] for i in idx]))
        loss.backward()
        nn.utils.clip_grad_norm_(network.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        total, n = total + loss.item(), n + 1
        bar.update(1)
    return total / max(n, 1)
