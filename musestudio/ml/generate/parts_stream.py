"""The parts stream's grammar as a logits mask, and the develop bias (split from ``generate.parts``).

What the sampler may write next at every step: positions move forward inside the bar, every pitch gets a
duration, a single-line part one note an onset, key lock and each part's pitch range hold by construction;
structural tokens are forced. ``_Developing`` makes the seed's and the take's own 4-interval figures likelier.

Masks and biases are numpy arrays (handed to the sampler as torch tensors sharing their memory): they are
built token by token from a few slices each, and a numpy slice costs a tenth of a torch one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.generate.parts_groove import GROOVE_BONUS
from musestudio.ml.parts_grammar import (
    Part,
    PartsGrammar,
)
from musestudio.ml.tokenizer import DURATIONS, MAX_BAR_STEPS

MAX_CELL_TOKENS = 160  # a cell that runs away is closed at its next note boundary
WINDOW_BARS = 16  # the most bars the model reads at once (its training windows held 8-16)
# -- the stream's grammar as a mask --------------------------------------------------------------------


@dataclass
class _Cell:
    part: int  # model-order index
    bar_steps: int
    # per grid position of the bar, the highest and lowest pitch the part may take there (part order)
    ceiling: list[int] | None = None
    floor: list[int] | None = None
    bar: int = -1  # the bar it belongs to: parts written earlier in the same bar bound it too
    min_notes: int = 0  # the density control: the cell may not close with fewer notes (while there is room)
    max_notes: int = 10**6  # ... nor take more
    # the grid positions where the drums strike, to which its onsets lean (parts_groove)
    accents: frozenset[int] = frozenset()


@dataclass
class _Row:
    plan_i: int = 0
    kind: str = "start"  # start | pos | vel | pitch | dur
    pos: int = -1
    last_pitch: int = -1
    tokens: int = 0
    notes: int = 0
    done: bool = False
    cells: int = 0  # the cells of the plan this row has finished (closed)
    index: int = 0  # the row's place in the batch (for the voice-leading rules' per-row state)
    lines: list[list[int]] = field(default_factory=list)  # per part: the pitches of its line so far
    made: dict[tuple[int, int], list[tuple[int, int, int]]] = field(default_factory=dict)  # (part, bar) ->
    # (start step, end step, pitch) of the notes this row wrote there


class StreamGrammar:
    """Per row, where it is in a plan of forced tokens and cells, and what may come next.

    ``plan`` items are token ids (forced) or ``_Cell`` (free notes of one part, closed by the next forced
    token, or by ``final_ends`` after the last cell)."""

    def __init__(
        self,
        g: PartsGrammar,
        rows: int,
        plan: list[int | _Cell],
        pitch_ok: Sequence[torch.Tensor],
        mono: Sequence[bool],
        final_ends: Sequence[int],
        seed_lines: Sequence[Sequence[int]] = (),
        roles: Sequence[str] = (),
        key: KeySignature | None = None,
    ) -> None:
        from musestudio.ml.generate.parts_develop import ScaleLine

        self.roles = list(roles)
        self.scale = ScaleLine(key)  # figures are counted in the key's scale steps (parts_develop)
        self.g, self.plan, self.mono, self.final_ends = g, plan, mono, list(final_ends)
        seed_lines = list(seed_lines) or [[] for _ in mono]
        self.rows = [_Row(index=i, lines=[list(x) for x in seed_lines]) for i in range(rows)]
        # the seed's figures twice: in scale steps (a sequence on another degree, in the key) and in
        # semitones (the figure exactly, used where it stays in the key)
        self.seed_figures = [_figure_index(self.scale.line(x)) for x in seed_lines]
        self.seed_exact = [_figure_index(x) for x in seed_lines]
        v = g.vocab_size
        self.v = v
        self.pitch_ok = []
        for ok in pitch_ok:
            full = np.zeros(v, dtype=bool)
            full[g.pitch0 : g.pitch0 + 128] = np.asarray(
                ok.cpu() if isinstance(ok, torch.Tensor) else ok, bool
            )
            self.pitch_ok.append(full)
        self.vel = np.zeros(v, dtype=bool)
        self.vel[g.vel0 : g.vel0 + 13] = True
        self.dur = np.zeros(v, dtype=bool)
        self.dur[g.dur0 : g.dur0 + len(DURATIONS)] = True
        self.cells_done = 0
        self._figures: dict[
            tuple[int, int, bool], tuple[int, dict]
        ] = {}  # (row, part, scaled) -> (length, index)
        self.rules = None  # parts_voicing.VoiceLeading, set by the sampler when the rules are on

    def _cell(self, r: _Row) -> _Cell | None:
        item = self.plan[r.plan_i] if r.plan_i < len(self.plan) else None
        return item if isinstance(item, _Cell) else None

    def _ends(self, r: _Row) -> list[int]:
        nxt = self.plan[r.plan_i + 1] if r.plan_i + 1 < len(self.plan) else None
        return [nxt] if isinstance(nxt, int) else self.final_ends

    def row_mask(self, i: int) -> int | np.ndarray:
        """What row i may write next: a forced token's id, or a vocabulary mask."""
        r = self.rows[i]
        if r.done:
            return self.g.pad_id
        item = self.plan[r.plan_i]
        return item if isinstance(item, int) else self._in_cell(r, item)

    def _in_cell(self, r: _Row, cell: _Cell) -> np.ndarray:
        """The cell's next-token mask (the same array may be handed out again: callers do not write it)."""
        g = self.g
        if r.kind == "pitch":  # a pitch is followed by its duration
            return (
                self.dur
                if self.rules is None
                else self.rules.cell_mask(r.index, r, cell, self.dur, g, self._ends(r))
            )
        m = np.zeros(self.v, dtype=bool)
        at_boundary = r.kind in ("start", "dur")
        room = r.tokens < MAX_CELL_TOKENS and r.notes < cell.max_notes
        last_pos = min(cell.bar_steps, MAX_BAR_STEPS)
        if at_boundary and room and r.pos + 1 < last_pos:
            m[g.pos0 + r.pos + 1 : g.pos0 + last_pos] = True
        if r.kind == "dur" and not self.mono[cell.part] and room:
            higher = self._pitches(r, cell, r.pos).copy()
            higher[: g.pitch0 + r.last_pitch + 1] = False
            if higher.any():  # another chord note, with a new velocity or not (a row with nothing allowed
                m |= self.vel | higher  # would fall back to every token)
        if r.kind == "pos":
            m |= self.vel
            m |= self._pitches(r, cell, r.pos)
        if r.kind == "vel":
            ok = self._pitches(r, cell, r.pos).copy()
            if r.last_pitch >= 0:  # a VEL inside a chord: the next pitch must still go up
                ok[: g.pitch0 + r.last_pitch + 1] = False
            m |= ok
        if r.kind == "pitch":
            m |= self.dur
        if at_boundary and (r.notes >= cell.min_notes or not m.any()):
            m[self._ends(r)] = True
        return m if self.rules is None else self.rules.cell_mask(r.index, r, cell, m, g, self._ends(r))

    def develop_bonus(self, i: int, weight: float) -> dict[int, float] | None:
        """Row i's logit bonuses that help a single-line part develop its figures ({token id: bonus}, or
        None): where the line's last 2-3 intervals begin a 4-interval figure of the seed's line, or of its own
        line so far, the pitch that continues the figure gains ``weight`` nats per interval matched beyond the
        first. A cache model (Kuhn & De Mori 1990) over intervals, read twice: in steps of the key's scale
        (``parts_develop.ScaleLine``: a figure goes on on another degree as a sequence does, in the key) and
        in semitones (the figure exactly, where that stays in the key: a real sequence where the key allows
        one, a tonal one where it does not). The network still decides; the seed's and its own figures are
        made more likely. None when the row is not about to choose a pitch of such a line.

        A line circling on one or two pitches gains nothing for going on circling (``_circling``)."""
        r = self.rows[i]
        if weight <= 0 or r.done or r.kind not in ("pos", "vel"):
            return None
        cell = self._cell(r)
        if cell is None or not self.mono[cell.part]:
            return None
        line = r.lines[cell.part]
        if len(line) < 3:
            return None
        out: dict[int, float] = {}
        circling = _circling(line)
        for scaled in (True, False):
            own = self._own_figures(i, cell.part, line, scaled)
            seed = (self.seed_figures if scaled else self.seed_exact)[cell.part]
            at = self.scale.line(line[-4:]) if scaled else line[-4:]
            for m in (3, 2):
                if len(line) <= m:
                    continue
                suffix = tuple(b - a for a, b in zip(at[-m - 1 :], at[-m:], strict=False))
                for step in seed.get(suffix, set()) | own.get(suffix, set()):
                    # the exact figure only where it stays in the key (else the scaled one serves)
                    p = self.scale.pitch(at[-1] + step) if scaled else self.scale.exact(at[-1], step)
                    if p is not None and p not in circling:
                        idx = self.g.pitch0 + p
                        out[idx] = max(out.get(idx, 0.0), weight * (m - 1))
        return out or None

    def on_the_groove(self, i: int) -> tuple[np.ndarray, bool] | None:
        """Where row i's cell has the drums strike (``_Cell.accents``): the position tokens it may write next
        there, each gaining ``parts_groove.GROOVE_BONUS``, and whether its chord's next note gains as much
        (the row has just written a note of a part that may sound several at once: a chord growing at its
        onset is no onset off the beat, and the bonus on moving on thinned chords to single notes). None
        when the row is not choosing its next onset."""
        r = self.rows[i]
        if r.done or r.kind not in ("start", "dur"):
            return None
        cell = self._cell(r)
        if cell is None or not cell.accents:
            return None
        last = min(cell.bar_steps, MAX_BAR_STEPS)
        ahead = [self.g.pos0 + p for p in sorted(cell.accents) if r.pos < p < last]
        if not ahead:
            return None
        return np.array(ahead, dtype=np.int64), r.kind == "dur" and not self.mono[cell.part]

    def _own_figures(
        self, row: int, part: int, line: list[int], scaled: bool = True
    ) -> dict[tuple[int, ...], set[int]]:
        """``_figure_index`` of the line's scale places (``scaled``) or pitches, kept up to date as the line
        grows (lines only grow): only the figures that end in the new notes are added."""
        n, index = self._figures.get((row, part, scaled), (0, {}))
        if n != len(line):
            tail = line[max(0, n - 4) :]
            _add_figures(index, self.scale.line(tail) if scaled else tail, 0)
            self._figures[(row, part, scaled)] = (len(line), index)
        return index

    def _above(self, j: int, k: int) -> bool:
        """Must part j sound at or above part k (model order; j written before k in a bar)?"""
        rj, rk = self.roles[j], self.roles[k]
        if rk == "bass":
            return rj != "bass"
        if rk in ("harmony", "accompaniment"):
            return rj == "melody" or (rj == rk == "harmony" and j < k)
        return False

    def _pitches(self, r: _Row, cell: _Cell, pos: int) -> np.ndarray:
        ok = self._ordered_pitches(r, cell, pos)
        return ok if self.rules is None else self.rules.pitch_mask(r.index, cell, pos, ok, self.g.pitch0)

    def _ordered_pitches(self, r: _Row, cell: _Cell, pos: int) -> np.ndarray:
        """The part's allowed pitches at ``pos``: key lock and range, within the part order there: against
        the given parts (the cell's band) and the parts this row already wrote in the bar (when that leaves
        nothing, the order gives way: a note is better than none)."""
        ok = self.pitch_ok[cell.part]
        lo, hi = 0, 127
        if cell.ceiling is not None and 0 <= pos < len(cell.ceiling):
            lo, hi = cell.floor[pos], cell.ceiling[pos]
        if self.roles and cell.bar >= 0:
            for j in range(len(self.roles)):
                if j == cell.part:
                    continue
                above, below = self._above(j, cell.part), self._above(cell.part, j)
                if not (above or below):
                    continue
                for start, end, pitch in r.made.get((j, cell.bar), ()):
                    if start <= pos < end:
                        if above:
                            hi = min(hi, pitch)
                        else:
                            lo = max(lo, pitch)
        if lo == 0 and hi == 127:
            return ok
        inside = np.zeros(self.v, dtype=bool)
        a, b = self.g.pitch0 + lo, self.g.pitch0 + hi + 1
        inside[a:b] = ok[a:b]
        return inside if inside.any() else ok

    def observe_row(self, i: int, t: int) -> None:
        """Row i wrote token t."""
        g = self.g
        r = self.rows[i]
        if r.done:
            return
        item = self.plan[r.plan_i]
        if isinstance(item, int):
            r.plan_i += 1
        elif t in self._ends(r):
            self.cells_done += 1
            r.cells += 1
            r.plan_i += 2 if r.plan_i + 1 < len(self.plan) else 1
            r.kind, r.pos, r.last_pitch, r.tokens, r.notes = "start", -1, -1, 0, 0
        else:
            r.tokens += 1
            if g.is_position(t):
                r.kind, r.pos, r.last_pitch = "pos", t - g.pos0, -1
            elif g.is_velocity(t):
                r.kind = "vel"
            elif g.is_pitch(t):
                r.kind, r.last_pitch = "pitch", t - g.pitch0
                if self.mono[item.part]:
                    r.lines[item.part].append(r.last_pitch)
            elif g.is_duration(t):
                r.kind = "dur"
                r.notes += 1
                if self.roles and item.bar >= 0 and r.last_pitch >= 0:
                    end = r.pos + DURATIONS[t - g.dur0]
                    r.made.setdefault((item.part, item.bar), []).append((r.pos, end, r.last_pitch))
                if self.rules is not None and r.last_pitch >= 0:
                    self.rules.observe(r.index, item, r.pos, DURATIONS[t - g.dur0], r.last_pitch)
        if r.plan_i >= len(self.plan):
            r.done = True


