"""The style judge: names the style of a 2-8 bar phrase from its piano roll.

A model of its own rather than the GAN's discriminator: a judge trained alongside the generator learns
whatever the generator happens to get wrong, so it would flatter it. This one is trained once on the
train split with transposition augmentation (so it hears idiom, not key) and then frozen; it scores the
Restyle metrics and feeds the app's style meter ("sounds 82% Celtic").

The network is a dilated temporal CNN over the onset/frame planes and a bar-line channel (receptive field
of about two 4/4 bars), pooled by mean and max over time, so it reads phrases of any length.

Training: ``train/style_classifier.py`` (``python -m musestudio.ml.train.style_classifier train|evaluate``);
reading a phrase: ``generate/critic.py``.
"""

from __future__ import annotations

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

    @property
    def spec(self) -> RollSpec:
        return RollSpec(self.low, self.high, self.steps_per_beat)


class Model(nn.Module):
    family = "style_classifier"

    def __init__(self, config: Config):
        super().__init__()
        self.config = config
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
