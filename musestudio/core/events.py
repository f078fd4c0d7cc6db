"""Timed events besides notes: key changes, markers, text (lyrics), controllers and verbatim file events.

Like notes these are immutable values with a stable id (not part of equality), so an edit makes a new value
with ``with_*`` and views can match what they draw across edits. Time is in ticks, as everywhere in core.

Controllers share one small value type, ``ControlEvent``, whose ``lane`` says what it controls: 0..127 are
MIDI control changes (sustain pedal 64, modulation 1, volume 7, pan 10, expression 11, ...), and the
constants ``PITCH_BEND``, ``CHANNEL_PRESSURE``, ``PROGRAM`` and ``poly_pressure_lane(pitch)`` name the
other channel messages. One type keeps a track's controller data compact (a piano part can hold tens of
thousands of pedal and expression events) and lets the editor treat every lane alike.

What MuseStudio cannot represent (SysEx, sequencer-specific and unknown meta events) is kept as a
``RawEvent``: the event's bytes exactly as the file held them, written back unchanged.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from musestudio.core.errors import InvalidValue
from musestudio.core.keys import KeySignature

_ids = itertools.count(1)


def new_event_id() -> int:
    """A process-unique id for a tempo change, marker or controller event."""
    return next(_ids)


# -- controller lanes ----------------------------------------------------------------------------------

BANK_SELECT = 0
BANK_SELECT_LSB = 32
MODULATION = 1
VOLUME = 7
PAN = 10
EXPRESSION = 11
SUSTAIN = 64
SOSTENUTO = 66
PITCH_BEND = 128
CHANNEL_PRESSURE = 129
PROGRAM = 130
POLY_PRESSURE_BASE = 256  # lanes 256..383: polyphonic aftertouch of pitch (lane - 256)
#: The lanes that choose an instrument: a bank select takes effect at the next program change.
SOUND_CHOICE = (BANK_SELECT, BANK_SELECT_LSB, PROGRAM)

PITCH_BEND_RANGE = (-8192, 8191)
_CC_NAMES = {
    0: "Bank select",
    1: "Modulation",
    2: "Breath",
    4: "Foot controller",
    5: "Portamento time",
    7: "Volume",
    8: "Balance",
    10: "Pan",
    11: "Expression",
    32: "Bank select (fine)",
    64: "Sustain pedal",
    65: "Portamento",
    66: "Sostenuto",
    67: "Soft pedal",
    71: "Resonance",
    72: "Release time",
    73: "Attack time",
    74: "Brightness",
    91: "Reverb",
    93: "Chorus",
}


def poly_pressure_lane(pitch: int) -> int:
    """The lane of polyphonic aftertouch on one pitch."""
    if not 0 <= pitch <= 127:
        raise ValueError(f"pitch {pitch} is outside MIDI's 0..127")
    return POLY_PRESSURE_BASE + pitch


def is_cc(lane: int) -> bool:
    return 0 <= lane <= 127


def is_poly_pressure(lane: int) -> bool:
    return POLY_PRESSURE_BASE <= lane < POLY_PRESSURE_BASE + 128


def poly_pressure_pitch(lane: int) -> int:
    return lane - POLY_PRESSURE_BASE


def is_lane(lane: int) -> bool:
    return is_cc(lane) or lane in (PITCH_BEND, CHANNEL_PRESSURE, PROGRAM) or is_poly_pressure(lane)


def lane_range(lane: int) -> tuple[int, int]:
    """The values a lane takes: pitch bend -8192..8191 (0 is no bend), everything else 0..127."""
    if not is_lane(lane):
        raise ValueError(f"{lane} is not a controller lane")
    return PITCH_BEND_RANGE if lane == PITCH_BEND else (0, 127)


def lane_default(lane: int) -> int:
    """The value a synth assumes before any event: centred bend and pan, full volume/expression, else 0."""
    return {PITCH_BEND: 0, VOLUME: 100, PAN: 64, EXPRESSION: 127}.get(lane, 0)


def lane_name(lane: int) -> str:
    """A musician's name for a lane ("Sustain pedal", "Pitch bend", "CC 20")."""
    if lane == PITCH_BEND:
        return "Pitch bend"
    if lane == CHANNEL_PRESSURE:
        return "Channel pressure"
    if lane == PROGRAM:
        return "Program change"
    if is_poly_pressure(lane):
        return f"Aftertouch {poly_pressure_pitch(lane)}"
    if is_cc(lane):
        return _CC_NAMES.get(lane, f"CC {lane}")
    raise ValueError(f"{lane} is not a controller lane")


