"""Turning a project into timed MIDI events, and playing them into a synth frame by frame.

``events_for`` flattens the score into one sorted list of events stamped with absolute sample numbers
(through the tempo map). ``Scheduler.pull`` renders a block of frames but splits it at every event
boundary, so each message reaches the synth exactly at its sample whatever the block size: the offline
renderer and the live sound-card callback share this code and therefore sound the same.

Every track plays on a synth channel of its own (its index in the project; FluidSynth has 256), so tracks
that share a MIDI channel still keep their own program, volume and note-offs. The MIDI channel itself
matters only for export.

A track's lane events (sustain pedal, every other controller, pitch bend, channel and key pressure,
program changes) are sent on their own samples like the notes; at one sample controllers go first in the
order the track holds them (bank select before its program change, an RPN's numbers before its data),
then note-offs, then note-ons. A controller the file sent after a note-off at its tick
(``ControlEvent.after_releases``) is sent after that sample's note-offs, as Export MIDI writes it: a chord
let go as the sustain pedal goes down is not caught by the pedal, and what the app plays is what the file
plays. A controller the file sent after a note-on at its tick (``ControlEvent.after_strikes``) is sent
after that sample's notes: a sostenuto pressed after a chord's note-ons holds the chord. A seek
releases everything, resets the controllers and applies the latest value of each lane before the new
position, so a pedal held there is down and a bend is bent.

A file's SysEx (``RawEvent``) is kept and exported, not played by the app's synth: ``events_for`` makes
none. FluidSynth (2.3, through ctypes: pyfluidsynth has no ``sysex``) understands GM/GM2 system on, GS
reset and XG system on (the last two only from its own device id, not the 0x10 most files send them to),
GS "use for rhythm part" and MIDI tuning; it ignores part levels and the rest. Each is meant for a whole
16-part device, and here every track is a synth channel of its own (its index, not its MIDI channel): a GM
system on sets all 256 channels back to their first program (the tenth to drums) and their volume to 100,
the other tracks' programs and volumes sent at the same sample included, and a rhythm-part message names
a MIDI part, not the track's synth channel. Played as sent they would make the app sound less like the
file, not more. What the common ones mean for the sound is heard already: a GS or XG part level at the
start is the track's volume on import, and the scheduler resets each channel's controllers (as a reset
would) before it plays from any position. A 16-part device is what MIDI out plays to, so it adds the
SysEx to these events (``midi.output.with_sysex``, as "sysex" events) and the Scheduler sends them, in
their places among the controllers, and again where it chases the settings before a new position (those
at it included): where the device already had this play's system reset, only what it lacks
(``Scheduler._chase_settings``), so a loop from a GS file's first bar does not reset the device every lap.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from musestudio.audio.synth import CHANNELS
from musestudio.core.errors import BadInputError
from musestudio.core.events import (
    CHANNEL_PRESSURE,
    PITCH_BEND,
    PROGRAM,
    is_cc,
    is_poly_pressure,
    poly_pressure_pitch,
)
from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, counted_beat_ticks, project_seconds, signature_at
from musestudio.io.sysex import is_own_setting, is_system_reset, settings

METRONOME_CHANNEL = CHANNELS - 1
METRONOME_PITCHES = (76, 77)  # GM hi / low wood block: bar downbeat, other beats
METRONOME_SECONDS = 0.05

#: Data entry (6, 38), increment/decrement (96, 97) and the NRPN/RPN numbers they write to (98-101): only
#: their order says which parameter a value went to, so a chase replays every one of them, not the last.
_PARAMETER_CCS = frozenset({6, 38, 96, 97, 98, 99, 100, 101})

#: Events that leave no setting on their channel for a jump to reset.
_NOT_CHANNEL_SETTINGS = frozenset({"on", "off", "sysex"})

#: The controllers that "reset all controllers" (CC 121) sets back besides bend and pressure (RP-015):
#: modulation, expression, the pedals, and the RPN/NRPN numbers.
_RESET_BY_CC121 = frozenset({1, 11, 64, 65, 66, 67, 98, 99, 100, 101})
_UNSET = object()

_KIND_RANK = {"program": 0, "cc": 0, "bend": 0, "pressure": 0, "poly": 0, "sysex": 0, "off": 1, "on": 3}
#: The rank of a controller (or a SysEx right after one) sent after its sample's note-offs
#: (``after_releases``), and after its notes (``after_strikes``).
_AFTER_RELEASES_RANK = 2
_AFTER_STRIKES_RANK = 4


@dataclass(frozen=True, slots=True)
class Event:
    """One synth message at an absolute sample. ``a``/``b``: pitch/velocity for notes, program/is_drum
    for 'program', controller/value for 'cc', value for 'bend' (-8192..8191) and 'pressure', pitch/value
    for 'poly'. ``after_releases``: a controller (or a SysEx placed among such) sent after the note-offs
    at its sample (``ControlEvent.after_releases``); ``after_strikes``: after the notes at its sample
    (``ControlEvent.after_strikes``). ``data``: a 'sysex' event's message, as it goes
    on the wire (F0 ... F7); it ranks with the controllers, so the order it was listed in among them at its
    sample is kept."""

    sample: int
    kind: str
    channel: int
    a: int = 0
    b: int = 0
    data: bytes = b""
    after_strikes: bool = False
    after_releases: bool = False

    def sort_key(self) -> tuple[int, int]:
        """Controllers first, then note-offs, then the controllers marked ``after_releases``, then
        note-ons (a repeated note is released and struck anew), then the controllers marked
        ``after_strikes``. Sorting is stable: events of one rank at one sample keep the order they were
        listed in."""
        if self.after_strikes:
            return (self.sample, _AFTER_STRIKES_RANK)
        return (self.sample, _AFTER_RELEASES_RANK if self.after_releases else _KIND_RANK[self.kind])

    def __lt__(self, other: Event) -> bool:
        return self.sort_key() < other.sort_key()


def events_for(
    project: Project,
    sample_rate: int,
    start_tick: int = 0,
    end_tick: int | None = None,
    metronome: bool = False,
) -> list[Event]:
    """Sorted events for the audible tracks, for notes starting in [start_tick, end_tick).

    Notes still sounding at ``end_tick`` are released there. Where a track strikes a pitch that is still
    held, the held note is released at that moment (FluidSynth's note-off would otherwise cut both), and
    a note doubled at the same start plays once, at its longer length.
    """
    seconds = _seconds_cache(project)

    def at(tick: int) -> int:
        return round(seconds(tick) * sample_rate)

    events: list[Event] = []
    audible = {t.id for t in project.audible_tracks()}
    for channel, track in enumerate(project.tracks):
        if track.id not in audible:
            continue
        if channel >= METRONOME_CHANNEL:
            raise BadInputError(
                f"MuseStudio can play at most {METRONOME_CHANNEL} tracks at once; "
                f"this project has {len(project.tracks)}"
            )
        events.extend(_lane_events(track, channel, start_tick, end_tick, at))
        last_start: dict[int, int] = {}
        for note in reversed(track.notes):  # sorted by start: walking back we know each pitch's next strike
            if note.start < start_tick or (end_tick is not None and note.start >= end_tick):
                continue
            if last_start.get(note.pitch) == note.start:
                continue  # a doubled note: the longer copy (seen first) already plays it
            end = min(note.end, last_start.get(note.pitch, note.end))
            if end_tick is not None:
                end = min(end, end_tick)
            last_start[note.pitch] = note.start
            events.append(Event(at(note.start), "on", channel, note.pitch, note.velocity))
            off_at = max(at(end), at(note.start) + 1)
            events.append(Event(off_at, "off", channel, note.pitch))
    if metronome:
        events.extend(_metronome_events(project, start_tick, end_tick, at, sample_rate))
    events.sort(key=Event.sort_key)
    return events


def _lane_event(
    lane: int,
    value: int,
    channel: int,
    sample: int,
    is_drum: bool,
    late: bool = False,
    released: bool = False,
) -> Event:
    """The synth message of a lane's value; ``late``: sent after the notes at its sample, ``released``:
    after the note-offs there."""
    if is_cc(lane):
        return Event(sample, "cc", channel, lane, value, after_strikes=late, after_releases=released)
    if lane == PITCH_BEND:
        return Event(sample, "bend", channel, value, after_strikes=late, after_releases=released)
    if lane == PROGRAM:
        return Event(
            sample, "program", channel, value, int(is_drum), after_strikes=late, after_releases=released
        )
    if lane == CHANNEL_PRESSURE:
        return Event(sample, "pressure", channel, value, after_strikes=late, after_releases=released)
    if is_poly_pressure(lane):
        return Event(
            sample,
            "poly",
            channel,
            poly_pressure_pitch(lane),
            value,
            after_strikes=late,
            after_releases=released,
        )
    raise ValueError(f"{lane} is not a controller lane")


def _lane_events(track, channel: int, start_tick: int, end_tick: int | None, at) -> list[Event]:
    """The track's settings and controller events in [start_tick, end_tick); before the start only each
    lane's last value counts, sent at the start. One sent after its tick's notes (``after_strikes``) or
    note-offs (``after_releases``) is sent after them, as Export MIDI writes it (``after_strikes`` where no
    note is struck there any more: after the note-offs)."""
    start_sample = at(start_tick)
    before: dict[int, int] = {}
    out: list[Event] = []
    late = track.after_strikes_at()
    for e in track.settings_and_lanes():
        if e.tick < start_tick:
            before.pop(e.lane, None)  # re-inserted last: the chase keeps the lanes' relative order
            before[e.lane] = e.value
        elif end_tick is None or e.tick < end_tick:
            after, released = e.after_strikes and e.tick in late, e.after_releases or e.after_strikes
            out.append(_lane_event(e.lane, e.value, channel, at(e.tick), track.is_drum, after, released))
    chased = [_lane_event(lane, v, channel, start_sample, track.is_drum) for lane, v in before.items()]
    return chased + out


def _seconds_cache(project: Project):
    """ticks -> seconds, memoised: a note's start is often another's end."""
    cache: dict[int, float] = {}

    def seconds(tick: int) -> float:
        if tick not in cache:
            cache[tick] = project_seconds(project, tick)
        return cache[tick]

    return seconds


def _metronome_events(
    project: Project, start_tick: int, end_tick: int | None, at, sample_rate: int
) -> list[Event]:
    """Clicks on every counted beat (``counted_beat_ticks``: the two dotted quarters of a 6/8 bar, not its
    six eighths) from ``start_tick`` to ``end_tick`` (by default the piece's end, its silent bars included:
    a loop's rests are counted as they play), the bar's first accented."""
    tpb = project.ticks_per_beat
    end = end_tick if end_tick is not None else max(project.length, start_tick + 1)
    bars = bar_lines(project.time_signatures, tpb, end)
    click = round(METRONOME_SECONDS * sample_rate)
    out = [Event(at(start_tick), "program", METRONOME_CHANNEL, 0, 1)]
    for i, bar in enumerate(bars):
        bar_end = bars[i + 1] if i + 1 < len(bars) else end
        step = counted_beat_ticks(signature_at(project.time_signatures, bar), tpb)
        for tick in range(bar, bar_end, step):
            if start_tick <= tick < end:
                pitch = METRONOME_PITCHES[0] if tick == bar else METRONOME_PITCHES[1]
                s = at(tick)
                out.append(Event(s, "on", METRONOME_CHANNEL, pitch, 110 if tick == bar else 80))
                out.append(Event(s + click, "off", METRONOME_CHANNEL, pitch))
    return out


class Scheduler:
    """Plays a sorted event list into a synth, sample-accurately, with seek, loop and live list swaps.

    ``pull`` runs on the audio thread; ``set_events``, ``seek`` and ``set_loop`` may be called from any
    other thread: one lock makes each of them take effect between two blocks, never inside one.
    """

    def __init__(self, synth) -> None:
        self._synth = synth
        self._lock = threading.Lock()
        self._events: list[Event] = []
        self._samples: list[int] = []
        self._next = 0
        self._position = 0
        self._loop: tuple[int, int] | None = None
        self._laps = 0  # times the loop came round since this scheduler was made
        self._sounding: set[tuple[int, int]] = set()
        # channels sent a controller since the last reset: Stop swaps in an empty list before it seeks, and
        # a pedal those channels still hold down must be lifted all the same
        self._controlled: set[int] = set()
        # what the device was sent this play, so that a chase sends only what it lacks (a reset mutes a
        # hardware synth for a moment): the last system reset (None: none yet), every setting written since
        # (by its address: a SysEx's, or a channel's controller) and each channel's RPN/NRPN number
        self._base: bytes | None = None
        self._written: dict = {}
        self._selected: dict[int, dict] = {}
        # whether the events hold SysEx (MIDI out's do, the app's synth's never): only then is there a
        # reset to spare, so only then is what the device holds kept, off the audio path's way otherwise
        self._sends_sysex = False

    # -- control (any thread) --------------------------------------------------------------------------
    @property
    def laps(self) -> int:
        """How often the loop has come round: a recording over the loop tells its passes apart by it."""
        return self._laps

    @property
    def position(self) -> int:
        return self._position

    @property
    def end_sample(self) -> int:
        """Sample of the last event (0 when there are none): playback is over once position passes it."""
        return self._samples[-1] if self._samples else 0

    @property
    def next_sample(self) -> int | None:
        """Sample of the next event still to be sent (None when all are): a driver with no sound card,
        such as MIDI out on a clock, sleeps until then instead of pulling frames it does not need."""
        with self._lock:
            return self._samples[self._next] if self._next < len(self._samples) else None

    def set_events(self, events: Iterable[Event]) -> None:
        """Swap in a new event list (after an edit or a take switch) without stopping playback.

        Channel settings are brought up to date at once; a note that is sounding but no longer ends in the
        new list is released now instead of hanging. A SysEx before the playhead is sent only where the
        device lacks what it sets, and no system reset is sent again: a GS reset at every edit would reset
        the synth mid-song. A setting the edit took away is set back at the next jump or lap.
        """
        events = sorted(events, key=Event.sort_key)
        with self._lock:
            self._events = events
            self._sends_sysex = any(e.kind == "sysex" for e in events)
            self._samples = [e.sample for e in events]
            self._next = bisect.bisect_left(self._samples, self._position)
            self._chase_settings(may_reset=False)
            self._release_orphans()

    def forget_sent(self) -> None:
        """A new play: what the device holds is no longer known (its knobs were turned, another program
        played it), so the next chase sends the settings before the playhead again, the system reset
        included."""
        with self._lock:
            self._base = None
            self._written.clear()
            self._selected.clear()

    def seek(self, sample: int) -> None:
        with self._lock:
            self._jump(max(0, sample))

    def set_loop(self, start_sample: int | None, end_sample: int | None) -> None:
        """Loop [start, end) when both are given and the range is not empty; otherwise play straight on.

        Playback wraps when it reaches ``end``; a playhead already past it plays on to the end.
        """
        with self._lock:
            ok = start_sample is not None and end_sample is not None and 0 <= start_sample < end_sample
            self._loop = (start_sample, end_sample) if ok else None

    # -- audio thread ----------------------------------------------------------------------------------
    def pull(self, frames: int) -> np.ndarray:
        """The next ``frames`` frames (float32, (frames, 2)), with every due event applied on its sample."""
        out = np.zeros((frames, 2), dtype=np.float32)
        done = 0
        with self._lock:
            while done < frames:
                if self._loop is not None and self._position == self._loop[1]:
                    self._jump(self._loop[0])
                    self._laps += 1
                self._dispatch_due()
                n = frames - done
                if self._next < len(self._samples):
                    n = min(n, self._samples[self._next] - self._position)
                if self._loop is not None and self._position < self._loop[1]:
                    n = min(n, self._loop[1] - self._position)
                self._synth.render_into(out[done : done + n])
                done += n
                self._position += n
        return out

    # -- internals (lock held) -------------------------------------------------------------------------
    def _dispatch_due(self) -> None:
        events, synth = self._events, self._synth
        while self._next < len(events) and events[self._next].sample <= self._position:
            self._apply(events[self._next], synth)
            self._next += 1

    def _apply(self, e: Event, synth) -> None:
        if e.kind == "sysex":  # no channel's: not one to reset controllers on
            synth.sysex(e.data)
            if is_system_reset(e.data):
                self._base = e.data
                self._written.clear()
                self._selected.clear()
            else:
                self._written.update(settings(e.data))
            return
        if e.kind == "on":
            synth.note_on(e.channel, e.a, e.b)
            self._sounding.add((e.channel, e.a))
            return
        if e.kind == "off":
            synth.note_off(e.channel, e.a)
            self._sounding.discard((e.channel, e.a))
            return
        self._controlled.add(e.channel)
        if self._sends_sysex:
            self._written[_setting_of(e, self._selected)] = (e.a, e.b)
        if e.kind == "program":
            synth.program_change(e.channel, e.a, bool(e.b))
        elif e.kind == "cc":
            synth.control_change(e.channel, e.a, e.b)
        elif e.kind == "bend":
            synth.pitch_bend(e.channel, e.a)
        elif e.kind == "pressure":
            synth.channel_pressure(e.channel, e.a)
        elif e.kind == "poly":
            synth.key_pressure(e.channel, e.a, e.b)

    def _jump(self, sample: int) -> None:
        self._synth.all_notes_off()
        # a pedal held before the jump must not hold the notes after it
        channels = self._controlled | {e.channel for e in self._events if e.kind not in _NOT_CHANNEL_SETTINGS}
        self._synth.reset_controllers(channels)
        self._forget_reset_controllers(channels)
        self._controlled.clear()
        self._sounding.clear()
        self._position = sample
        self._next = self._past_settings_at(sample)
        self._chase_settings(may_reset=True)

    def _past_settings_at(self, sample: int) -> int:
        """The index of the first event after the settings (controllers, SysEx) at ``sample``: a jump chases
        those with the ones before it, so a system reset right at the landing (a loop from a GS file's first
        bar) is one the chase may leave out where the device holds what it gives, not one sent every lap.
        The note-offs before them release nothing: the jump has released every note."""
        events = self._events
        i = bisect.bisect_left(self._samples, sample)
        while i < len(events) and events[i].sample == sample and events[i].sort_key()[1] <= 0:
            i += 1
        return i

    def _forget_reset_controllers(self, channels: set[int]) -> None:
        """The device has set back what "reset all controllers" resets on ``channels`` (``_RESET_BY_CC121``):
        no longer settings it holds from this play."""
        for key in [k for k in self._written if isinstance(k[0], int) and k[0] in channels]:
            kind, number = key[1], key[2]
            if kind in ("bend", "pressure", "poly") or (kind == "cc" and number in _RESET_BY_CC121):
                del self._written[key]
        for channel in channels:
            self._selected.pop(channel, None)

    def _chase_settings(self, may_reset: bool) -> None:
        """Bring the device to where playback from the start would have it at the playhead: the latest value
        of every controller before it (in the order they were last set, so a bank select still precedes its
        program; every RPN and NRPN write, so a bend range set and then deselected is still set) and the
        SysEx there, each in its place among them. A jump counts those at its landing sample as before it
        (``_past_settings_at``): a reset right at a loop's start is chased like one before it.

        Where the device had the same system reset this play as the last one before the playhead, and holds
        no setting from after it that the chase would not write again (a part level set in a loop, then
        set back by the file before the loop's start), the reset is not sent again: only what came after
        it, and of the SysEx only those setting what the device holds otherwise (a reset takes a hardware
        synth tens of milliseconds, and it drops the notes after it; a loop would reset it every lap).
        Otherwise (a new play, a jump before the reset) everything before the playhead is sent, the reset
        undoing what came before it. ``may_reset`` False (an edit mid-song) never sends the reset again."""
        before = [e for e in self._events[: self._next] if e.kind not in ("on", "off")]
        resets = [i for i, e in enumerate(before) if e.kind == "sysex" and is_system_reset(e.data)]
        base = before[resets[-1]].data if resets else None
        after = before[resets[-1] + 1 :] if resets else before
        if self._sends_sysex and base == self._base and (not may_reset or self._holds_only_what(after)):
            chased = _latest_settings(after, self._sysex_lacking(after))
        else:
            chased = _latest_settings(before, None)
        for e in chased:
            self._apply(e, self._synth)

    def _holds_only_what(self, events: list[Event]) -> bool:
        """Whether every setting the device got since its last reset is one ``events`` write again."""
        selected: dict[int, dict] = {}
        written = set()
        for e in events:
            written.update(settings(e.data) if e.kind == "sysex" else (_setting_of(e, selected),))
        return all(key in written for key in self._written)

    def _sysex_lacking(self, events: list[Event]) -> set[int]:
        """The indexes in ``events`` of the SysEx to send for the device to hold what they set: those last to
        set a value the device holds otherwise, and each after one of those that writes where it wrote (it
        would undo the later one's value), every one after a message read whole (it may write anywhere)."""
        writes = {i: settings(e.data) for i, e in enumerate(events) if e.kind == "sysex"}
        last_to_set = {address: i for i, w in writes.items() for address in w}
        lacking = {i for a, i in last_to_set.items() if self._written.get(a, _UNSET) != writes[i][a]}
        send: set[int] = set()
        touched: set = set()
        after_whole = False  # a message read whole was sent: any later one may hold what it undid
        for i, w in writes.items():
            whole = any(is_own_setting(a) for a in w)
            if i in lacking or not touched.isdisjoint(w) or after_whole or (send and whole):
                send.add(i)
                touched.update(w)
                after_whole = after_whole or whole
        return send

    def _release_orphans(self) -> None:
        if not self._sounding:
            return
        pending = set(self._sounding)
        for e in self._events[self._next :]:
            key = (e.channel, e.a)
            if key in pending and e.kind in ("on", "off"):
                if e.kind == "on":  # struck again before any release: the held note ends now
                    self._synth.note_off(*key)
                    self._sounding.discard(key)
                pending.discard(key)
                if not pending:
                    return
        for key in pending:
            self._synth.note_off(*key)
            self._sounding.discard(key)


def _setting_of(e: Event, selected: dict[int, dict]) -> tuple:
    """The setting a channel event writes: its controller, program, bend or pressure; for a data entry, the
    RPN or NRPN its channel has selected (kept in ``selected``, which a parameter number updates)."""
    if e.kind != "cc":
        return (e.channel, e.kind, e.a if e.kind == "poly" else 0)
    numbers = selected.setdefault(e.channel, {})
    if e.a in (98, 99, 100, 101):
        numbers[e.a] = e.b
        numbers["kind"] = "nrpn" if e.a in (98, 99) else "rpn"
    elif e.a in (6, 38, 96, 97):
        kind = numbers.get("kind")
        number = tuple(numbers.get(n) for n in ((99, 98) if kind == "nrpn" else (101, 100)))
        return (e.channel, "data", kind, number, 38 if e.a == 38 else 6)
    return (e.channel, "cc", e.a)


def _latest_settings(events: list[Event], sysex: set[int] | None) -> list[Event]:
    """What a chase over ``events`` sends, in order: each controller's latest value, in the order they were
    last set; every RPN and NRPN write; the SysEx at the indexes in ``sysex`` (all where None)."""
    latest: dict[tuple[int, str, int] | int, Event] = {}
    for i, e in enumerate(events):
        if e.kind == "sysex" and sysex is not None and i not in sysex:
            continue
        if e.kind == "sysex" or (e.kind == "cc" and e.a in _PARAMETER_CCS):
            key = i  # a bend range's RPN: its number and value, in order; every SysEx
        else:
            key = (e.channel, e.kind, e.a if e.kind in ("cc", "poly") else 0)
        latest.pop(key, None)
        latest[key] = e
    return list(latest.values())
