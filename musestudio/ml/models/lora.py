"""Low-rank adaptation (LoRA, Hu et al. 2021) for the relative-attention transformer family.

A learned style must be small (the issue's bound is 4 MB) and leave the base model untouched, so it learns
only a change ``dW = (alpha / r) * B @ A`` (A: r x in, B: out x r, B starting at zero so training starts
from the base model exactly) beside each chosen linear layer: the attention's ``qkv`` and ``proj`` and the
feed-forward's two layers in every block of ``transformer.MusicTransformer`` (and so of ``parts``, which is
the same network). Norms and relative-position tables stay as trained: with a few thousand tokens of the
user's music, changing them over-fits fast and buys little. Of the embeddings one row may be learnt (since
session 9): the STYLE token's, as the model reads it (``StyleEmbedding``). A new style is a new condition,
and one vector the size of a token, read at the head of every window, carries what all the user's pieces
share (and it starts from the built-in style the base model finds closest, which need not be the one the
prompt names: the vector goes into that token's row of the merged copy).

At inference the changes are merged into a copy of the base weights (``merged``), so a styled model runs
exactly as fast as the base one and shares its sampling code and KV cache.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable

import torch
import torch.nn as nn

#: the linear layers of each Block a style adapts (names inside ``blocks.<i>.``)
TARGETS = ("attn.qkv", "attn.proj", "mlp.0", "mlp.2")
RANK = 8
ALPHA = 16.0
#: the tensors that carry a learnt style vector: the vector (n_embd) and the token id whose input row it
#: replaces (a one-element int64 tensor, so the weights file alone says where it goes)
STYLE_VECTOR, STYLE_TOKEN = "style_vector", "style_token"


class LoRALinear(nn.Module):
    """``base(x) + scale * (x A^T) B^T``, with ``base`` frozen."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        for p in base.parameters():
            p.requires_grad_(False)
        self.rank, self.scale = rank, alpha / rank
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.lora_a.t() @ self.lora_b.t()) * self.scale

    def delta(self) -> torch.Tensor:
        return (self.lora_b @ self.lora_a) * self.scale


class StyleEmbedding(nn.Module):
    """The frozen token embedding, except that ``token`` reads the trainable ``vector`` (started from the
    row of ``init``). Input side only: the tied output layer keeps the base's row, so the STYLE token, never
    predicted, is not pushed down as a target by the loss."""

    def __init__(self, base: nn.Embedding, token: int, init: int) -> None:
        super().__init__()
        self.base, self.token = base, int(token)
        self.vector = nn.Parameter(base.weight[int(init)].detach().clone())

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        out = self.base(idx)
        return torch.where((idx == self.token).unsqueeze(-1), self.vector.to(out.dtype), out)


def _parent(model: nn.Module, dotted: str) -> tuple[nn.Module, str]:
    *path, last = dotted.split(".")
    node = model
    for part in path:
        node = getattr(node, part) if not part.isdigit() else node[int(part)]
    return node, last


def _set(parent: nn.Module, name: str, module: nn.Module) -> None:
    if name.isdigit():
        parent[int(name)] = module
    else:
        setattr(parent, name, module)


def target_names(
    model: nn.Module, targets: Iterable[str] = TARGETS, blocks: Iterable[int] | None = None
) -> list[str]:
    """The dotted names of the linear layers a style adapts in ``model`` (in ``blocks``, default all)."""
    out = []
    for i in range(len(model.blocks)) if blocks is None else blocks:
        for t in targets:
            name = f"blocks.{i}.{t}"
            parent, last = _parent(model, name)
            layer = parent[int(last)] if last.isdigit() else getattr(parent, last)
            if not isinstance(layer, nn.Linear | LoRALinear):
                raise TypeError(f"{name} is a {type(layer).__name__}, not a linear layer")
            out.append(name)
    return out


def wrap(
    model: nn.Module,
    rank: int = RANK,
    alpha: float = ALPHA,
    style_token: int | None = None,
    style_init: int | None = None,
    blocks: Iterable[int] | None = None,
) -> nn.Module:
    """A copy of ``model`` with every parameter frozen and a trainable LoRA beside each target layer; with
    ``style_token``, that token's input embedding is learnt too, from the row of ``style_init`` (default:
    its own)."""
    tuned = copy.deepcopy(model)
    for p in tuned.parameters():
        p.requires_grad_(False)
    for name in target_names(tuned, blocks=blocks):
        parent, last = _parent(tuned, name)
        base = parent[int(last)] if last.isdigit() else getattr(parent, last)
        _set(parent, last, LoRALinear(base, rank, alpha))
    if style_token is not None:
        init = style_token if style_init is None else style_init
        tuned.tok_emb = StyleEmbedding(tuned.tok_emb, style_token, init)
    return tuned


def adapters(model: nn.Module) -> dict[str, LoRALinear]:
    return {n: m for n, m in model.named_modules() if isinstance(m, LoRALinear)}


def _style(model: nn.Module) -> StyleEmbedding | None:
    emb = getattr(model, "tok_emb", None)
    return emb if isinstance(emb, StyleEmbedding) else None


