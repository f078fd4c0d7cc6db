"""Where the drums strike, as places a new part lands with (Add a part to a piece with drums).

The parts model reads no drums (it was trained on none). A part added to drums alone hears nothing, and
its rhythm was the network's own: a bass on beat 3 under a kick on the "and" of 3. A part added to a band
hears the tune and its chords, whose rhythm is not the kick's: its bass played with 0.38 of a rock beat's
kicks, the downbeats and little else (models/README, "Session 43 (drums)"). So wherever there are drums
an onset where they strike gains ``GROOVE_BONUS`` nats, as a bassist locks to the kick (the network still
chooses: a note off them stays possible, and its pitches still hear the band's chords). A kit with no
kick gives a bass no place: the snare's backbeat is not where a bass lands, and hats strike everywhere.
A chord's next note at its onset gains as much, or the bonus on moving on outbid it and an accompaniment's
chords thinned to single notes (11.3 notes a bar to 4.3). A cost on the onsets off the accents instead
left a bass one note a bar: against it, ending the bar won.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from musestudio.core.note import Note
from musestudio.ml.tokenizer import GRID

#: GM drum keys a bass locks to (acoustic and electric bass drum)
KICKS = frozenset({35, 36})
#: GM drum keys of the backbeat (side stick, snares, hand clap): with the kick, what a chord part comps on
BACKBEAT = frozenset({37, 38, 39, 40})
#: the nats an onset where the drums strike gains (measured on four patterns, models/README "Session 42")
GROOVE_BONUS = 6.0


def accented_keys(role: str) -> frozenset[int]:
    """The drum keys a new part of ``role`` lands with: a bass with the kick; any other part with the kick
    and the backbeat (a chord on the snare, a line that comes in with the band's hits)."""
    return KICKS if role == "bass" else KICKS | BACKBEAT


def drum_accents(
    drums: Sequence[Note], keys: frozenset[int], starts: Sequence[int], tpb: int
) -> dict[int, frozenset[int]]:
    """Per bar (index into ``starts``, its bar lines), the grid positions where a drum of ``keys`` starts
    a note: on the model's grid (``GRID`` a beat), the notes between its positions left out (a flam, a
    ghost note pushed off the grid is no place to land)."""
    out: dict[int, set[int]] = {}
    for n in drums:
        if n.pitch not in keys:
            continue
        bar = bisect.bisect_right(starts, n.start) - 1
        if not 0 <= bar < len(starts) - 1:
            continue
        offset = (n.start - starts[bar]) * GRID
        if offset % tpb == 0:
            out.setdefault(bar, set()).add(offset // tpb)
    return {bar: frozenset(steps) for bar, steps in out.items()}


def with_the_kick(part, accents: dict[int, frozenset[int]]):
    """``part`` (a new ``parts.PartIn``) as busy as the kick when it is a bass with no density given: about
    a note for each kick a bar (the bars the kick plays in, on average), as a bass that locks to the kick
    plays. The model's own density for a bass with no tune to follow (three notes a bar) put a note
    between the kicks of a half-time beat for every one on them; under a tune (a step below the melody's)
    it played the downbeats and let a rock beat's third kick go by."""
    if part.role != "bass" or part.density is not None or not accents:
        return part
    return replace(part, density=sum(len(steps) for steps in accents.values()) / len(accents))
