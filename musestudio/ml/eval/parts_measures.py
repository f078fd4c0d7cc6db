"""Measures of parts music: harmony per beat (chorales), fit to a melody's harmony (pop), part order, and the
"develop the seed" musicality measures. Pure functions on notes, so each can be tested on hand-made cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note

QUALITIES = {
    "maj": (0, 4, 7),
    "min": (0, 3, 7),
    "dim": (0, 3, 6),
    "aug": (0, 4, 8),
}
SEVENTHS = {
    "dom7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "min7": (0, 3, 7, 10),
    "hdim7": (0, 3, 6, 10),
    "dim7": (0, 3, 6, 9),
}
TEMPLATES = {
    (r, q): frozenset((r + i) % 12 for i in iv)
    for r in range(12)
    for q, iv in {**QUALITIES, **SEVENTHS}.items()
}


def sounding(notes: Sequence[Note], t: int) -> list[int]:
    return [n.pitch for n in notes if n.start <= t < n.end]


def is_triad_or_seventh(pcs: set[int]) -> bool:
    return frozenset(pcs) in TEMPLATES.values()


def chord_label(pitches: Sequence[int]) -> tuple[int, str] | None:
    """(root, triad quality) that best explains the pitches (bass breaks ties); sevenths count as their triad."""
    if not pitches:
        return None
    pcs = {p % 12 for p in pitches}
    bass = min(pitches) % 12
    best, score = None, -99.0
    for r in range(12):
        for q, iv in QUALITIES.items():
            tpl = {(r + i) % 12 for i in iv}
            s = (
                len(pcs & tpl)
                - 0.6 * len(pcs - tpl)
                + (0.3 if r == bass else 0)
                - (0.2 if q in ("dim", "aug") else 0)
            )
            if s > score:
                best, score = (r, q), s
    return best


def chorale_measures(
    voices: Sequence[Sequence[Note]], tpb: int, reference: Sequence[Sequence[Note]] | None = None
) -> dict:
    """Per quarter-note beat of SATB ``voices`` (highest first): triad/seventh share, voice crossings and
    parallel fifths/octaves per 100 beats, and agreement with ``reference``'s chord label per beat."""
    end = max((n.end for v in voices for n in v), default=0)
    beats = list(range(0, end, tpb))
    chordal = crossings = parallels = agree = counted = 0
    prev = None
    for t in beats:
        now = [sounding(v, t) for v in voices]
        tops = [max(x) if x else None for x in now]
        present = [p for p in tops if p is not None]
        if len(present) < 3:
            prev = None
            continue
        counted += 1
        chordal += is_triad_or_seventh({p % 12 for p in present})
        crossings += sum(
            1 for a, b in zip(tops, tops[1:], strict=False) if a is not None and b is not None and a < b
        )
        if prev is not None:
            for i in range(len(tops)):
                for j in range(i + 1, len(tops)):
                    a0, b0, a1, b1 = prev[i], prev[j], tops[i], tops[j]
                    if None in (a0, b0, a1, b1) or a0 == a1 or b0 == b1:
                        continue
                    i0, i1 = (a0 - b0) % 12, (a1 - b1) % 12
                    if i0 == i1 and i0 in (0, 7) and (a1 - a0) * (b1 - b0) > 0:
                        parallels += 1
        prev = tops
        if reference is not None:
            ref = [p for v in reference for p in sounding(v, t)]
            agree += chord_label(present) == chord_label(ref)
    n = max(1, counted)
    out = {
        "beats": counted,
        "triad_or_seventh": chordal / n,
        "crossings_per_100": 100 * crossings / n,
        "parallels_per_100": 100 * parallels / n,
    }
    if reference is not None:
        out["chord_agreement"] = agree / n
    return out


def melody_triad(melody: Sequence[Note], lo: int, hi: int, key: KeySignature | None) -> frozenset[int]:
    """The major or minor triad that best covers the melody's pitch classes in [lo, hi), duration-weighted,
    with chords of the key preferred on ties."""
    w: Counter[int] = Counter()
    for n in melody:
        overlap = min(n.end, hi) - max(n.start, lo)
        if overlap > 0:
            w[n.pitch % 12] += overlap
    best, score = frozenset(), -1.0
    for r in range(12):
        for q in ("maj", "min"):
            tpl = TEMPLATES[(r, q)]
            s = sum(v for pc, v in w.items() if pc in tpl) + (
                0.01 if key and all(key.contains(60 + p) for p in tpl) else 0
            )
            if s > score:
                best, score = tpl, s
    return best


