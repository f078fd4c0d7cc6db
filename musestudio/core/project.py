"""The whole piece: tracks plus the tempo map, meter, keys and markers that give ticks a musical meaning.

The conductor data lives here: the tempo map (``tempos``, always starting at tick 0), meter changes, the
starting key plus later key changes, markers, and text or kept-verbatim events that belong to the whole
piece rather than one track. Every edit is a pure method returning a new Project; undo puts the old
value back (see ``document``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from musestudio.core.errors import InvalidValue
from musestudio.core.events import (
    TEXT_ENCODINGS,
    KeyChange,
    Marker,
    RawEvent,
    TextEvent,
    new_event_id,
    unknown_encoding,
)
from musestudio.core.keys import KeySignature
from musestudio.core.track import ChannelSetup, Track

DEFAULT_TPB = 480  # divisible by 3 and by 32 ticks-per-32nd, so every grid incl. 1/32 triplets is whole
#: MIDI stores a tempo as 1..16,777,215 microseconds per beat: 3.58 to 60,000,000 BPM. Files use tempos far
#: above what anyone plays (a 1,200 BPM trill written as fast notes), so anything MIDI can hold is accepted;
#: below 1 BPM nothing is music.
MIN_BPM, MAX_BPM = 1.0, 60_000_000.0


@dataclass(frozen=True, slots=True)
class TempoChange:
    """A tempo taking effect at ``tick``; a ramp in a file is a run of these steps and is kept as such."""

    tick: int
    bpm: float
    id: int = field(default_factory=new_event_id, compare=False)

    def __post_init__(self) -> None:
        if self.tick < 0:
            raise InvalidValue("tempo change before zero", "tempo_before_zero")
        if not MIN_BPM <= self.bpm <= MAX_BPM:
            low, high = f"{MIN_BPM:g}", f"{MAX_BPM:,.0f}"
            raise InvalidValue(
                f"tempo {self.bpm:g} BPM is outside {low}..{high}",
                "tempo_outside",
                bpm=f"{self.bpm:g}",
                low=low,
                high=high,
            )

    def with_tick(self, tick: int) -> TempoChange:
        return replace(self, tick=tick)

    def with_bpm(self, bpm: float) -> TempoChange:
        return replace(self, bpm=bpm)


@dataclass(frozen=True, slots=True)
class TimeSignature:
    """A meter from ``tick`` on. The metronome fields are MIDI's (clocks per click, 32nds per quarter),
    kept so a file's meter events come back as they were."""

    tick: int
    numerator: int = 4
    denominator: int = 4
    clocks_per_click: int = 24
    notated_32nds: int = 8

    def __post_init__(self) -> None:
        if self.tick < 0:
            raise InvalidValue("time signature before zero", "meter_before_zero")
        if not 1 <= self.numerator <= 255:
            raise InvalidValue(
                f"time signature numerator {self.numerator} is outside 1..255",
                "meter_numerator",
                numerator=self.numerator,
            )
        if self.denominator not in (1, 2, 4, 8, 16, 32, 64, 128):
            raise InvalidValue(
                f"time signature denominator {self.denominator} is not a power of two up to 128",
                "meter_denominator",
                denominator=self.denominator,
            )
        if not (0 <= self.clocks_per_click <= 255 and 0 <= self.notated_32nds <= 255):
            raise InvalidValue("time signature metronome values must be 0..255", "meter_metronome")

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def is_compound(numerator: int, denominator: int) -> bool:
    """Whether a meter is counted in dotted beats, three of its notes to a beat: 6/8, 9/8, 12/8, 6/16 (not
    6/4 or 3/2, counted in their quarters and halves, nor 3/8, counted in its eighths)."""
    return numerator % 3 == 0 and numerator > 3 and denominator >= 8


def metronome_clocks(numerator: int, denominator: int) -> int:
    """MIDI clocks (24 a quarter note) per metronome click that fit a meter: a click on every beat, on
    every dotted beat in a compound meter (6/8, 9/8, 12/16: three beat units a click)."""
    return max(1, round(96 / denominator * (3 if is_compound(numerator, denominator) else 1)))


