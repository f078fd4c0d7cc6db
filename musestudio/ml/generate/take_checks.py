"""What makes a take worth listing: not empty, not opening on a silent bar, not nearly empty.

A musician who asks for four takes and gets a blank one, or one that starts with a bar of nothing, stops
trusting the list. These checks are plain functions over notes and ticks (Qt-free, torch-free) so the
generation service can draw again for a take that fails them and rank a sparse take below the rest, for
every mode and engine, in the app and the CLI alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature, normalise_time_signatures
from musestudio.core.timing import is_pickup, next_bar_line

NEAR_EMPTY_SOUNDING = 0.5  # a take that sounds in fewer than half its bars is nearly empty
NEAR_EMPTY_NOTES = 2  # ... and so is one with fewer notes than this


def bar_spans(
    start: int, end: int, tpb: int, time_signatures: Sequence[TimeSignature]
) -> list[tuple[int, int]]:
    """The bars (first tick, bar line after) from ``start`` to ``end``."""
    sigs = normalise_time_signatures(time_signatures)
    spans, at = [], start
    while at < end:
        nxt = min(next_bar_line(at + 1, sigs, tpb), end)
        spans.append((at, nxt))
        at = nxt
    return spans


def held_through(context: Sequence[Note], start: int, end: int) -> bool:
    """Whether a note of ``context`` begun before ``start`` still sounds at ``end``: the bar may rest then."""
    return any(n.start < start and n.end >= end for n in context)


def empty_first_bar(
    notes: Sequence[Note],
    start: int,
    end: int,
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature],
    context: Sequence[Note] = (),
    original: Sequence[Note] | None = None,
    added_part: bool = False,
) -> bool:
    """True when no note of the take starts in its first bar and nothing of ``context`` sounds through it.

    ``context`` is what the take follows: the seed for Continue, the notes around the bars for Regenerate.
    ``original`` is the music the take stands in for or goes with (Restyle's phrase, the tracks Add a part
    writes under): where it rests in that bar, the take may rest there too; so may a part ``added_part`` to
    it where the band opens there with an upbeat (``timing.is_pickup``: the band comes in on the downbeat
    after it), at the piece's start or after a break (as ``parts.bars_nothing_sounds_in`` rests). A
    rewrite of a tune that dropped its upbeat has lost a note of it: that bar is no rest. A note a little
    before the bar line (a 32nd) opens the bar: played music comes early, and a new part takes its lean
    (``core.played_in.lean``).
    """
    spans = bar_spans(start, end, tpb, time_signatures)
    if not spans:
        return False
    a, b = spans[0]
    early = a - tpb // 8
    if any(early <= n.start < b for n in notes):
        return False
    if held_through(context, a, b):
        return False
    if original is None:
        return True
    opening = [n.start for n in original if early <= n.start < b]
    if not opening:
        return False
    if not added_part:
        return True
    before = [n.end for n in original if n.start < early]
    if before and max(before) > a:  # the band sounds on into the bar
        return True
    after = next_bar_line(b + 1, normalise_time_signatures(time_signatures), tpb)
    lines = (a, b) if before else (a, b, after)  # the piece's first bar may be a notated pickup
    return not is_pickup(lines, min(opening))


def near_empty(
    notes: Sequence[Note], start: int, end: int, *, tpb: int, time_signatures: Sequence[TimeSignature]
) -> bool:
    """Too little to be a take: no notes, fewer than NEAR_EMPTY_NOTES, or sounding in under half its bars."""
    if len(notes) < NEAR_EMPTY_NOTES:
        return True
    spans = bar_spans(start, end, tpb, time_signatures)
    if not spans:
        return False
    sounding = sum(1 for a, b in spans if any(n.start < b and n.end > a for n in notes))
    return sounding < NEAR_EMPTY_SOUNDING * len(spans)
