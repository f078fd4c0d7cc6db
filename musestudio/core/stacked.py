"""No two notes of one key starting on one tick, where an edit would put them there.

Two such notes sound as one (the second strike of a key already sounding adds nothing), and in a MIDI
file they are two note-ons of one key that a synth ends together at the first note-off: the longer one is
cut short. Quantize lands two strikes of a key on one grid line when they were played either side of it or
a bounced key's double; Paste lands a copy on the notes copied when it is pasted where they are.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from fractions import Fraction

from musestudio.core.note import Note
from musestudio.core.timing import STRAIGHT, BarGrid

# Where the later of two strikes of a key landed on one tick goes instead: given where the earlier one was
# played, where the later one was and the tick both landed on, the next free tick for it, or None to merge.
MoveOn = Callable[[int, int, int], int | None]


@dataclass(frozen=True)
class Apart:
    """A track's notes with no two of a key on one tick, and how they got so (for the status bar)."""

    notes: tuple[Note, ...]
    merged_into: dict[int, int]  # the id of each note merged away -> the id of the note it went into
    moved_on: int  # how many went on to the next grid line instead

    def survivor(self, note_id: int) -> int:
        """The id ``note_id`` has after: its own, or that of the note it went into."""
        return self.merged_into.get(note_id, note_id)


def one_per_tick(
    played: Iterable[tuple[int, Note, bool]], move_on: MoveOn | None = None, keep_lengths: bool = False
) -> Apart:
    """The notes of ``played`` ((where the note was played, the note where it is now, whether the edit
    touched it)) with no two of a key starting on one tick where the edit put one of them there; notes the
    edit left alone keep any such double they already had (a file's doubles are the file's).

    Taken in the order they were played, the later of two is moved on where ``move_on`` says (its end at
    least as late; the earlier one, a key struck again, ends there), else it goes into the earlier one,
    which lasts to the later one's end and keeps its own loudness (the first strike of a bounced key is
    the one meant). Played at one time, the note the edit left alone comes first: a pasted copy goes into
    the note already there. A note moved on keeps its end where it is later (Quantize put it on a line),
    or with ``keep_lengths`` its length (Input Quantize moves a played note whole)."""
    out: list[Note] = []
    touched: list[bool] = []
    landed: dict[tuple[int, int], tuple[int, int]] = {}  # (pitch, start) -> where it was played, index
    merged_into: dict[int, int] = {}
    moved_on = 0
    for was, note, edited in sorted(played, key=lambda row: (row[0], row[1].start, row[2])):
        there = landed.get((note.pitch, note.start))
        if there is not None and (edited or touched[there[1]]):
            played_at, i = there
            kept = out[i]
            line = move_on(played_at, was, kept.start) if move_on is not None else None
            if line is None or (note.pitch, line) in landed:
                out[i] = kept.with_end(max(kept.end, note.end))
                touched[i] = True
                merged_into[note.id] = kept.id
                continue
            out[i] = kept.with_end(min(kept.end, line))
            keeps_end = note.end > line and not keep_lengths
            note = note.with_start(line).with_end(note.end if keeps_end else line + note.duration)
            moved_on += 1
        landed.setdefault((note.pitch, note.start), (was, len(out)))
        out.append(note)
        touched.append(edited)
    return Apart(tuple(out), _follow_chains(merged_into), moved_on)


def _follow_chains(merged_into: dict[int, int]) -> dict[int, int]:
    """Each merged note mapped to the note that is left (three strikes on one tick: both into the first)."""
    out = {}
    for note_id, into in merged_into.items():
        while into in merged_into:
            into = merged_into[into]
        out[note_id] = into
    return out


def apart_at_this_grid(grid: BarGrid, swing: Fraction = STRAIGHT) -> MoveOn:
    """How Quantize and Input Quantize tell two strikes of a key from one: struck at least half a grid
    step apart, they are two notes, and the later one goes on to the next line when that is still one of
    the two lines beside where it was played; struck closer (a bounced key), they are one strike at this
    grid, merged."""

    def move_on(played_before: int, played: int, tick: int) -> int | None:
        line = grid.next_line(tick, swing)
        return line if played - played_before >= grid.step / 2 and line - played < grid.step else None

    return move_on


def quantized_apart(
    notes: Iterable[Note], selected: Collection[int], grid: BarGrid, swing: Fraction = STRAIGHT
) -> Apart:
    """A track's ``notes`` with the ``selected`` ones quantized onto ``grid`` (swung by ``swing``), two
    strikes of a key landing on one line kept ``apart_at_this_grid``."""
    notes = tuple(notes)
    chosen = [n for n in notes if n.id in selected]
    quantized = dict(zip((n.id for n in chosen), grid.quantize(chosen, swing=swing), strict=True))
    return one_per_tick(
        ((n.start, quantized.get(n.id, n), n.id in quantized) for n in notes), apart_at_this_grid(grid, swing)
    )


def pasted_apart(notes: Iterable[Note], pasted: Iterable[Note]) -> Apart:
    """A track's ``notes`` with ``pasted`` added; a pasted note landing on a note of its key already there
    goes into it (the same note twice is the note once), lasting to the longer one's end."""
    return one_per_tick([*((n.start, n, False) for n in notes), *((n.start, n, True) for n in pasted)])