_RANGES = {
    lane: lane_range(lane) for lane in (*range(131), *range(POLY_PRESSURE_BASE, POLY_PRESSURE_BASE + 128))
}


def is_switch(lane: int) -> bool:
    """Pedals that are either down (>= 64) or up: drawn as on/off bars."""
    return lane in (SUSTAIN, 65, 66, 67, 68, 69)


def same_setting(lane: int, a: int, b: int) -> bool:
    """Whether two values of a lane set it alike: a pedal is down or up (127 and 100 are both down), any
    other lane is its value."""
    return (a >= 64) == (b >= 64) if is_switch(lane) else a == b


@dataclass(frozen=True, slots=True)
class ControlEvent:
    """One controller value at a tick on a track's channel: a CC, pitch bend, pressure or program change.

    ``after_strikes``: sent after the notes the track strikes at its tick (their note-ons, and the note-offs
    before them), where a MIDI file sent it after a note-on there. The order matters: a sostenuto pressed
    after a chord's note-ons catches the chord, pressed before them it does not; a program change after a
    note-on leaves that note its old sound. The event knows it, not the track: a part often sends a program
    before its first chord and a pedal after another. At a tick where the track strikes no note (the
    chord moved or deleted) it goes with the other controllers there, after them, and after the note-offs
    (``Track.settings_and_lanes``).

    ``after_releases``: sent after the note-offs of the track at its tick (and before its note-ons), where a
    MIDI file sent it after a note-off there; else before them. A sustain pedal pressed as a chord is let
    go catches the chord when it goes down first, and only the next chord when it goes down after the
    note-offs. One file does both (a pedal caught late on one chord change, early on another), so each
    event keeps its own side."""

    tick: int
    lane: int
    value: int
    after_strikes: bool = False
    after_releases: bool = False
    id: int = field(default_factory=new_event_id, compare=False)

    def __post_init__(self) -> None:
        if self.tick < 0:
            raise InvalidValue(
                f"controller event before zero ({self.tick} ticks)", "controller_before_zero", ticks=self.tick
            )
        bounds = _RANGES.get(self.lane)  # a table lookup: files hold hundreds of thousands of these
        if bounds is None:
            raise InvalidValue(f"{self.lane} is not a controller lane", "not_a_lane", lane_number=self.lane)
        lo, hi = bounds
        if not lo <= self.value <= hi:
            name = lane_name(self.lane).lower()
            raise InvalidValue(
                f"{name} value {self.value} is outside {lo}..{hi}",
                "controller_value",
                name=name,
                value=self.value,
                low=lo,
                high=hi,
                lane=self.lane,
            )

    def with_tick(self, tick: int) -> ControlEvent:
        return replace(self, tick=tick)

    def with_value(self, value: int) -> ControlEvent:
        return replace(self, value=value)

    def moved(self, ticks: int) -> ControlEvent:
        return replace(self, tick=self.tick + ticks)

    def copy_as_new(self) -> ControlEvent:
        return replace(self, id=new_event_id())

    def transposed(self, semitones: int) -> ControlEvent:
        """The event as it goes with a note moved ``semitones``: polyphonic aftertouch presses one key, so
        it moves to the note's new key; every other event acts on the whole channel and stays as it is."""
        if not semitones or not is_poly_pressure(self.lane):
            return self
        return replace(self, lane=poly_pressure_lane(poly_pressure_pitch(self.lane) + semitones))

    def sort_key(self) -> int:
        """Events are ordered by tick only; at one tick they keep the order they were given in."""
        return self.tick


