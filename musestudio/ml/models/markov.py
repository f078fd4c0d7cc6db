"""An n-gram model over the same tokens as the neural engines: the floor every network has to beat.

Smoothing is Witten-Bell interpolation: P(w | h) = (c(h, w) + T(h) P(w | h')) / (c(h) + T(h)), where T(h)
is how many different tokens followed h and h' drops h's oldest token; the recursion ends in a uniform
distribution, so no token ever has probability zero and test NLL is always finite. Witten-Bell needs no
held-out tuning, which suits a baseline.

Counts are stored as sorted int64 keys (an n-gram written in base ``vocab_size``: exact, no hashing), so
training, scoring a whole split and building a next-token distribution are each a few vectorised numpy
calls, and the tables fit in a safetensors file. ``prune`` drops rare long n-grams for shipping; their
occurrences are kept as extra "types" of their context, so each distribution still sums to one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from musestudio.ml import sampling

FAMILY = "markov"


@dataclass
class Config:
    vocab_size: int = 512
    order: int = 5  # n: each token is predicted from up to n-1 tokens before it


class _Table:
    """Counts for one context length k: n-gram keys/counts and context keys/totals/types, all sorted."""

    def __init__(self, gram_keys, gram_counts, ctx_keys, ctx_totals, ctx_types) -> None:
        self.gram_keys, self.gram_counts = gram_keys, gram_counts
        self.ctx_keys, self.ctx_totals, self.ctx_types = ctx_keys, ctx_totals, ctx_types

    @staticmethod
    def lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
        """values[keys == query], 0 where the key is absent."""
        if keys.size == 0:
            return np.zeros(query.shape, dtype=np.float64)
        pos = np.searchsorted(keys, query).clip(max=keys.size - 1)
        return np.where(keys[pos] == query, values[pos], 0).astype(np.float64)


class MarkovModel:
    family = FAMILY

    def __init__(self, cfg: Config) -> None:
        if cfg.vocab_size**cfg.order >= 2**63:
            raise ValueError(
                f"order {cfg.order} is too high for a vocabulary of {cfg.vocab_size} (int64 keys)"
            )
        self.config = cfg
        empty = np.zeros(0, dtype=np.int64)
        self.tables = [_Table(empty, empty, empty, empty, empty) for _ in range(cfg.order)]
        self.device = torch.device("cpu")

    # --- counting -----------------------------------------------------------------------------------------
    def _keys(self, flat: np.ndarray, pos: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(context key, n-gram key) of the k tokens before each position in ``pos`` (and the token there)."""
        v = self.config.vocab_size
        ctx = np.zeros(pos.shape, dtype=np.int64)
        for j in range(k, 0, -1):
            ctx = ctx * v + flat[pos - j]
        return ctx, ctx * v + flat[pos]

    @staticmethod
    def _flatten(sequences: Iterable[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
        """All tokens in one array and, per token, its index within its own sequence."""
        seqs = [np.asarray(s, dtype=np.int64) for s in sequences if len(s) > 0]
        if not seqs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        flat = np.concatenate(seqs)
        offset = np.concatenate([np.arange(len(s)) for s in seqs])
        return flat, offset

    def fit(self, sequences: Iterable[Sequence[int]]) -> MarkovModel:
        """Count every n-gram (never across two sequences); the first token of a sequence is never predicted,
        matching the neural models, whose first input is the given BOS."""
        flat, offset = self._flatten(sequences)
        targets = np.nonzero(offset >= 1)[0]
        for k in range(self.config.order):
            pos = targets[offset[targets] >= k]
            ctx, gram = self._keys(flat, pos, k)
            gram_keys, first, gram_counts = np.unique(gram, return_index=True, return_counts=True)
            ctx_of_gram = ctx[first]
            ctx_keys, ctx_types = np.unique(ctx_of_gram, return_counts=True)
            ctx_totals = np.bincount(
                np.searchsorted(ctx_keys, ctx_of_gram), weights=gram_counts, minlength=ctx_keys.size
            ).astype(np.int64)
            self.tables[k] = _Table(gram_keys, gram_counts.astype(np.int64), ctx_keys, ctx_totals, ctx_types)
        return self

    def prune(self, min_count: int, from_order: int = 3) -> MarkovModel:
        """Drop n-grams seen fewer than ``min_count`` times in contexts of ``from_order - 1`` tokens or more."""
        for k in range(from_order - 1, self.config.order):
            t = self.tables[k]
            keep = t.gram_counts >= min_count
            v = self.config.vocab_size
            dropped = np.bincount(
                np.searchsorted(t.ctx_keys, t.gram_keys[~keep] // v),
                weights=t.gram_counts[~keep],
                minlength=t.ctx_keys.size,
            ).astype(np.int64)
            kept_types = np.bincount(
                np.searchsorted(t.ctx_keys, t.gram_keys[keep] // v), minlength=t.ctx_keys.size
            ).astype(np.int64)
            totals = t.ctx_totals - dropped
            live = totals > 0
            self.tables[k] = _Table(
                t.gram_keys[keep],
                t.gram_counts[keep],
                t.ctx_keys[live],
                totals[live],
                (kept_types + dropped)[live],
            )
        return self

    # --- probabilities ------------------------------------------------------------------------------------
    def _interpolate(self, k: int, ctx: np.ndarray, gram: np.ndarray, lower: np.ndarray) -> np.ndarray:
        t = self.tables[k]
        total = _Table.lookup(t.ctx_keys, t.ctx_totals, ctx)
        types = _Table.lookup(t.ctx_keys, t.ctx_types, ctx)
        count = _Table.lookup(t.gram_keys, t.gram_counts, gram)
        seen = total > 0
        return np.where(seen, (count + types * lower) / np.where(seen, total + types, 1.0), lower)

    def nll(self, sequences: Iterable[Sequence[int]]) -> tuple[float, int]:
        """(total NLL in nats, tokens scored) over every token after the first of each sequence."""
        flat, offset = self._flatten(sequences)
        pos = np.nonzero(offset >= 1)[0]
        p = np.full(pos.shape, 1.0 / self.config.vocab_size)
        for k in range(self.config.order):
            usable = offset[pos] >= k
            ctx, gram = self._keys(flat, pos[usable], k)
            p[usable] = self._interpolate(k, ctx, gram, p[usable])
        return float(-np.log(p).sum()), int(pos.size)

    def distribution(self, context: Sequence[int]) -> np.ndarray:
        """P(next token | context) over the whole vocabulary.

        A context's n-grams are one contiguous run of the sorted keys (ctx * V + w for w in 0..V-1), so each
        order costs two binary searches and a scatter, not a search per vocabulary entry.
        """
        v = self.config.vocab_size
        p = np.full(v, 1.0 / v)
        for k in range(min(self.config.order - 1, len(context)) + 1):
            ctx = 0
            for tok in context[len(context) - k :]:
                ctx = ctx * v + int(tok)
            t = self.tables[k]
            i = int(np.searchsorted(t.ctx_keys, ctx))
            if i == t.ctx_keys.size or t.ctx_keys[i] != ctx:
                continue  # unseen context: this order adds nothing
            lo, hi = np.searchsorted(t.gram_keys, [ctx * v, ctx * v + v])
            counts = np.zeros(v)
            counts[t.gram_keys[lo:hi] - ctx * v] = t.gram_counts[lo:hi]
            total, types = float(t.ctx_totals[i]), float(t.ctx_types[i])
            p = (counts + types * p) / (total + types)
        return p

    # --- sampling.Stepper ---------------------------------------------------------------------------------
    def _logits(self, rows: list[list[int]]) -> torch.Tensor:
        probs = np.stack([self.distribution(r) for r in rows])
        return torch.from_numpy(np.log(probs)).float().to(self.device)

    def start(self, prompt: torch.Tensor, batch: int):
        keep = self.config.order - 1
        rows = [prompt[0].tolist()[-keep:] if keep else [] for _ in range(batch)]
        return self._logits(rows), rows

    def step(self, state: list[list[int]], tokens: torch.Tensor):
        keep = self.config.order - 1
        rows = [(r + [t])[-keep:] if keep else [] for r, t in zip(state, tokens.tolist(), strict=True)]
        return self._logits(rows), rows

    def sample(self, prompt: torch.Tensor, variations: int = 1, **options: Any) -> torch.Tensor:
        return sampling.generate(self, prompt, variations, **options)

    # --- the parts of the nn.Module interface that checkpoint.py uses ------------------------------------
    def state_dict(self) -> dict[str, torch.Tensor]:
        out = {}
        for k, t in enumerate(self.tables):
            for name in ("gram_keys", "gram_counts", "ctx_keys", "ctx_totals", "ctx_types"):
                out[f"k{k}.{name}"] = torch.from_numpy(np.ascontiguousarray(getattr(t, name), dtype=np.int64))
        return out

    def load_state_dict(self, tensors: dict[str, torch.Tensor]) -> None:
        names = ("gram_keys", "gram_counts", "ctx_keys", "ctx_totals", "ctx_types")
        expected = {f"k{k}.{n}" for k in range(self.config.order) for n in names}
        if set(tensors) != expected:
            raise KeyError(f"markov tables do not match order {self.config.order}")
        self.tables = [
            _Table(*(tensors[f"k{k}.{n}"].numpy() for n in names)) for k in range(self.config.order)
        ]

    def to(self, device: str | torch.device) -> MarkovModel:
        self.device = torch.device(device)  # counting stays in numpy; only the logits move
        return self

    def eval(self) -> MarkovModel:
        return self

    def num_params(self) -> int:
        return sum(t.gram_keys.size for t in self.tables)


Model = MarkovModel
