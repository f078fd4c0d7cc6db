"""Low-rank adaptation (LoRA, Hu et al. 2021) for the relative-attention transformer family.

A learned style must be small (the issue's bound is 4 MB) and leave the base model untouched, so it learns
only a change ``dW = (alpha / r) * B @ A`` (A: r x in, B: out x r, B starting at zero so training starts
from the base model exactly) beside each chosen linear layer: the attention's ``qkv`` and ``proj`` and the
feed-forward's two layers in every block of ``transformer.MusicTransformer`` (and so of ``parts``, which is
the same network). Embeddings, norms and relative-position tables stay as trained: with a few thousand
tokens of the user's music, changing them over-fits fast and buys little.

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


def target_names(model: nn.Module, targets: Iterable[str] = TARGETS) -> list[str]:
    """The dotted names of the linear layers a style adapts in ``model``."""
    out = []
    for i in range(len(model.blocks)):
        for t in targets:
            name = f"blocks.{i}.{t}"
            parent, last = _parent(model, name)
            layer = parent[int(last)] if last.isdigit() else getattr(parent, last)
            if not isinstance(layer, nn.Linear | LoRALinear):
                raise TypeError(f"{name} is a {type(layer).__name__}, not a linear layer")
            out.append(name)
    return out


def wrap(model: nn.Module, rank: int = RANK, alpha: float = ALPHA) -> nn.Module:
    """A copy of ``model`` with every parameter frozen and a trainable LoRA beside each target layer."""
    tuned = copy.deepcopy(model)
    for p in tuned.parameters():
        p.requires_grad_(False)
    for name in target_names(tuned):
        parent, last = _parent(tuned, name)
        base = parent[int(last)] if last.isdigit() else getattr(parent, last)
        _set(parent, last, LoRALinear(base, rank, alpha))
    return tuned


def adapters(model: nn.Module) -> dict[str, LoRALinear]:
    return {n: m for n, m in model.named_modules() if isinstance(m, LoRALinear)}


def trainable(model: nn.Module) -> list[nn.Parameter]:
    return [p for m in adapters(model).values() for p in (m.lora_a, m.lora_b)]


def state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The learned tensors only (``<layer>.lora_a`` / ``.lora_b``), fp32 on the CPU."""
    out = {}
    for name, m in adapters(model).items():
        out[f"{name}.lora_a"] = m.lora_a.detach().float().cpu().clone().contiguous()
        out[f"{name}.lora_b"] = m.lora_b.detach().float().cpu().clone().contiguous()
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


def check_tensors(model: nn.Module, tensors: dict[str, torch.Tensor], rank: int) -> None:
    """Every target layer of ``model`` has a finite A (rank x in) and B (out x rank), and nothing else."""
    names = target_names(model)
    expected = {f"{n}.{p}" for n in names for p in ("lora_a", "lora_b")}
    if set(tensors) != expected:
        raise ValueError("the layers do not match this model's (another size of model)")
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
        for name in target_names(out):
            parent, last = _parent(out, name)
            layer = parent[int(last)] if last.isdigit() else getattr(parent, last)
            a = tensors[f"{name}.lora_a"].to(layer.weight)
            b = tensors[f"{name}.lora_b"].to(layer.weight)
            layer.weight += (b @ a) * scale
    return out.eval()
