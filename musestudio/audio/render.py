"""Offline rendering of a whole project to 16-bit stereo, through the same scheduler the player uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from musestudio.audio.scheduler import Scheduler, events_for
from musestudio.audio.synth import Synth
from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.project import Project
from musestudio.io.wav import write_wav

__all__ = ["Cancelled", "render_project", "write_wav"]

BLOCK = 8192
PEAK_DBFS = -1.0
TAIL_MAX_SECONDS = 4.0
SILENCE = 1e-4  # about -80 dBFS before normalising: the release tail has died away
MAX_HOURS = 6  # the whole render is held in memory (~640 MB per hour of 44.1 kHz stereo float)


def render_project(
    project: Project,
    soundfont: str | Path | None = None,
    sample_rate: int = 44100,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> np.ndarray:
    """The audible tracks as int16 frames (n, 2), peak-normalised to -1 dBFS, with the release tail.

    ``progress`` gets 0..1 after each block; ``cancel`` is asked before each block and stops the render
    with ``Cancelled``. An empty project gives one silent frame, so the WAV file is still valid.
    """
    events = events_for(project, sample_rate)
    music_end = max((e.sample for e in events), default=0)
    if music_end > MAX_HOURS * 3600 * sample_rate:
        hours = music_end / sample_rate / 3600
        raise BadInputError(f"the project lasts {hours:.1f} hours; rendering is limited to {MAX_HOURS} hours")
    tail_max = round(TAIL_MAX_SECONDS * sample_rate)
    blocks: list[np.ndarray] = []
    with Synth(soundfont, sample_rate) as synth:
        scheduler = Scheduler(synth)
        scheduler.set_events(events)
        while True:
            if cancel is not None and cancel():
                raise Cancelled("render cancelled")
            block = scheduler.pull(BLOCK)
            blocks.append(block)
            pos = scheduler.position
            if pos >= music_end and (pos - music_end >= tail_max or np.abs(block).max() < SILENCE):
                break
            if progress is not None:
                progress(min(1.0, pos / max(1, music_end)))
    audio = np.concatenate(blocks)
    audio = audio[: _trim_point(audio, music_end)]
    if progress is not None:
        progress(1.0)
    return to_int16(audio)


def _trim_point(audio: np.ndarray, music_end: int) -> int:
    """Cut trailing silence after the last event, keeping at least the music itself."""
    tail = np.abs(audio[music_end:]).max(axis=1)
    loud = np.flatnonzero(tail >= SILENCE)
    return max(music_end + (int(loud[-1]) + 1 if loud.size else 0), 1)


def to_int16(audio: np.ndarray, peak_dbfs: float = PEAK_DBFS) -> np.ndarray:
    """Scale float audio so its peak sits at ``peak_dbfs`` and convert to int16 (silence stays silent)."""
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    # Below -80 dBFS there is no music to bring up, only FluidSynth's numerical noise.
    scaled = audio * (32767 * 10 ** (peak_dbfs / 20) / peak if peak >= SILENCE else 32767)
    np.rint(scaled, out=scaled)
    np.clip(scaled, -32768, 32767, out=scaled)
    return scaled.astype(np.int16)
