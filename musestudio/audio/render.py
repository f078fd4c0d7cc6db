"""Offline rendering of a whole project to 16-bit stereo, through the same scheduler the player uses."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from musestudio.audio.scheduler import Event, Scheduler, events_for
from musestudio.audio.synth import Synth
from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.events import SOSTENUTO, SUSTAIN
from musestudio.core.project import Project
from musestudio.core.timing import project_seconds
from musestudio.core.track import Track
from musestudio.io.wav import write_wav, write_wav_blocks

__all__ = [
    "Cancelled",
    "Rendering",
    "has_notes_to_render",
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
MAX_HOURS = 6  # a 16-bit stereo WAV at 44.1 kHz holds at most 6.7 hours (4 GB)
CHUNK = 1 << 16  # frames scaled to 16 bits at a time: 512 KB of float
FRAME_BYTES = 8  # a stereo float32 frame in the spool


def render_project(
    project: Project,
    soundfont: str | Path | None = None,
    sample_rate: int = 44100,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> np.ndarray:
    """The audible tracks as int16 frames (n, 2), peak-normalised to -1 dBFS, with the release tail: a
    ``Rendering`` held in memory (as 16 bits only; a WAV is better written by ``Rendering.write_wav``)."""
    with Rendering(project, soundfont, sample_rate, progress, cancel) as rendering:
        return rendering.to_array()


class Rendering:
    """A render of the audible tracks, peak-normalised to -1 dBFS, with the release tail.

    The whole piece is scaled by one factor, found once it is all rendered: a soft piece comes up, and a
    dense fortissimo that FluidSynth takes over full scale (+8 dB) comes down, unclipped and with the
    distances between its loud and soft bars as written. A limiter would flatten the climaxes a musician
    wrote; live playback, which cannot wait for the end, needs one (``limiter``), the WAV does not.

    The tail runs until the sound has died away relative to the mix, so a soft piece keeps its release
    as a loud one does; a pedal still down at the end is lifted ``TAIL_MAX_SECONDS`` after the last
    event, and a release still sounding ``RELEASE_SECONDS`` after that fades out rather than stopping.
    A render with no music in it (every track muted, notes too soft to sound, a damaged soundfont's
    silent samples) is all zeros (``silent``); ``soundfont`` is the file it was rendered with, for saying
    which, and ``damaged`` its samples that cannot sound (``Synth.damaged``): a render that is not silent
    may still lack the instruments using them, which the caller says.
    A piece that ends in silent bars (a loop, ``Project.end_of_track``) renders them: in a DAW the WAV
    then loops as the piece does.

    The float mix goes to an unnamed temporary file as it is rendered, and comes back scaled to 16 bits
    a chunk at a time (``write_wav``, ``to_array``): held whole, and copied twice on the way to 16 bits,
    it took 4.5 GB an hour of music, more than a laptop has for the hours a render may last.

    ``progress`` gets 0..1 after each block; ``cancel`` is asked before each block and stops the render
    with ``Cancelled``. An empty project gives one silent frame, so the WAV file is still valid.
    """

    def __init__(
        self,
        project: Project,
        soundfont: str | Path | None = None,
        sample_rate: int = 44100,
        progress: Callable[[float], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> None:
        self.sample_rate = sample_rate
        self.soundfont: Path | None = None  # the file FluidSynth rendered with (``_render``)
        self.damaged = (0, 0)  # its samples pointing outside its sample data, its samples
        self._spool = tempfile.TemporaryFile(prefix="musestudio-render-")
        try:
            self._peak, music_end, spooled = self._render(project, soundfont, progress, cancel)
            silence = _silence(self._peak)
            self.frames = music_end + _sounding_frames(self._read(music_end, spooled), silence)
            self.frames = max(self.frames, 1)
            last = self._read(self.frames - 1, self.frames)
            self._fade = min(self.frames, round(FADE_SECONDS * sample_rate)) if _loud(last, silence) else 0
        except BaseException:
            self.close()
            raise
        if progress is not None:
            progress(1.0)

    @property
    def silent(self) -> bool:
        """Whether there is no music in it (it is then all zeros), only FluidSynth's numerical noise."""
        return self._peak < NOISE_FLOOR

    def blocks(self) -> Iterator[np.ndarray]:
        """The render as int16 frames, ``CHUNK`` at a time."""
        for start in range(0, self.frames, CHUNK):
            yield self._int16(start, min(start + CHUNK, self.frames))

    def to_array(self) -> np.ndarray:
        out = np.empty((self.frames, 2), dtype=np.int16)
        for start in range(0, self.frames, CHUNK):
            stop = min(start + CHUNK, self.frames)
            out[start:stop] = self._int16(start, stop)
        return out

    def write_wav(self, path: str | Path) -> None:
        write_wav_blocks(path, self.blocks(), self.sample_rate)

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> Rendering:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _render(self, project, soundfont, progress, cancel) -> tuple[float, int, int]:
        """Render into the spool: (the peak, the sample of the last event or the piece's end, frames)."""
        sample_rate = self.sample_rate
        events = events_for(project, sample_rate)
        piece_end = round(project_seconds(project, project.length) * sample_rate)  # a file's silent bars too
        music_end = max([piece_end, *(e.sample for e in events)])
        if music_end > MAX_HOURS * 3600 * sample_rate:
            hours = music_end / sample_rate / 3600
            raise BadInputError(
                f"the project lasts {hours:.1f} hours; rendering is limited to {MAX_HOURS} hours"
            )
        lift = music_end + round(TAIL_MAX_SECONDS * sample_rate)
        render_end = lift + round(RELEASE_SECONDS * sample_rate)
        peak = 0.0
        with Synth(soundfont, sample_rate) as synth:
            self.soundfont, self.damaged = synth.soundfont, synth.damaged
            scheduler = Scheduler(synth)
            scheduler.set_events(events + _pedals_lifted(events, lift))
            while True:
                if cancel is not None and cancel():
                    raise Cancelled("render cancelled")
                block = scheduler.pull(BLOCK)
                self._spool.write(block.tobytes())
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
        return peak, music_end, scheduler.position

    def _read(self, start: int, stop: int) -> np.ndarray:
        """Float frames [start, stop) back from the spool."""
        self._spool.seek(start * FRAME_BYTES)
        return np.frombuffer(self._spool.read((stop - start) * FRAME_BYTES), dtype=np.float32).reshape(-1, 2)

    def _int16(self, start: int, stop: int) -> np.ndarray:
        """Frames [start, stop) normalised, faded out at the end where the render stopped while something
        still sounded (a fade, not a click), as int16."""
        audio = self._read(start, stop)
        fade_from = self.frames - self._fade
        if self._fade and stop > fade_from:
            first = max(start, fade_from)
            ramp = np.linspace(1.0, 0.0, self._fade, dtype=np.float32)[first - fade_from : stop - fade_from]
            audio = audio.copy()
            audio[first - start :] *= ramp[:, None]
        return to_int16(audio, peak=self._peak)


