"""A safety limiter for live playback: dense fortissimo must not hard-clip at the sound card.

FluidSynth's mix has no ceiling of its own: an ordinary piece peaks at 0.18-0.30 of full scale, but ten
parts of ten-note chords at velocity 127 reach 2.6 (+8 dB), and a sound card clips everything over 1.0
flat, which a musician hears as crackling distortion on every loud chord. Export WAV has no such problem:
it knows the whole mix's peak before it writes a sample and scales the piece as one (``render.Rendering``),
which keeps its dynamics exactly. Playback cannot wait for the end of the piece, nor add look-ahead latency
to a keyboard that must answer at once, so it rides the gain instead:

- below ``CEILING`` (-1 dBFS, where Export WAV puts its peak) the gain is exactly 1 and the samples pass
  untouched, so normal music sounds the same, bit for bit, as it did;
- a block that would go over turns the gain down to bring its peak to the ceiling, in a short ramp that
  ends before its first sample over (the block is in hand before it is heard: look-ahead at no latency),
  never in a step, which would click;
- the gain comes back at ``RELEASE_DB_PER_SECOND``: slowly enough that repeated chords do not pump, soon
  enough that the soft bars after a climax are not left quieter for long;
- whatever the ramp lets through (a chord that lands inside its first ``ATTACK_FRAMES`` frames) meets a
  soft knee from the ceiling to full scale instead of a flat top.

The cost is one ``abs().max()`` of the block while nothing is over (a few microseconds for the player's
256 frames, against 5.8 ms to deliver them; ``benchmarks/limiter_cost.py``).
"""

from __future__ import annotations

import numpy as np

CEILING = 10 ** (-1 / 20)  # -1 dBFS: the live output peaks where the exported WAV does
RELEASE_DB_PER_SECOND = 10.0
ATTACK_FRAMES = 32  # the shortest turn-down (0.7 ms at 44.1 kHz): a gain step clicks
KNEE_WIDTH = 1.0 - CEILING  # the soft knee bends what is left over the ceiling into what is under 1.0


class SafetyLimiter:
    """Keeps float stereo blocks (frames, 2) within full scale, a block at a time, with the gain carried from
    one block to the next; only the audio thread calls ``process``."""

    def __init__(self, sample_rate: int) -> None:
        self.gain = 1.0
        self._release_per_frame = 10 ** (RELEASE_DB_PER_SECOND / sample_rate / 20)

    def process(self, block: np.ndarray) -> np.ndarray:
        """``block`` (float32, C-contiguous) with its level kept under full scale, changed in place."""
        if not len(block):
            return block
        peak = float(np.abs(block).max())
        if self.gain == 1.0 and peak <= CEILING:
            return block
        frames = len(block)
        start = self.gain
        target = min(1.0, CEILING / peak) if peak > 0 else 1.0
        if target < start:
            # the first frame over at the present gain: the frames before it are under the ceiling at that
            # gain, and the ramp only lowers it, so the ramp may take until there
            over = int(np.argmax(np.abs(block).max(axis=1) * start > CEILING))
            ramp = min(frames, max(over, ATTACK_FRAMES))
            gains = np.full(frames, target, dtype=np.float32)
            gains[:ramp] = np.linspace(start, target, ramp, endpoint=False)
            self.gain = target
            block *= gains[:, None]
            _soft_knee(block)  # the frames over inside the ramp
            return block
        # rising no further than ``target``, no frame of this block goes over
        self.gain = min(target, start * self._release_per_frame**frames)
        block *= np.linspace(start, self.gain, frames + 1, dtype=np.float32)[1:, None]
        return block


def _soft_knee(block: np.ndarray) -> None:
    """Bend the samples over ``CEILING`` smoothly towards full scale, in place (only rounding reaches it)."""
    over = np.abs(block) > CEILING
    if over.any():
        x = block[over]
        bent = CEILING + KNEE_WIDTH * np.tanh((np.abs(x) - CEILING) / KNEE_WIDTH)
        block[over] = np.copysign(bent, x)
