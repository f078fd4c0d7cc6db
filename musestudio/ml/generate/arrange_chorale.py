"""A Bach chorale's alto, tenor and bass under the tune: a chord a beat, voiced by the rules of four-part writing.

Why: the parts model's chorale lines crossed and left their ranges (a tenor on A2, a bass on E4 above the
tenor) and its bass leapt octaves in eighths; our judge heard 0% of those arrangements as Bach, while a real
chorale's alto, tenor and bass under any of the same tunes is Bach to it 93% of the time (models/README.md,
session 7). A chorale is a chord on every beat, four voices in their ranges, the upper three within an
octave of each other, the inner voices holding common tones or moving by step, the bass moving by step or
leap between roots (a third in the bass for a first inversion), no parallel fifths or octaves, and an eighth
passing note where a voice moves by a third. So: the chord of each beat comes from the tune
(``arrange_harmony.choose_chords``), and the alto, tenor and bass of every beat are chosen together by
dynamic programming over those rules, the model's lines pulling each voice towards the note the model wrote
there (its choice where the rules leave one). Pure Python and numpy over ``Note`` values; a few
milliseconds for 16 bars.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence

import numpy as np

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.ml.generate.arrange_harmony import MAJOR, MINOR, Chord

#: alto G3-D5, tenor C3-G4, bass E2-D4 (the chorales' ranges, their extremes left out)
RANGES = ((55, 74), (48, 67), (40, 62))
CENTRES = (66, 60, 51)  # the chorales' medians
CENTRE_PULL = 0.08  # cost a semitone away from the voice's median
MODEL_PULL = 0.12  # cost a semitone away from the note the model wrote (at most 8)
# Figuration between beats (or a Palestrina voice's half bars), the chances of: an eighth passing note
# where a voice moves by a third; the bass's eighth through a fourth or fifth; the bass leaping the
# octave on a held root; an inner voice's lower neighbour on a held tone.
FIGURES = {
    # a chorale: the alto, tenor and bass move in eighths on 31%, 33% and 45% of their notes over the
    # probe's 21 arrangements, as the chorales do (30%, 36%, 43%); session 7's (0.8, 0.5, 0.25, 0) gave
    # 13%, 17% and 26%
    "chorale": (1.0, 1.0, 0.25, 0.3),
    "imitation": (0.8, 0.5, 0.25, 0.0),  # Palestrina's long notes, tied over
}
BEAM = 40  # voicings kept per beat (the cheapest by their own cost)
VELOCITY = 72


def _at(notes: Sequence[Note], starts: Sequence[int], lo: int, hi: int) -> int | None:
    """The pitch sounding at ``lo`` (else the first struck before ``hi``), None in a rest."""
    i = bisect.bisect_right(starts, lo) - 1
    if i >= 0 and notes[i].end > lo:
        return notes[i].pitch
    j = i + 1
    return notes[j].pitch if j < len(notes) and notes[j].start < hi else None


def _candidates(c: Chord, tones: frozenset[int], top: int | None, model: Sequence[int | None], last: bool):
    """(voicings (K, 3) alto/tenor/bass, their own costs) for one beat's chord under the soprano ``top``."""
    third = next((pc for pc in c.tones if (pc - c.root) % 12 in (3, 4)), None)
    ok = set(tones) | {c.root} | ({third} if third is not None else set())
    fifth = next((pc for pc in c.tones if (pc - c.root) % 12 in (6, 7, 8)), None)
    basses = [(p, 0.0) for p in range(*RANGES[2]) if p % 12 == c.root]
    if not last and third is not None:
        basses += [(p, 0.8) for p in range(*RANGES[2]) if p % 12 == third]  # a first inversion
    ceiling = top if top is not None else RANGES[0][1] + 2
    alto_pitches = [p for p in range(RANGES[0][0], min(RANGES[0][1] + 1, ceiling)) if p % 12 in ok]
    tenor_pitches = [p for p in range(RANGES[1][0], RANGES[1][1] + 1) if p % 12 in ok]
    rows, costs = [], []
    for b, bc in basses:
        for t in tenor_pitches:
            if t <= b:
                continue
            for a in alto_pitches:
                if a <= t or a - t > 12 or (top is not None and top - a > 12):
                    continue
                pcs = [a % 12, t % 12, b % 12] + ([top % 12] if top is not None else [])
                if third is not None and third not in pcs:
                    continue
                cost = bc
                if third is not None and pcs.count(third) > 1:
                    cost += 0.8  # a doubled third
                if fifth is not None and fifth in ok and fifth not in pcs:
                    cost += 0.2
                for v, p in enumerate((a, t, b)):
                    cost += CENTRE_PULL * abs(p - CENTRES[v])
                    if model[v] is not None:
                        cost += MODEL_PULL * min(abs(p - model[v]), 8)
                rows.append((a, t, b))
                costs.append(cost)
    if not rows:  # a tune too low for three voices under it: the bass's root and the chord above it
        b = next(p for p, _ in basses)
        rows, costs = [(b + 19, b + 12, b)], [10.0]
    order = np.argsort(costs, kind="stable")[:BEAM]
    return np.array(rows)[order], np.array(costs)[order]


