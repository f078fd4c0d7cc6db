"""Time-scale augmentation for the style judge: a phrase's note values and bar lines halved or doubled, as
editions do, so the judge hears the idiom rather than the notation.

The judge reads onsets on a sixteenth grid with a bar-line channel, so a notation is part of what it sees:
Palestrina's own test windows were Palestrina 19 of 19 as notated in 4/2 and 0 of 19 with their values
halved into 4/4, which is how modern editions print them and how a user's tune arranged in its own bars
comes out. Which scales a style is trained under (``SCALES``) follows what editions of that repertoire do
and keeps the style's idiom:

- **Palestrina halved**: minims as quarters, 4/2 as 4/4 (modern editions of the masses and motets).
- **Bach halved and doubled**: a chorale's quarter-note beat as eighths (two bars in one 4/4 bar;
  sixteenth ornaments, which the halved grid cannot hold, dropped: the voice leading stays) or as minims in
  4/2 (hymnals and older editions print chorales in minims). Doubled, a chorale is notated as Palestrina is:
  the judge has to tell them apart by their idioms (a chord struck on every beat against staggered,
  overlapping lines), not by their notation.
- **German and Chinese doubled**: the Essen songs' 2/4 and 3/4 with eighths as 2/2 and 3/2 (4/4-long bars)
  with quarters, as songbooks print folk tunes.

Celtic (running eighths of reels and jigs), pop (sixteenth syncopation), jazz (swung eighths) and the
Classical quartets are left as notated: their notation is part of the idiom (a reel doubled into quarter
notes is a hymn tune's rhythm, a pop song halved loses its sixteenths), and the quartets already come in
every notation from 2/4 allegros to alla breve.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from musestudio.ml.data.rolls import RollSampler, StepPiece

#: style -> the time scales it is also trained under ("halved", "doubled"); the module docstring says why.
SCALES: dict[str, tuple[str, ...]] = {
    "palestrina": ("halved",),
    "bach": ("halved", "doubled"),
    "german": ("doubled",),
    "chinese": ("doubled",),
}
SHARE = 0.33  # of a scaled style's draws: the share taken from its scaled editions
MERGE_BELOW = 12  # halved bars shorter than this many steps (a 3/4 bar) are merged in pairs


def halve(piece: StepPiece) -> StepPiece | None:
    """``piece`` with every value halved: notes starting off the halved grid (odd steps) dropped, bar lines
    halved and, where the halved bars are shorter than ``MERGE_BELOW`` steps, every second one dropped (two
    4/4 bars in eighths become one 4/4 bar). None when no note is left."""
    rows = piece.notes[piece.notes[:, 1] % 2 == 0]
    if not len(rows):
        return None
    start = rows[:, 1] // 2
    end = np.maximum(start + 1, (rows[:, 2] + 1) // 2)
    notes = np.stack([rows[:, 0], start, end], axis=1).astype(np.int32)
    bars = np.unique(piece.bars // 2)
    if len(bars) > 1 and np.median(np.diff(bars)) < MERGE_BELOW:
        bars = bars[::2]
    return StepPiece(piece.style, notes, bars.astype(np.int32), max(int(end.max()), (piece.n_steps + 1) // 2))


def double(piece: StepPiece) -> StepPiece:
    """``piece`` with every value and bar doubled (eighths as quarters, 2/4 as 2/2)."""
    notes = piece.notes.copy()
    notes[:, 1:] *= 2
    return StepPiece(piece.style, notes, (piece.bars * 2).astype(np.int32), piece.n_steps * 2)


def scaled(piece: StepPiece, scale: str) -> StepPiece | None:
    if scale == "halved":
        return halve(piece)
    if scale == "doubled":
        return double(piece)
    raise ValueError(f"unknown time scale {scale!r}")


def scaled_pieces(
    pieces: Sequence[StepPiece], style_ids: Sequence[str], scales: dict[str, tuple[str, ...]] | None = None
) -> list[StepPiece]:
    """Every piece of a style in ``scales`` (default ``SCALES``) in each of that style's time scales; with
    ``scales={s: ("halved",) for s in style_ids}`` every style halved (the evaluation's robustness test)."""
    scales = SCALES if scales is None else scales
    out = []
    for p in pieces:
        for scale in scales.get(style_ids[p.style], ()):
            if (q := scaled(p, scale)) is not None:
                out.append(q)
    return out


class TimeScaledSampler:
    """A ``RollSampler`` whose styles in ``SCALES`` draw a share ``share`` of their windows from their
    scaled editions; the same interface (``styles``, ``by_style``, ``sample``), so ``TexturedSampler`` can
    take it as a pool. ``by_style`` is the notated pieces' (the pool sizes the draw checks)."""

    def __init__(
        self,
        base: RollSampler,
        style_ids: Sequence[str],
        share: float = SHARE,
        scales: dict[str, tuple[str, ...]] | None = None,
    ):
        self.base = base
        self.by_style = base.by_style
        self.styles = base.styles
        self.share = share
        notated = [p for group in base.by_style for p in group]
        self.scaled = RollSampler(scaled_pieces(notated, style_ids, scales), len(style_ids), base.min_notes)

    def sample(self, rng: np.random.Generator, batch: int, n_steps: int, transpose: int = 0, styles=None):
        chosen = styles if styles is not None else rng.choice(self.styles, size=batch)
        xs, ys = [], []
        for s in chosen:
            pool = self.scaled if int(s) in self.scaled.styles and rng.random() < self.share else self.base
            x, y = pool.sample(rng, 1, n_steps, transpose, styles=[int(s)])
            xs.append(x[0])
            ys.append(int(y[0]))
        return np.stack(xs), np.array(ys, dtype=np.int64)
