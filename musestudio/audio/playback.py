"""Playing a project to the sound card from a script (``musestudio-cli play FILE``), without Qt; and the
live transport's Qt-free helpers (a count-in bar, a wall clock for machines with no sound card).

The same synth and scheduler as the app's live player and the WAV renderer, in a sounddevice stream; the
call blocks until the music and its release tail are over. A machine with no sound device, or no PortAudio,
gets a ``BadInputError`` that says so and points at the alternatives.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

from musestudio.audio.scheduler import (
    METRONOME_CHANNEL,
    METRONOME_PITCHES,
    METRONOME_SECONDS,
    Event,
    Scheduler,
    _metronome_events,
    events_for,
)
from musestudio.core.errors import BadInputError
from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, bar_ticks, counted_beat_ticks, project_seconds, signature_at

TAIL_SECONDS = 1.0
NO_DEVICE_HINT = (
    "play to a MIDI port with --port NAME (see 'musestudio-cli ports'), or write a WAV with "
    "'musestudio-cli render'"
)


def output_device(device: str | int | None = None) -> dict:
    """The sound device to play on; BadInputError when there is none."""
    try:
        import sounddevice as sd
    except OSError:  # the PortAudio library is missing
        raise BadInputError(
            f"cannot play audio: PortAudio is not installed ('apt-get install libportaudio2'); {NO_DEVICE_HINT}"
        ) from None
    try:
        return sd.query_devices(device, kind="output")
    except (sd.PortAudioError, ValueError):
        raise BadInputError(f"cannot play audio: no sound output device found; {NO_DEVICE_HINT}") from None


def play_to_device(
    project: Project,
    soundfont: str | Path | None = None,
    device: str | int | None = None,
    sample_rate: int = 44100,
    stop: threading.Event | None = None,
) -> float:
    """Play ``project`` to the sound card and return when it has finished (or ``stop`` is set): after the
    release tail of its last event, and not before the piece's end where it ends in silent bars (a loop's,
    ``Project.end_of_track``), as the app's player and ``render`` play it."""
    import sounddevice as sd

    from musestudio.audio.limiter import SafetyLimiter
    from musestudio.audio.synth import Synth

    output_device(device)
    stop = stop or threading.Event()
    events = events_for(project, sample_rate)
    tail_end = max((e.sample for e in events), default=0) + round(TAIL_SECONDS * sample_rate)
    end = max(tail_end, round(project_seconds(project, project.length) * sample_rate))
    with Synth(soundfont, sample_rate) as synth:
        scheduler = Scheduler(synth)
        scheduler.set_events(events)
        limiter = SafetyLimiter(sample_rate)  # a dense fortissimo would clip at the sound card
        done = threading.Event()

        def callback(outdata, frames, _time, _status) -> None:
            outdata[:] = limiter.process(scheduler.pull(frames))
            if scheduler.position >= end:
                done.set()

        try:
            with sd.OutputStream(
                samplerate=sample_rate, channels=2, dtype="float32", device=device, callback=callback
            ):
                while not (done.is_set() or stop.is_set()):
                    done.wait(0.1)
        except sd.PortAudioError as e:
            raise BadInputError(f"the sound device failed: {e}; {NO_DEVICE_HINT}") from None
    return scheduler.position / sample_rate


# -- the live transport's helpers: a count-in, and a clock for machines without a sound card --------------


def with_count_in(
    events: list[Event], project: Project, start_tick: int, sample_rate: int
) -> tuple[list[Event], int]:
    """``events`` preceded by a bar of metronome clicks before ``start_tick``, and the bar's length in
    samples (the offset every later event moved by).

    The count-in bar has the meter and tempo in force at ``start_tick``; nothing of the score sounds in
    it (its notes and clicks before ``start_tick`` are left out), but controllers set before the start
    still reach the synth before the first note. Playing starts at the sample of ``start_tick``: the
    clicks fill the first bar, the music follows ``offset`` samples later. The clicks fall on the score's
    beats (``count_in_beats``), so from a playhead off the beat the music's own beat goes on from them.
    """
    tpb = project.ticks_per_beat
    sig = signature_at(project.time_signatures, start_tick)
    seconds_per_tick = count_in_seconds_per_tick(project, start_tick)
    bar = bar_ticks(sig, tpb)
    offset = round(bar * seconds_per_tick * sample_rate)
    start = round(project_seconds(project, start_tick) * sample_rate)
    click = round(METRONOME_SECONDS * sample_rate)
    out = [
        replace(e, sample=e.sample + offset)  # each keeps its place at its sample (``after_releases``)
        for e in events
        if e.kind not in ("on", "off") or e.sample >= start
    ]
    out.append(Event(start, "program", METRONOME_CHANNEL, 0, 1))
    for before, downbeat in count_in_beats(project, start_tick):
        s = start + round((bar - before) * seconds_per_tick * sample_rate)
        pitch, velocity = (METRONOME_PITCHES[0], 110) if downbeat else (METRONOME_PITCHES[1], 80)
        out.append(Event(s, "on", METRONOME_CHANNEL, pitch, velocity))
        out.append(Event(s + click, "off", METRONOME_CHANNEL, pitch))
    out.sort(key=Event.sort_key)
    return out, offset