def _motion(prev: np.ndarray, cur: np.ndarray, s0: int | None, s1: int | None, same: bool) -> np.ndarray:
    """(K_prev, K_cur) cost of moving every voicing of one beat to every voicing of the next."""
    p = prev[:, None, :]  # (Kp, 1, 3)
    c = cur[None, :, :]  # (1, Kc, 3)
    d = np.abs(c - p)
    inner = d[..., :2]
    cost = np.select(
        [inner == 0, inner <= 2, inner <= 4, inner == 5, inner <= 7], [0.0, 0.3, 1.0, 2.0, 3.0], 6.0
    ).sum(axis=2)
    bass = d[..., 2]
    cost += np.select(
        [bass == 0, bass <= 2, bass <= 5, bass == 7, bass == 12],
        [0.0 if same else 0.4, 0.3, 0.5, 0.7, 0.9],
        3.0,
    )
    # voices overlapping: a voice moving past where its neighbour just was
    cost += 1.0 * ((c[..., 1] >= p[..., 0]) | (c[..., 0] <= p[..., 1]) | (c[..., 2] >= p[..., 1]))
    before, after = np.broadcast_to(p, d.shape), np.broadcast_to(c, d.shape)
    for i, j in ((0, 1), (0, 2), (1, 2)):
        cost += _parallels(before[..., i], before[..., j], after[..., i], after[..., j])
    if s0 is not None and s1 is not None and s0 != s1:
        for j in range(3):
            cost += _parallels(
                np.full(d.shape[:2], s0), before[..., j], np.full(d.shape[:2], s1), after[..., j]
            )
    return cost


#: the cost of parallel fifths or octaves between two voices: above what a beat's other costs come to, so
#: the rule is broken only where every path breaks it (at 5, the session-14 parts model's pull
#: towards its own notes chose the soprano and tenor's octave D5/D4 -> C5/C4 under a test tune)
PARALLEL_COST = 25.0


def _parallels(a0, b0, a1, b1) -> np.ndarray:
    """``PARALLEL_COST`` where two voices move in the same direction from a fifth or octave to another one."""
    i0, i1 = (a0 - b0) % 12, (a1 - b1) % 12
    moved = (a1 != a0) & (b1 != b0) & (np.sign(a1 - a0) == np.sign(b1 - b0))
    return PARALLEL_COST * (moved & (((i0 == 7) & (i1 == 7)) | ((i0 == 0) & (i1 == 0))))


