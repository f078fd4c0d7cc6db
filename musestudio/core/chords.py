"""Chord names for stretches of music: what the chord row over the roll shows.

Each span's notes are turned into duration-weighted pitch-class weights and matched against chord
templates on every root. A template scores the weight it covers, minus the weight it leaves out, minus a
little for each of its tones that is not sounding and for its size (so C-E-G is "C", not "C7" without
the seventh); between the chords that may be named, a missing perfect fifth (the tone voicings omit)
weighs less than another missing tone, so D-F# over F# is D/F#; the lowest sounding note breaks ties
towards the root position, and when it is another chord tone the name gets a slash bass ("C/E"). Drum
tracks are left to the caller. A span with no clear chord (one pitch class, or nothing scoring well) gets
no name rather than a guess.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from musestudio.core.note import Note

SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")

#: (suffix, intervals above the root); the order breaks exact ties (simpler chords first)
TEMPLATES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("", (0, 4, 7)),
    ("m", (0, 3, 7)),
    ("7", (0, 4, 7, 10)),
    ("maj7", (0, 4, 7, 11)),
    ("m7", (0, 3, 7, 10)),
    ("dim", (0, 3, 6)),
    ("m7b5", (0, 3, 6, 10)),
    ("dim7", (0, 3, 6, 9)),
    ("aug", (0, 4, 8)),
    ("sus4", (0, 5, 7)),
    ("sus2", (0, 2, 7)),
    ("6", (0, 4, 7, 9)),
    ("m6", (0, 3, 7, 9)),
    ("5", (0, 7)),
)
MISSING_PENALTY = 0.25  # per template tone not sounding (weights sum to 1)
# in choosing the name, a missing perfect fifth costs less: it is the tone a voicing leaves out first, so
# D-F# over F# is D/F# (the fifth left out), not F#aug (its raised fifth, the chord's own colour, left out)
MISSING_FIFTH_PENALTY = 0.1
SIZE_PENALTY = 0.02  # per template tone: prefer the smaller chord that explains the same notes
BASS_BONUS = 0.1  # the lowest note is the root
MIN_SCORE = 0.5  # below this the span has no clear chord


@dataclass(frozen=True, slots=True)
class ChordSpan:
    """A chord name over ticks [start, end)."""

    start: int
    end: int
    name: str
    score: float


def _weights(notes: Iterable[Note], start: int, end: int) -> tuple[list[float], int | None]:
    """Pitch-class weights of the notes' parts inside [start, end), and the lowest sounding pitch."""
    weights = [0.0] * 12
    lowest = None
    for n in notes:
        overlap = min(n.end, end) - max(n.start, start)
        if overlap <= 0:
            continue
        weights[n.pitch % 12] += overlap
        if lowest is None or n.pitch < lowest:
            lowest = n.pitch
    return weights, lowest


def name_chord(notes: Iterable[Note], start: int, end: int, flats: bool = False) -> ChordSpan | None:
    """The best chord name for the notes sounding in [start, end), or None when no chord is clear."""
    weights, lowest = _weights(notes, start, end)
    total = sum(weights)
    if total <= 0 or sum(1 for w in weights if w > 0) < 2:
        return None
    w = [x / total for x in weights]
    bass = lowest % 12 if lowest is not None else None
    best: tuple[float, float, int, str, tuple[int, ...]] | None = None
    clear = float("-inf")  # the best score: whether the span has a chord at all
    for root in range(12):
        if w[root] == 0:
            continue
        for suffix, intervals in TEMPLATES:
            tones = {(root + i) % 12 for i in intervals}
            covered = sum(w[pc] for pc in tones)
            missing = [i for i in intervals if w[(root + i) % 12] == 0]
            score = (
                covered
                - (1 - covered)
                - MISSING_PENALTY * len(missing)
                - SIZE_PENALTY * len(intervals)
                + (BASS_BONUS if bass == root else 0.0)
            )
            clear = max(clear, score)
            # which chord it is: a missing perfect fifth weighs less (whether there is one: it does not)
            rank = score + (MISSING_PENALTY - MISSING_FIFTH_PENALTY) * (7 in missing)
            if best is None or rank > best[0] + 1e-9:
                best = (rank, score, root, suffix, intervals)
    if best is None or clear < MIN_SCORE:
        return None
    _, score, root, suffix, intervals = best
    names = FLAT_NAMES if flats else SHARP_NAMES
    name = names[root] + suffix
    if bass is not None and bass != root and bass in {(root + i) % 12 for i in intervals}:
        name += "/" + names[bass]
    return ChordSpan(start, end, name, score)


def chords_in_bars(
    notes: Sequence[Note], bars: Sequence[tuple[int, int]], flats: bool = False
) -> list[ChordSpan]:
    """One chord per bar, or one per half bar where the halves clearly hold different chords.

    ``bars`` are (start, end) spans; ``notes`` need not be sorted. A bar without a clear chord is left out.
    """
    starts = [b[0] for b in bars]
    buckets: list[list[Note]] = [[] for _ in bars]
    for n in notes:  # each note into every bar it sounds in
        k = max(0, bisect_right(starts, n.start) - 1)
        while k < len(bars) and bars[k][0] < n.end:
            if bars[k][1] > n.start:
                buckets[k].append(n)
            k += 1
    out: list[ChordSpan] = []
    for (start, end), sounding in zip(bars, buckets, strict=True):
        if not sounding:
            continue
        whole = name_chord(sounding, start, end, flats)
        mid = start + (end - start) // 2
        halves = [name_chord(sounding, start, mid, flats), name_chord(sounding, mid, end, flats)]
        if (
            all(h is not None for h in halves)
            and halves[0].name != halves[1].name
            and (whole is None or min(h.score for h in halves) > whole.score)
        ):
            out.extend(halves)
        elif whole is not None:
            out.append(whole)
    return out
