"""Offline rendering of a whole project to 16-bit stereo, through the same scheduler the player uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from musestudio.audio.scheduler import Event, Scheduler, events_for
from musestudio.audio.synth import Synth
from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.events import SOSTENUTO, SUSTAIN
from musestudio.core.project import Project
from musestudio.core.timing import project_seconds
from musestudio.core.track import Track
from musestudio.io.wav import write_wav

__all__ = [
    "Cancelled",
    "has_notes_to_render",
    "is_silent",
    "left_out_tracks",
    "render_project",
    "write_wav",
]

BLOCK = 8192
PEAK_DBFS = -1.0
TAIL_MAX_SECONDS = 4.0  # a pedal still down at the end lets the last notes ring this long, then lifts
RELEASE_SECONDS = 3.0  # what still sounds this long after the pedals lift (a very long release) fades out
FADE_SECONDS = 0.5
SILENCE_DB = -80.0  # below the mix's peak the tail has died away: a few 16-bit steps once normalised
# FluidSynth never renders true zeros (its reverb keeps an offset of 1e-8 against denormals): quieter than
# this is no music, and the tail has ended there whatever the mix's peak
NOISE_FLOOR = 1e-6
MAX_HOURS = 6  # the whole render is held in memory (~640 MB per hour of 44.1 kHz stereo float)


def render_project(
    project: Project,
    soundfont: str | Path | None = None,
    sample_rate: int = 44100,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> np.ndarray:
    """The audible tracks as int16 frames (n, 2), peak-normalised to -1 dBFS, with the release tail.

    The tail runs until the sound has died away relative to the mix, so a soft piece keeps its release
    as a loud one does; a pedal still down at the end is lifted ``TAIL_MAX_SECONDS`` after the last
    event, and a release still sounding ``RELEASE_SECONDS`` after that fades out rather than stopping.
    A render with no music in it (every track muted, notes too soft to sound) is all zeros (``is_silent``).
    A piece that ends in silent bars (a loop, ``Project.end_of_track``) renders them: in a DAW the WAV
    then loops as the piece does.

    ``progress`` gets 0..1 after each block; ``cancel`` is asked before each block and stops the render
    with ``Cancelled``. An empty project gives one silent frame, so the WAV file is still valid.
    """
    events = events_for(project, sample_rate)
    piece_end = round(project_seconds(project, project.length) * sample_rate)  # a file's silent bars too
    music_end = max([piece_end, *(e.sample for e in events)])
    if music_end > MAX_HOURS * 3600 * sample_rate:
        hours = music_end / sample_rate / 3600
        raise BadInputError(f"the project lasts {hours:.1f} hours; rendering is limited to {MAX_HOURS} hours")
    lift = music_end + round(TAIL_MAX_SECONDS * sample_rate)
    render_end = lift + round(RELEASE_SECONDS * sample_rate)
    blocks: list[np.ndarray] = []
    peak = 0.0
    with Synth(soundfont, sample_rate) as synth:
        scheduler = Scheduler(synth)
        scheduler.set_events(events + _pedals_lifted(events, lift))
        while True:
            if cancel is not None and cancel():
                raise Cancelled("render cancelled")
            block = scheduler.pull(BLOCK)
            blocks.append(block)
            loudest = float(np.abs(block).max())
            peak = max(peak, loudest)
            pos = scheduler.position
            if pos >= music_end and (pos >= render_end or loudest < _silence(peak)):
                break
            if progress is not None:
                progress(min(1.0, pos / max(1, music_end)))
        if synth.unreadable is not None:
            raise BadInputError(
                f"{synth.unreadable}; some instruments would be missing from the WAV",
                "wav_instruments_missing",
                why=synth.unreadable.as_json(),
            )
    audio = np.concatenate(blocks)
    audio = audio[: _trim_point(audio, music_end, _silence(peak))]
    _fade_out_if_sounding(audio, _silence(peak), sample_rate)
    if progress is not None:
        progress(1.0)
    return to_int16(audio)


def left_out_tracks(project: Project) -> list[Track]:
    """The tracks with notes that mute or solo leave out of the render, as they do out of playback (Export
    WAV and the command line say which)."""
    audible = {t.id for t in project.audible_tracks()}
    return [t for t in project.tracks if t.notes and t.id not in audible]


def has_notes_to_render(project: Project) -> bool:
    """Whether any track that mute and solo leave playing has notes: else the render would be silent."""
    return any(t.notes for t in project.audible_tracks())


def is_silent(audio: np.ndarray) -> bool:
    """Whether a render has no music in it (``render_project`` leaves such a render all zeros)."""
    return not audio.any()


def _silence(peak: float) -> float:
    """The level below which a mix peaking at ``peak`` has died away."""
    return max(peak * 10 ** (SILENCE_DB / 20), NOISE_FLOOR)


def _pedals_lifted(events: list[Event], sample: int) -> list[Event]:
    """Sustain and sostenuto pedals up at ``sample`` on every channel that plays, so that a pedal still
    down at the end lets its notes ring and then release, as a pianist ends a piece."""
    channels = sorted({e.channel for e in events})
    return [Event(sample, "cc", channel, cc, 0) for channel in channels for cc in (SUSTAIN, SOSTENUTO)]


def _trim_point(audio: np.ndarray, music_end: int, silence: float) -> int:
    """Cut trailing silence after the last event, keeping at least the music itself."""
    tail = np.abs(audio[music_end:]).max(axis=1)
    loud = np.flatnonzero(tail >= silence)
    return max(music_end + (int(loud[-1]) + 1 if loud.size else 0), 1)


def _fade_out_if_sounding(audio: np.ndarray, silence: float, sample_rate: int) -> None:
    """Fade the last ``FADE_SECONDS`` out (in place) where the render stopped while something still
    sounded: a fade, not a click."""
    if len(audio) and float(np.abs(audio[-1]).max()) >= silence:
        n = min(len(audio), round(FADE_SECONDS * sample_rate))
        audio[-n:] *= np.linspace(1.0, 0.0, n, dtype=np.float32)[:, None]


def to_int16(audio: np.ndarray, peak_dbfs: float = PEAK_DBFS) -> np.ndarray:
    """Scale float audio so its peak sits at ``peak_dbfs`` and convert to int16 (silence stays silent)."""
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    if peak < NOISE_FLOOR:  # no music to bring up, only FluidSynth's numerical noise
        return np.zeros(audio.shape, dtype=np.int16)
    scaled = audio * (32767 * 10 ** (peak_dbfs / 20) / peak)
    np.rint(scaled, out=scaled)
    np.clip(scaled, -32768, 32767, out=scaled)
    return scaled.astype(np.int16)