def harmony_fit(
    accompaniment: Sequence[Note], melody: Sequence[Note], bar_lines: Sequence[int], key
) -> float:
    """Share of accompaniment notes whose pitch class is in its bar's melody triad or the bar's melody notes."""
    ok = total = 0
    for lo, hi in zip(bar_lines, bar_lines[1:], strict=False):
        tpl = melody_triad(melody, lo, hi, key) | {n.pitch % 12 for n in melody if lo <= n.start < hi}
        for n in accompaniment:
            if lo <= n.start < hi:
                total += 1
                ok += n.pitch % 12 in tpl
    return ok / total if total else float("nan")


def order_kept(parts: Sequence[tuple[str, Sequence[Note]]]) -> float:
    """Share of onsets where every sounding melody note is above every sounding harmony/accompaniment note
    and the bass is the lowest sounding note (onsets where the check applies)."""
    onsets = sorted({n.start for _, ns in parts for n in ns})
    ok = checked = 0
    for t in onsets:
        by = {}
        for role, ns in parts:
            by.setdefault(role, []).extend(sounding(ns, t))
        mel, inner = by.get("melody", []), by.get("harmony", []) + by.get("accompaniment", [])
        others = [p for r, ps in by.items() if r != "bass" for p in ps]
        conds = []
        if mel and inner:
            conds.append(min(mel) >= max(inner))
        if by.get("bass") and others:
            conds.append(min(by["bass"]) <= min(others))
        if conds:
            checked += 1
            ok += all(conds)
    return ok / checked if checked else float("nan")


# -- develop the seed (issue 13, point 7) --------------------------------------------------------------


def top_line(notes: Sequence[Note]) -> list[Note]:
    """The highest note of each onset (the skyline)."""
    by: dict[int, Note] = {}
    for n in notes:
        if n.start not in by or n.pitch > by[n.start].pitch:
            by[n.start] = n
    return [by[t] for t in sorted(by)]


def figures(line: Sequence[Note], size: int = 4) -> list[tuple[int, ...]]:
    ps = [n.pitch for n in line]
    ivs = [b - a for a, b in zip(ps, ps[1:], strict=False)]
    return [tuple(ivs[i : i + size]) for i in range(len(ivs) - size + 1)]


def max_voices(notes: Sequence[Note]) -> int:
    events = sorted([(n.start, 1) for n in notes] + [(n.end, -1) for n in notes])
    cur = best = 0
    for _, d in events:
        cur += d
        best = max(best, cur)
    return best


def musicality(
    seed: Sequence[Note],
    take: Sequence[Note],
    start: int,
    bar: int,
    meter: tuple[int, int],
    tpb: int,
    seed_bars: int,
    take_bars: int,
    single_lines: Sequence[Sequence[Note]] = (),
) -> dict:
    """The point-7 measures of one take (``take`` = its new notes from ``start``; ``single_lines`` = the
    take's notes of each part that was a single line in the seed)."""
    seed_top, take_top = top_line(seed), top_line(take)
    seed_figs = set(figures(seed_top))
    own = Counter(figures(take_top))
    d_seed = len(seed) / max(1, seed_bars)
    d_take = len(take) / max(1, take_bars)
    first = {n.start for n in take if start <= n.start < start + bar}
    mean = lambda xs: sum(n.pitch for n in xs) / len(xs) if xs else 0.0  # noqa: E731
    out = {
        "reuses_seed_figure": any(f in seed_figs for f in own),
        "repeats_own_figure": any(c >= 2 for c in own.values()),
        "density_ok": d_seed > 0 and 0.5 <= d_take / d_seed <= 2.0,
        "single_line_ok": all(max_voices(p) <= 2 for p in single_lines),
        "register_drift": bool(seed_top and take_top and abs(mean(take_top) - mean(seed_top)) > 7),
        "empty_first_bar": len(first) <= 1,
    }
    if meter in ((3, 4), (6, 8)):
        beat = tpb if meter == (3, 4) else tpb * 3 // 2
        longs = [n for n in take_top if n.duration >= beat]
        out["long_on_beat"] = (sum(1 for n in longs if (n.start - start) % beat == 0), len(longs))
    return out