CIRCLE_NOTES = 4  # a line whose last this many notes sound one or two pitches is circling on them
LOOP_NOTES = 8  # the longest loop of notes (a bar of eighths) that is not helped round a third time


def _circling(line: Sequence[int]) -> set[int]:
    """The pitches that would keep the line going round: those of its last ``CIRCLE_NOTES`` notes when
    they are one or two (a repeated note, a trill, a root and fifth rocking), and the next note of a loop
    of up to ``LOOP_NOTES`` notes the line has just played twice running (at least ``CIRCLE_NOTES`` in
    all). ``develop_bonus`` gives them nothing: a line that has gone round matches its own "figure" (0 0 0
    0, +5 -5 +5 -5, a three-note riff) at every next note, and the bonus, up to 2 x ``weight`` nats, fed
    on itself. Added over a whole song, 3 of 4 bass takes droned C#2 from bar 6 to bar 146 under changing
    chords; once repeated notes were left out, lines rocked between two pitches instead, and once those
    were, went round a riff of three pitches to the end. The cache still helps a figure start and come
    back once; the network alone decides whether the line goes round again (a pedal, a pumping bass, a
    riff it hears the band play)."""
    out = set(line[-CIRCLE_NOTES:]) if len(line) >= CIRCLE_NOTES else set()
    if len(out) > 2:
        out = set()
    for p in range(1, LOOP_NOTES + 1):
        n = max(2 * p, CIRCLE_NOTES)
        if len(line) >= n and all(line[-k] == line[-k - p] for k in range(1, n - p + 1)):
            out.add(line[-p])
    return out


