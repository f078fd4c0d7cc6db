"""MIDI out from the live transport: what the app plays, sent to a port as it is heard (Qt-free).

``LiveOutput`` follows a player (``audio.player.LivePlayer``, or anything with its ``playing``,
``heard_sample(now)``, ``events``, ``events_version``, ``offset`` and ``channels`` of a project): a
thread of its own runs a second ``Scheduler`` into a ``PortSink``, pulled up to the sample being heard
every millisecond, so MIDI leaves in step with the sound (or with the wall clock on a machine with no
sound card) whatever the audio block size. It plays the player's events and the piece's SysEx, which the
app's synth does not play but the device on the port is meant to get (``with_sysex``). It notices for
itself when the player seeks, loops, swaps in an edit or stops: a jump backwards or far ahead is a seek
(notes released, controllers and SysEx chased); a lap of the player's loop plays on round the loop's end,
through the scheduler's own loop, so each lap sends the notes on the loop's start as the first did; a stop
releases every note it started. A step back of a few ms is no seek: a sound card's block that came late
moved the heard sample back (``LATE_BLOCK_SECONDS``), and taking it for a jump cut held notes short and sent
notes twice. A step as far
ahead as the time since its last look is no jump: the thread was held up (a loaded machine does that now
and then), and what fell due meanwhile is sent late, in order.

MIDI clock (24 per quarter, following the tempo map) with Start, Stop and Song Position is sent when
``clock`` is on, so a drum machine or DAW can follow the transport, loops included.
"""

from __future__ import annotations

import threading
import time

import mido

from musestudio.audio.scheduler import Scheduler
from musestudio.core.project import Project
from musestudio.core.timing import project_ticks
from musestudio.midi.output import (
    CLOCKS_PER_BEAT,
    SAMPLE_RATE,
    PortSink,
    midi_channels,
    song_position,
    with_sysex,
)
from musestudio.midi.ports import OutputPort, try_realtime

POLL_SECONDS = 0.001
#: A step forward longer than this, beyond the time since the last look, is a jump (a click on the ruler),
#: not the clock going on.
JUMP_SECONDS = 0.25
#: The heard sample steps back this far now and then with a sound card (it is worked out from the last
#: audio block's start, and a block that comes a moment late moves that start back): the music stands still
#: that moment, it did not jump back, so nothing is released or sent again.
LATE_BLOCK_SECONDS = 0.02
#: Events this late (the thread was starved on a busy machine) are still sent, in order, at a stop or as
#: play goes on; later than this, play goes on from where it is (a chase, as for a jump).
LATE_FLUSH_SECONDS = 2.0


