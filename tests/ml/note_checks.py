"""A check on generated notes that the tests of every engine share."""

from __future__ import annotations

from collections.abc import Iterable

from musestudio.core.note import Note


def holds_a_key_struck_again(notes: Iterable[Note]) -> bool:
    """Whether a note still sounds where another note of its pitch starts (MIDI gives a channel one
    note-off per pitch, so the synthesizer would end either)."""
    by_pitch: dict[int, list[Note]] = {}
    for n in notes:
        by_pitch.setdefault(n.pitch, []).append(n)
    for same in by_pitch.values():
        same.sort(key=Note.sort_key)
        if any(b.start < a.end for a, b in zip(same, same[1:], strict=False)):
            return True
    return False
