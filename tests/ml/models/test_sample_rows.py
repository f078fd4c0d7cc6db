"""``sampling.sample_rows`` (the row-by-row sampler of the parts engine) against ``sampling.sample``."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from musestudio.core.errors import Cancelled
from musestudio.ml import sampling
from musestudio.ml.models import transformer

V = 40


def _model() -> transformer.MusicTransformer:
    torch.manual_seed(0)
    cfg = transformer.Config(vocab_size=V, block_size=128, n_layer=2, n_head=4, n_embd=32, dropout=0.0)
    model = transformer.MusicTransformer(cfg).eval()
    with torch.no_grad():  # logits far enough from uniform that the masks and the nucleus matter
        model.head.weight.mul_(40)
    return model


class _Rules:
    """A toy grammar: even steps allow the even ids below 20, odd steps a few odd ones; row i stops after
    6 + 5 * i tokens (rows finish at different steps). Even ids get a bonus."""

    def __init__(self, rows: int) -> None:
        self.written = [0] * rows

    def mask(self, row: int) -> np.ndarray:
        m = np.zeros(V, dtype=bool)
        if self.written[row] % 2 == 0:
            m[0:20:2] = True
        else:
            m[[3, 5, 7, 31]] = True
        return m

    def bias(self) -> np.ndarray:
        b = np.zeros(V, dtype=np.float32)
        b[0:20:2] = 0.75
        return b

    def choices(self, row: int):
        idx = self.mask(row).nonzero()[0]
        return idx, self.bias()[idx]

    def observe(self, row: int, token: int) -> None:
        self.written[row] += 1

    def finished(self, row: int) -> bool:
        return self.written[row] >= 6 + 5 * row


class _Biased:
    """``sample``'s view of the same bias: added to every step's logits."""

    def __init__(self, model, bias) -> None:
        self.model, self.bias = model, torch.from_numpy(bias)

    def start(self, prompt, batch):
        logits, state = self.model.start(prompt, batch)
        return logits + self.bias, state

    def step(self, state, tokens):
        logits, state = self.model.step(state, tokens)
        return logits + self.bias, state


def _generators(seed: int, rows: int) -> list[torch.Generator]:
    return [torch.Generator().manual_seed(seed + i) for i in range(rows)]


def test_sample_rows_draws_what_sample_draws_and_drops_finished_rows():
    model = _model()
    prompt = torch.randint(0, V, (1, 9), generator=torch.Generator().manual_seed(1))
    for seed in range(6):
        rules = _Rules(3)
        fast_rules = _Rules(3)
        reference = []

        def mask(step, ids, rules=rules):
            return torch.from_numpy(np.stack([rules.mask(i) for i in range(3)]))

        def stop(ids, rules=rules):
            for i, t in enumerate(ids[:, -1].tolist()):
                if not rules.finished(i):
                    rules.observe(i, t)
            return torch.tensor([rules.finished(i) for i in range(3)])

        with sampling.fast_stepwise(torch.device("cpu")):
            out = sampling.sample(
                _Biased(model, rules.bias()),
                prompt,
                3,
                sampling.SamplingOptions(40, 0.9, 0.9, mask, stop, pad_id=-1, generator=_generators(seed, 3)),
            )
            reference = [[t for t in row if t != -1] for row in out.tolist()]
            fast = sampling.sample_rows(
                model,
                prompt,
                3,
                sampling.SamplingOptions(40, 0.9, 0.9, generator=_generators(seed, 3)),
                fast_rules,
            )
        assert fast == reference
        assert [len(r) for r in fast] == [6, 11, 16]


def test_uniform_stream_gives_single_draws_and_rewinds_its_generator():
    g = torch.Generator().manual_seed(7)
    singles = [float(torch.rand((1, 1), generator=g)) for _ in range(100)]
    after = float(torch.rand((1, 1), generator=g))
    g = torch.Generator().manual_seed(7)
    stream = sampling.UniformStream(g)
    assert [float(stream.next()) for _ in range(100)] == singles  # across block boundaries
    stream.close()
    assert float(torch.rand((1, 1), generator=g)) == after  # as if drawn one by one


def test_sample_rows_stops_on_cancel_and_needs_a_generator_per_row():
    model = _model()
    prompt = torch.zeros((1, 4), dtype=torch.long)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    opts = sampling.SamplingOptions(40, generator=_generators(0, 2), cancel=cancel)
    with pytest.raises(Cancelled), sampling.fast_stepwise(torch.device("cpu")):
        sampling.sample_rows(model, prompt, 2, opts, _Rules(2))
    with pytest.raises(ValueError):
        sampling.sample_rows(model, prompt, 2, sampling.SamplingOptions(40), _Rules(2))
