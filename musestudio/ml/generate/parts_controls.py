"""The per-part controls the parts engine writes with (split from ``generate.parts``): the pitch range a
part is written in unless the user gives one, and how many notes a written bar may hold (the density control
made firm). Both default to what the part does in the seed, so the model goes on as the user began.
``parts_in`` are ``generate.parts.PartIn`` values.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

from musestudio.ml.generate.parts_stream import _Job
from musestudio.ml.parts_grammar import (
    Part,
    density_value,
)


def default_ranges(parts_in: Sequence) -> list[tuple[int, int]]:
    """The pitch range each part is written in unless the user gives one: a part with notes keeps its own
    register (its lowest and highest note, 5 semitones wider each way), so a continued melody does not wander
    off and the parts keep their order; a new part gets the usual range of its role around the melody (the
    part with role melody, else the highest part): harmony voices step down from just under the melody's top
    (SATB-like: an alto from 5 below it down a ninth, a tenor a fifth lower), a bass below the melody's
    middle and under the band (``_bass_range``), an accompaniment between the bass register and the melody,
    a counter-melody around the melody, a melody above the others. With no part to go by (a part added
    over drums alone) they are placed around middle C, a bass in a bass guitar's two lowest octaves."""
    with_notes = [p for p in parts_in if p.notes]
    ref = next((p for p in with_notes if p.role == "melody"), None) or max(
        with_notes, key=lambda p: sum(n.pitch for n in p.notes) / len(p.notes), default=None
    )
    ref_pitches = sorted(n.pitch for n in ref.notes) if ref else [60, 72]
    top, mid, low = ref_pitches[-1], ref_pitches[len(ref_pitches) // 2], ref_pitches[0]
    others_top = max((n.pitch for p in with_notes for n in p.notes), default=60)
    band_low = min((n.pitch for p in with_notes for n in p.notes), default=127)
    out, harmony_j = [], 0
    for p in parts_in:
        if p.notes:
            ps = [n.pitch for n in p.notes]
            out.append((max(0, min(ps) - 5), min(127, max(ps) + 5)))
        elif p.role == "harmony":
            hi = top - 5 - 7 * harmony_j
            harmony_j += 1
            out.append((max(28, hi - 14), max(40, hi)))
        elif p.role == "bass":  # over drums alone: a bass guitar's two lowest octaves, E1-E3
            out.append(_bass_range(mid, band_low) if ref else (BASS_FLOOR, BASS_FLOOR + 24))
        elif p.role == "accompaniment":
            out.append((max(36, low - 19), max(55, mid + 2)))
        elif p.role == "counter-melody":
            out.append((max(36, low - 12), min(108, top + 5)))
        elif p.role == "melody":
            out.append((max(55, others_top - 2), min(100, max(55, others_top - 2) + 24)))
        else:
            out.append((21, 108))
    return out


#: A new bass's lowest note (E1, a bass guitar's open string) and the least room it is given above that.
BASS_FLOOR, BASS_ROOM = 28, 12


def _bass_range(melody_mid: int, band_low: int) -> tuple[int, int]:
    """A new bass's range: up to a fifth under the melody's middle (at most D4, at least A2) and no higher
    than the lowest note of the given parts, so it plays under the band's chords rather than among their low
    notes (it may double the lowest); two octaves deep, down to E1. A band that already goes that low
    leaves it an octave above E1: as far under the band as a bass can be."""
    hi = max(BASS_FLOOR + BASS_ROOM, min(max(45, min(62, melody_mid - 7)), band_low))
    return max(BASS_FLOOR, hi - 24), hi


def _note_bounds(
    job: _Job, parts_in: Sequence, headers: Sequence[Part], starts: Sequence[int], seed_bars: int
):
    """The density control made firm: notes a written bar may hold, per part (model order). A stated
    density d gives at least d/2 and at most 2d + 1; a part with notes in at least 3 of 4 of its seed bars,
    at least half its own notes per bar and at most twice its busiest bar (a part that rests often may rest);
    a new part, half to twice the density its header announces."""
    out = []
    for k, i in enumerate(job.order):
        src = parts_in[i]
        if src.density is not None:
            d = src.density
            out.append((int(d // 2), math.ceil(2 * d) + 1))
            continue
        if src.notes:
            per_bar: dict[int, int] = {}
            for n in src.notes:
                b = bisect.bisect_right(starts, n.start) - 1
                per_bar[b] = per_bar.get(b, 0) + 1
            d = len(src.notes) / max(1, seed_bars)
            steady = len(per_bar) >= 0.75 * seed_bars
            out.append((int(d // 2) if steady else 0, max(4, 2 * max(per_bar.values()))))
            continue
        d = density_value(headers[k].density or 0)
        out.append((int(d // 2), math.ceil(2 * d) + 1))
    return out
