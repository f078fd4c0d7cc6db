"""MIDI out: the audio scheduler's events, played to a MIDI output port on a real-time clock.

The events are the very list FluidSynth plays (``audio.scheduler.events_for``: notes with the same
release rules, program changes, every controller lane, pitch bend, pressure), and the same ``Scheduler``
sends them, so seek, loop and chase behave as they do for sound. To them ``with_sysex`` adds the file's
SysEx (a GS reset, a part level), which the app's own synth does not play but the device on the port is
meant to get, each where Export MIDI writes it. Only the sink differs: ``PortSink`` has
the synth's methods but turns each call into a MIDI message on the track's own MIDI channel, and
``PortPlayer`` drives the scheduler from ``time.perf_counter`` instead of a sound card, sleeping until the
next event is due. A message leaves within about a millisecond of its time (what the OS timer allows);
JACK then delivers it at the start of its next period.

MIDI clock (24 per quarter note, following the tempo map), Start / Continue with Song Position, and Stop
are sent when asked, so a DAW or drum machine can follow.
"""

from __future__ import annotations

import heapq
import math
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping

import mido

from musestudio.audio.scheduler import Event, Scheduler, events_for
from musestudio.core.events import RawEvent
from musestudio.core.project import Project
from musestudio.core.timing import project_seconds, project_ticks
from musestudio.core.track import Track, as_sent, sends_only_its_lanes, sent_controls
from musestudio.midi.ports import OutputPort, PortGone

#: Event times are kept in samples of this rate (23 µs), the rate the audio path uses.
SAMPLE_RATE = 44100
CLOCKS_PER_BEAT = 24
#: How often the player looks whether its port is still there (and how late a stop can be).
CHECK_SECONDS = 0.1


def midi_channels(project: Project) -> dict[int, int]:
    """Scheduler channel (the track's index) -> the track's MIDI channel (0..15)."""
    return {i: track.channel & 0x0F for i, track in enumerate(project.tracks)}


class PortSink:
    """The synth interface the Scheduler calls, sent as MIDI messages. Channels the map lacks (the
    metronome's) are not sent. Remembers the notes it started, so stopping releases exactly those."""

    def __init__(self, port: OutputPort, channels: Mapping[int, int]) -> None:
        self.port = port
        self.channels = dict(channels)
        self._sounding: set[tuple[int, int]] = set()

    def _send(self, kind: str, channel: int, **fields) -> None:
        midi = self.channels.get(channel)
        if midi is not None:
            self.port.send(mido.Message(kind, channel=midi, **fields))

    def note_on(self, channel: int, pitch: int, velocity: int) -> None:
        self._send("note_on", channel, note=pitch, velocity=velocity)
        if channel in self.channels:
            self._sounding.add((self.channels[channel], pitch))

    def note_off(self, channel: int, pitch: int) -> None:
        self._send("note_off", channel, note=pitch, velocity=0)
        if channel in self.channels:
            self._sounding.discard((self.channels[channel], pitch))

    def program_change(self, channel: int, program: int, is_drum: bool = False) -> None:
        self._send("program_change", channel, program=program)

    def control_change(self, channel: int, cc: int, value: int) -> None:
        self._send("control_change", channel, control=cc, value=value)

    def pitch_bend(self, channel: int, value: int) -> None:
        self._send("pitchwheel", channel, pitch=value)

    def channel_pressure(self, channel: int, value: int) -> None:
        self._send("aftertouch", channel, value=value)

    def key_pressure(self, channel: int, pitch: int, value: int) -> None:
        self._send("polytouch", channel, note=pitch, value=value)

    def sysex(self, data: bytes) -> None:
        """A SysEx (or a message a file sent as an escape), as it is: no channel's, sent whatever the map."""
        self.port.send_bytes(data)

    def reset_controllers(self, channels) -> None:
        """MIDI's own "reset all controllers" (CC 121) on the MIDI channels behind ``channels``."""
        for midi in sorted({self.channels[c] for c in channels if c in self.channels}):
            self.port.send(mido.Message("control_change", channel=midi, control=121, value=0))

    def all_notes_off(self) -> None:
        """Release every note this sink started (explicit note-offs: every receiver honours those)."""
        for midi, pitch in sorted(self._sounding):
            self.port.send(mido.Message("note_off", channel=midi, note=pitch, velocity=0))
        self._sounding.clear()

    def render_into(self, out) -> None:
        """No audio: a MIDI port makes no sound here."""


#: The events of notes: what a play from the middle of the piece leaves out before its start.
NOTE_KINDS = ("on", "off")
#: Where the piece's own SysEx (the conductor track's) go among the events: before every track's.
PIECE = -1


