"""Measures on model inputs (2P+1, T): per-bar chroma, melodic contour and Brunner's transfer strength.

Shared by the GAN's validation during training and by the Restyle evaluation (``eval/restyle.py``), so they
live below both. Definitions and references are in ``eval/restyle.py``'s docstring.
"""

from __future__ import annotations

import math

import numpy as np

from musestudio.ml.pianoroll import DEFAULT_SPEC, RollSpec


def _planes(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(frame plane (P, T), bar-line steps) of a model input."""
    p = (x.shape[0] - 1) // 2
    return x[p : 2 * p] > 0.5, np.flatnonzero(x[2 * p] > 0.5)


def bar_chroma(x: np.ndarray, spec: RollSpec = DEFAULT_SPEC) -> np.ndarray:
    """(bars, 12) sounding steps per pitch class in each bar of a model input."""
    frame, bars = _planes(x)
    t = frame.shape[1]
    edges = [0, *[int(b) for b in bars if 0 < b < t], t]
    pcs = (np.arange(spec.low, spec.high) % 12)[:, None] == np.arange(12)[None, :]
    chroma_t = frame.T.astype(np.float32) @ pcs.astype(np.float32)  # (T, 12)
    return np.stack([chroma_t[a:b].sum(0) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a])


def roll_chroma_similarity(a: np.ndarray, b: np.ndarray, spec: RollSpec = DEFAULT_SPEC) -> float:
    """Mean per-bar chroma cosine of two model inputs with the same bars (nan when both are silent)."""
    ca, cb = bar_chroma(a, spec), bar_chroma(b, spec)
    sims = []
    for u, v in zip(ca, cb, strict=True):
        nu, nv = np.linalg.norm(u), np.linalg.norm(v)
        if nu == 0 and nv == 0:
            continue
        sims.append(float(u @ v / (nu * nv)) if nu and nv else 0.0)
    return float(np.mean(sims)) if sims else math.nan


def top_line(x: np.ndarray) -> np.ndarray:
    """The highest sounding pitch index at each step, carried over rests (nan before the first note)."""
    frame, _ = _planes(x)
    line = np.full(frame.shape[1], np.nan)
    last = np.nan
    for t in range(frame.shape[1]):
        on = np.flatnonzero(frame[:, t])
        last = float(on[-1]) if on.size else last
        line[t] = last
    return line


def contour_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of the two top lines where both sound (nan when either is flat or silent)."""
    la, lb = top_line(a), top_line(b)
    ok = ~np.isnan(la) & ~np.isnan(lb)
    if ok.sum() < 3 or la[ok].std() == 0 or lb[ok].std() == 0:
        return math.nan
    return float(np.corrcoef(la[ok], lb[ok])[0, 1])


def pair_probability(probs: np.ndarray, a: int, b: int) -> np.ndarray:
    """P(A) renormalised over the pair {A, B}, from (N, styles) judge probabilities."""
    return probs[:, a] / np.maximum(probs[:, a] + probs[:, b], 1e-9)


def brunner_strength(p_orig: np.ndarray, p_transfer: np.ndarray, p_cycle: np.ndarray) -> float:
    """S_{A->B} from the source style's probability on originals, transfers and transfers back."""
    return float(np.mean((p_orig - p_transfer + p_cycle - p_transfer) / 2))
