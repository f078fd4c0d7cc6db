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
"""

from __future__ import annotations

import statistics

import numpy as np

ANCHOR = 0.15  # x develop weight: nats per semitone beyond the seed's spread (3 -> 0.45)
UNIGRAM = 0.25  # x develop weight: nats for a seed interval (3 -> 0.75)
MIN_SEED_NOTES = 4


class SeedAnchor:
    """Per part (model order), the seed line's register and intervals, read once before sampling."""

    def __init__(self, grammar) -> None:
        self.grammar = grammar
        seed = [list(x) for x in grammar.rows[0].lines] if grammar.rows else []
        self.center: list[float | None] = []
        self.spread: list[float] = []
        self.intervals: list[set[int]] = []
        for line in seed:
            if len(line) < MIN_SEED_NOTES:
                self.center.append(None)
                self.spread.append(0.0)
                self.intervals.append(set())
                continue
            tail = line[-32:]  # the seed's last notes: its current register
            self.center.append(statistics.fmean(tail))
            self.spread.append(max(4.0, 1.5 * statistics.pstdev(tail)))
            self.intervals.append({b - a for a, b in zip(line, line[1:], strict=False) if b != a})
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
            for iv in self.intervals[cell.part]:
                p = line[-1] + iv
                if 0 <= p < 128:
                    row[p] += UNIGRAM * weight
        return row
