"""``sampling.draw``'s two CPU paths (numpy over a sparse mask's tokens, torch over the vocabulary) agree."""

from __future__ import annotations

import torch

from musestudio.ml import sampling


def _draws(monkeypatch, sparse: bool, trial: int, temperature: float) -> torch.Tensor:
    torch.manual_seed(trial)
    logits = torch.randn(4, 300) * 3
    allowed = torch.rand(4, 300) < 0.1
    if trial % 5 == 0:
        allowed[trial % 4] = False  # a row the mask leaves empty draws from the whole vocabulary
    monkeypatch.setattr(sampling, "SPARSE_MASK", 128 if sparse else -1)
    generators = [torch.Generator().manual_seed(100 * trial + i) for i in range(4)]
    return sampling.draw(logits, temperature, 0.9, allowed, generators), allowed


def test_the_numpy_draw_picks_what_the_torch_draw_picks(monkeypatch):
    for trial in range(120):
        for temperature in (0.0, 0.8, 1.5):
            fast, allowed = _draws(monkeypatch, True, trial, temperature)
            slow, _ = _draws(monkeypatch, False, trial, temperature)
            assert torch.equal(fast, slow)
            for row, token in enumerate(fast.tolist()):
                assert allowed[row, token] or not allowed[row].any()