def count_in_seconds_per_tick(project: Project, start_tick: int) -> float:
    """How long a tick of the count-in before ``start_tick`` lasts: its bar is played in the tempo in force
    at the start, the tempo the music comes in at, whatever the score's tempo is before the start."""
    return 60.0 / (project.tempo_at(start_tick).bpm * project.ticks_per_beat)


def count_in_beats(project: Project, start_tick: int) -> list[tuple[int, bool]]:
    """The count-in's clicks: (ticks before ``start_tick``, whether a downbeat) for each counted beat of
    the meter at ``start_tick`` (a 6/8 bar's two dotted quarters, as the metronome clicks) in the bar before it, on the score's beats as if that bar were written out before the
    start. From a bar line these are the bar's beats, downbeat first; from a playhead off the beat (where
    the music was stopped) they keep the phase of the beat the music clicks on after them, so the count
    does not jump by a fraction of a beat where the music comes in."""
    tpb = project.ticks_per_beat
    sig = signature_at(project.time_signatures, start_tick)
    bar, beat = bar_ticks(sig, tpb), counted_beat_ticks(sig, tpb)
    into_bar = start_tick - max(
        t for t in bar_lines(project.time_signatures, tpb, start_tick) if t <= start_tick
    )
    nearest = into_bar % beat or beat  # back to the last beat before the start
    return [(before, (into_bar - before) % bar == 0) for before in reversed(range(nearest, bar + 1, beat))]


#: Recording and jam mode click on this many bars past the end of the score.
ENDLESS_BARS = 256


def endless_end(project: Project) -> int:
    """Where recording and jam mode stop clicking: ``ENDLESS_BARS`` past the end of the score (recording
    into an empty piece must still have a beat to play to)."""
    return max(project.end, 1) + ENDLESS_BARS * 4 * project.ticks_per_beat


def clicks_until(project: Project, end_tick: int, sample_rate: int) -> list[Event]:
    """Metronome clicks on every counted beat from the start to ``end_tick``."""

    def at(tick: int) -> int:
        return round(project_seconds(project, tick) * sample_rate)

    return _metronome_events(project, 0, end_tick, at, sample_rate)


class SilentSink:
    """The synth interface with nothing behind it: the transport of a machine with no sound card still
    runs its Scheduler (positions, loops, what MIDI out follows), it just renders no sound."""

    def note_on(self, *_a) -> None: ...
    def note_off(self, *_a) -> None: ...
    def program_change(self, *_a, **_k) -> None: ...
    def control_change(self, *_a) -> None: ...
    def pitch_bend(self, *_a) -> None: ...
    def channel_pressure(self, *_a) -> None: ...
    def key_pressure(self, *_a) -> None: ...
    def reset_controllers(self, *_a) -> None: ...
    def all_notes_off(self) -> None: ...
    def render_into(self, out) -> None: ...


class WallClock:
    """Pulls a Scheduler on ``time.perf_counter`` in a thread of its own, as a sound card's callback
    would: the transport's clock when there is no audio device. ``on_pull(now, position)`` is told the
    moment and the sample reached after every pull (the player's anchor for "which sample is heard now").
    """

    PERIOD = 0.002  # seconds between pulls: the playhead and MIDI out need no finer steps

    def __init__(self, scheduler: Scheduler, sample_rate: int, on_pull) -> None:
        self.scheduler = scheduler
        self.sample_rate = sample_rate
        self.on_pull = on_pull
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="transport clock", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        t0 = time.perf_counter()
        pulled = 0
        while not self._stop.wait(self.PERIOD):
            now = time.perf_counter()
            due = int((now - t0) * self.sample_rate) - pulled
            if due > 0:
                self.scheduler.pull(due)
                pulled += due
            self.on_pull(now, self.scheduler.position)

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(1.0)
