"""What the live output's safety limiter costs per audio callback, against the block's time budget.

The player's callback delivers 256 frames (5.8 ms at 44.1 kHz); FluidSynth's own rendering of them takes
most of what the callback may spend. Three cases: a normal level (the limiter only measures the peak),
gain turned down and holding, and a block that goes over (the ramp and the soft knee too). The blocks are
real FluidSynth output: a piano line, and ten fortissimo parts for the loud cases.

    .venv/bin/python benchmarks/limiter_cost.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from musestudio.audio.limiter import SafetyLimiter
from musestudio.audio.scheduler import Scheduler, events_for
from musestudio.audio.synth import Synth
from musestudio.core import Note, Project, Track

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "audio"))
from audio_checks import dense_fortissimo  # noqa: E402

SR = 44100
BLOCK = 256
REPEATS = 20_000


def blocks(project: Project, seconds: float) -> list[np.ndarray]:
    with Synth(sample_rate=SR) as synth:
        scheduler = Scheduler(synth)
        scheduler.set_events(events_for(project, SR))
        return [scheduler.pull(BLOCK) for _ in range(round(seconds * SR / BLOCK))]


def per_call_us(limiter: SafetyLimiter, block: np.ndarray, gain: float) -> float:
    work = block.copy()
    start = time.perf_counter()
    for _ in range(REPEATS):
        limiter.gain = gain
        work[:] = block
        limiter.process(work)
    copy_start = time.perf_counter()
    for _ in range(REPEATS):
        work[:] = block  # the copy alone, taken off the figure
    end = time.perf_counter()
    return ((copy_start - start) - (end - copy_start)) / REPEATS * 1e6


def main() -> None:
    piano = Project(tracks=(Track(notes=tuple(Note(60 + i % 12, i * 240, 480, 100) for i in range(8))),))
    normal = max(blocks(piano, 1.0), key=lambda b: float(np.abs(b).max()))
    loud = blocks(dense_fortissimo(), 1.0)
    over = max(loud, key=lambda b: float(np.abs(b).max()))
    limiter = SafetyLimiter(SR)
    budget_us = BLOCK / SR * 1e6
    cases = (
        (f"normal level (peak {np.abs(normal).max():.2f}), gain 1", normal, 1.0),
        ("under the ceiling, gain recovering from 0.4", normal, 0.4),
        (f"over full scale (peak {np.abs(over).max():.2f}), turning down", over, 1.0),
    )
    print(f"block {BLOCK} frames = {budget_us:.0f} us at {SR} Hz")
    for name, block, gain in cases:
        us = per_call_us(limiter, block, gain)
        print(f"{name:50s} {us:6.1f} us  ({us / budget_us:.2%} of the block)")


if __name__ == "__main__":
    main()
