"""Live playback: a sounddevice output stream whose callback pulls frames from the Qt-free Scheduler.

``LivePlayer`` holds no Qt: the synth and scheduler are the very ones the offline renderer uses, so what
you hear is what Export WAV writes. The stream stays open while the app runs (stopped, it renders silence
and auditioned notes), asks for a small block (256 frames, 5.8 ms at 44.1 kHz) and PortAudio's low-latency
setting, so the keyboard answers in about 12 ms where the device allows. A machine with no sound device
(or no PortAudio) still gets a transport: the same Scheduler, with no synth behind it, is pulled on the wall
clock (``playback.WallClock``), so the playhead moves, loops loop and MIDI out plays, and ``status`` says
playback is silent. So does a sound card whose stream will not start (busy, a rate it refuses), and a synth
that cannot start (no soundfont, a damaged one): the transport runs silently and ``status`` says why, in the
words of ``say`` (the window's ``ErrorWords.say``, which words the synth's error codes in the user's
language; this layer cannot reach the UI). A card that stops while the app runs (unplugged mid-play, a
driver fault, a callback that fails) is noticed on the GUI thread (``lose_card``, polled while playing and
checked at Play) and the transport goes on from where the music was on the wall clock, MIDI out with it. A
card that is away is tried again, quietly, at the next Play (``_try_card_again``): plugged back in, it plays.

``heard_sample(t)`` says which sample is being heard at a ``perf_counter`` moment (the last block's start,
moved on by the time since, less the device's latency): recording stamps keyboard notes with it, and MIDI
out follows it, with ``events`` / ``events_version`` as the list it plays. A count-in shifts the whole
timeline by one bar (``offset`` samples) so its clicks come first. ``PlayerAdapter`` is the thin Qt side: it polls the position ~60 times a second while
playing and turns it into playhead signals.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from musestudio.core.errors import BadInputError
from musestudio.core.project import Project
from musestudio.core.timing import project_seconds, project_ticks

if TYPE_CHECKING:  # imported when the player opens: numpy and FluidSynth stay off the start-up path
    import numpy as np

    from musestudio.audio.limiter import SafetyLimiter
    from musestudio.audio.scheduler import Scheduler
    from musestudio.audio.synth import Synth

AUDITION_MS = 300
TAIL_SECONDS = 1.0  # playback stops this long after the last note-off, once the release has rung out
# A sound card whose stream has asked for no sound this long has stopped (unplugged where the driver says
# nothing): long enough that a machine holding the audio thread up a moment is not taken for one.
STALLED_SECONDS = 1.5


class LivePlayer:
    """Plays a Project through FluidSynth into the default (or a named) output device. ``say`` words the
    synth's errors for ``status`` (without it: the English they were raised with)."""

    def __init__(
        self,
        soundfont: str | Path | None = None,
        sample_rate: int = 44100,
        blocksize: int = 256,
        device: str | int | None = None,
        say: Callable[[BadInputError], str] = str,
    ) -> None:
        self.soundfont = soundfont
        self.say = say
        self.sample_rate = sample_rate
        self.blocksize = blocksize
        self.device = device
        self.synth: Synth | None = None
        self.scheduler: Scheduler | None = None
        self.limiter: SafetyLimiter | None = None  # between the synth and the sound card (``load_synth``)
        self.audition_channel = 0
        self.stream = None
        self.status = QCoreApplication.translate("Player", "Audio not started")
        self.available = False
        self.latency = 0.0
        self.endless = False  # recording, jamming: play on (and click on) past the end of the score
        self.silent = (
            False  # no sound (``why_silent``): the scheduler runs on the wall clock, without a synth
        )
        self.why_silent = ""  # why, in the user's words (``open_silent``)
        self.offset = 0  # samples the count-in shifted the timeline by
        self.events: list = []  # what is playing now, for MIDI out to follow
        self.events_version = 0
        self.start_tick = 0  # where the transport last started
        self.start_sample = 0
        self.stopped_at = 0  # the sample heard when the transport last stopped
        self._clock = None
        # (perf_counter at a block's start, the block's first sample, the loop's laps by then)
        self._anchor = (0.0, 0, 0)
        self._laps_at_play = 0
        self._count_in_tick: int | None = None
        self._loop_samples: tuple[int, int] | None = None
        self._loop_ticks: tuple[int, int] | None = None  # the same loop in ticks, for a tempo edit
        # the timeline the last run stopped with: (stop moment, anchor, loop samples, offset); None playing
        self._stopped_timeline: tuple[float, tuple[float, int, int], tuple[int, int] | None, int] | None = (
            None
        )
        self._metronome = False
        self._project: Project | None = None
        self._playing = False
        self._loop = False
        self._piece_end = 0  # the sample a piece ending in silent bars ends at (``_set_events``)
        self._lock = threading.Lock()
        self._no_synth = ""  # why the synth could not start
        self.card_away = False  # silent because of the sound card: Play tries it again (``_try_card_again``)
        self._card_name = ""  # the card the stream plays on
        self._stream_ended: threading.Event | None = None  # set when the stream ends without our stopping it
        self._callback_error = ""  # what made the audio callback fail (the stream ends after it)
        self._told_unreadable = False

    # -- set-up ----------------------------------------------------------------------------------------
    def load_synth(self) -> bool:
        """Load FluidSynth and the soundfont; False when that fails (``open`` says why)."""
        from musestudio.audio.limiter import SafetyLimiter
        from musestudio.audio.scheduler import METRONOME_CHANNEL, Scheduler
        from musestudio.audio.synth import Synth

        self.audition_channel = METRONOME_CHANNEL - 1  # a channel no track plays on
        try:
            self.synth = Synth(self.soundfont or None, self.sample_rate)
        except BadInputError as e:
            self._no_synth = self.say(e)
            return False
        self.scheduler = Scheduler(self.synth)
        self.limiter = SafetyLimiter(self.sample_rate)
        return True

    def _through_synth(self) -> None:
        """The synth kept from a card that failed plays again: a scheduler of its own in place of the
        silent clock's (the soundfont is not loaded again, which takes a moment at Play)."""
        from musestudio.audio.limiter import SafetyLimiter
        from musestudio.audio.scheduler import Scheduler

        self.scheduler = Scheduler(self.synth)
        self.limiter = SafetyLimiter(self.sample_rate)

    def open(self) -> bool:
        """Load the synth and start the output stream; with no sound (no card, one that fails, no synth)
        the transport runs silently on the wall clock, ``status`` saying why. True: playback works."""
        try:
            import sounddevice as sd
        except OSError:  # sounddevice raises OSError when the PortAudio library is missing
            return self.open_silent(QCoreApplication.translate("Player", "PortAudio is not installed"))
        why = self._start_card(sd)
        return True if why is None else self.open_silent(why)

    def _start_card(self, sd) -> str | None:
        """Start the output stream on the sound card with the synth behind it: None when it plays, else why
        not, in the user's words (``card_away`` then says whether Play should try the card again)."""
        try:
            info = sd.query_devices(self.device, kind="output")
        except (sd.PortAudioError, ValueError):
            self.card_away = True
            return QCoreApplication.translate("Player", "there is no audio device")
        if self.synth is None:
            if not self.load_synth():  # the transport and MIDI out still run
                self.card_away = False  # the card is not what failed
                return self._no_synth
        elif self.silent:
            self._through_synth()
        ended = threading.Event()
        try:
            self.stream = sd.OutputStream(
                samplerate=self.sample_rate,
                blocksize=self.blocksize,
                channels=2,
                dtype="float32",
                latency="low",
                device=self.device,
                callback=self._callback,
                finished_callback=ended.set,
            )
            self._anchor = (time.perf_counter(), self.scheduler.position, self.scheduler.laps)
            self.stream.start()
        except (sd.PortAudioError, ValueError) as e:  # made, but it would not start; or not made at all
            self._close_stream()
            self.card_away = True
            return _card_failed(str(info["name"]), str(e))
        self._stream_ended, self._callback_error = ended, ""
        self._card_name = str(info["name"])
        self.card_away = self.silent = False
        self.why_silent = ""
        self.latency = float(self.stream.latency)
        self.available = True
        self.status = (
            QCoreApplication.translate("Player", "Audio: %1 (%2 ms)")
            .replace("%1", self._card_name)
            .replace("%2", f"{self.latency * 1000:.0f}")
        ) + _damage_said(self.synth)
        return None

    def _close_stream(self) -> None:
        """Stop and close the card's stream, if any; one whose card has gone may fail to: it is let go all
        the same. The synth is kept, for the card's return."""
        self._stream_ended = None  # stopping it now is ours, not the card's
        if self.stream is not None:
            import sounddevice as sd

            with contextlib.suppress(sd.PortAudioError):
                self.stream.stop()
            with contextlib.suppress(sd.PortAudioError):
                self.stream.close()
            self.stream = None

    def _why_card_stopped(self) -> str | None:
        """Why the sound card stopped while its stream was open (unplugged, a driver fault, an audio
        callback that failed), in the user's words; None while it plays or when there is none."""
        ended = self._stream_ended
        if self.stream is None or ended is None:
            return None
        if self._callback_error:
            detail = self._callback_error
        elif ended.is_set():
            detail = QCoreApplication.translate("Player", "its stream ended")
        elif time.perf_counter() - self._anchor[0] > STALLED_SECONDS:
            detail = QCoreApplication.translate("Player", "it has asked for no sound for %1 s").replace(
                "%1", f"{STALLED_SECONDS:g}"
            )
        else:
            return None
        return (
            QCoreApplication.translate("Player", "the audio device %1 stopped: %2")
            .replace("%1", self._card_name)
            .replace("%2", detail)
        )

    def lose_card(self) -> bool:
        """If the sound card has stopped (``_why_card_stopped``), go on without it on the wall clock: the
        music goes on from where it is heard, so the playhead moves on and MIDI out plays on, only nothing
        is heard here; ``status`` and ``why_silent`` say why. True when it did (GUI thread)."""
        why = self._why_card_stopped()
        if why is None:
            return False
        self._close_stream()
        self.card_away = True
        return self.open_silent(why)

    def _try_card_again(self) -> None:
        """At Play: a card that failed, went away or stopped since is tried again, quietly: back, it plays;
        still away, the silent clock runs on with the reason already given. PortAudio's list of devices is
        the one it made at start-up: listing them afresh means terminating PortAudio, which aborts the
        whole process where a JACK server it knew has gone (seen in the tests), so a card is found again
        under the name and number it had (a USB card plugged back in, the sound server's default)."""
        self.lose_card()  # stopped while nothing played
        if not self.card_away:
            return
        import sounddevice as sd

        why = self.why_silent
        self._stop_clock()
        if self._start_card(sd) is not None:
            self.open_silent(why)

    def open_silent(self, why: str) -> bool:
        """Run the transport on the wall clock with no sound (no audio device, or one that failed);
        True: playback works. Playing, the music goes on from where it is heard: the sample, and the
        loop's laps since Play, that MIDI out and a recording go by."""
        from musestudio.audio.playback import SilentSink, WallClock
        from musestudio.audio.scheduler import Scheduler

        self._stop_clock()
        now = time.perf_counter()
        sample, laps = self._heard(now) if self._playing else (0, 0)
        self.scheduler = Scheduler(SilentSink())
        if self._playing:
            self.scheduler.set_events(self.events)
            self.scheduler.set_loop(*(self._loop_samples or (None, None)))
            self.scheduler.seek(sample)
            self._laps_at_play = -laps  # this scheduler counts laps from none
        self._anchor = (now, self.scheduler.position, self.scheduler.laps)
        self.silent = True
        self.why_silent = why
        self.available = True
        self.latency = 0.0
        self._clock = WallClock(self.scheduler, self.sample_rate, self._set_anchor)
        self._clock.start()
        self.status = QCoreApplication.translate("Player", "Playback is silent: %1").replace("%1", why)
        return True

    def _stop_clock(self) -> None:
        if self._clock is not None:
            self._clock.close()
            self._clock = None

    def soundfont_became_unreadable(self) -> bool:
        """True once, when the synth has found it can no longer read instruments from the soundfont (the
        file changed or its disk failed while the app ran); ``status`` then says so."""
        if self.synth is None or self.synth.unreadable is None or self._told_unreadable:
            return False
        self._told_unreadable = True
        self.status = QCoreApplication.translate("Player", "Some instruments are silent: %1").replace(
            "%1", self.say(self.synth.unreadable)
        )
        return True

    def close(self) -> None:
        self._stop_clock()
        self._close_stream()
        if self.synth is not None:
            self.synth.close()
            self.synth = None
        self.available = False

    # -- audio thread ----------------------------------------------------------------------------------
    def _callback(self, outdata, frames, _time, _status) -> None:
        try:
            self.fill(outdata)
        except Exception as e:
            outdata.fill(0)
            self._callback_error = str(e) or type(e).__name__  # for ``lose_card`` to say
            raise  # sounddevice prints it and ends the stream: the GUI thread goes on without the card

    def fill(self, out: np.ndarray) -> None:
        """Write the next ``len(out)`` frames: the scheduler's while playing, else auditions or silence,
        kept under full scale (a dense fortissimo would clip at the sound card: ``limiter``)."""
        self._anchor = (time.perf_counter(), self.scheduler.position, self.scheduler.laps)
        out[:] = self.limiter.process(self.scheduler.pull(len(out)))

    def _set_anchor(self, now: float, position: int) -> None:
        self._anchor = (now, position, self.scheduler.laps)

    @property
    def loop_samples(self) -> tuple[int, int] | None:
        """The loop playing (samples of the shifted timeline), None when none: MIDI out plays its laps too."""
        return self._loop_samples

    def heard_sample(self, now: float) -> int:
        """The sample (of the shifted timeline) heard at ``perf_counter`` moment ``now``, loops unwound."""
        return self._heard(now)[0]

    def _timeline(self) -> tuple[float, tuple[float, int, int], tuple[int, int] | None, int]:
        """(the last moment it runs to, anchor, loop samples, offset) the heard sample is read from. Once
        stopped, the clock stands at the stop: a take stopped by Space reads its end, and the notes still
        held then, from it after the stop (the live anchor has moved on, from sample 0, by then)."""
        if self._playing or self._stopped_timeline is None:
            return float("inf"), self._anchor, self._loop_samples, self.offset
        return self._stopped_timeline

    def _heard(self, now: float) -> tuple[int, int]:
        """The sample heard at ``now`` and the loop's laps since Play by then."""
        until, (t, position, laps), loop, _offset = self._timeline()
        sample = position + round((min(now, until) - t - self.latency) * self.sample_rate)
        if loop is not None and sample >= loop[1] > loop[0]:
            over = sample - loop[1]
            laps += 1 + over // (loop[1] - loop[0])
            sample = loop[0] + over % (loop[1] - loop[0])
        return sample, laps - self._laps_at_play

    def tick_at(self, now: float, loop: tuple[int, int] | None = None) -> float:
        """The score's tick heard at ``now`` (before the start tick during a count-in, counted in the
        count-in's own tempo, that of the start: a note played a moment early is that much early; may be
        negative).

        Given the ``loop`` playing (in ticks), the tick counts on past its end, a loop's length a lap, as
        if the loop were written out: a recording tells its passes apart by it."""
        if self._project is None:
            return 0.0
        sample, laps = self._heard(now)
        offset = self._timeline()[3]
        seconds = (sample - offset) / self.sample_rate
        if offset and not laps:  # a count-in came first
            start = project_seconds(self._project, self.start_tick)
            if seconds < start:
                from musestudio.audio.playback import count_in_seconds_per_tick

                per_tick = count_in_seconds_per_tick(self._project, self.start_tick)
                return self.start_tick - (start - seconds) / per_tick
        tick = project_ticks(self._project, seconds)
        return tick + laps * (loop[1] - loop[0]) if loop is not None else tick

    # -- transport (GUI thread) ------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._playing

    def _sample(self, project: Project, tick: int) -> int:
        return round(project_seconds(project, tick) * self.sample_rate)

    def play(
        self,
        project: Project,
        start_tick: int,
        loop: tuple[int, int] | None = None,
        metronome: bool = False,
        count_in: bool = False,
    ) -> bool:
        """Play from ``start_tick``; with ``count_in`` a bar of clicks comes first. A sound card that is
        away is tried again first (``_try_card_again``)."""
        if self.scheduler is None:
            return False
        self._try_card_again()

        self._project = project
        self._metronome = metronome
        self._count_in_tick = start_tick if count_in else None
        self.start_tick = start_tick
        self._loop_ticks = loop  # the metronome clicks on through its bars (``_clicks_end``)
        self._set_events(project)
        self.set_loop(loop)
        self.start_sample = self._sample(project, start_tick)
        self.scheduler.seek(self.start_sample)
        self._anchor = (time.perf_counter() + self.latency, self.scheduler.position, self.scheduler.laps)
        self._laps_at_play = self.scheduler.laps
        self._stopped_timeline = None
        self._playing = True
        return True

    def _set_events(self, project: Project) -> None:
        from musestudio.audio.playback import clicks_until, with_count_in
        from musestudio.audio.scheduler import events_for

        events = events_for(project, self.sample_rate)
        if self._metronome:
            clicks = clicks_until(project, self._clicks_end(project), self.sample_rate)
            events = sorted(events + clicks, key=lambda e: e.sort_key())
        self.offset = 0
        if self._count_in_tick is not None:
            events, self.offset = with_count_in(events, project, self._count_in_tick, self.sample_rate)
        self.scheduler.set_events(events)
        self.events = events
        self.events_version += 1
        # where a piece ending in silent bars ends (a loop's, ``Project.end_of_track``): worked out here,
        # with the events, not on every poll of ``finished``
        self._piece_end = self._sample(project, project.end_of_track) + self.offset

    def _clicks_end(self, project: Project) -> int:
        """Where the metronome stops clicking: far past the score's end when playing on (recording, jam
        mode), else at the piece's end, or at the end of a loop that runs past it: the loop's bars of
        rests are counted as they play, as the piece's own silent bars are."""
        from musestudio.audio.playback import endless_end

        if self.endless:
            return endless_end(project)
        return max(project.length, 1, self._loop_ticks[1] if self._loop_ticks is not None else 0)

    def update(self, project: Project, metronome: bool) -> None:
        """The score changed while playing: swap the events in without a gap. Where its tempo map changed
        (a tempo edited, or its edit undone), the music goes on from the tick it had reached and a loop
        keeps its bars: the samples they fall on have moved."""
        if self._playing and self.scheduler is not None:
            old = self._project
            retimed = old is not None and _tempo_map(old) != _tempo_map(project)
            tick = self._scheduled_tick() if retimed else None
            self._project = project
            self._metronome = metronome
            self._set_events(project)
            if retimed:
                self.set_loop(self._loop_ticks)
            if tick is not None:
                self.scheduler.seek(self._sample(project, tick) + self.offset)

    def _scheduled_tick(self) -> float | None:
        """The tick the scheduler has rendered up to (None in a count-in, which has no tick)."""
        past_count_in = self.scheduler.position - self.offset
        if past_count_in < 0:
            return None
        return project_ticks(self._project, past_count_in / self.sample_rate)

    def seek(self, tick: int) -> None:
        """Jump while playing (a click on the ruler): sounding notes are released, the music goes on."""
        if self._playing and self.scheduler is not None and self._project is not None:
            self.scheduler.seek(self._sample(self._project, tick) + self.offset)

    def set_loop(self, loop: tuple[int, int] | None) -> None:
        if self.scheduler is None or self._project is None:
            return
        clicks_end = self._clicks_end(self._project)
        self._loop = loop is not None
        self._loop_ticks = loop
        if self._playing and self._metronome and self._clicks_end(self._project) != clicks_end:
            self._set_events(self._project)  # the clicks go on through the new loop's bars
        if loop is None:
            self._loop_samples = None
        else:
            self._loop_samples = (
                self._sample(self._project, loop[0]) + self.offset,
                self._sample(self._project, loop[1]) + self.offset,
            )
        self.scheduler.set_loop(*(self._loop_samples or (None, None)))

    def stop(self) -> None:
        if self._playing:  # where the music stopped: MIDI out sends what was due up to there
            now = time.perf_counter()
            self.stopped_at = self.heard_sample(now)
            self._stopped_timeline = (now, self._anchor, self._loop_samples, self.offset)
        if self.scheduler is not None:
            self.scheduler.set_events(())
            self.scheduler.set_loop(None, None)
            self.scheduler.seek(0)  # releases every sounding note
        self._loop_samples = None
        self._playing = False
        self._count_in_tick = None
        self.offset = 0
        self.events = []
        self.events_version += 1

    def position_tick(self) -> float:
        """The tick being heard now: the scheduler's position less what is still queued in the device. In a
        loop it is read inside the loop: the scheduler may stand at the loop's end between two blocks (a
        block rendered up to it, the next not yet wrapped), and the playhead is never shown there."""
        if self.scheduler is None or self._project is None:
            return 0.0
        position, loop = self.scheduler.position, self._loop_samples
        if loop is not None and loop[1] > loop[0] and position >= loop[1]:
            position = loop[0] + (position - loop[1]) % (loop[1] - loop[0])
        seconds = (position - self.offset) / self.sample_rate - self.latency
        return project_ticks(self._project, max(0.0, seconds))

    def finished(self) -> bool:
        """Past the last event plus the release tail, and past the piece's end where it ends in silent
        bars (a loop's, ``Project.end_of_track``); never while looping."""
        if not self._playing or self._loop or self.endless or self.scheduler is None:
            return False
        tail_end = self.scheduler.end_sample + TAIL_SECONDS * self.sample_rate
        return self.scheduler.position > max(tail_end, self._piece_end)

    def audition(self, pitch: int, velocity: int, program: int, is_drum: bool) -> None:
        """Start a note on the audition channel (stopped by ``release_audition``); silent, the synth kept
        for the card's return is not played: nothing pulls its sound."""
        if self.synth is not None and not self.silent:
            self.synth.program_change(self.audition_channel, program, is_drum)
            self.synth.note_on(self.audition_channel, pitch, velocity)

    def release_audition(self, pitch: int) -> None:
        if self.synth is not None:
            self.synth.note_off(self.audition_channel, pitch)


