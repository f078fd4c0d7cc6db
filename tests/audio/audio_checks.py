"""An onset detector for rendered audio, so tests can check that notes sound where the score says."""

from __future__ import annotations

import numpy as np

SR = 44100


def onsets(audio: np.ndarray, sample_rate: int = SR, gap_s: float = 0.05, rel: float = 0.05) -> list[int]:
    """Frames where the envelope rises over ``rel`` x peak after at least ``gap_s`` below it."""
    env = np.abs(audio.astype(np.float64)).max(axis=1)
    above = np.flatnonzero(env >= rel * env.max())
    if above.size == 0:
        return []
    starts = np.concatenate(([0], np.flatnonzero(np.diff(above) > gap_s * sample_rate) + 1))
    return [int(above[i]) for i in starts]
