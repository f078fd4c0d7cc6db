"""Training batches for the neural Continue families: length-bucketed draws and one loss step each.

Random windows range from a few bars of melody to a full block of quartet, so examples are drawn a pool at
a time and batched by length: a batch is mostly tokens, not padding.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import torch

from musestudio.ml.data.windows import WindowSampler, pad_batch, pad_pairs
from musestudio.ml.tokenizer import CONDITIONING, IGNORE_INDEX, Tokenizer


def lm_batch(seqs: Sequence[Sequence[int]], tok: Tokenizer, device) -> tuple[torch.Tensor, torch.Tensor]:
    x, y = pad_batch(seqs, tok.pad_id)
    y[:, : CONDITIONING - 1] = IGNORE_INDEX  # STYLE, KEY and METER are given, not predicted
    return x.to(device), y.to(device)


class Buckets:
    """Examples drawn a pool at a time and batched by length."""

    def __init__(self, draw, size_of, batch_size: int, rng: random.Random, pool: int = 8) -> None:
        self.draw, self.size_of, self.batch_size, self.rng, self.pool = draw, size_of, batch_size, rng, pool
        self.ready: list[list] = []

    def next(self) -> list:
        if not self.ready:
            pool = sorted((self.draw() for _ in range(self.batch_size * self.pool)), key=self.size_of)
            self.ready = [pool[i : i + self.batch_size] for i in range(0, len(pool), self.batch_size)]
            self.rng.shuffle(self.ready)
        return self.ready.pop()


def transformer_buckets(
    sampler: WindowSampler, fim_rate: float, batch_size: int, rng: random.Random
) -> Buckets:
    """Language-model windows, a ``fim_rate`` share of them fill-in-the-middle."""
    return Buckets(lambda: sampler.fim() if rng.random() < fim_rate else sampler.lm(), len, batch_size, rng)


def seq2seq_buckets(sampler: WindowSampler, batch_size: int, rng: random.Random) -> Buckets:
    """Seed -> continuation pairs."""
    return Buckets(sampler.pair, lambda p: len(p[0]) + 2 * len(p[1]), batch_size, rng)


def transformer_step(model, examples: list, tok: Tokenizer, device):
    x, y = lm_batch(examples, tok, device)
    _, loss, _ = model(x, y)
    return loss, int((y != IGNORE_INDEX).sum())


def seq2seq_step(model, examples: list, tok: Tokenizer, device):
    src, tgt_in, style, tgt_out = pad_pairs(examples, tok.pad_id, tok.bos_id)
    _, loss = model(src.to(device), tgt_in.to(device), style.to(device), tgt_out.to(device))
    return loss, int((tgt_out != IGNORE_INDEX).sum())
