"""Decoder-only Transformer with Music Transformer relative attention (Huang et al. 2018).

Music repeats at fixed distances (a bar, a beat, a phrase) rather than at fixed absolute positions, so each
head learns one embedding per relative distance and adds ``q . E[j - i]`` to its attention logits. The
"skewing" trick computes those terms for all pairs from a single ``Q E^T`` product (T x T per head, not
T x T x D), which is what makes relative attention affordable. There is no absolute position embedding at
all: that keeps a KV cache valid when its oldest keys are dropped, so sampling can run past
the training length. The same model does continuation and fill-in-the-middle: FIM is only a token order
([FILL_PREFIX] prefix [FILL_SUFFIX] suffix [FILL_MIDDLE] middle), decided by the tokenizer and the trainer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F

from musestudio.ml import sampling
from musestudio.ml.models.cpu_decode import CpuDecoder, decoder_for
from musestudio.ml.tokenizer import IGNORE_INDEX

FAMILY = "transformer"


class KVCache:
    """Keys and values of every layer, preallocated (layer, B, H, capacity, D) and filled from the left.

    Appending a token writes in place: concatenating would copy the whole cache at every step, which
    measured as the largest cost of sampling. When it is full the oldest quarter is dropped (one copy per
    capacity/4 tokens); relative positions make the remaining keys valid as they are.
    """

    def __init__(self, cfg: Config, batch: int, device: torch.device, dtype: torch.dtype) -> None:
        shape = (cfg.n_layer, batch, cfg.n_head, cfg.block_size, cfg.n_embd // cfg.n_head)
        self.k = torch.empty(shape, device=device, dtype=dtype)
        self.v = torch.empty(shape, device=device, dtype=dtype)
        self.length = 0
        self.shared = 0  # the leading positions every row holds alike (a prompt read once for all rows)
        self.decoder = None  # cpu_decode.CpuDecoder for this pass, when the cache lives on the CPU in float32

    @property
    def capacity(self) -> int:
        return self.k.size(3)

    def extend(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Store ``k``, ``v`` (B or 1, H, T, D) after what is cached; all keys and values so far. A batch of
        one (a shared prompt) is written into every row but attended to once."""
        n, t = self.length, k.size(2)
        self.k[layer, :, :, n : n + t] = k
        self.v[layer, :, :, n : n + t] = v
        rows = slice(0, k.size(0))
        return self.k[layer, rows, :, : n + t], self.v[layer, rows, :, : n + t]

    def keep_rows(self, rows: list[int]) -> None:
        """Keep only these rows (increasing batch indices): finished variations stop costing reads. Kept
        rows move down in place, only the positions written so far (not the whole capacity)."""
        n = self.length
        for j, r in enumerate(rows):
            if r != j:
                self.k[:, j, :, :n] = self.k[:, r, :, :n]
                self.v[:, j, :, :n] = self.v[:, r, :, :n]
        self.k, self.v = self.k[:, : len(rows)], self.v[:, : len(rows)]

    def make_room(self, t: int) -> None:
        if self.length + t <= self.capacity:
            return
        keep = min(self.length, self.capacity * 3 // 4 - t)
        dropped = self.length - keep
        self.k[:, :, :, :keep] = self.k[:, :, :, dropped : self.length].clone()
        self.v[:, :, :, :keep] = self.v[:, :, :, dropped : self.length].clone()
        self.length = keep
        self.shared = max(0, self.shared - dropped)


@dataclass
class Config:
    vocab_size: int = 512
    block_size: int = 1024  # longest context in tokens; one relative embedding per distance 0..block_size-1
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 256
    dropout: float = 0.1


def skew(rel_logits: torch.Tensor) -> torch.Tensor:
    """Turn ``q_i . E_r`` (..., T, T), with r = 0 meaning distance -(T-1) and r = T-1 distance 0, into
    ``S[i, j] = q_i . E[j - i]``: pad one column on the left, view as (T+1, T), drop the first row.

    Only entries with j <= i are meaningful; the rest hold the neighbouring row's values and must be masked.
    """
    *lead, t, _ = rel_logits.shape
    padded = F.pad(rel_logits, (1, 0))
    return padded.reshape(*lead, t + 1, t)[..., 1:, :]


class RelativeSelfAttention(nn.Module):
    def __init__(self, cfg: Config) -> None:
        super().__init__()
        assert cfg.n_embd % cfg.n_head == 0
        self.n_head, self.head_dim, self.block_size = cfg.n_head, cfg.n_embd // cfg.n_head, cfg.block_size
        self.qkv = nn.Linear(cfg.n_embd, 3 * cfg.n_embd, bias=False)
        self.proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=False)
        # rel[h, r] embeds distance r - (block_size - 1): the last row is "the same position".
        self.rel = nn.Parameter(torch.randn(cfg.n_head, cfg.block_size, self.head_dim) * 0.02)
        # Dropout acts on the residual branches only, not on the attention weights: on the CPU, SDPA with
        # attention dropout measured 5x slower (forward + backward), for a regulariser the residual one covers.
        self.resid_drop = nn.Dropout(cfg.dropout)

    def _relative_logits(self, q: torch.Tensor, t_k: int) -> torch.Tensor:
        """S[b, h, i, j] = q_i . E[j - pos(i)] for queries at the last T_q of T_k positions."""
        t_q = q.size(2)
        er = self.rel[:, self.block_size - t_k :, :]  # distances -(T_k-1)..0
        rel = torch.einsum("bhqd,hkd->bhqk", q, er)
        if t_q == 1:
            return rel  # the one query sits at the last position: index j already is distance j - (T_k-1)
        if t_q < t_k:  # queries after a cache: give them the rows they would have in a full T_k x T_k square
            rel = F.pad(rel, (0, 0, t_k - t_q, 0))
        return skew(rel)[..., t_k - t_q :, :]

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0) -> torch.Tensor:
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.n_head, self.head_dim).transpose(1, 2) for z in (q, k, v))
        if cache is not None:
            k, v = cache.extend(layer, k, v)
        t_k = k.size(2)
        if t_k > self.block_size:
            raise ValueError(f"context of {t_k} tokens is longer than block_size {self.block_size}")
        scale = 1.0 / math.sqrt(self.head_dim)
        bias = self._relative_logits(q, t_k) * scale
        if t > 1:
            offset = t_k - t
            future = torch.ones(t, t_k, dtype=torch.bool, device=x.device).triu(1 + offset)
            bias = bias.masked_fill(future, float("-inf"))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias.to(q.dtype))
        y = y.transpose(1, 2).contiguous().view(b, t, c)
        return self.resid_drop(self.proj(y))


