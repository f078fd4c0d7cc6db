"""The ``gan`` Restyle engine's networks: the adversarial denoiser and its critic (plus the StarGAN it replaced).

Issue 14: ``AdversarialDenoiser`` (family ``gan_denoiser``) is the generator the app runs. It is the
``seq2seq`` denoiser's network, initialised from ``models/restyle_seq2seq`` and fine-tuned by
``train/adversarial.py`` against ``Discriminator`` (the critic below): its denoising loss keeps the musical
grammar, a policy-gradient term rewards what the critic hears as real music of the target style. Why this
design and not the roll StarGAN is argued in models/README.md ("restyle_gan").

What follows this docstring's first paragraph describes the StarGAN roll generator (family ``gan``), the
engine's first design; its class is kept so files of that family still load and run.

StarGAN-style multi-style transfer on bar-aligned piano rolls.

Why StarGAN and not Brunner et al.'s CycleGAN: CycleGAN needs a generator pair per style pair, 28 pairs
(56 generators) for eight styles, far past the size budget and the CPU time we have. One generator
conditioned on the target style, with a discriminator that has a real/fake head and a style head, learns
every direction at once and shares what the styles have in common. Brunner's lessons are kept: bar-level
rolls at sixteenths, cycle consistency (A -> B -> A gives A back) and an identity loss (A -> A changes
nothing), which are what keep the phrase recognisable.

Rolls, not tokens: a convolution over a roll edits every bar in one parallel pass, so 8 bars take a few
milliseconds, and output length and bar lines equal the input's by construction. Onset and frame planes
are generated together, so the decoder in ``pianoroll`` can tell repeated notes from held ones.

The generator is a dilated residual 1-D CNN over time (pitches as channels) whose blocks are modulated by
the target style (FiLM), plus a learned skip from the input so "change nothing" is easy and every change
has to be paid for by the adversarial and style losses. Outputs are binarised with a straight-through
estimator before the discriminator sees them, so it cannot spot fakes merely by their soft values.

This file holds the networks only; training is ``train/gan.py`` (``python -m musestudio.ml.train.gan train``)
and inference is ``generate/restyle.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils import spectral_norm

from musestudio.ml.models import seq2seq
from musestudio.ml.models.style_classifier import DEFAULT_STYLES
from musestudio.ml.pianoroll import RollSpec, input_channels


@dataclass
class Config:
    styles: list[str] = field(default_factory=lambda: list(DEFAULT_STYLES))
    low: int = 24
    high: int = 108
    steps_per_beat: int = 4
    hidden: int = 96
    dilations: list[int] = field(default_factory=lambda: [1, 2, 4, 8, 1])
    d_hidden: int = 64

    @property
    def spec(self) -> RollSpec:
        return RollSpec(self.low, self.high, self.steps_per_beat)

    @property
    def note_channels(self) -> int:
        return 2 * self.spec.pitches


class Model(nn.Module):
    """The generator: (input (B, 2P+1, T), target style weights (B, styles)) -> note logits (B, 2P, T)."""

    family = "gan"

    def __init__(self, config: Config):
        super().__init__()
        self.config = config
        h, n = config.hidden, len(config.styles)
        self.inp = nn.Conv1d(input_channels(config.spec) + n, h, 3, padding=1)
        self.blocks = nn.ModuleList(nn.Conv1d(h, h, 3, padding=d, dilation=d) for d in config.dilations)
        self.norms = nn.ModuleList(nn.GroupNorm(1, h, affine=False) for _ in config.dilations)
        self.film = nn.Linear(n, 2 * h * len(config.dilations))
        self.out = nn.Conv1d(h, config.note_channels, 1)
        self.skip = nn.Parameter(torch.tensor(3.0))

    def forward(self, x: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        c = style[:, :, None].expand(-1, -1, x.shape[2])
        h = F.relu(self.inp(torch.cat([x, c], dim=1)))
        film = self.film(style).view(style.shape[0], len(self.blocks), 2, -1, 1)
        for i, (conv, norm) in enumerate(zip(self.blocks, self.norms, strict=True)):
            h = h + F.relu(norm(conv(h)) * (1 + film[:, i, 0]) + film[:, i, 1])
        notes = x[:, : self.config.note_channels]
        return self.out(h) + self.skip * (2 * notes - 1)


class Discriminator(nn.Module):
    """PatchGAN real/fake scores over time plus a style head on the pooled features.

    Saved beside the generator as ``<stem>_critic``: the take critic (``generate/critic.py``) reads its real/fake
    scores as a realness judge.
    """

    family = "gan_critic"

    def __init__(self, config: Config):
        super().__init__()
        self.config = config  # the roll spec its inputs need
        d = config.d_hidden
        self.body = nn.Sequential(
            spectral_norm(nn.Conv1d(input_channels(config.spec), d, 4, stride=2, padding=1)),
            nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv1d(d, 2 * d, 4, stride=2, padding=1)),
            nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv1d(2 * d, 2 * d, 3, padding=2, dilation=2)),
            nn.LeakyReLU(0.2),
        )
        self.adv = spectral_norm(nn.Conv1d(2 * d, 1, 3, padding=1))
        self.cls = nn.Linear(4 * d, len(config.styles))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(x)
        return self.adv(h), self.cls(torch.cat([h.mean(2), h.amax(2)], dim=1))


DenoiserConfig = seq2seq.Config


class AdversarialDenoiser(seq2seq.Seq2Seq):
    """The ``gan`` engine's generator: the denoiser's network under its own family (``gan_denoiser``).

    Same layers, stepper and guidance as ``seq2seq.Seq2Seq``; what differs is the training (the critic's
    reward on its samples), so the registry can tell the two engines' files apart and refuse one in the
    other's place.
    """

    family = "gan_denoiser"
