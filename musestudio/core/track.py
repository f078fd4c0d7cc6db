"""A track: one instrument's notes plus how it is played (program, channel, mute/solo, volume)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

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


def new_track_id() -> int:
    return next(_ids)


def sorted_notes(notes: Iterable[Note]) -> tuple[Note, ...]:
    return tuple(sorted(notes, key=Note.sort_key))


@dataclass(frozen=True, slots=True)
class Track:
    """An immutable track; its notes are always kept sorted by (start, pitch)."""

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

    def __post_init__(self) -> None:
        if not 0 <= self.program <= 127:
            raise ValueError(f"GM program {self.program} is outside 0..127")
        if not 0 <= self.channel <= 15:
            raise ValueError(f"MIDI channel {self.channel} is outside 0..15")
        if not 0 <= self.volume <= 127:
            raise ValueError(f"volume {self.volume} is outside 0..127")
        object.__setattr__(self, "notes", sorted_notes(self.notes))

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
