"""The token stream with parts: bar-wise blocks of part cells, masked cells filled at the end.

Layout (MMM's bar-wise track blocks, bar-major, plus fill-in-the-middle placeholders)::

    BOS STYLE KEY METER
    (PART ROLE [REALIZED] PROG DENS POLY)*          one header per part; its order is TRACK_0, TRACK_1 ...
    (BAR [METER] (TRACK_i cell)*)*                  every bar holds one cell per part, in header order
    [FILL (FILL_k cell CELL_END)*]                  the masked cells, in the order of their placeholders
    EOS

    cell = MASK_k | (POS (VEL? PITCH DUR)+)*        notes as in tokenizer.py: 12 steps a quarter, chords
                                                    share POS, VEL only when the part's velocity changes

Why this shape. With bar-major cells, *continue all* is plain left-to-right generation: each new bar gets one
cell per part, each part stays in its own track. A cell replaced by ``MASK_k`` and written after the whole
piece as ``FILL_k ... CELL_END`` sees everything before and after it, so *add a part* (every cell of one part
masked), *infill* (some bars of one part masked), *melody over chords* and *continue listed parts* (the new
bars' cells of those parts masked, the others given) are the same operation. The index ``k`` makes the
link between a placeholder and its fill an exact token match, which attention finds without counting.
Attribute tokens per part (role, GM program, density and polyphony bins) are MMM's controls: measured from
the music when training, set by the user (or the seed) when generating. Anticipation (AMT) gives the
future of other parts too, but interleaves by time and needs twice the events; placeholders cost two tokens
a masked bar and keep the note grammar of our single-stream tokenizer.

Round trip: notes on the 12-a-quarter grid with representable durations and velocity bins decode to the
notes encoded, per part, masked cells included (their notes come back from the fill section).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature, normalise_time_signatures
from musestudio.core.timing import bar_lines, signature_at
from musestudio.ml.styles import STYLES
from musestudio.ml.tokenizer import (
    CONDITIONING,
    DURATIONS,
    GRID,
    KEYS,
    MAX_BAR_STEPS,
    METERS,
    VELOCITIES,
    StoredVocabulary,
    Tokenizer,
)

ROLES = ("melody", "counter-melody", "harmony", "accompaniment", "bass", "free")
MAX_PARTS = 8
MAX_MASKS = 64
#: notes per bar (over the part's bars with notes): DENS_i means at least EDGES[i-1] and below EDGES[i]
DENSITY_EDGES = (1.5, 2.5, 3.5, 5, 7, 10, 14, 20, 28)
#: notes per onset: POLY_0 is a single line
POLYPHONY_EDGES = (1.15, 1.6, 2.2, 2.8, 3.5)
PREFIX = CONDITIONING  # BOS STYLE KEY METER, as in the single-stream tokenizer


@dataclass(frozen=True)
class Part:
    """One part of a piece: its notes (absolute ticks), role and GM program. ``realized`` marks parts made
    from chord symbols by a rule rather than played (Nottingham, OpenEWLD)."""

    role: str
    program: int
    notes: tuple[Note, ...] = ()
    realized: bool = False
    density: int | None = None  # DENS bin to announce; None: measured from the notes
    polyphony: int | None = None  # POLY bin to announce; None: measured

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r} (known: {', '.join(ROLES)})")
        if not 0 <= self.program <= 127:
            raise ValueError(f"GM program {self.program} is not 0-127")


def _bin(edges: Sequence[float], x: float) -> int:
    return bisect.bisect_right(edges, x)


def density_of(notes: Sequence[Note], bars: int) -> float:
    """Notes per bar over ``bars`` bars (0 when there are none)."""
    return len(notes) / bars if bars else 0.0


def density_bin(notes: Sequence[Note], bars: int) -> int:
    return _bin(DENSITY_EDGES, density_of(notes, bars))


def polyphony_of(notes: Sequence[Note], tpb: int) -> float:
    """Notes per distinct onset on the grid: 1.0 for a single line, about 3 for block triads."""
    onsets = {round(n.start * GRID / tpb) for n in notes}
    return len(notes) / len(onsets) if onsets else 1.0


def polyphony_bin(notes: Sequence[Note], tpb: int) -> int:
    return _bin(POLYPHONY_EDGES, polyphony_of(notes, tpb))


def density_value(b: int) -> float:
    """A representative notes-per-bar figure of a DENS bin (for reports and controls)."""
    lo = DENSITY_EDGES[b - 1] if b > 0 else 0.5
    hi = DENSITY_EDGES[b] if b < len(DENSITY_EDGES) else DENSITY_EDGES[-1] * 1.4
    return (lo + hi) / 2


def _nearest(values: Sequence[int], x: float) -> int:
    i = bisect.bisect_left(values, x)
    if i == 0:
        return values[0]
    if i == len(values):
        return values[-1]
    lo, hi = values[i - 1], values[i]
    return hi if x - lo >= hi - x else lo


@dataclass
class Layout:
    """What a decoder needs to place cells: each bar's start tick and which (part, bar) each mask stands for."""

    bar_starts: list[int]
    masks: list[tuple[int, int]] = field(default_factory=list)