def _line_before(notes: Sequence[Note], t: int) -> list[int]:
    """Pitches of the top line (highest note of each onset) of the notes starting before ``t``."""
    top: dict[int, int] = {}
    for n in notes:
        if n.start < t:
            top[n.start] = max(top.get(n.start, 0), n.pitch)
    return [top[k] for k in sorted(top)]


def _figure_index(line: Sequence[int], size: int = 4) -> dict[tuple[int, ...], set[int]]:
    """For each 2- and 3-interval prefix of the line's 4-interval figures, the intervals that followed it."""
    out: dict[tuple[int, ...], set[int]] = {}
    _add_figures(out, line, 0, size)
    return out


def _add_figures(
    out: dict[tuple[int, ...], set[int]], line: Sequence[int], first: int, size: int = 4
) -> None:
    """Index the figures of ``line`` that start at interval ``first`` or later into ``out``."""
    ivs = [b - a for a, b in zip(line[first:], line[first + 1 :], strict=False)]
    for i in range(len(ivs) - size + 1):
        fig = ivs[i : i + size]
        for m in (2, 3):
            out.setdefault(tuple(fig[:m]), set()).add(fig[m])


class GrammarRows:
    """The stream grammar and the develop terms as ``sampling.RowRules``: per row, the tokens it may write
    and the develop and anchor bonuses over them (the bonuses the two biases add to the whole row, taken
    at the allowed tokens alone), and the key prior (``degrees``) on every pitch."""

    def __init__(self, grammar: StreamGrammar, weight: float, degrees: np.ndarray | None = None) -> None:
        from musestudio.ml.generate.parts_develop import SeedAnchor

        self.grammar, self.weight = grammar, weight
        self.degrees = degrees  # the key prior over the 128 pitches (parts_develop.degree_row), or None
        self.anchor = SeedAnchor(grammar)  # register anchor and seed intervals (parts_develop)
        self.forced = [np.array([t]) for t in range(grammar.v)]  # a forced token's one-id array, made once
        self.durations = grammar.dur.nonzero()[0]

    def choices(self, row: int) -> tuple[np.ndarray | None, np.ndarray | None]:
        g = self.grammar
        m = g.row_mask(row)
        if isinstance(m, int):
            return self.forced[m], None
        if m is g.dur:
            return self.durations, None  # (no bonus: they are for pitches)
        bonus = g.develop_bonus(row, self.weight)
        anchor = self.anchor.row_bias(row, self.weight)
        groove = g.on_the_groove(row)
        idx = m.nonzero()[0]
        if bonus is None and anchor is None and groove is None and self.degrees is None:
            return (idx, None) if idx.size else (None, None)  # nothing allowed: no mask
        total = np.zeros(g.v, dtype=np.float32)
        if bonus:
            for t, value in bonus.items():
                total[t] = value
        p0 = g.g.pitch0
        if anchor is not None:
            total[p0 : p0 + 128] += anchor
        if self.degrees is not None:  # (only pitch tokens: the other tokens' bias stays 0)
            total[p0 : p0 + 128] += self.degrees
        if groove is not None:
            ahead, chord = groove
            total[ahead] += GROOVE_BONUS
            if chord:
                total[p0 : p0 + 128] += GROOVE_BONUS
                total[g.vel] += GROOVE_BONUS
        return (idx, total[idx]) if idx.size else (None, total)

    def observe(self, row: int, token: int) -> None:
        self.grammar.observe_row(row, token)

    def finished(self, row: int) -> bool:
        return self.grammar.rows[row].done


# -- shared set-up -------------------------------------------------------------------------------------


@dataclass
class _Job:
    """A generation problem in model order: parts, the bars they span and what to write."""

    g: PartsGrammar
    parts: list[Part]  # model order, notes absolute
    order: list[int]  # model index -> caller index
    tpb: int
    sigs: tuple[TimeSignature, ...]
    key: KeySignature | None
    style: str
    pitch_ok: list[torch.Tensor] = field(default_factory=list)
    mono: list[bool] = field(default_factory=list)
    note_bounds: list[tuple[int, int]] = field(default_factory=list)  # per part: (min, max) notes a bar
    # (model part, bar): the grid positions the drums accent there, where its onsets lean (parts_groove)
    groove: dict[tuple[int, int], frozenset[int]] = field(default_factory=dict)