# -- conductor events ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyChange:
    """A key signature taking effect at ``tick`` (after the project's starting key)."""

    tick: int
    key: KeySignature

    def __post_init__(self) -> None:
        if self.tick < 0:
            raise InvalidValue("key change before zero", "key_change_before_zero")


@dataclass(frozen=True, slots=True)
class Marker:
    """A named place in the piece ("Verse", "Chorus"): a MIDI marker meta event.

    ``text_encoding`` is the encoding a MIDI file held it in where that is not the piece's
    (``Project.text_encoding``; None: the piece's): a marker in UTF-8 ("Refrain é") under a title in
    Latin-1. Export MIDI writes it back in its own, so its bytes come out as they went in."""

    tick: int
    text: str
    text_encoding: str | None = None
    id: int = field(default_factory=new_event_id, compare=False)

    def __post_init__(self) -> None:
        if self.tick < 0:
            raise InvalidValue("marker before zero", "marker_before_zero")
        if self.text_encoding is not None and self.text_encoding not in TEXT_ENCODINGS:
            raise unknown_encoding(self.text_encoding)

    def with_tick(self, tick: int) -> Marker:
        return replace(self, tick=tick)

    def with_text(self, text: str) -> Marker:
        return replace(self, text=text)


#: The encodings a MIDI file's text is read in and written back in: UTF-8, or Latin-1 (what older tools and
#: karaoke files wrote; any byte is a Latin-1 character).
TEXT_ENCODINGS = ("utf-8", "latin-1")


def unknown_encoding(encoding: str) -> InvalidValue:
    """The error for a piece's, a track's or a marker's text said to be in an encoding not in
    ``TEXT_ENCODINGS``."""
    known = ", ".join(TEXT_ENCODINGS)
    return InvalidValue(
        f"text encoding {encoding!r} is not one of {known}",
        "text_encoding",
        encoding=repr(encoding),
        known=known,
    )


#: Text meta events kept as text: what each holds, by the name mido gives its type.
TEXT_KINDS = ("text", "copyright", "lyrics", "cue_marker", "instrument_name", "program_name", "device_name")


@dataclass(frozen=True, slots=True)
class TextEvent:
    """Lyrics and other text a file places in time (``kind`` is one of TEXT_KINDS)."""

    tick: int
    kind: str
    text: str

    def __post_init__(self) -> None:
        if self.tick < 0:
            raise InvalidValue("text event before zero", "text_before_zero")
        if self.kind not in TEXT_KINDS:
            raise InvalidValue(
                f"unknown text event kind {self.kind!r}", "text_kind", text_kind=repr(self.kind)
            )


@dataclass(frozen=True, slots=True)
class RawEvent:
    """An event kept byte for byte: a SysEx (``data`` starts F0 or F7, with its length bytes dropped) or
    a meta event (``data`` is FF, the type byte, then the payload without its length).

    ``after_texts``: how many of its track's text events at its tick come before it in the file. The order
    there is meaningful: a channel prefix (FF 20) ties the instrument name and SysEx after it to a channel.
    ``after_controls``: how many of the controller events its track sends at its tick (in the order Export
    MIDI sends them) go before it. That order is heard: a GS reset undoes a pan sent before it, not one
    sent after.
    """

    tick: int
    data: bytes
    after_texts: int = 0
    after_controls: int = 0

    def __post_init__(self) -> None:
        if self.tick < 0:
            raise InvalidValue("event before zero", "kept_event_before_zero")
        if self.after_texts < 0:
            raise InvalidValue(
                "a kept event cannot come after fewer than no text events", "kept_event_after_texts"
            )
        if self.after_controls < 0:
            raise InvalidValue(
                "a kept event cannot come after fewer than no controller events", "kept_event_after_controls"
            )
        if (
            not self.data
            or self.data[0] not in (0xF0, 0xF7, 0xFF)
            or (self.data[0] == 0xFF and len(self.data) < 2)
        ):
            raise InvalidValue(
                "a kept event must be a SysEx (F0/F7) or a meta event (FF type ...)", "kept_event_kind"
            )
