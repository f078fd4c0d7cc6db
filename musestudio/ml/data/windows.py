"""Training examples from cached pieces: bar-aligned token windows for each model family.

Windows always start and end on bar lines, so the models learn sequences that look like what the app feeds
them (a seed of whole bars, a continuation from the next bar line, a bar range to regenerate). Each window
is encoded afresh from its notes: its first bar states the meter and its first note the velocity, so no
window depends on state from before it.

Three example shapes:
- ``lm``: ``[BOS STYLE KEY METER] bars... [EOS at the piece's end]`` for the transformer and the n-gram.
- ``fim``: the same conditioning, then ``FILL_PREFIX prefix FILL_SUFFIX suffix FILL_MIDDLE middle EOS`` with
  a middle of 1-4 whole bars (Bavarian et al. 2022's PSM order), so the app can regenerate a selection.
- ``pair``: (conditioning + seed bars, continuation bars) for the seq2seq encoder-decoder.

Sampling balances styles (each style equally likely, pieces within a style in proportion to their bars) so
the small styles are not drowned by the large ones. Train examples are transposed at random (the key token
moves with them); valid and test windows are fixed and never transposed.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.timing import bar_lines
from musestudio.ml.data.cache import Piece
from musestudio.ml.tokenizer import CONDITIONING, IGNORE_INDEX, METERS, Tokenizer

PITCH_FLOOR, PITCH_CEIL = 21, 108  # transpositions keep every note on a piano's keys


@dataclass(frozen=True)
class Indexed:
    """A piece with its bar lines and note starts precomputed, so a window is two bisections away."""

    piece: Piece
    lines: tuple[int, ...]  # bar lines, the last one at or after the final note's start
    starts: tuple[int, ...]
    notes: tuple[Note, ...]

    @property
    def n_bars(self) -> int:
        return len(self.lines) - 1

    def notes_in(self, a: int, b: int) -> Sequence[Note]:
        """Notes starting in bars a..b-1."""
        lo = bisect.bisect_left(self.starts, self.lines[a])
        hi = bisect.bisect_left(self.starts, self.lines[b])
        return self.notes[lo:hi]


def writable_meters(time_signatures: Sequence) -> bool:
    """Every meter of a piece is one the token stream writes (``tokenizer.METERS``): the single-stream
    and the parts windows skip the same pieces."""
    return all((s.numerator, s.denominator) in METERS for s in time_signatures)


def index_pieces(pieces: Sequence[Piece]) -> list[Indexed]:
    """Pieces the tokenizer can write (known meters, at least one bar with notes), indexed."""
    out = []
    for p in pieces:
        if not p.notes or not writable_meters(p.time_signatures):
            continue
        notes = tuple(sorted(p.notes, key=Note.sort_key))
        last = notes[-1].start
        lines = [ln for ln in bar_lines(p.time_signatures, p.tpb, last + 1)]
        if lines[-1] <= last:
            continue
        out.append(Indexed(p, tuple(lines), tuple(n.start for n in notes), notes))
    return out


def transposition_range(notes: Sequence[Note], lo: int = -5, hi: int = 6) -> tuple[int, int]:
    """The shifts in [lo, hi] that keep every note on the piano (empty range if none)."""
    if not notes:
        return lo, hi
    low = min(n.pitch for n in notes)
    high = max(n.pitch for n in notes)
    return max(lo, min(0, PITCH_FLOOR - low)), min(hi, max(0, PITCH_CEIL - high))


def transposed(notes: Sequence[Note], key: KeySignature | None, shift: int):
    if shift == 0:
        return notes, key
    moved = [Note(n.pitch + shift, n.start, n.duration, n.velocity) for n in notes]
    return moved, (KeySignature((key.tonic + shift) % 12, key.mode) if key else None)


class Examples:
    """Encodes windows of an indexed piece into the three example shapes."""

    def __init__(self, tokenizer: Tokenizer, max_len: int = 512) -> None:
        self.tok = tokenizer
        self.max_len = max_len

    def body(self, ix: Indexed, a: int, b: int, shift: int = 0) -> list[int]:
        notes, _ = transposed(ix.notes_in(a, b), None, shift)
        p = ix.piece
        return self.tok.encode_events(
            notes, tpb=p.tpb, time_signatures=p.time_signatures, start=ix.lines[a], end=ix.lines[b]
        )

    def conditioning(self, ix: Indexed, a: int, shift: int = 0) -> list[int]:
        p = ix.piece
        _, key = transposed((), p.key_signature, shift)
        sig = max((s for s in p.time_signatures if s.tick <= ix.lines[a]), key=lambda s: s.tick)
        return self.tok.conditioning(p.style, key, sig)

    def lm(self, ix: Indexed, a: int, b: int, shift: int = 0) -> list[int]:
        """Conditioning + bars a..b-1, cut at the last bar line that fits ``max_len``; EOS if the piece ends."""
        seq = self.conditioning(ix, a, shift) + self.body(ix, a, b, shift)
        if b == ix.n_bars:
            seq.append(self.tok.eos_id)
        return self._fit(seq)

    def fim(self, ix: Indexed, a: int, m0: int, m1: int, b: int, shift: int = 0) -> list[int] | None:
        """Conditioning, prefix a..m0-1, suffix m1..b-1, then the middle m0..m1-1 and EOS; None if too long."""
        t = self.tok
        seq = self.conditioning(ix, a, shift) + t.fill_in_the_middle(
            self.body(ix, a, m0, shift), self.body(ix, m1, b, shift), self.body(ix, m0, m1, shift)
        )
        seq.append(t.eos_id)
        return seq if len(seq) <= self.max_len else None

    def pair(self, ix: Indexed, a: int, m: int, b: int, shift: int = 0) -> tuple[list[int], list[int]]:
        """(conditioning + seed bars a..m-1, continuation bars m..b-1 + EOS if the piece ends), each fitted."""
        src = self.conditioning(ix, a, shift) + self.body(ix, a, m, shift)
        if len(src) > self.max_len:  # keep the seed's last bars: they matter most for what comes next
            cut = _bar_starts(src, self.tok.bar_id)
            keep = next((i for i in cut if len(src) - i <= self.max_len - CONDITIONING), cut[-1])
            src = src[:CONDITIONING] + src[keep:]
        tgt = self.body(ix, m, b, shift) + ([self.tok.eos_id] if b == ix.n_bars else [])
        return src[: self.max_len], self._fit(tgt, keep_prefix=0)

    def _fit(self, seq: list[int], keep_prefix: int = CONDITIONING) -> list[int]:
        if len(seq) <= self.max_len:
            return seq
        cuts = [i for i in _bar_starts(seq, self.tok.bar_id) if keep_prefix < i <= self.max_len]
        return seq[: cuts[-1]] if cuts and cuts[-1] > keep_prefix + 1 else seq[: self.max_len]


def _bar_starts(seq: Sequence[int], bar_id: int) -> list[int]:
    return [i for i, t in enumerate(seq) if t == bar_id]


class WindowSampler:
    """Random training examples, style-balanced, transposed (train) or not."""

    def __init__(
        self,
        pieces: Sequence[Piece],
        tokenizer: Tokenizer,
        *,
        max_len: int = 512,
        bars: tuple[int, int] = (4, 16),
        augment: bool = True,
        seed: int = 0,
    ) -> None:
        self.items = index_pieces(pieces)
        if not self.items:
            raise ValueError("no pieces to sample from")
        self.ex = Examples(tokenizer, max_len)
        self.bars = bars
        self.augment = augment
        self.rng = random.Random(seed)
        by_style: dict[str, list[Indexed]] = {}
        for ix in self.items:
            by_style.setdefault(ix.piece.style, []).append(ix)
        self.styles = sorted(by_style)
        self.by_style = by_style
        self.cum_bars = {s: cumulative([ix.n_bars for ix in v]) for s, v in by_style.items()}

    def _piece(self) -> Indexed:
        style = self.rng.choice(self.styles)
        cum = self.cum_bars[style]
        return self.by_style[style][bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    def _shift(self, ix: Indexed, a: int, b: int) -> int:
        if not self.augment:
            return 0
        lo, hi = transposition_range(ix.notes_in(a, b))
        return self.rng.randint(lo, hi) if lo <= hi else 0

    def _span(self, ix: Indexed, min_bars: int = 1) -> tuple[int, int]:
        n = min(ix.n_bars, self.rng.randint(*self.bars))
        n = max(n, min(min_bars, ix.n_bars))
        a = self.rng.randint(0, ix.n_bars - n)
        return a, a + n

    def lm(self) -> list[int]:
        ix = self._piece()
        a, b = self._span(ix)
        return self.ex.lm(ix, a, b, self._shift(ix, a, b))

    def fim(self) -> list[int]:
        """A FIM example; falls back to an ``lm`` one for a piece too short or too dense to split."""
        for _ in range(4):
            ix = self._piece()
            if ix.n_bars < 3:
                continue
            a, b = self._span(ix, min_bars=3)
            width = self.rng.randint(1, min(4, b - a - 1))
            m0 = self.rng.randint(a, b - width)
            seq = self.ex.fim(ix, a, m0, m0 + width, b, self._shift(ix, a, b))
            if seq is not None:
                return seq
        return self.lm()

    def pair(self, seed_bars: tuple[int, int] = (2, 8), cont_bars: tuple[int, int] = (1, 8)):
        """(src, tgt, style index) with a seed of 2-8 bars and a continuation of 1-8."""
        while True:
            ix = self._piece()
            if ix.n_bars >= 2:
                break
        seed = self.rng.randint(*seed_bars)
        cont = self.rng.randint(*cont_bars)
        total = min(ix.n_bars, seed + cont)
        seed = max(1, min(seed, total - 1))
        a = self.rng.randint(0, ix.n_bars - total)
        m, b = a + seed, a + total
        src, tgt = self.ex.pair(ix, a, m, b, self._shift(ix, a, b))
        return src, tgt, self.ex.tok.styles.index(ix.piece.style)


def cumulative(xs: Sequence[int]) -> list[float]:
    """Running totals: a draw by weight is one bisection into them (both window samplers)."""
    out, total = [], 0.0
    for x in xs:
        total += x
        out.append(total)
    return out


def fixed_windows(
    pieces: Sequence[Piece], tokenizer: Tokenizer, *, bars: int = 8, max_len: int = 512, per_style: int = 400
) -> list[tuple[str, list[int]]]:
    """(style, lm sequence) for consecutive ``bars``-bar windows of each piece, at most ``per_style`` per
    style taken evenly from all its pieces: the same windows every run, for validation and test NLL."""
    ex = Examples(tokenizer, max_len)
    per: dict[str, list[tuple[str, list[int]]]] = {}
    for ix in index_pieces(pieces):
        rows = per.setdefault(ix.piece.style, [])
        for a in range(0, ix.n_bars, bars):
            rows.append((ix.piece.key, ex.lm(ix, a, min(a + bars, ix.n_bars))))
    out = []
    for style, rows in sorted(per.items()):
        step = max(1, len(rows) / per_style)
        out.extend((style, rows[int(i * step)][1]) for i in range(min(per_style, len(rows))))
    return out


def fixed_pairs(
    pieces: Sequence[Piece],
    tokenizer: Tokenizer,
    *,
    seed_bars: int = 4,
    cont_bars: int = 4,
    max_len: int = 512,
    per_style: int = 400,
) -> list[tuple[str, list[int], list[int], int]]:
    """(style, src, tgt, style index) for consecutive seed/continuation pairs: the seq2seq's fixed set."""
    ex = Examples(tokenizer, max_len)
    per: dict[str, list[tuple[str, list[int], list[int], int]]] = {}
    span = seed_bars + cont_bars
    for ix in index_pieces(pieces):
        style = ix.piece.style
        rows = per.setdefault(style, [])
        for a in range(0, max(1, ix.n_bars - 1), span):
            total = min(span, ix.n_bars - a)
            if total < 2:
                continue
            m = a + min(seed_bars, total - 1)
            src, tgt = ex.pair(ix, a, m, a + total)
            rows.append((style, src, tgt, tokenizer.styles.index(style)))
    out = []
    for _style, rows in sorted(per.items()):
        step = max(1, len(rows) / per_style)
        out.extend(rows[int(i * step)] for i in range(min(per_style, len(rows))))
    return out