def normalise_time_signatures(time_signatures: Iterable[TimeSignature]) -> tuple[TimeSignature, ...]:
    """Sorted by tick, one per tick (the last given wins), starting at tick 0: where the first change comes
    later, MIDI's 4/4 holds until it."""
    sigs = tuple({s.tick: s for s in sorted(time_signatures, key=lambda s: s.tick)}.values())
    if not sigs or sigs[0].tick != 0:
        sigs = (TimeSignature(0), *sigs)
    return sigs


def normalise_tempos(tempos: Iterable[TempoChange]) -> tuple[TempoChange, ...]:
    """Sorted by tick, one per tick (the last given wins), starting at tick 0: where the first change comes
    later, MIDI's 120 BPM holds until it."""
    out = tuple({t.tick: t for t in sorted(tempos, key=lambda t: t.tick)}.values())
    if not out or out[0].tick != 0:
        out = (TempoChange(0, 120.0), *out)
    return out


def _frozen_mapping(m: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(m or {}))


def _by_tick(items: Iterable) -> tuple:
    return tuple(sorted(items, key=lambda e: e.tick))


@dataclass(frozen=True, slots=True)
class Project:
    """An immutable project. Edits return a new Project that shares unchanged tracks with the old one.

    ``key`` is the key at the start (None: not given); ``key_changes`` are the keys that follow, at ticks
    after 0. ``texts`` and ``extra_events`` hold the conductor track's text and kept-verbatim events.
    ``end_of_track`` is where the piece ends when that is after its last note (0: at its last note): a
    MIDI file's silent bars at the end (a loop, a count-in, a drum pattern with rests) are part of it,
    whatever else (a pedal-up, a marker) lies in them or at their end.
    ``text_encoding`` is the encoding the title, markers and conductor text came in (``TEXT_ENCODINGS``; a
    marker that came in another says so: ``Marker.text_encoding``).
    ``shared_channels`` names the channels a MIDI file shared among tracks that set them differently, at
    tick 0 or later (``Track.channel_state``), with how those tracks start them (``Track.channel_setup``)
    in track order: the file's own layout, which Export MIDI keeps as long as the tracks on the channel
    start it so. Any other tracks sharing a channel while setting it differently are given channels of
    their own on export.
    """

    tracks: tuple[Track, ...] = ()
    ticks_per_beat: int = DEFAULT_TPB
    tempos: tuple[TempoChange, ...] = (TempoChange(0, 120.0),)
    time_signatures: tuple[TimeSignature, ...] = (TimeSignature(0, 4, 4),)
    key: KeySignature | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    key_changes: tuple[KeyChange, ...] = ()
    markers: tuple[Marker, ...] = ()
    texts: tuple[TextEvent, ...] = ()
    extra_events: tuple[RawEvent, ...] = ()
    end_of_track: int = 0
    text_encoding: str = TEXT_ENCODINGS[0]
    shared_channels: tuple[tuple[int, tuple[ChannelSetup, ...]], ...] = ()
    #: Fields of a project file this MuseStudio does not know (a newer version's, another tool's), as
    #: ``(key, JSON text)`` in file order: the piece carries them unread, and a save writes them back.
    unknown_fields: tuple[tuple[str, str], ...] = ()
    #: Where the piece ended before Insert Bars lengthened it with bars at or after its end, and those bars:
    #: ``(end_of_track before, their first bar line, their end)``. Only the insert knows the end it replaced
    #: (the piece's stated end, or its last note, with the silent bars up to the new ones now the piece's
    #: too), so it is kept here for Delete Bars of the same bars to give it back (``core.bars``). Left out
    #: of equality and of saved files: it is a note for the next bar edit, not part of the music.
    end_before_bars: tuple[int, int, int] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.text_encoding not in TEXT_ENCODINGS:
            raise unknown_encoding(self.text_encoding)
        if not 1 <= self.ticks_per_beat <= 32767:
            raise InvalidValue(
                f"ticks per beat {self.ticks_per_beat} is outside 1..32767",
                "ticks_per_beat_outside",
                ticks=self.ticks_per_beat,
            )
        if self.end_of_track < 0:
            raise InvalidValue("end of the piece before zero", "end_before_zero")
        object.__setattr__(self, "tempos", normalise_tempos(self.tempos))
        object.__setattr__(self, "time_signatures", normalise_time_signatures(self.time_signatures))
        object.__setattr__(self, "tracks", tuple(self.tracks))
        keys = _by_tick(self.key_changes)
        if keys and keys[0].tick == 0:  # a key at the very start is the starting key (the last one there)
            object.__setattr__(self, "key", [k for k in keys if k.tick == 0][-1].key)
            keys = tuple(k for k in keys if k.tick != 0)
        object.__setattr__(self, "key_changes", keys)
        object.__setattr__(self, "markers", _by_tick(self.markers))
        object.__setattr__(self, "texts", _by_tick(self.texts))
        object.__setattr__(self, "extra_events", _by_tick(self.extra_events))
        if not isinstance(self.metadata, MappingProxyType):
            object.__setattr__(self, "metadata", _frozen_mapping(self.metadata))

    # -- queries ---------------------------------------------------------------------------------------
    def track_by_id(self, track_id: int) -> Track:
        for t in self.tracks:
            if t.id == track_id:
                return t
        raise KeyError(f"no track with id {track_id}")

    def track_index(self, track_id: int) -> int:
        for i, t in enumerate(self.tracks):
            if t.id == track_id:
                return i
        raise KeyError(f"no track with id {track_id}")

    @property
    def end(self) -> int:
        """Tick of the last note-off (0 for an empty project)."""
        return max((t.end for t in self.tracks), default=0)

    @property
    def length(self) -> int:
        """Where the piece ends: its last note-off, or the end of the silent bars a MIDI file gave it
        (``end_of_track``: a loop's rests) when that is later. What plays, renders and goes out as MIDI."""
        return max(self.end, self.end_of_track)

    @property
    def last_event_tick(self) -> int:
        """Tick of the last event of any kind: notes, controllers, tempo, meter, keys, markers, text."""
        conductor = (
            *(t.tick for t in self.tempos),
            *(s.tick for s in self.time_signatures),
            *(k.tick for k in self.key_changes[-1:]),
            *(m.tick for m in self.markers[-1:]),
            *(t.tick for t in self.texts[-1:]),
            *(e.tick for e in self.extra_events[-1:]),
        )
        return max(max(conductor), max((t.last_event_tick for t in self.tracks), default=0))

    @property
    def note_count(self) -> int:
        return sum(len(t.notes) for t in self.tracks)

    @property
    def tempo_bpm(self) -> float:
        return self.tempos[0].bpm

    @property
    def time_signature(self) -> TimeSignature:
        return self.time_signatures[0]

    def tempo_at(self, tick: int) -> TempoChange:
        """The tempo change in force at ``tick`` (the last at or before it)."""
        i = bisect.bisect_right([t.tick for t in self.tempos], tick) - 1
        return self.tempos[max(0, i)]

    def key_at(self, tick: int) -> KeySignature | None:
        """The key in force at ``tick``: the last key change at or before it, else the starting key."""
        key = self.key
        for k in self.key_changes:
            if k.tick > tick:
                break
            key = k.key
        return key

    def tempo_change_by_id(self, change_id: int) -> TempoChange:
        for t in self.tempos:
            if t.id == change_id:
                return t
        raise KeyError(f"no tempo change with id {change_id}")

    def marker_by_id(self, marker_id: int) -> Marker:
        for m in self.markers:
            if m.id == marker_id:
                return m
        raise KeyError(f"no marker with id {marker_id}")

    def audible_tracks(self) -> tuple[Track, ...]:
        """Tracks that sound under mute/solo: any solo wins over everything not soloed."""
        soloed = [t for t in self.tracks if t.solo]
        return tuple(soloed) if soloed else tuple(t for t in self.tracks if not t.mute)

    # -- edits (pure) ----------------------------------------------------------------------------------
    def with_(self, **changes) -> Project:
        return replace(self, **changes)

    def with_tracks(self, tracks: Iterable[Track]) -> Project:
        return replace(self, tracks=tuple(tracks))

    def replace_track(self, track: Track) -> Project:
        """The project with the track of the same id swapped for ``track``."""
        i = self.track_index(track.id)
        return replace(self, tracks=self.tracks[:i] + (track,) + self.tracks[i + 1 :])

    def add_track(self, track: Track, index: int | None = None) -> Project:
        tracks = list(self.tracks)
        tracks.insert(len(tracks) if index is None else index, track)
        return replace(self, tracks=tuple(tracks))

    def remove_track(self, track_id: int) -> Project:
        return replace(self, tracks=tuple(t for t in self.tracks if t.id != track_id))

    def with_tempo(self, bpm: float) -> Project:
        """A single constant tempo, replacing the whole map (use ``set_tempo_at`` to keep the others)."""
        return replace(self, tempos=(TempoChange(0, bpm),))

    def with_time_signature(self, numerator: int, denominator: int) -> Project:
        """One meter for the whole piece (a new project's choice); the toolbar uses ``set_meter_at``."""
        return replace(self, time_signatures=(TimeSignature(0, numerator, denominator),))

    def meter_at(self, tick: int) -> TimeSignature:
        """The time signature in force at ``tick`` (the last at or before it)."""
        i = bisect.bisect_right([s.tick for s in self.time_signatures], tick) - 1
        return self.time_signatures[max(0, i)]

    def set_meter_at(self, tick: int, numerator: int, denominator: int) -> Project:
        """The meter box: the meter in force at ``tick`` becomes ``numerator/denominator`` where it starts;
        every other meter change stays (a file's 4/4 -> 7/8 -> 3/4 is not flattened). The changed meter's
        metronome click is one that fits it (``metronome_clocks``): the old one was the old meter's."""
        old = self.meter_at(tick)
        if (old.numerator, old.denominator) == (numerator, denominator):
            return self
        clocks = metronome_clocks(numerator, denominator)
        new = replace(old, numerator=numerator, denominator=denominator, clocks_per_click=clocks)
        return self.with_time_signatures(new if s is old else s for s in self.time_signatures)

    def add_meter_change(self, tick: int) -> Project:
        """A meter change at ``tick`` (a bar line) keeping the meter in force, so the meter box can set the
        bars from there on and leave those before it; none is added where a meter already starts."""
        if any(s.tick == tick for s in self.time_signatures):
            return self
        return self.with_time_signatures([*self.time_signatures, replace(self.meter_at(tick), tick=tick)])

    def remove_meter_change(self, tick: int) -> Project:
        """The bars from ``tick`` go back to the meter before them (the piece's first meter stays)."""
        if tick == 0:
            return self
        return self.with_time_signatures(s for s in self.time_signatures if s.tick != tick)

    # -- tempo map edits ---------------------------------------------------------------------------------
    def with_tempos(self, tempos: Iterable[TempoChange]) -> Project:
        return replace(self, tempos=tuple(tempos))

    def add_tempo_change(self, tick: int, bpm: float) -> tuple[Project, TempoChange]:
        """A new tempo change at ``tick`` (replacing one already there); returns it for selection."""
        change = TempoChange(max(0, tick), bpm)
        return self.with_tempos([*(t for t in self.tempos if t.tick != change.tick), change]), change

    def set_tempo_change(self, change_id: int, bpm: float) -> Project:
        """Change the BPM of one tempo change, leaving the rest of the map as it is."""
        old = self.tempo_change_by_id(change_id)
        return (
            self.with_tempos(t.with_bpm(bpm) if t.id == change_id else t for t in self.tempos)
            if old.bpm != bpm
            else self
        )

    def move_tempo_change(self, change_id: int, tick: int) -> Project:
        """Move one tempo change to ``tick``; the change at the start of the piece stays at tick 0.

        A change dropped onto another one's tick replaces it, the first one too (dragged to the start, it
        is the tempo the piece starts in): for a drag, compute each step from the project as it was when
        the drag began, so a change passed over on the way comes back.
        """
        old = self.tempo_change_by_id(change_id)
        if old.tick == 0 or old.tick == tick:
            return self
        moved = old.with_tick(max(0, tick))
        return self.with_tempos(
            [*(t for t in self.tempos if t.id != change_id and t.tick != moved.tick), moved]
        )

    def remove_tempo_change(self, change_id: int) -> Project:
        """Remove one tempo change. Removing the first one lets the next tempo start the piece."""
        old = self.tempo_change_by_id(change_id)
        rest = [t for t in self.tempos if t.id != change_id]
        if not rest:
            return self  # the map always holds one tempo
        if old.tick == 0:
            rest[0] = rest[0].with_tick(0)
        return self.with_tempos(rest)

    def set_tempo_at(self, tick: int, bpm: float) -> Project:
        """Set the tempo in force at ``tick`` (what the toolbar's BPM field does): that one change gets
        ``bpm``; every other change of the map stays."""
        return self.set_tempo_change(self.tempo_at(tick).id, bpm)

    # -- meter and key edits -----------------------------------------------------------------------------
    def with_time_signatures(self, time_signatures: Iterable[TimeSignature]) -> Project:
        return replace(self, time_signatures=tuple(time_signatures))

    def with_key_changes(self, key_changes: Iterable[KeyChange]) -> Project:
        return replace(self, key_changes=tuple(key_changes))

    def set_key_at(self, tick: int, key: KeySignature | None) -> Project:
        """The key box: the key in force at ``tick`` changes; every other key change stays. A key change
        set to no key is removed (the key before it then holds); the starting key may be none."""
        current = next((k for k in reversed(self.key_changes) if k.tick <= tick), None)
        if current is None:
            return replace(self, key=key)
        rest = [k for k in self.key_changes if k is not current]
        return self.with_key_changes(rest if key is None else [*rest, replace(current, key=key)])

    def add_key_change(self, tick: int) -> Project:
        """A key change at ``tick`` keeping the key in force, so the key box can set the key from there on;
        none where a key already starts, or where no key is set yet (the key box sets the starting key)."""
        key = self.key_at(tick)
        if tick == 0 or key is None or any(k.tick == tick for k in self.key_changes):
            return self
        return self.with_key_changes([*self.key_changes, KeyChange(tick, key)])

    def remove_key_change(self, tick: int) -> Project:
        """From ``tick`` on, the key before it holds again."""
        return self.with_key_changes(k for k in self.key_changes if k.tick != tick)

    # -- markers -----------------------------------------------------------------------------------------
    def with_markers(self, markers: Iterable[Marker]) -> Project:
        return replace(self, markers=tuple(markers))

    def add_marker(self, tick: int, text: str) -> tuple[Project, Marker]:
        marker = Marker(max(0, tick), text)
        return self.with_markers([*self.markers, marker]), marker

    def rename_marker(self, marker_id: int, text: str) -> Project:
        old = self.marker_by_id(marker_id)
        if old.text == text:
            return self
        return self.with_markers(m.with_text(text) if m.id == marker_id else m for m in self.markers)

    def move_marker(self, marker_id: int, tick: int) -> Project:
        old = self.marker_by_id(marker_id)
        if old.tick == max(0, tick):
            return self
        return self.with_markers(m.with_tick(max(0, tick)) if m.id == marker_id else m for m in self.markers)

    def remove_marker(self, marker_id: int) -> Project:
        self.marker_by_id(marker_id)
        return self.with_markers(m for m in self.markers if m.id != marker_id)

    def next_marker(self, tick: int) -> Marker | None:
        """The first marker after ``tick`` (for "jump to next marker")."""
        return next((m for m in self.markers if m.tick > tick), None)

    def previous_marker(self, tick: int) -> Marker | None:
        """The last marker before ``tick``."""
        return next((m for m in reversed(self.markers) if m.tick < tick), None)
