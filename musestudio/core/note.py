"""Notes are immutable values with a stable id.

An edit never changes a note in place: it makes a new one with ``with_*`` (keeping the id), so an undo step
can hold the old and new values side by side and views can match items by id across edits.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from musestudio.core.errors import InvalidValue

_ids = itertools.count(1)


def new_note_id() -> int:
    """A process-unique id; ``next`` on a count is atomic under the GIL, so worker threads may call it."""
    return next(_ids)


@dataclass(frozen=True, slots=True, order=False)
class Note:
    """One note: MIDI pitch, start and duration in ticks, MIDI velocity, and the velocity of its release.

    Equality compares the music (pitch, start, duration, velocities), not the id, so a note read back from a
    file equals the note that was written. ``release`` is the note-off's velocity, which a file may hold
    (many tools write 64; some synths shape the release by it); notes made here have 0, which MIDI writes
    as "no release velocity".
    """

    pitch: int
    start: int
    duration: int
    velocity: int = 100
    id: int = field(default_factory=new_note_id, compare=False)
    release: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.pitch <= 127:
            raise InvalidValue(f"pitch {self.pitch} is outside MIDI's 0..127", "note_pitch", pitch=self.pitch)
        if self.start < 0:
            raise InvalidValue(
                f"note starts before zero ({self.start} ticks)", "note_before_zero", ticks=self.start
            )
        if self.duration <= 0:
            raise InvalidValue(
                f"note duration must be positive, got {self.duration} ticks",
                "note_duration",
                ticks=self.duration,
            )
        if not 1 <= self.velocity <= 127:
            raise InvalidValue(
                f"velocity {self.velocity} is outside MIDI's 1..127", "note_velocity", velocity=self.velocity
            )
        if not 0 <= self.release <= 127:
            raise InvalidValue(
                f"release velocity {self.release} is outside MIDI's 0..127",
                "note_release",
                velocity=self.release,
            )

    @property
    def end(self) -> int:
        return self.start + self.duration

    def with_pitch(self, pitch: int) -> Note:
        return replace(self, pitch=pitch)

    def with_start(self, start: int) -> Note:
        return replace(self, start=start)

    def with_duration(self, duration: int) -> Note:
        return replace(self, duration=duration)

    def with_velocity(self, velocity: int) -> Note:
        return replace(self, velocity=velocity)

    def with_end(self, end: int) -> Note:
        return replace(self, duration=end - self.start)

    def moved(self, ticks: int = 0, semitones: int = 0) -> Note:
        return replace(self, start=self.start + ticks, pitch=self.pitch + semitones)

    def copy_as_new(self) -> Note:
        """The same music under a fresh id (for paste and duplicate)."""
        return replace(self, id=new_note_id())

    def sort_key(self) -> tuple[int, int, int]:
        return (self.start, self.pitch, self.duration)


def within(notes: Iterable[Note], start: int, end: int) -> list[Note]:
    """The notes that start in ``start``..``end``, each cut at ``end``: what new music for those bars
    holds (a last note held on past them would lengthen the piece, or sound over the bar after), sorted."""
    inside = (n if n.end <= end else n.with_duration(end - n.start) for n in notes if start <= n.start < end)
    return sorted(inside, key=Note.sort_key)


def restruck(notes: Iterable[Note], new: Callable[[Note], bool] | None = None) -> list[Note]:
    """``notes`` with each one cut where its key is struck again while it sounds, as a player's key ends
    when struck again (MIDI gives a channel one note-off per pitch, so a synthesizer would end either
    note), and a second strike at the same onset dropped (the longer kept). With ``new``, only where one
    of the two notes is new: what the musician played or wrote stays as it was, overlaps and all.
    Sorted by ``Note.sort_key``."""
    out: list[Note] = []
    for n in sorted(notes, key=lambda n: (n.pitch, n.start, -n.duration)):
        last = out[-1] if out else None
        if (
            last is None
            or last.pitch != n.pitch
            or n.start >= last.end
            or (new and not (new(last) or new(n)))
        ):
            out.append(n)
        elif n.start > last.start:
            out[-1] = last.with_duration(n.start - last.start)
            out.append(n)
    return sorted(out, key=Note.sort_key)