def _card_failed(name: str, error: str) -> str:
    """Why there is no sound when the sound card is there but its stream would not start (busy, a rate it
    refuses, a driver fault): which card failed, and how."""
    return (
        QCoreApplication.translate("Player", "the audio device %1 failed: %2")
        .replace("%1", name)
        .replace("%2", error)
    )


def _damage_said(synth: Synth | None) -> str:
    """What the audio status adds for a partly damaged soundfont (``Synth.damaged``): it plays, so it is a
    warning after the device, not a reason playback is silent; the instruments using its damaged samples
    are missing from what is heard, which would otherwise be blamed on the piece."""
    bad, total = synth.damaged if synth is not None else (0, 0)
    if not bad:
        return ""
    return " " + QCoreApplication.translate(
        "Player", "⚠ The soundfont %1 is partly damaged: %2 of its %3 samples cannot sound"
    ).replace("%1", synth.soundfont.name).replace("%2", str(bad)).replace("%3", str(total))


def _tempo_map(project: Project) -> tuple:
    """What a tick's sample depends on."""
    return project.tempos, project.ticks_per_beat


class PlayerAdapter(QObject):
    """Qt side of the player: playhead signals on a timer, audition note-offs, status text."""

    position_changed = Signal(int)  # tick
    playing_changed = Signal(bool)
    status_changed = Signal(str)
    went_silent = Signal()  # the sound card stopped mid-play: the music goes on unheard (``why_silent``)

    def __init__(self, player: LivePlayer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self._timer = QTimer(self)
        self._timer.setInterval(16)
        self._timer.timeout.connect(self._tick)

    @property
    def status(self) -> str:
        return self.player.status

    @property
    def soundfont(self) -> str:
        """The soundfont playback was started with ("" for the best installed): Preferences may name
        another since, which Export WAV uses at once and playback once the window reopens."""
        return str(self.player.soundfont or "")

    def open(self) -> bool:
        ok = self.player.open()
        self.status_changed.emit(self.player.status)
        return ok

    def play(
        self,
        project: Project,
        start_tick: int,
        loop: tuple[int, int] | None,
        metronome: bool,
        count_in: bool = False,
    ) -> bool:
        before = self.player.status
        if not self.player.available or not self.player.play(project, start_tick, loop, metronome, count_in):
            self.status_changed.emit(self.player.status)
            return False
        if self.player.status != before:  # the card came back, or was found gone
            self.status_changed.emit(self.player.status)
        self._timer.start()
        self.playing_changed.emit(True)
        return True

    def stop(self) -> None:
        was = self.player.playing
        self.player.stop()
        self._timer.stop()
        if was:
            self.playing_changed.emit(False)

    def audition(self, pitch: int, velocity: int, program: int, is_drum: bool) -> None:
        if self.player.available:
            self.player.audition(pitch, velocity, program, is_drum)
            QTimer.singleShot(AUDITION_MS, lambda: self.player.release_audition(pitch))

    def _tick(self) -> None:
        if self.player.soundfont_became_unreadable():
            self.status_changed.emit(self.player.status)
        if self.player.lose_card():
            self.status_changed.emit(self.player.status)
            self.went_silent.emit()
        if self.player.finished():
            self.stop()
            return
        self.position_changed.emit(
            int(self.player.position_tick())
        )  # the tick being heard, never the loop end

    def close(self) -> None:
        self._timer.stop()
        self.player.close()
