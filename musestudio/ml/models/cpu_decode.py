"""The one-token decode step of ``transformer.MusicTransformer`` on the CPU, in numpy (issue 13, point 8).

Sampling spends almost all its time in this step: four layers for a handful of rows (the variations), each
reading up to 1,024 cached keys and values. Its matrices are tiny, and torch's per-call cost for them is
large on this kind of CPU (an ``addmm`` of 4 x 192 by 192 x 576 measured 120 us in place, the same product
in numpy's OpenBLAS ~10 us). So the step is written here once more with every product a plain 2-D or
stacked 3-D matrix product on contiguous arrays, the shapes OpenBLAS runs fastest:

- weights are transposed once (``x @ W``, W contiguous) and each layer norm's scale and shift are folded
  into the linear that follows it (``ln(x) @ W = norm(x) @ (w * W) + b @ W``), so a norm is only centring
  and scaling; the attention scale 1/sqrt(d) is folded into the query weights;
- attention scores are computed laid out (head, position, row): the relative term is ``E_h @ Q_h``
  (positions x head size by head size x rows, E contiguous), and so is the shared prompt's ``K_h @ Q_h``
  (numpy's stacked product with a transposed view on the large operand was 4x slower), then turned to
  (head, row, position) once for the softmax (a reduction over a middle axis of 4-wide rows was slower
  still);
- each row's own keys and values (what it wrote itself) are one stacked matrix-vector product per row and
  head; the softmax's normalisation is applied to the (small) result, not to the scores.

The arithmetic is the model's own (same formulas, float32), so logits agree with ``forward`` up to float
rounding (tests compare them within 1e-4); what is sampled keeps the model's distribution. The torch path
(``MusicTransformer._decode_one``) stays for CUDA; training never comes here.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F


def weights_key(model: torch.nn.Module) -> tuple:
    """Changes whenever a parameter is replaced or modified in place (an optimizer step, a state dict).

    A model loaded inside ``torch.inference_mode`` (``evaluate parts`` loads under ``fast_stepwise``) has
    inference tensors, which keep no version counter: nothing trains them, so their storage names them."""
    return tuple((p.data_ptr(), -1 if p.is_inference() else p._version) for p in model.parameters())


def _np(t: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(t.detach().to("cpu", torch.float32).numpy())


class _Layer:
    __slots__ = ("qkv", "qkv_b", "proj", "rel", "fc1", "fc1_b", "fc2", "fc2_b", "eps1", "eps2", "approximate")

    def __init__(self, block, scale: float, c: int) -> None:
        attn = block.attn
        qkv = _np(attn.qkv.weight).T.copy()  # (C, 3C): x @ qkv
        qkv_b = _np(block.ln1.bias) @ qkv
        qkv = _np(block.ln1.weight)[:, None] * qkv
        qkv[:, :c] *= scale
        qkv_b[:c] *= scale
        self.qkv, self.qkv_b = np.ascontiguousarray(qkv, dtype=np.float32), qkv_b.astype(np.float32)
        self.proj = np.ascontiguousarray(_np(attn.proj.weight).T)
        self.rel = _np(attn.rel)  # (H, block, D)
        fc1 = _np(block.mlp[0].weight).T.copy()
        self.fc1_b = (_np(block.ln2.bias) @ fc1 + _np(block.mlp[0].bias)).astype(np.float32)
        self.fc1 = np.ascontiguousarray(_np(block.ln2.weight)[:, None] * fc1, dtype=np.float32)
        self.fc2 = np.ascontiguousarray(_np(block.mlp[2].weight).T)
        self.fc2_b = _np(block.mlp[2].bias)
        self.eps1, self.eps2 = block.ln1.eps, block.ln2.eps
        self.approximate = block.mlp[1].approximate


def _norm(x: np.ndarray, eps: float) -> np.ndarray:
    """A layer norm without its scale and shift (those are folded into the next linear). Reductions are
    called on the ufuncs directly: ``ndarray.mean`` goes through Python wrappers that cost more here."""
    inv_c = np.float32(1.0 / x.shape[-1])
    x = x - _add(x, axis=1, keepdims=True) * inv_c
    var = _add(x * x, axis=1, keepdims=True) * inv_c
    var += np.float32(eps)
    x *= 1.0 / np.sqrt(var)
    return x


_add, _max = np.add.reduce, np.maximum.reduce


def decoder_for(model) -> CpuDecoder:
    """``model``'s weights laid out for the numpy step: built once, again only after the weights changed
    (training, a loaded state dict). Kept as a plain attribute: not a submodule, not in the state dict."""
    decoder = model.__dict__.get("_cpu")
    if decoder is None or decoder.key != weights_key(model):
        decoder = CpuDecoder(model)
        model.__dict__["_cpu"] = decoder
    return decoder


class CpuDecoder:
    """A model's weights laid out for the numpy step; built once per set of weights (``weights_key``)."""

    def __init__(self, model) -> None:
        cfg = model.config
        self.key = weights_key(model)
        self.c, self.h = cfg.n_embd, cfg.n_head
        self.d = self.c // self.h
        self.block_size = cfg.block_size
        scale = 1.0 / math.sqrt(self.d)
        self.emb = _np(model.tok_emb.weight)
        head = _np(model.head.weight).T.copy()  # (C, V)
        self.head_b = (_np(model.ln_f.bias) @ head).astype(np.float32)
        self.head = np.ascontiguousarray(_np(model.ln_f.weight)[:, None] * head, dtype=np.float32)
        self.eps_f = model.ln_f.eps
        self.layers = [_Layer(b, scale, self.c) for b in model.blocks]

    def __call__(self, tokens: torch.Tensor, cache) -> torch.Tensor:
        """Logits (B, V) for one new token per row after ``cache`` (a CPU float32 ``KVCache``), which the
        step extends in place."""
        c, h, d = self.c, self.h, self.d
        b = tokens.size(0)
        n = cache.length
        t_k = n + 1
        if t_k > self.block_size:
            raise ValueError(f"context of {t_k} tokens is longer than block_size {self.block_size}")
        keys, values = cache.k.numpy(), cache.v.numpy()  # views: the cache is written in place
        p = cache.shared if b > 1 else 0  # leading positions every row holds alike: read once
        x = self.emb[tokens.numpy()]  # (B, C), a copy
        for i, w in enumerate(self.layers):
            qkv = _norm(x, w.eps1) @ w.qkv
            qkv += w.qkv_b
            keys[i, :b, :, n] = qkv[:, c : 2 * c].reshape(b, h, d)
            values[i, :b, :, n] = qkv[:, 2 * c :].reshape(b, h, d)
            q = qkv[:, :c].reshape(b, h, d)  # (B, H, D), already scaled
            q_cols = np.ascontiguousarray(q.transpose(1, 2, 0))  # (H, D, B)
            er = w.rel[:, self.block_size - t_k :, :]  # (H, T, D): distances -(T-1)..0
            s = np.matmul(er, q_cols)  # (H, T, B): the relative term
            if p:  # the shared prompt, read once for all rows
                s[:, :p] += np.matmul(keys[i, 0, :, :p], q_cols)
            weights = np.ascontiguousarray(s.transpose(0, 2, 1))  # (H, B, T): reductions along rows
            own = np.matmul(keys[i, :b, :, p:t_k], q[..., None])[..., 0]  # (B, H, T - p)
            weights[:, :, p:] += own.transpose(1, 0, 2)
            weights -= _max(weights, axis=2, keepdims=True)
            np.exp(weights, out=weights)
            total = _add(weights, axis=2)  # (H, B): the softmax's sums, applied to the result
            y = np.matmul(weights[:, :, None, p:].transpose(1, 0, 2, 3), values[i, :b, :, p:t_k])[:, :, 0]
            if p:
                y += np.matmul(weights[:, :, :p], values[i, 0, :, :p]).transpose(1, 0, 2)
            y /= total.T[:, :, None]
            x += y.reshape(b, c) @ w.proj
            z = _norm(x, w.eps2) @ w.fc1
            z += w.fc1_b
            z = F.gelu(torch.from_numpy(z), approximate=w.approximate).numpy()
            x += z @ w.fc2
            x += w.fc2_b
        cache.length = t_k
        logits = _norm(x, self.eps_f) @ self.head
        logits += self.head_b
        return torch.from_numpy(logits)