class LiveOutput:
    def __init__(self, port: OutputPort, player, clock: bool = False, sample_rate: int = SAMPLE_RATE) -> None:
        self.port = port
        self.player = player
        self.clock = clock
        self.sample_rate = sample_rate
        self.sink = PortSink(port, {})
        self.scheduler = Scheduler(self.sink)
        self.project: Project | None = None
        self._version = -1
        self._built_for: Project | None = None  # the project whose SysEx the scheduler's events hold
        self._running = False  # the transport was playing at the last look
        self._looked_at = time.perf_counter()  # the moment of the last look
        self._clock_index = 0  # the next MIDI clock to send: ticks * 24 / tpb
        self._late_block = round(LATE_BLOCK_SECONDS * sample_rate)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="MIDI out", daemon=True)
        self._thread.start()

    def set_project(self, project: Project) -> None:
        """The project whose tracks' channels the events use (the player's events are by track index)."""
        self.project = project
        self.sink.channels = midi_channels(project)

    def _run(self) -> None:
        try_realtime()
        while not self._stop.wait(POLL_SECONDS):
            try:
                self._step(time.perf_counter())
            except Exception:  # noqa: BLE001 - a port gone mid-message: the next look reconnects or drops
                pass

    def _step(self, now: float) -> None:
        since_last_look, self._looked_at = now - self._looked_at, now
        player = self.player
        if not player.playing or self.project is None:
            if self._running:
                self._running = False
                due = getattr(player, "stopped_at", 0) - self.scheduler.position
                if 0 < due < LATE_FLUSH_SECONDS * self.sample_rate:  # what was due before the stop
                    self.scheduler.pull(due)
                self.sink.all_notes_off()
                self.scheduler.set_events(())  # the next start chases from its own position only
                self.scheduler.forget_sent()  # and sends the settings there again, a reset included
                self._version = -1
                if self.clock:
                    self.port.send(mido.Message("stop"))
            return
        target = player.heard_sample(now)
        if target < 0 or self._running and 0 < self.scheduler.position - target <= self._late_block:
            return  # not started yet, or a late audio block stepped the clock back: wait for it
        sched = self.scheduler
        loop = getattr(player, "loop_samples", None)
        sched.set_loop(*(loop or (None, None)))  # a lap plays from the loop's start, as the sound does
        if not self._running:  # a start: from the target, with the settings before it chased once
            self._running = True
            begin = getattr(player, "start_sample", target)  # a note on the very start is sent too
            sched.seek(begin if self._goes_on(target - begin, since_last_look) else target)
            self._set_events(player)
            self._start_clock(target, first=True)
        elif player.events_version != self._version or self.project is not self._built_for:
            self._set_events(player)
        if not self._goes_on(self._ahead(target, loop), since_last_look):
            sched.seek(target)  # the transport jumped (a click on the ruler)
            self._start_clock(target, first=False)
        elif target < sched.position:  # it came round the loop: the lap's end, then on from the loop's start
            self._send_clocks(loop[1] - 1)
            sched.pull(loop[1] - sched.position)
            self._start_clock(loop[0], first=False)
        if self._ahead(target, loop) > 0:
            sched.pull(self._ahead(target, loop))  # sends every event due before `target`
        self._send_clocks(target)

    def _ahead(self, target: int, loop: tuple[int, int] | None) -> int:
        """How far on ``target`` is from where we are: round the loop's end where the transport came round
        it (we are in the lap before), so the notes from the loop's start to the first look after it are
        sent too, not left out as at a jump."""
        position = self.scheduler.position
        if loop is not None and loop[0] <= target < position <= loop[1]:
            return loop[1] - position + target - loop[0]
        return target - position

    def _set_events(self, player) -> None:
        """The player's events with the SysEx of the project (told by the window, which may come a moment
        after the player has the edit: the events are made again then)."""
        self._version, self._built_for = player.events_version, self.project
        self.scheduler.set_events(with_sysex(player.events, self.project, self.sample_rate, player.offset))

    def _goes_on(self, ahead: int, since_last_look: float) -> bool:
        """Whether the music being ``ahead`` samples on from where we are, ``since_last_look`` seconds after
        our last look, is play going on (what fell due is sent, late if we were held up), not a jump."""
        seconds = ahead / self.sample_rate
        return 0 <= seconds <= LATE_FLUSH_SECONDS and seconds - since_last_look <= JUMP_SECONDS

    # -- MIDI clock ----------------------------------------------------------------------------------------
    def _tick(self, sample: int) -> float:
        return project_ticks(self.project, max(0, sample - self.player.offset) / self.sample_rate)

    def _start_clock(self, sample: int, first: bool) -> None:
        if not self.clock:
            return
        from_top = first and getattr(self.player, "start_tick", None) == 0
        tick = 0 if from_top else self._tick(sample)
        per_clock = self.project.ticks_per_beat / CLOCKS_PER_BEAT
        self._clock_index = int(-(-tick // per_clock))  # the next clock at or after the tick
        if not first:
            self.port.send(mido.Message("stop"))
        if from_top:
            self.port.send(mido.Message("start"))
        else:
            self.port.send(mido.Message("songpos", pos=song_position(self.project, int(tick))))
            self.port.send(mido.Message("continue"))

    def _send_clocks(self, sample: int) -> None:
        if not self.clock or sample < self.player.offset:
            return  # no clocks in the count-in: the follower starts with the music
        tick = self._tick(sample)
        per_clock = self.project.ticks_per_beat / CLOCKS_PER_BEAT
        while self._clock_index * per_clock <= tick:
            self.port.send(mido.Message("clock"))
            self._clock_index += 1

    def abandon(self) -> None:
        """Stop following a port whose MIDI system is gone: nothing more is sent (``_Port.abandon``)."""
        self._stop_following()
        self.port.abandon()

    def _stop_following(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(1.0)

    def close(self) -> None:
        """Stop following; every note this output started is released, then the port is closed."""
        self._stop_following()
        self.sink.all_notes_off()
        if self.clock and self._running:
            self.port.send(mido.Message("stop"))
        self.port.close()
