"""Notes played in without a click or a quantize, as the models hear them: on the beat.

The models read time on a grid (12 steps a quarter note). A part drawn in the editor or written by a
sequencer sits on it; a part played on a keyboard does not: its onsets land a few ticks early or late, and
the models read those as sixteenth-triplet syncopations and odd lengths they were never trained on. A
played POP909 song scores 22 nats a note under the parts model as played, 5.6 once on the beat
(models/README.md, "Played in"). So a musician's played seed or file is *heard* on the beat: each beat's
onsets go to the nearest straight sixteenth, or to the nearest eighth-note triplet where that beat is
played in triplets, and the ends likewise. Nothing the user made is changed: what the models hear is a
copy, and a part already on the grid is heard exactly as written (32nd runs and all).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from musestudio.core.note import Note

#: onsets on the 32nd-and-sixteenth-triplet grid (24 steps a quarter): what a sequencer writes
SEQUENCED_STEPS_PER_BEAT = 24
#: a part with fewer onsets (or ends) than this on that grid was played in
SEQUENCED_SHARE = 0.5
#: a beat's onsets are heard as triplets only when they fit the triplet grid clearly better
TRIPLET_MARGIN = 0.5
#: a played part leans steadily off the beat when this share of its onsets lie within a 64th of its lean
STEADY_SHARE = 0.75


def _off_grid(ticks: Sequence[int], tpb: int) -> bool:
    """True when most of ``ticks`` sit off every grid a sequencer writes on (1 in 20 by chance at 480
    ticks a beat). A grid point is a whole number of 24ths of a beat, rounded to the tick at resolutions
    that do not divide by 3 (1024 ticks a beat puts a triplet at 341)."""
    step = tpb / SEQUENCED_STEPS_PER_BEAT
    on_grid = sum(1 for t in ticks if abs(t - round(t / step) * step) <= 0.5)
    return bool(ticks) and on_grid < SEQUENCED_SHARE * len(ticks)


def _played(notes: Sequence[Note], tpb: int) -> tuple[bool, bool]:
    """(were the onsets played in, were the ends): a part recorded with its starts quantized has only
    its lengths as played."""
    return _off_grid([n.start for n in notes], tpb), _off_grid([n.end for n in notes], tpb)


def is_played_in(notes: Sequence[Note], tpb: int) -> bool:
    """True when most onsets, or most ends, sit off every grid a sequencer writes on."""
    return any(_played(notes, tpb))


def _beat_of(tick: int, tpb: int) -> int:
    """The beat a tick is heard in: a little before a beat belongs to it (a played downbeat is often
    early)."""
    return (tick + tpb // 8) // tpb


def _error(ticks: Sequence[int], beat: int, step: float) -> float:
    return sum(abs((t - beat) / step - round((t - beat) / step)) * step for t in ticks)


def _beat_steps(notes: Sequence[Note], tpb: int) -> dict[int, float]:
    """Per beat (its index) the grid step its onsets are heard on: a sixteenth, or an eighth triplet where
    at least two onsets between the beats fit that clearly better (one late sixteenth alone is a late
    sixteenth, not a triplet)."""
    onsets: dict[int, list[int]] = {}
    for n in notes:
        onsets.setdefault(_beat_of(n.start, tpb), []).append(n.start)
    sixteenth, triplet = tpb / 4, tpb / 3
    steps = {}
    for beat, ticks in onsets.items():
        between = [t for t in set(ticks) if abs(t - beat * tpb) > tpb / 8]
        fits = len(between) >= 2 and _error(between, beat * tpb, triplet) < TRIPLET_MARGIN * _error(
            between, beat * tpb, sixteenth
        )
        steps[beat] = triplet if fits else sixteenth
    return steps


def _snap(tick: int, tpb: int, steps: dict[int, float]) -> int:
    beat = _beat_of(tick, tpb)
    step = steps.get(beat, tpb / 4)
    return beat * tpb + round(round((tick - beat * tpb) / step) * step)


def heard_on_grid(notes: Sequence[Note], tpb: int) -> tuple[Note, ...]:
    """``notes`` as the models hear them: unchanged when they are on a sequencer's grid; played in, each
    onset (when the onsets were played) and each end (when the ends were) on its beat's grid: ids kept,
    every note at least one step long, and of two notes of a pitch snapped onto one onset the longer kept."""
    starts, ends = _played(notes, tpb)
    if not (starts or ends):
        return tuple(notes)
    steps = _beat_steps(notes, tpb)
    kept: dict[tuple[int, int], Note] = {}
    for n in notes:
        start = max(0, _snap(n.start, tpb, steps)) if starts else n.start
        end = _snap(n.end, tpb, steps) if ends else n.end
        least = round(steps.get(_beat_of(start, tpb), tpb / 4))
        heard = Note(n.pitch, start, max(least, end - start), n.velocity, n.id)
        other = kept.get((n.pitch, start))
        if other is None or other.duration < heard.duration:
            kept[(n.pitch, start)] = heard
    return tuple(sorted(kept.values(), key=Note.sort_key))


def lean(parts: Iterable[Sequence[Note]], tpb: int) -> int:
    """How far the played ``parts`` steadily sit off the beat they are heard on, in ticks (+ late, - early):
    the median distance of their onsets from where each is heard (``heard_on_grid``, part by part), when
    it is at least a 128th note and at least ``STEADY_SHARE`` of them lie within a 64th note of it; 0 for
    parts on the grid or played without a steady lean (a player's jitter leaves a median of a few ticks).
    POP909's songs, aligned to their recordings, lean 30-50 ticks of 480 (about 60 ms) off their grid,
    and a keyboard recorded through a latency leans late. New parts written on the grid under such music
    would sound a flam away from it: they take its lean (``leaned``)."""
    distances: list[int] = []
    for notes in parts:
        heard = {h.id: h.start for h in heard_on_grid(notes, tpb)}
        distances += [n.start - heard[n.id] for n in notes if n.id in heard]
    if not distances:
        return 0
    middle = round(statistics.median(distances))
    steady = sum(1 for d in distances if abs(d - middle) <= tpb / 16)
    return middle if abs(middle) >= tpb / 32 and steady >= STEADY_SHARE * len(distances) else 0


def heard_in(notes: Sequence[Note], start: int, end: int, tpb: int) -> frozenset[int]:
    """The ids of ``notes`` heard in ``start``..``end`` (``heard_on_grid``): a note played a little before a
    bar line belongs to the bar after it, so rewriting that bar replaces it. A strike merged into another
    on the grid goes by where it was played."""
    heard = {h.id: h.start for h in heard_on_grid(notes, tpb)}
    return frozenset(n.id for n in notes if start <= heard.get(n.id, n.start) < end)


def leaned(notes: Iterable[Note], by: int) -> tuple[Note, ...]:
    """``notes`` moved ``by`` ticks (``lean``), none before the start of the piece."""
    return tuple(n.moved(max(by, -n.start)) for n in notes)
