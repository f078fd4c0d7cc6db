"""Training windows with parts: every task the model is trained on, drawn from one sampler.

A window is 8-16 bars of a piece (as many as fit ``max_len`` tokens; long windows let the model see a
figure and its repeats), transposed by -5..+6 semitones with its key, with parts in canonical order
(see ``canonical``). Tasks, all in the same token stream (grammar.py):

- ``continue``: nothing masked; every part written left to right (continue all parts);
- ``add``: every cell of one part masked: the part is written from the others, before and after
  (harmony, bass, accompaniment, counter-melody; the melody over realized chords is weighted up);
- ``infill``: 1-8 bars of one part masked;
- ``listed``: the last 1-8 bars of some parts masked, the other parts given (continue listed parts).

Before masking, some parts may be dropped (probability ``drop``), so the model meets every subset: a
melody alone, melody and bass, three chorale voices...
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.timing import bar_lines
from musestudio.ml.data.parts import PartsPiece
from musestudio.ml.data.windows import cumulative, writable_meters
from musestudio.ml.parts_grammar import MAX_MASKS, MAX_PARTS, PREFIX, Part, PartsGrammar, canonical
from musestudio.ml.tokenizer import IGNORE_INDEX

TASKS = ("continue", "add", "infill", "listed")
TASK_WEIGHTS = (0.25, 0.3, 0.3, 0.15)


@dataclass(frozen=True)
class Indexed:
    piece: PartsPiece
    parts: tuple[Part, ...]  # canonical order, at most MAX_PARTS
    lines: tuple[int, ...]  # bar lines, the last at or after the final note's start

    @property
    def n_bars(self) -> int:
        return len(self.lines) - 1


def index(pieces: Sequence[PartsPiece]) -> list[Indexed]:
    out = []
    for p in pieces:
        parts = [x for x in p.parts if x.notes]
        if not parts or not writable_meters(p.time_signatures):
            continue
        parts = [parts[i] for i in canonical(parts)][:MAX_PARTS]
        last = max(n.start for x in parts for n in x.notes)
        lines = bar_lines(list(p.time_signatures), p.tpb, last + 1)
        if len(lines) < 3 or lines[-1] <= last:
            continue
        out.append(Indexed(p, tuple(parts), tuple(lines)))
    return out


@dataclass
class Example:
    tokens: list[int]
    task: str
    style: str


class WindowSampler:
    """Random training examples: a style with probability by the square root of its bars (small styles are
    seen more often than their share, without repeating a hundred jazz tunes as often as 900 pop songs),
    then a piece by its length."""

    def __init__(
        self,
        items: Sequence[Indexed],
        grammar: PartsGrammar,
        *,
        max_len: int = 1024,
        bars: tuple[int, int] = (8, 16),
        drop: float = 0.3,
        seed: int = 0,
    ) -> None:
        self.g, self.max_len, self.bars, self.drop = grammar, max_len, bars, drop
        self.rng = random.Random(seed)
        self.by_style: dict[str, list[Indexed]] = {}
        for it in items:
            self.by_style.setdefault(it.piece.style, []).append(it)
        self.styles = sorted(self.by_style)
        self.style_weights = [math.sqrt(sum(it.n_bars for it in self.by_style[s])) for s in self.styles]
        self.cum = {s: cumulative([min(it.n_bars, 64) for it in v]) for s, v in self.by_style.items()}

    def _piece(self, style: str | None = None) -> Indexed:
        style = style or self.rng.choices(self.styles, self.style_weights)[0]
        items, cum = self.by_style[style], self.cum[style]
        return items[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    def example(self, task: str | None = None, style: str | None = None) -> Example:
        for _ in range(50):
            task_ = task or self.rng.choices(TASKS, TASK_WEIGHTS)[0]
            ex = self._try(self._piece(style), task_)
            if ex is not None:
                return ex
        raise RuntimeError("no window fits max_len; raise max_len or lower bars")

    def _try(self, it: Indexed, task: str) -> Example | None:
        rng = self.rng
        parts = list(it.parts)
        if len(parts) > 1 and rng.random() < self.drop:
            keep = sorted(rng.sample(range(len(parts)), rng.randint(1, len(parts) - 1)))
            parts = [parts[i] for i in keep]
        if task in ("add", "infill") and len(parts) < 2:
            task = "continue"
        bars = min(rng.randint(*self.bars), it.n_bars)
        a = rng.randint(0, it.n_bars - bars)
        start = it.lines[a]
        # transposition with the key, inside the piano's range
        notes = [n for x in parts for n in x.notes]
        lo, hi = min(n.pitch for n in notes), max(n.pitch for n in notes)
        shift = rng.randint(max(-5, 21 - lo), min(6, 108 - hi)) if hi - lo < 87 else 0
        key = it.piece.key_signature
        if key is not None and shift:
            key = KeySignature((key.tonic + shift) % 12, key.mode)
        moved = [
            Part(
                x.role,
                x.program,
                tuple(Note(n.pitch + shift, n.start, n.duration, n.velocity) for n in x.notes),
                x.realized,
            )
            for x in parts
        ]
        while bars >= 2:
            end = it.lines[a + bars]
            masked = self._mask(task, moved, bars, start, end, it)
            seq = self.g.encode(
                moved,
                tpb=it.piece.tpb,
                time_signatures=it.piece.time_signatures,
                start=start,
                end=end,
                key=key,
                style=it.piece.style,
                masked=masked,
            )
            if len(seq) <= self.max_len:
                return Example(seq, task, it.piece.style)
            bars = bars * 3 // 4
        return None

    def _mask(
        self, task: str, parts: Sequence[Part], bars: int, start: int, end: int, it: Indexed
    ) -> list[tuple[int, int]]:
        rng = self.rng
        if task == "continue":
            return []
        if task == "add":
            realized = any(p.realized for p in parts)
            melody = [i for i, p in enumerate(parts) if p.role == "melody"]
            i = melody[0] if realized and melody and rng.random() < 0.5 else rng.randrange(len(parts))
            return [(i, b) for b in range(min(bars, MAX_MASKS))]
        if task == "infill":
            i = rng.randrange(len(parts))
            n = rng.randint(1, min(8, bars))
            b0 = rng.randint(0, bars - n)
            return [(i, b) for b in range(b0, b0 + n)]
        n = rng.randint(1, min(8, bars - 1)) if bars > 1 else 1
        listed = rng.sample(range(len(parts)), rng.randint(1, len(parts)))
        return [(i, b) for i in listed for b in range(bars - n, bars)][:MAX_MASKS]


def targets(grammar: PartsGrammar, seq: Sequence[int]) -> list[int]:
    """Next-token targets: the prefix is given and placeholders/fill markers are the caller's choice (never
    scored); everything else, fills included, is."""
    out = list(seq[1:]) + [IGNORE_INDEX]
    for j in range(len(out)):
        t = out[j]
        if j + 1 < PREFIX or grammar.is_mask(t) or grammar.is_fill(t) or t == grammar.fill_id:
            out[j] = IGNORE_INDEX
    return out