class Block(nn.Module):
    def __init__(self, cfg: Config) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.n_embd)
        self.attn = RelativeSelfAttention(cfg)
        self.ln2 = nn.LayerNorm(cfg.n_embd)
        self.mlp = nn.Sequential(
            nn.Linear(cfg.n_embd, 4 * cfg.n_embd),
            nn.GELU(),
            nn.Linear(4 * cfg.n_embd, cfg.n_embd),
            nn.Dropout(cfg.dropout),
        )

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0) -> torch.Tensor:
        x = x + self.attn(self.ln1(x), cache, layer)
        return x + self.mlp(self.ln2(x))


class MusicTransformer(nn.Module):
    family = FAMILY

    def __init__(self, cfg: Config) -> None:
        super().__init__()
        self.config = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd)
        self.head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        self.head.weight = self.tok_emb.weight  # weight tying, as in GPT-2
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=0.02)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def new_cache(self, batch: int) -> KVCache:
        p = self.tok_emb.weight
        return KVCache(self.config, batch, p.device, p.dtype)

    def forward(
        self, idx: torch.Tensor, targets: torch.Tensor | None = None, cache: KVCache | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None, KVCache | None]:
        """Logits (B, T, V); mean cross-entropy over targets != IGNORE_INDEX when given; ``cache`` (if
        any) holds what came before ``idx`` and is extended by it."""
        x = self.drop(self.tok_emb(idx))
        for i, block in enumerate(self.blocks):
            x = block(x, cache, i)
        if cache is not None:
            cache.length += idx.size(1)
        logits = self.head(self.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(
                logits.reshape(-1, logits.size(-1)).float(), targets.reshape(-1), ignore_index=IGNORE_INDEX
            )
        return logits, loss, cache

    # --- step-wise decoding (sampling.Stepper) ---------------------------------------------------------
    def start(self, prompt: torch.Tensor, batch: int) -> tuple[torch.Tensor, KVCache]:
        """Read the prompt once (B=1) into a cache shared by the ``batch`` variations."""
        prompt = prompt[:, -(self.config.block_size * 3 // 4) :]  # leave room to write before cropping
        cache = self.new_cache(batch)
        logits, _, _ = self(prompt, cache=cache)
        cache.shared = cache.length  # extend wrote the one prompt into every row
        return logits[:, -1].expand(batch, -1), cache

    def step(self, state: KVCache, tokens: torch.Tensor) -> tuple[torch.Tensor, KVCache]:
        state.make_room(1)
        if self.training or torch.is_grad_enabled():
            logits, _, _ = self(tokens[:, None], cache=state)
            return logits[:, -1], state
        if state.k.device.type == "cpu" and state.k.dtype == torch.float32:
            return self._cpu_decoder(state)(tokens, state), state
        return self._decode_one(tokens, state), state

    def keep_rows(self, state: KVCache, rows: list[int]) -> KVCache:
        """The state of only these rows (``sampling.sample_rows`` drops rows that finished)."""
        state.keep_rows(rows)
        return state

    def _cpu_decoder(self, cache: KVCache) -> CpuDecoder:
        """The numpy step (``cpu_decode``) for these weights: laid out once, again only after the weights
        changed (training, a loaded state dict), and looked up once per cache, not per step."""
        if cache.decoder is None:
            cache.decoder = decoder_for(self)
        return cache.decoder

    def _decode_one(self, tokens: torch.Tensor, cache: KVCache) -> torch.Tensor:
        """``forward`` for one new token per row after ``cache``, written out with the functional ops (the
        path for CUDA; the CPU takes ``cpu_decode``, the same step in numpy).

        The same arithmetic as ``forward`` (up to float rounding), for the case sampling spends its time in.
        A step's matrices are tiny, so its cost is reading memory: the weights once, and the cached keys and
        values of every row. The prompt, the same in every row (``KVCache.shared``), is therefore read once
        for all rows, not once per row (4 variations of a long prompt: about 4x fewer bytes). The single
        query sits at the last position, so its relative term needs no skewing: one product over heads."""
        cfg = self.config
        b, c, h = tokens.size(0), cfg.n_embd, cfg.n_head
        d = c // h
        n = cache.length
        t_k = n + 1
        if t_k > cfg.block_size:
            raise ValueError(f"context of {t_k} tokens is longer than block_size {cfg.block_size}")
        scale = 1.0 / math.sqrt(d)
        p = cache.shared if b > 1 else 0  # leading positions every row holds alike: attended to once
        x = F.embedding(tokens, self.tok_emb.weight)  # (B, C)
        for i, block in enumerate(self.blocks):
            attn = block.attn
            z = F.layer_norm(x, (c,), block.ln1.weight, block.ln1.bias, block.ln1.eps)
            q, k, v = F.linear(z, attn.qkv.weight).view(b, 3, h, d).unbind(1)  # (B, H, D) each
            cache.k[i, :, :, n] = k
            cache.v[i, :, :, n] = v
            er = attn.rel[:, cfg.block_size - t_k :, :]  # (H, T, D): distances -(T-1)..0
            qh = q.transpose(0, 1)  # (H, B, D)
            logits = torch.bmm(qh, er.transpose(1, 2))  # (H, B, T): the relative term
            own_k = cache.k[i, :b, :, p:t_k]  # (B, H, T - p, D): what each row wrote itself
            own_v = cache.v[i, :b, :, p:t_k]
            logits[:, :, p:] += torch.matmul(q.unsqueeze(2), own_k.transpose(2, 3)).squeeze(2).transpose(0, 1)
            if p:  # the shared prompt, read once for all rows
                logits[:, :, :p] += torch.bmm(qh, cache.k[i, 0, :, :p].transpose(1, 2))
            weights = torch.softmax(logits * scale, dim=-1)  # (H, B, T)
            y = torch.matmul(weights[:, :, p:].transpose(0, 1).unsqueeze(2), own_v).squeeze(2)  # (B, H, D)
            if p:
                y = y + torch.bmm(weights[:, :, :p], cache.v[i, 0, :, :p]).transpose(0, 1)
            y = y.reshape(b, c)
            x = x + F.linear(y, attn.proj.weight)
            mlp_in, act, mlp_out = block.mlp[0], block.mlp[1], block.mlp[2]
            z = F.layer_norm(x, (c,), block.ln2.weight, block.ln2.bias, block.ln2.eps)
            z = F.gelu(F.linear(z, mlp_in.weight, mlp_in.bias), approximate=act.approximate)
            x = x + F.linear(z, mlp_out.weight, mlp_out.bias)
        cache.length = t_k
        x = F.layer_norm(x, (c,), self.ln_f.weight, self.ln_f.bias, self.ln_f.eps)
        return F.linear(x, self.head.weight)

    def sample(self, prompt: torch.Tensor, variations: int = 1, **options: Any) -> torch.Tensor:
        """New tokens (variations, N) after ``prompt`` (1, T); options as in sampling.SamplingOptions."""
        was_training = self.training
        self.eval()
        try:
            return sampling.generate(self, prompt, variations, **options)
        finally:
            self.train(was_training)

    def configure_optimizer(self, lr: float, weight_decay: float = 0.1) -> torch.optim.Optimizer:
        """AdamW with decay on matrices only (not on norms, biases or the relative embeddings)."""
        decay = [p for n, p in self.named_parameters() if p.dim() >= 2 and not n.endswith(".rel")]
        rest = [p for n, p in self.named_parameters() if p.dim() < 2 or n.endswith(".rel")]
        groups = [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.98))


Model = MusicTransformer
