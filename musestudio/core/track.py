"""A track: one instrument's notes and controllers plus how it is played (program, channel, mute/solo, volume).

``program`` and ``volume`` are the settings at the start; program changes and volume (CC 7) later in the
piece are controller events in the track's lanes, as are the sustain pedal, pitch bend and every other
controller. ``channel`` is the MIDI channel the track is written on (channel 10, index 9, for drums).
``text_encoding`` is the encoding its name and text came in (one of ``TEXT_ENCODINGS``), written back so.
``name_event`` says whether the track has a name event at all: a part its file left unnamed has none, and
gets none in the file it is exported to (the UI calls it by its instrument).
``program_after`` keeps a file's bank select sent after the program at tick 0 (``settings_and_lanes``);
``volume_after`` a file's volume sent after a SysEx at tick 0 (a GS reset between its program and its
volume), and ``sound_before_lanes`` its bank selects and program sent after one (a GS reset between its pan
and its program). Where each controller goes among the notes of its tick is its own
(``ControlEvent.after_releases``, ``after_strikes``).
``program_stated`` and ``volume_stated`` say whether the track's file stated its program and volume at
the start: one it left unsaid is still played (MIDI's default, or what its channel plays), but not
written into the file it is exported to, which then holds the events its file held.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter

from musestudio.core.errors import InvalidValue
from musestudio.core.events import (
    PROGRAM,
    SOSTENUTO,
    SOUND_CHOICE,
    SUSTAIN,
    TEXT_ENCODINGS,
    VOLUME,
    ControlEvent,
    RawEvent,
    TextEvent,
    is_poly_pressure,
    is_switch,
    lane_default,
    poly_pressure_lane,
    same_setting,
    unknown_encoding,
)
from musestudio.core.note import Note

_ids = itertools.count(1)

#: Colours handed to new tracks in turn: distinct on a dark piano roll, readable as note fills.
TRACK_COLOURS = (
    "#4f9dde",
    "#e0864a",
    "#6cc070",
    "#d1607a",
    "#a27be0",
    "#d6c34f",
    "#4fc6c0",
    "#c47ab6",
)

DRUM_CHANNEL = 9

#: How a track starts its MIDI channel (``Track.channel_setup``): drum kit or not, program, volume, and the
#: value each lane it sets at tick 0 starts with, by lane.
ChannelSetup = tuple[bool, int, int, tuple[tuple[int, int], ...]]

#: What a track does to its MIDI channel as a whole, start to end (``Track.channel_state``): drum kit or
#: not, the lanes it starts away from a synth's default, by lane, then each later change, (tick, lane, value).
ChannelState = tuple[bool, tuple[tuple[int, int], ...], tuple[tuple[int, int, int], ...]]


def start_settings(sent: Sequence[tuple[int, int, bool]]) -> tuple[int | None, int | None, int | None]:
    """What a channel's controls, as (tick, lane, ``after_strikes``) in the order they are sent, leave as a
    track's own settings, the way a MIDI file is read (and Delete Bars from bar 1 reads a track again): the
    index of its program (the last set at tick 0: any earlier ones there stay lane events, sent before it),
    of its volume (the first set there: later ones stay lane events, sent after it), both None where none
    is set; and its ``program_after``: how many bank selects and programs at tick 0 come before the
    program, where a bank select comes after it, else None (the order the export writes anyway). One sent
    after the notes struck at tick 0 is no setting: those notes play before it (a program change after
    the first chord leaves that chord its old sound), so it stays a lane event."""
    at_zero = [(i, lane) for i, (tick, lane, after) in enumerate(sent) if tick == 0 and not after]
    program = max((i for i, lane in at_zero if lane == PROGRAM), default=None)
    volume = min((i for i, lane in at_zero if lane == VOLUME), default=None)
    choosing = [i for i, lane in at_zero if lane in SOUND_CHOICE and i != program]
    before = 0 if program is None else sum(i < program for i in choosing)
    return program, volume, before if before < len(choosing) else None


def new_track_id() -> int:
    return next(_ids)


class SortedTuple(tuple):
    """A tuple known to be in order already: a Track built from one (``with_`` on a million-note track,
    a rename) does not sort again. Equal to the plain tuple of the same items."""

    __slots__ = ()


_NOTE_ORDER = attrgetter("start", "pitch", "duration")  # Note.sort_key, at C speed
_TICK = attrgetter("tick")
#: The order a track sends its controller events at one tick: those sent before its note-offs, then those
#: sent after them (``ControlEvent.after_releases``), then those sent after its note-ons (``after_strikes``)
_SENT_ORDER = attrgetter("tick", "after_strikes", "after_releases")
_START = attrgetter("start")


def sorted_notes(notes: Iterable[Note]) -> tuple[Note, ...]:
    if isinstance(notes, SortedTuple):
        return notes
    return SortedTuple(sorted(notes, key=_NOTE_ORDER))


def sorted_controllers(events: Iterable[ControlEvent]) -> tuple[ControlEvent, ...]:
    """By tick; a stable sort, so events at one tick keep their order (an RPN's CC 101, 100 then 6; a
    bank select before its program change)."""
    if isinstance(events, SortedTuple):
        return events
    return SortedTuple(sorted(events, key=_TICK))


@dataclass(frozen=True, slots=True)
class Track:
    """An immutable track; its notes are always kept sorted by (start, pitch)."""

    #: The track's name as its file holds it or the user typed it ("" for none: ``name_event``).
    name: str = "Track"
    program: int = 0
    channel: int = 0
    is_drum: bool = False
    colour: str = TRACK_COLOURS[0]
    mute: bool = False
    solo: bool = False
    volume: int = 100
    notes: tuple[Note, ...] = ()
    id: int = field(default_factory=new_track_id, compare=False)
    controllers: tuple[ControlEvent, ...] = ()
    texts: tuple[TextEvent, ...] = ()
    extra_events: tuple[RawEvent, ...] = ()
    text_encoding: str = TEXT_ENCODINGS[0]
    #: How many of the bank selects and program changes the track sends at tick 0 go before its own
    #: program; None: all of them. A file that sends a bank select after its program at tick 0 plays
    #: that program in the bank before (the bank waits for the next program change): the app plays and
    #: writes it in the file's order rather than choosing the bank early.
    program_after: int | None = None
    #: How many of the track's kept events at tick 0 go before its own volume there, where a SysEx sent
    #: among its controllers does (a file sending its program, a GS reset, then its volume: the reset
    #: would undo a volume sent before it); None: the volume goes first, before every controller.
    volume_after: int | None = None
    #: How many of the track's bank selects and programs at tick 0 (its own program among them, in the
    #: order sent) go before its other lanes' events there; the rest go after them, where a file sent
    #: them after a SysEx that came after some of its controllers (a pan, a GS reset, then the program:
    #: sent before the reset, the program is undone by it and the part plays a piano). None: all of them.
    sound_before_lanes: int | None = None
    #: Whether the track has a track-name event: False for a part its MIDI file gave none (and File > New's
    #: track, until the user names it), which then has no name (""): the UI calls it by its instrument, and
    #: Export MIDI writes no name event for it, as the file had none. A file's empty name is an event.
    name_event: bool = True
    #: Whether the track states its ``program`` and ``volume`` at tick 0: False for a part whose MIDI file
    #: sent no program change (or no CC 7) there, which plays the value it has (MIDI's default, or what its
    #: channel plays, ``io.midi``) but exports without that event, as its file had none (``sent_controls``).
    #: Setting the instrument or volume in the app states it.
    program_stated: bool = True
    volume_stated: bool = True
    #: Fields of a project file's track this MuseStudio does not know, as ``Project.unknown_fields``.
    unknown_fields: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.text_encoding not in TEXT_ENCODINGS:
            raise unknown_encoding(self.text_encoding)
        if self.name and not self.name_event:
            raise InvalidValue(
                f"track name {self.name!r} with no name event", "name_without_event", name=self.name
            )
        if not 0 <= self.program <= 127:
            raise InvalidValue(
                f"GM program {self.program} is outside 0..127", "program_outside", program=self.program
            )
        if not 0 <= self.channel <= 15:
            raise InvalidValue(
                f"MIDI channel {self.channel} is outside 0..15", "channel_outside", channel=self.channel
            )
        if not 0 <= self.volume <= 127:
            raise InvalidValue(
                f"volume {self.volume} is outside 0..127", "volume_outside", volume=self.volume
            )
        if self.program_after is not None and self.program_after < 0:
            raise InvalidValue(
                f"program_after {self.program_after} is below 0",
                "program_after_negative",
                program_after=self.program_after,
            )
        if self.volume_after is not None and self.volume_after < 0:
            raise InvalidValue(
                f"volume_after {self.volume_after} is below 0",
                "volume_after_negative",
                volume_after=self.volume_after,
            )
        if self.sound_before_lanes is not None and self.sound_before_lanes < 0:
            raise InvalidValue(
                f"sound_before_lanes {self.sound_before_lanes} is below 0",
                "sound_before_lanes_negative",
                sound_before_lanes=self.sound_before_lanes,
            )
        object.__setattr__(self, "notes", sorted_notes(self.notes))
        object.__setattr__(self, "controllers", sorted_controllers(self.controllers))
        object.__setattr__(self, "texts", tuple(sorted(self.texts, key=_TICK)))
        object.__setattr__(self, "extra_events", tuple(sorted(self.extra_events, key=_TICK)))

    def with_notes(self, notes: Iterable[Note]) -> Track:
        return replace(self, notes=sorted_notes(notes))

    def with_(self, **changes) -> Track:
        """A copy with some fields changed (name, program, mute, ...), keeping the id."""
        return replace(self, **changes)

    def note_by_id(self, note_id: int) -> Note | None:
        return next((n for n in self.notes if n.id == note_id), None)

    @property
    def end(self) -> int:
        return max((n.end for n in self.notes), default=0)

    @property
    def last_event_tick(self) -> int:
        """The tick of the last note-off, controller, text or kept event (0 when there are none)."""
        return max(
            self.end,
            self.controllers[-1].tick if self.controllers else 0,
            self.texts[-1].tick if self.texts else 0,
            self.extra_events[-1].tick if self.extra_events else 0,
        )

    def channel_setup(self) -> ChannelSetup:
        """How the track starts its MIDI channel: drum kit or not, program, volume, and what its lanes set
        at tick 0 (pan, reverb, a bank, a bend range). The app plays every track on a synth channel of
        its own; tracks sharing a MIDI channel in a file play with what was stated there last, so two that
        set it differently, at the start or later (``channel_state``: a program change at bar 2), each need
        a channel of their own to sound in the file as in the app."""
        at_zero = {}
        for e in self.controllers:
            if e.tick:
                break
            at_zero[e.lane] = e.value
        return (self.is_drum, self.program, self.volume, tuple(sorted(at_zero.items())))

    def channel_state(self) -> ChannelState:
        """What the track does to its MIDI channel as a whole, from tick 0 to its end: its program, bank,
        volume, pan, pedals, bend, pressure and every other controller, as they are sent
        (``settings_and_lanes``), by what they set (a lane at its default, a value restated, a pedal at 100
        rather than 127 set nothing new). Only notes and polyphonic pressure act on one key. The app plays
        every track on a synth channel of its own, so tracks sharing a MIDI channel sound in a file as in
        the app only where their states are the same: else one track's program change, pedal or pan is
        heard on the other's notes too."""
        events = [e for e in self.settings_and_lanes() if not is_poly_pressure(e.lane)]
        now = {e.lane: _setting(e) for e in events if e.tick == 0}
        start = tuple(sorted((lane, v) for lane, v in now.items() if v != lane_default(lane)))
        changes = []
        for e in events:
            if e.tick and now.get(e.lane, lane_default(e.lane)) != _setting(e):
                changes.append((e.tick, e.lane, _setting(e)))
                now[e.lane] = _setting(e)
        return (self.is_drum, start, tuple(changes))

    # -- controller lanes --------------------------------------------------------------------------------
    def settings_and_lanes(self) -> tuple[ControlEvent, ...]:
        """Every controller event, with the track's own volume and program at tick 0, in the order they
        are played (and exported, less a volume or program its file left unsaid: ``as_sent``). At tick 0:
        the volume first (a volume drawn from bar 1 is what plays, and a file's first CC 7 there is read as
        the track's volume), then the bank selects and programs of the lanes, then the track's program (a
        bank select chooses its bank; a file's last program at tick 0 is read as the track's), then the
        other lanes (a file's program before its controllers comes back so). Only the first
        ``program_after`` bank selects and programs go before the track's program where it is set: the
        rest came after it in the file, for a later program. Only
        the first ``sound_before_lanes`` of those and the program go before the other lanes: the rest came
        after a SysEx sent after some of those lanes (a GS reset would undo them sent before it). At each
        tick those sent after its notes (``ControlEvent.after_strikes``) come last, as a file sent them;
        where no note is struck there (the chord moved or deleted) they still come last, so
        the SysEx placed among them stays where it was. Those sent after the tick's note-offs
        (``ControlEvent.after_releases``) come after the others there and before those. Either kind at
        tick 0 is no set-up: it is sent in its own order (a program after a pedal, both after the first
        chord), not with the bank selects and programs."""
        at_zero = [e for e in self.controllers if e.tick == 0 and not (e.after_strikes or e.after_releases)]
        after_notes = [e for e in self.controllers if e.tick == 0 and (e.after_strikes or e.after_releases)]
        later = [e for e in self.controllers if e.tick > 0]
        choosing = [e for e in at_zero if e.lane in SOUND_CHOICE]
        rest = [e for e in at_zero if e.lane not in SOUND_CHOICE]
        volume, program = ControlEvent(0, VOLUME, self.volume), ControlEvent(0, PROGRAM, self.program)
        before = len(choosing) if self.program_after is None else self.program_after
        sound = (*choosing[:before], program, *choosing[before:])
        early = len(sound) if self.sound_before_lanes is None else self.sound_before_lanes
        sent = (volume, *sound[:early], *rest, *sound[early:], *after_notes, *later)
        if not any(e.after_strikes or e.after_releases for e in self.controllers):
            return sent
        return tuple(sorted(sent, key=_SENT_ORDER))

    def lane(self, lane: int) -> tuple[ControlEvent, ...]:
        """The events of one lane (a CC number, PITCH_BEND, ...), by tick."""
        return tuple(e for e in self.controllers if e.lane == lane)

    def pedal_held(self) -> tuple[tuple[int, int], ...]:
        """Where a pedal holds the track's notes on after their keys are let go, in order: for each stroke
        that catches a note, (its first such release, the pedal's lift). A pedalled chord sounds there as
        if its keys were held, though no note does (Add a part rests only where the band is silent).

        The sustain pedal (CC 64) catches every note let go while it is down. The sostenuto pedal (CC 66)
        catches only the notes whose keys are down as it is pressed, as a pianist uses it to hold a bass
        or a chord under a melody played on: a note struck with it, or after it, is not held (the synth
        sends the pedal before the note-ons at one tick, so it catches the notes struck before it), unless
        the pedal goes down after the notes struck on its tick (``ControlEvent.after_strikes``): then it
        catches those too. A note let go as a pedal goes down is caught unless the pedal goes down after
        that tick's note-offs (``ControlEvent.after_releases``) or its notes; a pedal left down holds no
        further than the track's last note."""
        ends = sorted(n.end for n in self.notes)
        held = []
        for d, u, released, _ in self._strokes(SUSTAIN):
            first = (bisect.bisect_right if released else bisect.bisect_left)(ends, d)
            if first < len(ends) and ends[first] < u:
                held.append((ends[first], u))
        for d, u, released, late in self._strokes(SOSTENUTO):
            down = (bisect.bisect_right if late else bisect.bisect_left)(self.notes, d, key=_START)
            # a note let go at ``d`` before the pedal goes down is not caught
            caught = [n.end for n in self.notes[:down] if n.end > d or (n.end == d and not released)]
            if caught and min(caught) < u:
                held.append((min(caught), u))
        return tuple(sorted(held))

    def _strokes(self, lane: int) -> list[tuple[int, int, bool, bool]]:
        """Each stroke of the pedal ``lane``: (where it goes down, where it comes up, whether it goes down
        after the note-offs there, whether after the notes struck there), one left down coming up at the
        track's last note-off."""
        strokes, down, released, late = [], None, False, False
        after = self.after_strikes_at()
        for e in self.lane(lane):
            if e.value >= 64 and down is None:
                down, late = e.tick, e.after_strikes and e.tick in after
                released = e.after_releases or e.after_strikes  # after the notes, after their note-offs
            elif e.value < 64 and down is not None:
                strokes.append((down, e.tick, released, late))
                down = None
        if down is not None:
            strokes.append((down, self.end, released, late))
        return strokes

    def after_strikes_at(self) -> frozenset[int]:
        """The ticks where some controller event goes after the notes the track strikes there: an event
        ``after_strikes`` on a tick where a note starts (on any other tick the flag means nothing). Export,
        playback and ``pedal_held`` send such an event there after those note-ons, as its file did."""
        flagged = {e.tick for e in self.controllers if e.after_strikes}
        if not flagged:
            return frozenset()
        return frozenset(flagged.intersection(n.start for n in self.notes))

    def lanes(self) -> tuple[int, ...]:
        """The lanes that hold events, in order."""
        return tuple(sorted({e.lane for e in self.controllers}))

    def controller_by_id(self, event_id: int) -> ControlEvent | None:
        return next((e for e in self.controllers if e.id == event_id), None)

    def value_at(self, lane: int, tick: int, default: int | None = None) -> int | None:
        """The lane's value in force at ``tick`` (its last event at or before it), else ``default``."""
        value = default
        for e in self.controllers:
            if e.tick > tick:
                break
            if e.lane == lane:
                value = e.value
        return value

    def with_controllers(self, events: Iterable[ControlEvent]) -> Track:
        return replace(self, controllers=sorted_controllers(events))

    def edit_controllers(self, remove: Iterable[int] = (), add: Iterable[ControlEvent] = ()) -> Track:
        """Drop events by id (and every id in ``add``), then add ``add``: how a move or value drag lands."""
        add = tuple(add)
        drop = set(remove) | {e.id for e in add}
        if not drop and not add:
            return self
        return self.with_controllers([*(e for e in self.controllers if e.id not in drop), *add])

    def replace_lane_range(
        self, lane: int, start: int, end: int, events: Iterable[ControlEvent] = ()
    ) -> Track:
        """The lane's events in [start, end) replaced by ``events`` (drawing, a line, or erasing with none).

        ``events`` must be of ``lane``; they may lie anywhere, though a drawn stroke lies inside the range.
        """
        events = tuple(events)
        if any(e.lane != lane for e in events):
            raise ValueError("replace_lane_range: every event must be of the lane being replaced")
        kept = (e for e in self.controllers if not (e.lane == lane and start <= e.tick < end))
        return self.with_controllers([*kept, *events])

    def remove_lane_range(self, lane: int, start: int, end: int) -> Track:
        return self.replace_lane_range(lane, start, end, ())

    def move_controllers(self, originals: Iterable[ControlEvent], ticks: int, semitones: int = 0) -> Track:
        """``originals`` (as they were when a drag began) moved by ``ticks``, never before zero, going with
        notes moved ``semitones`` (their aftertouch to their new keys, ``ControlEvent.transposed``)."""
        originals = tuple(originals)
        if not originals:
            return self
        ticks = max(ticks, -min(e.tick for e in originals))
        return self.edit_controllers(add=(e.moved(ticks).transposed(semitones) for e in originals))

    def controllers_in(self, start: int, end: int, lane: int | None = None) -> tuple[ControlEvent, ...]:
        """Events in [start, end), of one lane or all."""
        return tuple(
            e for e in self.controllers if start <= e.tick < end and (lane is None or e.lane == lane)
        )

    def controllers_of(self, notes: Iterable[Note]) -> tuple[ControlEvent, ...]:
        """The controllers that belong to ``notes`` (what "Move Controllers with Notes" takes along): every
        event from the first note's start to the last one's end, and, exactly at that end, a lane's return
        to where it stood before the notes, where they changed it: the pedal lifted or the bend let go as
        the phrase ends. Anything else at the end (the pedal pressed again, a new volume) starts the music
        after the notes, and stays with it. Polyphonic aftertouch presses one key: only that on the notes'
        own keys is theirs; another note's sounding with them stays with that note."""
        notes = tuple(notes)
        if not notes:
            return ()
        start, end = min(n.start for n in notes), max(n.end for n in notes)
        keys = {poly_pressure_lane(n.pitch) for n in notes}
        changed = {e.lane for e in self.controllers_in(start, end)}
        at_end = (self._first_at(lane, end) for lane in changed)
        releases = {e.id for e in at_end if e is not None and self._sets_back(e, start)}
        return tuple(
            e
            for e in self.controllers
            if (start <= e.tick < end or e.id in releases)
            and (not is_poly_pressure(e.lane) or e.lane in keys)
        )

    def _first_at(self, lane: int, tick: int) -> ControlEvent | None:
        return next((e for e in self.controllers if e.tick == tick and e.lane == lane), None)

    def _sets_back(self, event: ControlEvent, tick: int) -> bool:
        """Whether ``event`` sets its lane back to where it stood just before ``tick``."""
        before = self.value_at(event.lane, tick - 1, lane_default(event.lane))
        return same_setting(event.lane, event.value, before)


