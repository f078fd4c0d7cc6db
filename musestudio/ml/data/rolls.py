"""Training and evaluation windows for the Restyle models, cut from cached pieces at bar lines.

Pieces are kept as compact note arrays in steps and rolled on demand, which costs a few hundred
microseconds a window and keeps a whole corpus in a few megabytes instead of gigabytes of rolls.
Sampling picks a style uniformly first and a piece second, so Pop's many long songs do not drown the
smaller collections (the classifier and the GAN's style head would otherwise learn the class priors).

Each window is a model input (``pianoroll.model_input``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from musestudio.core.note import Note
from musestudio.ml.pianoroll import DEFAULT_SPEC, RollSpec, bar_steps, model_input


@dataclass(frozen=True, slots=True)
class StepPiece:
    """A piece on the step grid: notes as (pitch, start, end) rows in steps, bar lines in steps."""

    style: int
    notes: np.ndarray
    bars: np.ndarray
    n_steps: int


def to_step_piece(
    notes: Sequence[Note], tpb: int, time_signatures, style: int, spec: RollSpec = DEFAULT_SPEC
):
    """The piece on the step grid, or None when it has no notes or a bar line between steps."""
    if not notes:
        return None
    step = spec.step_ticks(tpb)
    rows = np.array(
        [
            (n.pitch, round(n.start / step), max(round(n.start / step) + 1, round(n.end / step)))
            for n in notes
        ],
        dtype=np.int32,
    )
    n_steps = int(rows[:, 2].max())
    try:
        bars = np.array(bar_steps(time_signatures, tpb, n_steps * step, spec), dtype=np.int32)
    except ValueError:
        return None
    return StepPiece(style, rows, bars, n_steps)


def window_input(
    piece: StepPiece, start: int, n_steps: int, transpose: int = 0, spec: RollSpec = DEFAULT_SPEC
):
    """Model input for ``n_steps`` steps of ``piece`` from step ``start`` (zero-padded past the end)."""
    rows = piece.notes
    sel = rows[(rows[:, 1] >= start) & (rows[:, 1] < start + n_steps)]
    roll = np.zeros((2, spec.pitches, n_steps), dtype=np.float32)
    for pitch, s, e in sel:
        p = spec.fold(int(pitch) + transpose) - spec.low
        roll[1, p, s - start : min(e - start, n_steps)] = 1.0
    for pitch, s, _ in sel:
        roll[0, spec.fold(int(pitch) + transpose) - spec.low, s - start] = 1.0
    # a later onset cuts an earlier note of the same pitch: the frame is shared, the onset marks the cut
    return model_input(roll, piece.bars - start)


class RollSampler:
    """Random bar-aligned roll windows, style-balanced, with optional transposition augmentation (the
    token models' counterpart is ``windows.WindowSampler``)."""

    def __init__(self, pieces: Sequence[StepPiece], n_styles: int, min_notes: int = 3):
        self.by_style = [[p for p in pieces if p.style == s] for s in range(n_styles)]
        self.styles = [s for s in range(n_styles) if self.by_style[s]]
        self.min_notes = min_notes

    def sample(self, rng: np.random.Generator, batch: int, n_steps: int, transpose: int = 0, styles=None):
        """(inputs (B, 2P+1, T), style labels (B,)); ``styles`` fixes the label of each row."""
        xs, ys = [], []
        chosen = styles if styles is not None else rng.choice(self.styles, size=batch)
        for s in chosen:
            pool = self.by_style[int(s)]
            while True:
                piece = pool[rng.integers(len(pool))]
                starts = piece.bars[piece.bars < max(1, piece.n_steps - n_steps // 2)]
                start = int(starts[rng.integers(len(starts))]) if len(starts) else 0
                x = window_input(piece, start, n_steps, int(rng.integers(-transpose, transpose + 1)))
                if x[: (x.shape[0] - 1) // 2].sum() >= self.min_notes:
                    break
            xs.append(x)
            ys.append(int(s))
        return np.stack(xs), np.array(ys, dtype=np.int64)

    def fixed(self, n_per_style: int, n_steps: int, seed: int):
        """The same evaluation windows every time: ``n_per_style`` per style, no augmentation."""
        rng = np.random.default_rng(seed)
        styles = np.repeat(self.styles, n_per_style)
        return self.sample(rng, len(styles), n_steps, styles=styles)


def load_step_pieces(split: str, style_ids: Sequence[str], cache_dir=None, spec: RollSpec = DEFAULT_SPEC):
    """The cached pieces of ``split`` in ``style_ids`` on the step grid (the cache comes from ml.data)."""
    from musestudio.ml.data.cache import load_cache

    out = []
    for piece in load_cache(cache_dir, split=split, styles=list(style_ids)):
        sp = to_step_piece(piece.notes, piece.tpb, piece.time_signatures, style_ids.index(piece.style), spec)
        if sp is not None:
            out.append(sp)
    return out