def pad_batch(seqs: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs (B, T-1) padded with ``pad_id`` and next-token targets (B, T-1) with IGNORE_INDEX on padding."""
    t = max(len(s) for s in seqs)
    x = torch.full((len(seqs), t), pad_id, dtype=torch.long)
    for i, s in enumerate(seqs):
        x[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    y = x[:, 1:].clone()
    for i, s in enumerate(seqs):
        y[i, len(s) - 1 :] = IGNORE_INDEX
    return x[:, :-1], y


def pad_pairs(
    pairs: Sequence[tuple[Sequence[int], Sequence[int], int]], pad_id: int, bos_id: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(src (B, S) right-padded, tgt_in (B, T) = [BOS] + tgt[:-1], style (B,), tgt_out (B, T) = tgt)."""
    s_len = max(len(p[0]) for p in pairs)
    t_len = max(len(p[1]) for p in pairs)
    src = torch.full((len(pairs), s_len), pad_id, dtype=torch.long)
    tgt_in = torch.full((len(pairs), t_len), pad_id, dtype=torch.long)
    tgt_out = torch.full((len(pairs), t_len), IGNORE_INDEX, dtype=torch.long)
    for i, (s, t, _) in enumerate(pairs):
        src[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        tgt_in[i, : len(t)] = torch.tensor([bos_id, *t[:-1]], dtype=torch.long)
        tgt_out[i, : len(t)] = torch.tensor(t, dtype=torch.long)
    style = torch.tensor([p[2] for p in pairs], dtype=torch.long)
    return src, tgt_in, style, tgt_out