def with_sysex(events: list[Event], project: Project, sample_rate: int, offset: int = 0) -> list[Event]:
    """``events`` (``project``'s, as ``events_for`` makes them from its start, ``offset`` samples later
    where a count-in comes first) with the piece's and every track's SysEx added as "sysex" events, each
    where Export MIDI writes it: at one moment the piece's before everything, a track's after the
    controllers it was sent after (``RawEvent.after_controls``: a GS reset undoes a pan sent before it, not
    one sent after), else before its track's. A muted track's go too: they set up the device, they play
    no note. Meta events are the file's, not messages: none is sent."""
    tracks = [(PIECE, None, project.extra_events)]
    tracks += [(i, t, t.extra_events) for i, t in enumerate(project.tracks)]
    wanted = [(channel, track, e, data) for channel, track, kept in tracks for e, data in wire_messages(kept)]
    if not wanted:
        return events
    samples = [e.sample for e in events]
    added = []
    for n, (channel, track, e, data) in enumerate(wanted):
        sample = round(project_seconds(project, e.tick) * sample_rate) + offset
        after = 0 if track is None else _played_before(track, e)
        place, follows = _place(events, samples, sample, channel, after)
        late = follows is not None and follows.after_strikes
        released = follows is not None and follows.after_releases
        sysex = Event(sample, "sysex", channel, data=data, after_strikes=late, after_releases=released)
        added.append(((sample, sysex.sort_key()[1], place, n), sysex))
    added.sort(key=lambda k: k[0])
    keyed = (((e.sample, e.sort_key()[1], 2 * i), e) for i, e in enumerate(events))
    return [e for _, e in heapq.merge(keyed, added, key=lambda k: k[0])]


def wire_messages(kept: Iterable[RawEvent]) -> list[tuple[RawEvent, bytes]]:
    """The messages a file's kept events send, each with the event whose place it takes. A SysEx split
    into packets (F0 ..., then F7 ... up to the one ending in F7) is whole once its last packet is in, so it
    goes there; an escape (F7 not continuing one) sends the messages it holds. A SysEx with a byte over
    127 in it, or a packet of a SysEx never finished, is no message a device takes: left out."""
    out: list[tuple[RawEvent, bytes]] = []
    pending = b""
    for e in kept:
        if e.data[0] == 0xF0:
            pending = e.data
        elif e.data[0] == 0xF7 and pending:
            pending += e.data[1:]
        elif e.data[0] == 0xF7:
            out.extend((e, bytes(m.bin())) for m in mido.parse_all(e.data[1:]))
            continue
        else:
            continue  # a meta event
        if pending.endswith(b"\xf7"):
            if all(b < 0x80 for b in pending[1:-1]):
                out.append((e, pending))
            pending = b""
    return out


def _played_before(track: Track, e: RawEvent) -> int:
    """How many of the controller events the scheduler plays for ``track`` at ``e``'s tick come before
    ``e``. Its ``after_controls`` counts those Export MIDI sends there, the same but for a part with no
    notes on MIDI's defaults at its start, which sends its lanes alone where the app states its volume and
    program too (``sent_controls``), and for a volume or program its file left unsaid (``as_sent``)."""
    if not e.after_controls:
        return 0
    played = [c for c in track.settings_and_lanes() if c.tick == e.tick]
    sent = sent_controls(track) if sends_only_its_lanes(track) else as_sent(track, played)
    sent = [c for c in sent if c.tick == e.tick][: e.after_controls]
    at = {id(c): i for i, c in enumerate(played)}
    if sent and id(sent[-1]) in at:
        return 1 + at[id(sent[-1])]
    return min(e.after_controls, len(played))


def _place(
    events: list[Event], samples: list[int], sample: int, channel: int, after: int
) -> tuple[int, Event | None]:
    """Where among the controllers at ``sample`` (event ``i`` at ``2 * i``) a SysEx of ``channel`` goes:
    after the first ``after`` of that channel's, else before them, after the earlier tracks'; and the
    controller of its channel it follows, where it goes after the note-offs or notes there as that one
    does (``Event.after_releases``, ``Event.after_strikes``: a file's note-on, sostenuto, then SysEx)."""
    at = range(bisect_left(samples, sample), bisect_right(samples, sample))
    controls = [i for i in at if events[i].kind not in NOTE_KINDS]
    own = [i for i in controls if events[i].channel == channel]
    if own and after:
        i = own[min(after, len(own)) - 1]
        return 2 * i + 1, events[i]
    if own:
        return 2 * own[0] - 1, None
    earlier = [
        i
        for i in controls
        if events[i].channel < channel and not (events[i].after_strikes or events[i].after_releases)
    ]
    return (2 * earlier[-1] + 1 if earlier else -1), None


