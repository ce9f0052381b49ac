"""The cross-encoder network: MiniLM, LoRA on its top layers, a linear head over pooled tokens.

:func:`build_network` loads the local base model, injects LoRA adapters into
the top ``trainable_layers`` layers with ``peft`` (or unfreezes them, for
``mode = "full"``) and adds the head. The lower layers stay frozen, so their
outputs can be computed once per training row (:meth:`StanceNetwork.prefix`)
and only the top layers run per step (:meth:`StanceNetwork.top`).
:func:`trainable_state` is exactly what a model folder stores. This module
imports torch; the scorer and the trainer import it only when they run.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from analysis.embed import set_offline
from analysis.embed.model import check_sentence_transformer_dir
from analysis.stance.crossencoder.recipe import Config, base_model_path


class StanceNetwork(nn.Module):
    """BERT split into a frozen prefix (cacheable) and trainable top layers + head."""

    def __init__(self, bert, cfg: Config, n_labels: int = 3):
        super().__init__()
        self.bert, self.cfg, self.pooling = bert, cfg, cfg.pooling
        self.split = bert.config.num_hidden_layers - cfg.trainable_layers
        hidden = bert.config.hidden_size * (2 if cfg.pooling == "span" else 1)
        self.dropout = nn.Dropout(cfg.dropout)
        self.head = nn.Linear(hidden, n_labels)

    def _run(self, hid, attention_mask, layers):
        mask = self.bert._create_attention_masks(
            attention_mask=attention_mask, encoder_attention_mask=None, embedding_output=hid,
            encoder_hidden_states=None, cache_position=None, past_key_values=None)[0]
        for layer in layers:
            hid = layer(hid, mask)
        return hid

    def prefix(self, input_ids, attention_mask, token_type_ids=None, **_):
        """Hidden states after the frozen layers."""
        hid = self.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
        return self._run(hid, attention_mask, self.bert.encoder.layer[:self.split])

    def top(self, hid, attention_mask, span, **_):
        """Logits from the prefix's hidden states."""
        hid = self._run(hid, attention_mask, self.bert.encoder.layer[self.split:])
        mask = attention_mask.unsqueeze(-1).to(hid.dtype)
        mean = (hid * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        if self.pooling == "cls":
            pooled = hid[:, 0]
        elif self.pooling == "span":
            smask = span.unsqueeze(-1).to(hid.dtype)
            pooled = torch.cat([mean, (hid * smask).sum(1) / smask.sum(1).clamp(min=1.0)], -1)
        else:
            pooled = mean
        return self.head(self.dropout(pooled.float()))

    def forward(self, **batch):
        return self.top(self.prefix(**batch), **batch)


def build_network(cfg: Config, path: str | Path | None = None):
    """``(tokenizer, network)`` on the local base model, adapters injected and freshly initialised.

    Seed torch before calling: the head and the adapters are initialised here.
    """
    set_offline()
    import transformers
    from transformers import AutoModel, AutoTokenizer

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    path = check_sentence_transformer_dir(path or base_model_path())
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    bert = AutoModel.from_pretrained(str(path), add_pooling_layer=False, local_files_only=True,
                                     use_safetensors=True)
    bert.requires_grad_(False)
    n = bert.config.num_hidden_layers
    top = list(range(n - cfg.trainable_layers, n))
    if cfg.mode == "lora":
        from peft import LoraConfig, inject_adapter_in_model

        lcfg = LoraConfig(r=cfg.rank, lora_alpha=cfg.alpha, lora_dropout=cfg.lora_dropout,
                          target_modules=["query", "key", "value", "dense"], bias="none",
                          layers_to_transform=top)
        bert = inject_adapter_in_model(lcfg, bert)
    elif cfg.mode == "full":
        for i in top:
            bert.encoder.layer[i].requires_grad_(True)
    else:
        raise ValueError(f"unknown mode {cfg.mode!r}; choose lora or full")
    return tokenizer, StanceNetwork(bert, cfg).eval()


def trainable_state(network: StanceNetwork) -> dict[str, torch.Tensor]:
    """The tensors a model folder stores (float32, sorted): LoRA matrices or top layers, and the head."""
    bert = network.bert
    if network.cfg.mode == "lora":
        state = {k: v for k, v in bert.state_dict().items() if "lora_" in k}
    else:
        layers = range(network.split, bert.config.num_hidden_layers)
        prefix = tuple(f"encoder.layer.{i}." for i in layers)
        state = {k: v for k, v in bert.state_dict().items() if k.startswith(prefix)}
    state = {f"bert.{k}": v for k, v in state.items()}
    state.update({f"head.{k}": v for k, v in network.head.state_dict().items()})
    return {k: state[k].detach().float().contiguous().clone() for k in sorted(state)}


def load_trainable_state(network: StanceNetwork, state: dict[str, torch.Tensor]) -> StanceNetwork:
    """Put stored tensors into a freshly built network; missing or extra names are an error."""
    expected, got = set(trainable_state(network)), set(state)
    if expected != got:
        raise ValueError(f"stored weights do not fit the network: missing "
                         f"{sorted(expected - got)[:3]}, unexpected {sorted(got - expected)[:3]}")
    network.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
    return network.eval()


def collate(items: list[dict], pad_id: int) -> dict[str, torch.Tensor]:
    """Pad encoded rows (:func:`analysis.stance.crossencoder.inputs.encode_rows`) into a batch."""
    width = max(len(it["ids"]) for it in items)

    def pad(key, value):
        return torch.tensor([it[key] + [value] * (width - len(it[key])) for it in items])

    return {"input_ids": pad("ids", pad_id),
            "attention_mask": torch.tensor([[1] * len(it["ids"]) + [0] * (width - len(it["ids"]))
                                            for it in items]),
            "token_type_ids": pad("types", 0), "span": pad("span", 0)}


@torch.inference_mode()
def predict_logits(network: StanceNetwork, tokenizer, encoded: list[dict],
                   batch_size: int = 64) -> "np.ndarray":
    """Logits (n, 3) in ``NET_LABELS`` order; rows are batched by length (fixed order)."""

    network.eval()
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i]["ids"]), i))
    out = np.zeros((len(encoded), 3), dtype=np.float32)
    for k in range(0, len(order), batch_size):
        idx = order[k:k + batch_size]
        batch = collate([encoded[i] for i in idx], tokenizer.pad_token_id)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=network.cfg.bf16):
            out[idx] = network(**batch).float().numpy()
    return out
