"""The style judge: names the style of a 2-8 bar phrase from its piano roll.

A model of its own rather than the GAN's discriminator: a judge trained alongside the generator learns
whatever the generator happens to get wrong, so it would flatter it. This one is trained once on the
train split with transposition augmentation (so it hears idiom, not key) and then frozen; it scores the
Restyle metrics and feeds the app's style meter ("sounds 82% Celtic").

The network is a dilated temporal CNN over the onset/frame planes and a bar-line channel (receptive field
of about two 4/4 bars), pooled by mean and max over time, so it reads phrases of any length.

The shipped judge is an ensemble: ``members`` such networks, trained apart (own seeds, the same data),
whose probabilities are averaged. Judges trained alike still hear the same music differently (session 18:
Celtic arrangements heard as Celtic 71% by one, 41-57% by six others); a critic that picks among drafts
by one judge picks that judge's quirks as often as the idiom, while the mean of several hears what they
agree on. Each member is trained on its own (``train``) and the members packed into one file
(``ensemble``).

Training: ``train/style_classifier.py`` (``python -m musestudio.ml.train.style_classifier
train|ensemble|evaluate``); reading a phrase: ``generate/critic.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import nn

from musestudio.ml.pianoroll import RollSpec, input_channels

DEFAULT_STYLES = ("bach", "palestrina", "celtic", "chinese", "german", "classical", "pop", "jazz")


@dataclass
class Config:
    styles: list[str] = field(default_factory=lambda: list(DEFAULT_STYLES))
    low: int = 24
    high: int = 108
    steps_per_beat: int = 4
    hidden: int = 96
    dilations: list[int] = field(default_factory=lambda: [1, 2, 4, 8])
    dropout: float = 0.1
    members: int = 1  # networks trained apart whose probabilities are averaged (module docstring)

    @property
    def spec(self) -> RollSpec:
        return RollSpec(self.low, self.high, self.steps_per_beat)


class Member(nn.Module):
    """One judge: the network the module docstring describes."""

    def __init__(self, config: Config):
        super().__init__()
        h = config.hidden
        self.inp = nn.Conv1d(input_channels(config.spec), h, 3, padding=1)
        self.blocks = nn.ModuleList(nn.Conv1d(h, h, 3, padding=d, dilation=d) for d in config.dilations)
        self.norms = nn.ModuleList(nn.GroupNorm(1, h) for _ in config.dilations)
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(2 * h, len(config.styles))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Style logits (B, styles) for inputs (B, 2P+1, T)."""
        h = torch.relu(self.inp(x))
        for conv, norm in zip(self.blocks, self.norms, strict=True):
            h = h + torch.relu(norm(conv(self.drop(h))))
        return self.head(torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1))


class Model(nn.Module):
    family = "style_classifier"

    def __init__(self, config: Config):
        super().__init__()
        self.config = config
        self.members = nn.ModuleList(Member(config) for _ in range(config.members))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Style logits (B, styles) for inputs (B, 2P+1, T): a lone member's own; an ensemble's, the log of
        its members' mean probability, so a softmax over them reads that mean."""
        if len(self.members) == 1:
            return self.members[0](x)
        logp = torch.stack([torch.log_softmax(m(x), dim=1) for m in self.members])
        return torch.logsumexp(logp, dim=0) - math.log(len(self.members))