class PartsGrammar(StoredVocabulary):
    """Vocabulary and both directions for pieces with parts (see the module docstring for the layout)."""

    VERSION = "parts-v1"
    KIND = "grammar"
    grid = GRID

    def __init__(self, styles: Sequence[str] | None = None) -> None:
        base = Tokenizer(styles if styles is not None else STYLES)
        self.styles = base.styles
        tokens = list(base.tokens)  # PAD BOS EOS BAR ... STYLE KEY METER POS PITCH DUR VEL, same ids
        tokens += ["PART", "REALIZED", "FILL", "CELL_END"]
        tokens += [f"ROLE_{r}" for r in ROLES]
        tokens += [f"PROG_{p}" for p in range(128)]
        tokens += [f"DENS_{i}" for i in range(len(DENSITY_EDGES) + 1)]
        tokens += [f"POLY_{i}" for i in range(len(POLYPHONY_EDGES) + 1)]
        tokens += [f"TRACK_{i}" for i in range(MAX_PARTS)]
        tokens += [f"MASK_{k}" for k in range(MAX_MASKS)]
        tokens += [f"FILL_{k}" for k in range(MAX_MASKS)]
        self.tokens: tuple[str, ...] = tuple(tokens)
        self._ids = {t: i for i, t in enumerate(tokens)}
        self.base = base
        self.pad_id, self.bos_id, self.eos_id, self.bar_id = 0, 1, 2, 3
        ids = self._ids
        self.part_id, self.realized_id, self.fill_id, self.cell_end_id = (
            ids["PART"],
            ids["REALIZED"],
            ids["FILL"],
            ids["CELL_END"],
        )
        self.role0, self.prog0 = ids[f"ROLE_{ROLES[0]}"], ids["PROG_0"]
        self.dens0, self.poly0 = ids["DENS_0"], ids["POLY_0"]
        self.track0, self.mask0, self.fill0 = ids["TRACK_0"], ids["MASK_0"], ids["FILL_0"]
        self.pos0, self.pitch0 = ids["POS_0"], ids["PITCH_0"]
        self.dur0, self.vel0 = ids["DUR_1"], ids[f"VEL_{VELOCITIES[0]}"]
        self.meter0 = ids["METER_1/1"]

    # -- vocabulary ------------------------------------------------------------------------------------
    @property
    def vocab_size(self) -> int:
        return len(self.tokens)

    def token_id(self, token: str) -> int:
        return self._ids[token]

    def token_str(self, token_id: int) -> str:
        return self.tokens[token_id]

    def role_id(self, role: str) -> int:
        return self.role0 + ROLES.index(role)

    def track_id(self, i: int) -> int:
        return self.track0 + i

    def mask_id(self, k: int) -> int:
        return self.mask0 + k

    def fill_token(self, k: int) -> int:
        return self.fill0 + k

    def _in(self, t: int, first: int, n: int) -> bool:
        return first <= t < first + n

    def is_pitch(self, t: int) -> bool:
        return self._in(t, self.pitch0, 128)

    def is_position(self, t: int) -> bool:
        return self._in(t, self.pos0, MAX_BAR_STEPS)

    def is_duration(self, t: int) -> bool:
        return self._in(t, self.dur0, len(DURATIONS))

    def is_velocity(self, t: int) -> bool:
        return self._in(t, self.vel0, len(VELOCITIES))

    def is_track(self, t: int) -> bool:
        return self._in(t, self.track0, MAX_PARTS)

    def is_mask(self, t: int) -> bool:
        return self._in(t, self.mask0, MAX_MASKS)

    def is_fill(self, t: int) -> bool:
        return self._in(t, self.fill0, MAX_MASKS)

    def is_meter(self, t: int) -> bool:
        return self._in(t, self.meter0, len(METERS))

    def is_note_event(self, t: int) -> bool:
        """Tokens that may appear inside a cell."""
        return self.is_position(t) or self.is_pitch(t) or self.is_duration(t) or self.is_velocity(t)

    # -- encoding --------------------------------------------------------------------------------------
    def conditioning(self, style: str | None, key: KeySignature | None, meter: tuple[int, int]) -> list[int]:
        return self.base.conditioning(style, key, meter)

    def part_header(self, part: Part, tpb: int, bars: int, notes: Sequence[Note] | None = None) -> list[int]:
        """``PART ROLE [REALIZED] PROG DENS POLY``; density and polyphony measured from ``notes`` (default:
        the part's own) unless the part states them."""
        notes = part.notes if notes is None else notes
        dens = part.density if part.density is not None else density_bin(notes, bars)
        poly = part.polyphony if part.polyphony is not None else polyphony_bin(notes, tpb)
        out = [self.part_id, self.role_id(part.role)]
        if part.realized:
            out.append(self.realized_id)
        return [*out, self.prog0 + part.program, self.dens0 + dens, self.poly0 + poly]

    def encode(
        self,
        parts: Sequence[Part],
        *,
        tpb: int,
        time_signatures: Sequence[TimeSignature],
        start: int,
        end: int,
        key: KeySignature | None = None,
        style: str | None = None,
        masked: Iterable[tuple[int, int]] = (),
        with_fill: bool = True,
        with_eos: bool = True,
    ) -> list[int]:
        """The sequence for the bars from bar line ``start`` up to bar line ``end``.

        ``masked`` names (part index, bar index within the window) cells to replace by placeholders; their
        notes follow in the fill section when ``with_fill`` (training), else the sequence ends with ``FILL``
        (a prompt for filling: the caller then gives ``FILL_0`` and the model writes the cell).
        """
        if len(parts) > MAX_PARTS:
            raise ValueError(f"at most {MAX_PARTS} parts, got {len(parts)}")
        sigs = normalise_time_signatures(time_signatures)
        lines = self.bar_starts(sigs, tpb, start, end)
        windows = [[n for n in p.notes if start <= n.start < end] for p in parts]
        first = signature_at(sigs, start)
        seq = self.conditioning(style, key, (first.numerator, first.denominator))
        for p, notes in zip(parts, windows, strict=True):
            seq += self.part_header(p, tpb, len(lines), notes)
        cells = [self._cells(notes, lines, end, tpb) for notes in windows]
        masks = sorted(set(masked), key=lambda pb: (pb[1], pb[0]))
        if len(masks) > MAX_MASKS:
            raise ValueError(f"at most {MAX_MASKS} masked cells, got {len(masks)}")
        mask_of = {pb: k for k, pb in enumerate(masks)}
        meter = None
        velocity: list[int | None] = [None] * len(parts)
        for b, line in enumerate(lines):
            seq.append(self.bar_id)
            sig = signature_at(sigs, line)
            if (sig.numerator, sig.denominator) != meter:
                meter = (sig.numerator, sig.denominator)
                seq.append(self.base.meter_id(*meter))
            for i in range(len(parts)):
                seq.append(self.track_id(i))
                if (i, b) in mask_of:
                    seq.append(self.mask_id(mask_of[(i, b)]))
                else:
                    body, velocity[i] = self._cell_tokens(cells[i][b], velocity[i])
                    seq += body
        if masks:
            seq.append(self.fill_id)
            if with_fill:
                for k, (i, b) in enumerate(masks):
                    body, _ = self._cell_tokens(cells[i][b], None)
                    seq += [self.fill_token(k), *body, self.cell_end_id]
        if with_eos and (with_fill or not masks):
            seq.append(self.eos_id)
        return seq

    @staticmethod
    def bar_starts(sigs: Sequence[TimeSignature], tpb: int, start: int, end: int) -> list[int]:
        return [ln for ln in bar_lines(sigs, tpb, end) if start <= ln < end]

    def _cells(
        self, notes: Sequence[Note], lines: Sequence[int], end: int, tpb: int
    ) -> list[list[tuple[int, int, int, int]]]:
        """(pos step, pitch, duration, velocity) events of each bar, on the grid, sorted."""
        cells: list[list[tuple[int, int, int, int]]] = [[] for _ in lines]
        for n in notes:
            b = bisect.bisect_right(lines, n.start) - 1
            if b < 0:
                continue
            step = round(n.start * GRID / tpb)
            pos = step - round(lines[b] * GRID / tpb)
            if not 0 <= pos < MAX_BAR_STEPS:
                continue
            dur = _nearest(DURATIONS, max(1, round(n.end * GRID / tpb) - step))
            cells[b].append((pos, n.pitch, dur, _nearest(VELOCITIES, n.velocity)))
        for c in cells:
            c.sort()
        return cells

    def _cell_tokens(
        self, events: Sequence[tuple[int, int, int, int]], velocity: int | None
    ) -> tuple[list[int], int | None]:
        out: list[int] = []
        pos = None
        for p, pitch, dur, vel in events:
            if p != pos:
                pos = p
                out.append(self.pos0 + p)
            if vel != velocity:
                velocity = vel
                out.append(self.vel0 + VELOCITIES.index(vel))
            out += [self.pitch0 + pitch, self.dur0 + DURATIONS.index(dur)]
        return out, velocity

    # -- decoding --------------------------------------------------------------------------------------
    def layout(self, tokens: Sequence[int], bar_starts: Sequence[int]) -> Layout:
        """Which (part, bar) each MASK_k in ``tokens`` stands for."""
        masks: dict[int, tuple[int, int]] = {}
        bar, part = -1, None
        for t in tokens:
            if t == self.fill_id or t == self.eos_id:
                break
            if t == self.bar_id:
                bar += 1
            elif self.is_track(t):
                part = t - self.track0
            elif self.is_mask(t) and part is not None:
                masks[t - self.mask0] = (part, bar)
        return Layout(list(bar_starts), [masks[k] for k in sorted(masks)])

    def decode(
        self, tokens: Sequence[int], *, tpb: int, bar_starts: Sequence[int], n_parts: int
    ) -> list[list[Note]]:
        """Notes per part from a sequence (header optional); the n-th BAR starts at ``bar_starts[n]`` (bars
        past the list continue at the last bar's length). Tolerant of what a sampler may write: a pitch
        without a duration is dropped, tokens out of place are skipped."""
        starts = list(bar_starts)
        masks = self.layout(tokens, starts).masks
        out: list[list[Note]] = [[] for _ in range(n_parts)]
        velocity = [80] * n_parts
        bar, part, pos, pitch = -1, None, 0, None
        fill_velocity = 80
        in_fill = False
        for t in tokens:
            if t == self.eos_id:
                break
            if t == self.fill_id:
                in_fill, part = True, None
                continue
            if in_fill:
                if self.is_fill(t):
                    k = t - self.fill0
                    part, bar = masks[k] if k < len(masks) else (None, -1)
                    pos, pitch, fill_velocity = 0, None, 80
                elif t == self.cell_end_id:
                    part = None
                elif part is not None and part < n_parts:
                    fill_velocity, pitch, pos = self._event(
                        t, out[part], self._bar_tick(starts, bar), tpb, fill_velocity, pitch, pos
                    )
                continue
            if t == self.bar_id:
                bar, part, pos, pitch = bar + 1, None, 0, None
            elif self.is_track(t):
                part, pos, pitch = t - self.track0, 0, None
            elif part is not None and part < n_parts and bar >= 0:
                velocity[part], pitch, pos = self._event(
                    t, out[part], self._bar_tick(starts, bar), tpb, velocity[part], pitch, pos
                )
        for notes in out:
            notes.sort(key=Note.sort_key)
        return out

    @staticmethod
    def _bar_tick(starts: Sequence[int], bar: int) -> int:
        if bar < len(starts):
            return starts[bar]
        step = starts[-1] - starts[-2] if len(starts) > 1 else 0
        return starts[-1] + (bar - len(starts) + 1) * step

    def _event(
        self, t: int, notes: list[Note], bar_tick: int, tpb: int, velocity: int, pitch: int | None, pos: int
    ) -> tuple[int, int | None, int]:
        if self.is_position(t):
            return velocity, None, t - self.pos0
        if self.is_velocity(t):
            return VELOCITIES[t - self.vel0], pitch, pos
        if self.is_pitch(t):
            return velocity, t - self.pitch0, pos
        if self.is_duration(t) and pitch is not None:
            start = bar_tick + round(pos * tpb / GRID)
            notes.append(Note(pitch, start, round(DURATIONS[t - self.dur0] * tpb / GRID), velocity))
            return velocity, None, pos
        return velocity, pitch, pos


# -- the order parts are read in (training windows and generation share it) ------------------------

ROLE_RANK = {"melody": 0, "counter-melody": 1, "harmony": 2, "accompaniment": 3, "free": 4, "bass": 5}
assert set(ROLE_RANK) == set(ROLES)


def mean_pitch(notes: Sequence[Note]) -> float:
    return sum(n.pitch for n in notes) / len(notes) if notes else 60.0


def canonical(parts: Sequence[Part]) -> list[int]:
    """Indices of ``parts`` in the order the model reads them: by role (melody first, bass last), then from
    high to low. Generation reorders a user's tracks the same way and maps the result back."""
    return sorted(range(len(parts)), key=lambda i: (ROLE_RANK[parts[i].role], -mean_pitch(parts[i].notes)))


__all__ = [
    "KEYS",
    "ROLE_RANK",
    "canonical",
    "mean_pitch",
    "MAX_MASKS",
    "MAX_PARTS",
    "PREFIX",
    "ROLES",
    "Part",
    "PartsGrammar",
]