def left_out_tracks(project: Project) -> list[Track]:
    """The tracks with notes that mute or solo leave out of the render, as they do out of playback (Export
    WAV and the command line say which)."""
    audible = {t.id for t in project.audible_tracks()}
    return [t for t in project.tracks if t.notes and t.id not in audible]


def has_notes_to_render(project: Project) -> bool:
    """Whether any track that mute and solo leave playing has notes: else the render would be silent."""
    return any(t.notes for t in project.audible_tracks())


def _silence(peak: float) -> float:
    """The level below which a mix peaking at ``peak`` has died away."""
    return max(peak * 10 ** (SILENCE_DB / 20), NOISE_FLOOR)


def _pedals_lifted(events: list[Event], sample: int) -> list[Event]:
    """Sustain and sostenuto pedals up at ``sample`` on every channel that plays, so that a pedal still
    down at the end lets its notes ring and then release, as a pianist ends a piece."""
    channels = sorted({e.channel for e in events})
    return [Event(sample, "cc", channel, cc, 0) for channel in channels for cc in (SUSTAIN, SOSTENUTO)]


def _sounding_frames(tail: np.ndarray, silence: float) -> int:
    """How much of the ``tail`` after the last event still sounds: the trailing silence is cut."""
    loud = np.flatnonzero(np.abs(tail).max(axis=1) >= silence)
    return int(loud[-1]) + 1 if loud.size else 0


def _loud(frames: np.ndarray, silence: float) -> bool:
    return bool(len(frames)) and float(np.abs(frames).max()) >= silence


def to_int16(audio: np.ndarray, peak_dbfs: float = PEAK_DBFS, peak: float | None = None) -> np.ndarray:
    """Scale float audio so its peak (``peak``: the whole mix's, where ``audio`` is a part of it) sits at
    ``peak_dbfs`` and convert to int16 (silence stays silent)."""
    if peak is None:
        peak = float(np.abs(audio).max()) if audio.size else 0.0
    if peak < NOISE_FLOOR:  # no music to bring up, only FluidSynth's numerical noise
        return np.zeros(audio.shape, dtype=np.int16)
    scaled = audio * (32767 * 10 ** (peak_dbfs / 20) / peak)
    np.rint(scaled, out=scaled)
    np.clip(scaled, -32768, 32767, out=scaled)
    return scaled.astype(np.int16)


def render_or_advise(project: Project):
    """``render_project`` for the commands that take no ``--soundfont`` (the demo, the self-test): with no
    soundfont anywhere (the bundle's own deleted, none installed) the way out is to install one, so the
    message says where the app's own belongs and how, not the renderer's ``--soundfont``."""
    from musestudio import paths
    from musestudio.audio.soundfont import INSTALL_COMMAND

    try:
        return render_project(project)
    except BadInputError as e:
        if e.code != "no_soundfont":
            raise
        raise BadInputError(
            f"no General MIDI soundfont found, so no WAV (the app's own belongs in "
            f"{paths.resource('soundfonts')}); install one with '{INSTALL_COMMAND}'"
        ) from None