def trainable(model: nn.Module) -> list[nn.Parameter]:
    out = [p for m in adapters(model).values() for p in (m.lora_a, m.lora_b)]
    style = _style(model)
    return [*out, style.vector] if style is not None else out


def state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The learned tensors only (``<layer>.lora_a`` / ``.lora_b``, and the style vector with its token when
    learnt), fp32 on the CPU."""
    out = {}
    for name, m in adapters(model).items():
        out[f"{name}.lora_a"] = m.lora_a.detach().float().cpu().clone().contiguous()
        out[f"{name}.lora_b"] = m.lora_b.detach().float().cpu().clone().contiguous()
    style = _style(model)
    if style is not None:
        out[STYLE_VECTOR] = style.vector.detach().float().cpu().clone().contiguous()
        out[STYLE_TOKEN] = torch.tensor([style.token], dtype=torch.int64)
    return out


def load_state(model: nn.Module, tensors: dict[str, torch.Tensor]) -> None:
    """Put saved tensors back into a wrapped model (shapes checked)."""
    for name, m in adapters(model).items():
        for part in ("lora_a", "lora_b"):
            t = tensors[f"{name}.{part}"]
            p = getattr(m, part)
            if t.shape != p.shape:
                raise ValueError(f"{name}.{part} has shape {tuple(t.shape)}, expected {tuple(p.shape)}")
            with torch.no_grad():
                p.copy_(t)
    style = _style(model)
    if style is not None and STYLE_VECTOR in tensors:
        with torch.no_grad():
            style.vector.copy_(tensors[STYLE_VECTOR])


def check_tensors(model: nn.Module, tensors: dict[str, torch.Tensor], rank: int) -> None:
    """Every target layer of ``model`` has a finite A (rank x in) and B (out x rank), and nothing else but,
    optionally, a finite style vector (n_embd) for a token of the model's vocabulary."""
    style = {STYLE_VECTOR, STYLE_TOKEN} & set(tensors)
    # the layers of whole blocks (a style may adapt some blocks only), and something at all
    names = [n for n in target_names(model) if f"{n}.lora_a" in tensors or f"{n}.lora_b" in tensors]
    expected = {f"{n}.{p}" for n in names for p in ("lora_a", "lora_b")}
    blocks = {n.split(".")[1] for n in names}
    whole = all(f"blocks.{b}.{t}.lora_a" in tensors for b in blocks for t in TARGETS)
    if (
        set(tensors) - style != expected
        or not whole
        or style not in (set(), {STYLE_VECTOR, STYLE_TOKEN})
        or not (expected or style)
    ):
        raise ValueError("the layers do not match this model's (another size of model)")
    if style:
        emb = model.tok_emb
        vec, tok = tensors[STYLE_VECTOR], tensors[STYLE_TOKEN]
        if tuple(vec.shape) != (emb.embedding_dim,) or tok.numel() != 1 or tok.dtype.is_floating_point:
            raise ValueError("the style vector does not match this model's size")
        if not 0 <= int(tok.reshape(-1)[0]) < emb.num_embeddings:
            raise ValueError("the style vector names a token this model does not have")
        if not torch.isfinite(vec).all():
            raise ValueError("the style vector holds values that are not finite")
    for name in names:
        parent, last = _parent(model, name)
        layer = parent[int(last)] if last.isdigit() else getattr(parent, last)
        a, b = tensors[f"{name}.lora_a"], tensors[f"{name}.lora_b"]
        if tuple(a.shape) != (rank, layer.in_features) or tuple(b.shape) != (layer.out_features, rank):
            raise ValueError(f"{name}: the layer sizes do not match this model's")
        if not (torch.isfinite(a).all() and torch.isfinite(b).all()):
            raise ValueError(f"{name}: the weights hold values that are not finite")


def merged(model: nn.Module, tensors: dict[str, torch.Tensor], rank: int, alpha: float) -> nn.Module:
    """A copy of ``model`` (unwrapped) with ``W + scale * B @ A`` in each target layer; ``model`` is untouched."""
    check_tensors(model, tensors, rank)
    out = copy.deepcopy(model)
    scale = alpha / rank
    with torch.no_grad():
        for name in (n for n in target_names(out) if f"{n}.lora_a" in tensors):
            parent, last = _parent(out, name)
            layer = parent[int(last)] if last.isdigit() else getattr(parent, last)
            a = tensors[f"{name}.lora_a"].to(layer.weight)
            b = tensors[f"{name}.lora_b"].to(layer.weight)
            layer.weight += (b @ a) * scale
        if STYLE_VECTOR in tensors:  # the STYLE token's input row; the tied output layer keeps the base's
            out.head.weight = nn.Parameter(out.head.weight.detach().clone(), out.head.weight.requires_grad)
            token = int(tensors[STYLE_TOKEN].reshape(-1)[0])
            out.tok_emb.weight[token] = tensors[STYLE_VECTOR].to(out.tok_emb.weight)
    return out.eval()