def chorale_voices(
    tune: Sequence[Note],
    model: Sequence[Sequence[Note]],
    chords: Sequence[Chord],
    beats: Sequence[tuple[int, int]],
    key: KeySignature,
    tpb: int,
    use: Sequence[frozenset[int]] | None = None,
    seed: int = 0,
    tie: bool = False,
) -> list[list[Note]]:
    """Alto, tenor and bass (a list of notes each) under ``tune``, one chord of ``chords`` a beat of
    ``beats`` ((start, end) ticks). ``model`` are the parts model's alto, tenor and bass (their notes on
    each beat are preferences), ``tie`` holds a voice's tone over into the next chord instead of striking
    it again (Palestrina's long notes and suspensions), ``use`` per beat the chord tones the parts may take
    (``arrange_harmony.sounded``: root and third always). Deterministic for a seed."""
    if not beats:
        return [[], [], []]
    tune = sorted(tune, key=lambda n: n.start)
    tstarts = [n.start for n in tune]
    lines = [sorted(m, key=lambda n: n.start) for m in model]
    mstarts = [[n.start for n in m] for m in lines]
    tops = [_at(tune, tstarts, lo, hi) for lo, hi in beats]
    layers, local = [], []
    for i, ((lo, hi), c) in enumerate(zip(beats, chords, strict=True)):
        wrote = [_at(m, s, lo, hi) for m, s in zip(lines, mstarts, strict=True)]
        rows, cost = _candidates(
            c, use[i] if use is not None else c.tones, tops[i], wrote, i == len(beats) - 1
        )
        layers.append(rows)
        local.append(cost)
    total = local[0].copy()
    back = []
    for i in range(1, len(beats)):
        same = chords[i].tones == chords[i - 1].tones
        m = total[:, None] + _motion(layers[i - 1], layers[i], tops[i - 1], tops[i], same)
        back.append(m.argmin(axis=0))
        total = m.min(axis=0) + local[i]
    k = int(total.argmin())
    path = [k]
    for b in reversed(back):
        k = int(b[k])
        path.append(k)
    chosen = [layers[i][k] for i, k in enumerate(reversed(path))]
    return _write(chosen, chords, beats, tops, key, random.Random(seed), tie, tpb)


def _write(
    chosen, chords, beats, tops, key: KeySignature, rng: random.Random, tie: bool, tpb: int
) -> list[list[Note]]:
    """Notes from the voicing of each beat: every voice strikes on every beat, a held tone too (a chorale
    sings a syllable a beat; tying them made long notes that our judge heard as Palestrina or jazz), unless
    ``tie``.
    Between beats, eighths as Bach's inner voices and bass move: a passing note through a third, the bass
    through a chord tone between a fourth or fifth, or leaping the octave on a held root, an inner voice's
    lower neighbour on a held tone."""
    scale = {(key.tonic + s) % 12 for s in (MAJOR if key.mode == "major" else MINOR)}
    passing, bass_figure, octave, neighbour = FIGURES["imitation" if tie else "chorale"]
    out: list[list[Note]] = [[], [], []]
    for i, ((lo, hi), v) in enumerate(zip(beats, chosen, strict=True)):
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        between: dict[int, int] = {}
        # the moving note's place: the beat's second half, a dotted beat's last eighth (6/8: quarter, eighth)
        split = hi - tpb // 2 if hi - lo == 3 * (tpb // 2) else (lo + hi) // 2 if (hi - lo) % 2 == 0 else None
        if nxt is not None and split is not None:
            for j in range(3):
                a, b = int(v[j]), int(nxt[j])
                step = 1 if b > a else -1
                mid = None
                if abs(b - a) in (3, 4) and rng.random() < passing:
                    mid = next((p for p in range(a + step, b, step) if p % 12 in scale), None)
                elif j == 2 and abs(b - a) in (5, 7) and rng.random() < bass_figure:
                    mid = next((p for p in range(a + step, b, step) if p % 12 in chords[i].tones), None)
                elif j == 2 and a == b and rng.random() < octave:
                    mid = a - 12 if a - 12 >= RANGES[2][0] - 2 else a + 12
                elif j < 2 and a == b and neighbour and rng.random() < neighbour:
                    mid = next(p for p in range(a - 1, a - 3, -1) if p % 12 in scale)
                below = int(v[j + 1]) if j < 2 else -1
                above = int(v[j - 1]) if j > 0 else (tops[i] if tops[i] is not None else 128)
                if mid is not None and below < mid < above:
                    between[j] = mid
        for j in range(3):
            p = int(v[j])
            half = split if split is not None else hi
            stop = half if j in between else hi
            last = out[j][-1] if out[j] else None
            if tie and last is not None and last.pitch == p and last.end == lo:
                out[j][-1] = last.with_duration(last.duration + stop - lo)
            else:
                out[j].append(Note(p, lo, stop - lo, VELOCITY))
            if j in between:
                out[j].append(Note(between[j], half, hi - half, VELOCITY - 8))
    return out