def clock_samples(project: Project, sample_rate: int, start_tick: int, end_tick: int) -> list[int]:
    """Samples of the MIDI clocks (24 per quarter note, through the tempo map) in [start_tick, end_tick]."""
    step = project.ticks_per_beat / CLOCKS_PER_BEAT
    first = math.ceil(start_tick / step)
    last = math.floor(end_tick / step)
    return [round(project_seconds(project, k * step) * sample_rate) for k in range(first, last + 1)]


def song_position(project: Project, tick: int) -> int:
    """MIDI Song Position (sixteenth notes from the start) of ``tick``, rounded down."""
    return min(16383, tick * 4 // project.ticks_per_beat)


class PortPlayer:
    """Plays a project (or a range of it) to an output port with the file's timing.

    ``run`` blocks until the end, a ``stop`` event, or the port going away: with ``reconnect`` False that
    raises ``PortGone`` (saying when), with it True playback carries on silently and resumes on the port
    once it is back. Either way every note it started is released before it returns.
    """

    def __init__(
        self,
        port: OutputPort,
        project: Project,
        clock: bool = False,
        reconnect: bool = False,
        sample_rate: int = SAMPLE_RATE,
    ) -> None:
        self.port = port
        self.project = project
        self.clock = clock
        self.reconnect = reconnect
        self.sample_rate = sample_rate
        self.sink = PortSink(port, midi_channels(project))
        self.scheduler = Scheduler(self.sink)
        self.position_seconds = 0.0

    def run(
        self,
        start_tick: int = 0,
        end_tick: int | None = None,
        stop: threading.Event | None = None,
        on_progress: Callable[[float], None] | None = None,
    ) -> float:
        """Play [start_tick, end_tick) now; returns the seconds played. Without ``end_tick`` it plays to the
        piece's end, its silent bars included where it ends in them (a loop's, ``Project.end_of_track``),
        as the app's player does: the clock runs on through them and Stop comes at the loop's end."""
        stop = stop or threading.Event()
        rate = self.sample_rate
        # the notes from ``start_tick``, the settings from the piece's start: the seek to ``start_tick``
        # sends what is in force there, SysEx included, in the order it was set in (``_chase_settings``)
        notes = [e for e in events_for(self.project, rate, start_tick, end_tick) if e.kind in NOTE_KINDS]
        settings = [e for e in events_for(self.project, rate, 0, end_tick) if e.kind not in NOTE_KINDS]
        events = with_sysex(sorted(settings + notes, key=Event.sort_key), self.project, rate)
        start = round(project_seconds(self.project, start_tick) * rate)
        end = max([e.sample for e in events], default=start)
        if end_tick is None:
            end = max(end, round(project_seconds(self.project, self.project.length) * rate))
        clocks = clock_samples(self.project, rate, start_tick, self._tick_at(end)) if self.clock else []
        sched = self.scheduler
        sched.set_events(events)
        if start:
            sched.seek(start)
        next_clock = 0
        t0 = time.perf_counter() - start / rate
        next_check = 0.0
        try:
            if self.clock:
                if start_tick == 0:
                    self.port.send(mido.Message("start"))
                else:
                    self.port.send(mido.Message("songpos", pos=song_position(self.project, start_tick)))
                    self.port.send(mido.Message("continue"))
            while not stop.is_set():
                clock_now = time.perf_counter()
                now = int((clock_now - t0) * rate)
                if clock_now >= next_check:
                    self._check_port(now)
                    next_check = clock_now + CHECK_SECONDS
                while next_clock < len(clocks) and clocks[next_clock] <= now:
                    self.port.send(mido.Message("clock"))
                    next_clock += 1
                if now >= sched.position:
                    sched.pull(now + 1 - sched.position)  # sends every event due up to and at `now`
                self.position_seconds = now / rate
                if on_progress is not None:
                    on_progress(self.position_seconds)
                at_end = end if now < end else None  # silent bars still to wait through
                due = [s for s in (sched.next_sample, self._at(clocks, next_clock), at_end) if s is not None]
                if not due:
                    break
                wait = min(min(due) / rate + t0, next_check) - time.perf_counter()
                if wait > 0:
                    stop.wait(wait)
        finally:
            self.sink.all_notes_off()
            if self.clock:
                self.port.send(mido.Message("stop"))
        return self.position_seconds - start / rate

    def _check_port(self, now: int) -> None:
        try:
            self.port.ensure_connected(self.reconnect)
        except PortGone as e:
            raise PortGone(f"{e} during playback, at {now / self.sample_rate:.1f} s") from None

    @staticmethod
    def _at(samples: list[int], i: int) -> int | None:
        return samples[i] if i < len(samples) else None

    def _tick_at(self, sample: int) -> int:
        return int(project_ticks(self.project, sample / self.sample_rate))