def _setting(event: ControlEvent) -> int:
    """What an event sets its lane to: a pedal is down or up (127 and 100 are both down)."""
    return (127 if event.value >= 64 else 0) if is_switch(event.lane) else event.value


def sends_only_its_lanes(track: Track) -> bool:
    """A track without notes on MIDI's defaults whose lanes, read back, leave it there (a track of only
    words or SysEx, or a set-up part: a reverb send, a file's own program 0 and volume 100 at its start).
    Its export sends the lane events alone, as the file it came from did: stating its program and volume
    before them would add events that nothing of it plays (and state a file's own twice)."""
    if (track.program, track.volume, track.channel) != (0, 100, 0) or track.notes:
        return False
    at_zero = [e for e in track.controllers if e.tick == 0]
    volume = next((e.value for e in at_zero if e.lane == VOLUME), 100)  # a reader's: the first at tick 0
    programs = [e.value for e in at_zero if e.lane == PROGRAM]  # and the last program there
    return volume == 100 and (programs[-1] if programs else 0) == 0


def sent_controls(track: Track) -> tuple[ControlEvent, ...]:
    """The controller events a track sends, in order, as Export MIDI writes them (what
    ``RawEvent.after_controls`` counts): a part with no notes on MIDI's defaults sends its lanes alone
    (``sends_only_its_lanes``); any other states its settings first, as the app plays them, but for a
    program or volume its file left unsaid (``Track.program_stated``)."""
    return track.controllers if sends_only_its_lanes(track) else as_sent(track, track.settings_and_lanes())


def as_sent(track: Track, played: Iterable[ControlEvent]) -> tuple[ControlEvent, ...]:
    """Of ``played`` (events of ``track.settings_and_lanes()``, in order), those Export MIDI sends for a
    track stating its settings: all but a volume or program its file left unsaid (``Track.program_stated``;
    the settings are the events that are none of its lanes'). What the file sent keeps its order."""
    lanes = {id(e) for e in track.controllers}
    said = {PROGRAM: track.program_stated, VOLUME: track.volume_stated}
    return tuple(e for e in played if id(e) in lanes or said.get(e.lane, True))
