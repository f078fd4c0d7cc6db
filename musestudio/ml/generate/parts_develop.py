"""More of the "develop the seed" bias (issue 13, point 7), added to the stream grammar's figure cache.

``StreamGrammar.develop_bonus`` makes a single line continue the 4-interval figures of its seed and of its own
line once 2-3 intervals match. Two more terms, each a bias the network can overrule, scaled with the same
``develop`` weight (0 turns all of them off):

- **Register anchor.** A continued line drifts off its register (the top line's mean moved more than a
  fifth in 15% of takes, real continuations 4-7%). A pitch further from the seed line's mean than the seed
  itself roams (1.5 standard deviations, at least 4 semitones) loses ``ANCHOR`` x weight nats per semitone
  beyond, so the line may leave the register for a while but is pulled back.
- **Interval cache, one interval deep.** The seed's own intervals are made a little likelier everywhere
  (``UNIGRAM`` x weight nats), so a figure of the seed can *start* by itself, not only be continued once two
  of its intervals happen to match (the unigram level of Kuhn & De Mori's cache).

Intervals are counted in steps of the key's scale (``ScaleLine``) as well as in semitones, and a figure in
semitones is used only where it stays in the key: a seed figure C-D-E goes on from E as E-F-G, as a musician
repeats a figure on another degree (a sequence), where the same semitones alone would give E-F#-G#. Counted in semitones, the figure cache and the seed intervals put a note
outside the key on about one pitch in twenty that they chose (measured: ``eval.parts_key``). A chromatic
note of the seed (a leading tone, a blue note) is a place between two scale steps, so a chromatic figure
still goes on chromatically.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence

import numpy as np

from musestudio.core.keys import KeySignature

ANCHOR = 0.15  # x develop weight: nats per semitone beyond the seed's spread (3 -> 0.45)
UNIGRAM = 0.25  # x develop weight: nats for a seed interval (3 -> 0.75)
MIN_SEED_NOTES = 4


class ScaleLine:
    """Pitches as places on the key's scale: a scale pitch is an even place (two per scale step), a pitch
    between two scale steps the odd place above the lower one, so an interval between places counts scale
    steps (and half steps off the scale). Without a key, places are the pitches themselves (semitones)."""

    def __init__(self, key: KeySignature | None) -> None:
        self.key = key
        self.steps = sorted((pc - key.tonic) % 12 for pc in key.scale) if key is not None else [0]
        if key is None:
            self.places = np.arange(128, dtype=np.int64)
            return
        n = len(self.steps)
        places = []
        for p in range(128):
            octave, r = divmod(p - key.tonic, 12)
            i = bisect.bisect_right(self.steps, r) - 1
            places.append(2 * (octave * n + i) + (0 if self.steps[i] == r else 1))
        self.places = np.asarray(places, dtype=np.int64)

    def place(self, pitch: int) -> int:
        return int(self.places[pitch])

    def line(self, pitches: Sequence[int]) -> list[int]:
        return [int(self.places[p]) for p in pitches]

    def pitch(self, place: int) -> int | None:
        """The pitch at ``place`` (an odd place: the half step above its scale pitch, which may be the next
        scale pitch: E# in C is F); None outside MIDI's range."""
        if self.key is None:
            p = place
        else:
            half, odd = divmod(place, 2)
            octave, i = divmod(half, len(self.steps))
            p = self.key.tonic + 12 * octave + self.steps[i] + odd
        return p if 0 <= p < 128 else None

    def moved(self, pitch: int, step: int) -> int | None:
        """The pitch ``step`` places from ``pitch`` (None outside MIDI's range)."""
        return self.pitch(int(self.places[pitch]) + step)

    def exact(self, pitch: int, semitones: int) -> int | None:
        """The pitch ``semitones`` from ``pitch`` when it is in the key (any pitch without one), else None
        (also outside MIDI's range): a seed's figure copied exactly only where that stays in the key."""
        p = pitch + semitones
        return p if 0 <= p < 128 and (self.key is None or self.key.contains(p)) else None


def degree_row(table: dict | None, style: str, key: KeySignature | None) -> np.ndarray | None:
    """The key prior over the 128 pitches (float32 nats), or None: ``table`` is the parts model's
    ``inference.degrees`` ({style: {mode: 12 biases, one per scale degree, semitones above the tonic}}),
    read in the key the engine was given. Chosen so that the takes' degree shares match the style's
    training files (``eval.parts_key calibrate``): the network, trained on every key at once, gives the
    degrees outside the key more probability than the style's music does (teacher-forced, measured)."""
    if not table or key is None:
        return None
    per = (table.get(style) or {}).get(key.mode)
    if per is None or len(per) != 12:
        return None
    bias = np.asarray(per, dtype=np.float32)
    return bias[(np.arange(128) - key.tonic) % 12]


class SeedAnchor:
    """Per part (model order), the seed line's register and intervals, read once before sampling."""

    def __init__(self, grammar) -> None:
        self.grammar = grammar
        self.scale: ScaleLine = grammar.scale
        seed = [list(x) for x in grammar.rows[0].lines] if grammar.rows else []
        self.center: list[float | None] = []
        self.spread: list[float] = []
        self.intervals: list[set[int]] = []  # in scale places
        self.exact: list[set[int]] = []  # in semitones (used where they land in the key)
        for line in seed:
            if len(line) < MIN_SEED_NOTES:
                self.center.append(None)
                self.spread.append(0.0)
                self.intervals.append(set())
                self.exact.append(set())
                continue
            tail = line[-32:]  # the seed's last notes: its current register
            self.center.append(statistics.fmean(tail))
            self.spread.append(max(4.0, 1.5 * statistics.pstdev(tail)))
            places = self.scale.line(line)
            self.intervals.append({b - a for a, b in zip(places, places[1:], strict=False) if b != a})
            self.exact.append({b - a for a, b in zip(line, line[1:], strict=False) if b != a})
        self.pitches = np.arange(128, dtype=np.float32)
        self._anchors: dict[tuple[int, float], np.ndarray] = {}  # (part, weight) -> the anchor's row

    def _anchor(self, part: int, weight: float) -> np.ndarray:
        row = self._anchors.get((part, weight))
        if row is None:
            c, spread = self.center[part], self.spread[part]
            row = -ANCHOR * weight * np.maximum(np.abs(self.pitches - c) - spread, 0)
            self._anchors[(part, weight)] = row = row.astype(np.float32)
        return row

    def row_bias(self, i: int, weight: float) -> np.ndarray | None:
        """Row i's bias over the 128 pitches (float32), or None when it is not about to pitch a seeded line."""
        g = self.grammar
        r = g.rows[i]
        if weight <= 0 or not self.center or r.done or r.kind not in ("pos", "vel"):
            return None
        cell = g._cell(r)
        if cell is None or not g.mono[cell.part]:
            return None
        c = self.center[cell.part]
        if c is None:
            return None
        row = self._anchor(cell.part, weight).copy()
        line = r.lines[cell.part]
        if line:
            targets = {self.scale.moved(line[-1], iv) for iv in self.intervals[cell.part]}
            targets |= {self.scale.exact(line[-1], iv) for iv in self.exact[cell.part]}
            for p in targets - {None}:
                row[p] += UNIGRAM * weight
        return row
