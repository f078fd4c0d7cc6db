"""Generate with parts: continue all or listed parts, add a part, infill bars of one part (Qt-free API).

All three are one operation on the token stream (grammar.py): cells to write are either appended bar by
bar (continue all) or masked and filled after the piece (everything else), so a part is always written
knowing the other parts before and after it. A small grammar of the stream is applied as a logits mask at
every step (positions move forward inside the bar, every pitch gets a duration, a single-line part gets
one note an onset, key lock and each part's pitch range hold by construction), and structural tokens
(BAR, TRACK_i, FILL_k, CELL_END) are forced, so a take always has exactly the asked bars and parts.

Nothing outside the asked cells changes: takes carry only new notes, per part, and the caller merges them.
Drums are the caller's to keep aside (the model has no drum corpus): pass only pitched parts.
Controls per part (``PartIn``): pitch range, density (notes per bar) and voices default to the part's own
in the seed, so the model is asked to go on as the user began. Progress is (cells written, cells asked)
over all variations; ``cancel`` stops within one token.
"""

from __future__ import annotations

import bisect
import math
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch

from musestudio.core.errors import BadInputError
from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature, normalise_time_signatures
from musestudio.core.timing import bar_lines, bar_ticks, next_bar_line, signature_at
from musestudio.ml import checkpoint, sampling
from musestudio.ml.parts.grammar import (
    DENSITY_EDGES,
    MAX_MASKS,
    MAX_PARTS,
    POLYPHONY_EDGES,
    ROLES,
    Part,
    PartsGrammar,
    density_bin,
    density_value,
    polyphony_bin,
)
from musestudio.ml.parts.windows import canonical
from musestudio.ml.styles import STYLES
from musestudio.ml.tokenizer import DURATIONS, GRID, MAX_BAR_STEPS

ENGINE = "parts"
MAX_BARS = 32
WINDOW_BARS = 16  # the most bars the model reads at once (its training windows held 8-16)
MAX_CELL_TOKENS = 160  # a cell that runs away is closed at its next note boundary
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PartIn:
    """A pitched part as the user has it, with the controls for what the model writes in it.

    ``density`` is notes per bar and ``voices`` 1 for a single line (more for chords); both None mean "as
    the part's own notes in the seed" (for a new part: as the model thinks fits its role)."""

    notes: tuple[Note, ...]
    role: str = "free"
    program: int = 0
    pitch_range: tuple[int, int] | None = None
    density: float | None = None
    voices: int | None = None
    realized: bool = False

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise BadInputError(f"unknown role {self.role!r}; choose one of {', '.join(ROLES)}")
        if self.pitch_range is not None:
            lo, hi = self.pitch_range
            if not 0 <= lo <= hi <= 127:
                raise BadInputError(f"pitch range {lo}..{hi} is not within MIDI's 0..127")
        if self.voices is not None and not 1 <= self.voices <= 8:
            raise BadInputError(f"voices must be 1..8, got {self.voices}")
        if self.density is not None and not 0 < self.density <= 64:
            raise BadInputError(f"density must be above 0 and at most 64 notes a bar, got {self.density}")


@dataclass(frozen=True)
class Options:
    """How to draw (today's knobs). ``model`` is a checkpoint stem (default: models/parts)."""

    style: str
    temperature: float = 0.9
    top_p: float = 0.95
    variations: int = 4
    key: KeySignature | None = None
    key_lock: bool = False
    seed: int | None = None
    device: str = "auto"
    progress: Progress | None = None
    cancel: sampling.Cancel | None = None
    model: Path | None = None
    develop: float = 3.0  # the seed-figure bias (StreamGrammar.develop_bias), chosen on valid; 0: off


@dataclass(frozen=True)
class PartsTake:
    """One variation: new notes per part (in the caller's part order; ``add_part``'s new part last)."""

    parts: tuple[tuple[Note, ...], ...]
    start: int
    bars: int

    @property
    def notes(self) -> int:
        return sum(len(p) for p in self.parts)


@dataclass(frozen=True)
class PartsResult:
    engine: str
    style: str
    device: str
    seed: int
    seconds: float
    takes: tuple[PartsTake, ...]


# -- the model -----------------------------------------------------------------------------------------


@dataclass
class Loaded:
    model: torch.nn.Module
    grammar: PartsGrammar
    meta: dict


_cache: dict[tuple[str, str], Loaded] = {}
_lock = threading.Lock()


def model_stem() -> Path:
    from musestudio.paths import models_dir

    return models_dir() / "parts"


def load(stem: Path | None, device: torch.device) -> Loaded:
    stem = Path(stem) if stem is not None else model_stem()
    key = (str(stem), str(device))
    with _lock:
        if key not in _cache:
            model, _, meta = checkpoint.load(stem, device)
            if meta.get("family") != ENGINE:
                raise checkpoint.CheckpointError(
                    f"{stem} holds a {meta.get('family')} model, not a parts model"
                )
            try:
                grammar = PartsGrammar.from_json(meta.get("tokenizer") or {})
            except (ValueError, KeyError) as e:
                raise checkpoint.CheckpointError(f"{stem}: {e}") from e
            _cache[key] = Loaded(model, grammar, meta)
        return _cache[key]


def unload() -> None:
    with _lock:
        _cache.clear()


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


@dataclass
class _Row:
    plan_i: int = 0
    kind: str = "start"  # start | pos | vel | pitch | dur
    pos: int = -1
    last_pitch: int = -1
    tokens: int = 0
    notes: int = 0
    done: bool = False
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
    ) -> None:
        self.roles = list(roles)
        self.g, self.plan, self.mono, self.final_ends = g, plan, mono, list(final_ends)
        seed_lines = list(seed_lines) or [[] for _ in mono]
        self.rows = [_Row(lines=[list(x) for x in seed_lines]) for _ in range(rows)]
        self.seed_figures = [_figure_index(x) for x in seed_lines]
        v = g.vocab_size
        self.v = v
        self.pitch_ok = [
            torch.cat([torch.zeros(g.pitch0), ok, torch.zeros(v - g.pitch0 - 128)]).bool() for ok in pitch_ok
        ]
        self.vel = torch.zeros(v, dtype=torch.bool)
        self.vel[g.vel0 : g.vel0 + 13] = True
        self.dur = torch.zeros(v, dtype=torch.bool)
        self.dur[g.dur0 : g.dur0 + len(DURATIONS)] = True
        self.cells_done = 0

    def _cell(self, r: _Row) -> _Cell | None:
        item = self.plan[r.plan_i] if r.plan_i < len(self.plan) else None
        return item if isinstance(item, _Cell) else None

    def _ends(self, r: _Row) -> list[int]:
        nxt = self.plan[r.plan_i + 1] if r.plan_i + 1 < len(self.plan) else None
        return [nxt] if isinstance(nxt, int) else self.final_ends

    def allowed(self) -> torch.Tensor:
        out = torch.zeros(len(self.rows), self.v, dtype=torch.bool)
        for i, r in enumerate(self.rows):
            if r.done:
                out[i, self.g.pad_id] = True
                continue
            item = self.plan[r.plan_i]
            if isinstance(item, int):
                out[i, item] = True
                continue
            out[i] = self._in_cell(r, item)
        return out

    def _in_cell(self, r: _Row, cell: _Cell) -> torch.Tensor:
        g = self.g
        m = torch.zeros(self.v, dtype=torch.bool)
        at_boundary = r.kind in ("start", "dur")
        room = r.tokens < MAX_CELL_TOKENS and r.notes < cell.max_notes
        last_pos = min(cell.bar_steps, MAX_BAR_STEPS)
        if at_boundary and room and r.pos + 1 < last_pos:
            m[g.pos0 + r.pos + 1 : g.pos0 + last_pos] = True
        if r.kind == "dur" and not self.mono[cell.part] and room:
            higher = self._pitches(r, cell, r.pos).clone()
            higher[: g.pitch0 + r.last_pitch + 1] = False
            if higher.any():  # another chord note, with a new velocity or not (a row with nothing allowed
                m |= self.vel | higher  # would fall back to every token)
        if r.kind == "pos":
            m |= self.vel
            m |= self._pitches(r, cell, r.pos)
        if r.kind == "vel":
            ok = self._pitches(r, cell, r.pos).clone()
            if r.last_pitch >= 0:  # a VEL inside a chord: the next pitch must still go up
                ok[: g.pitch0 + r.last_pitch + 1] = False
            m |= ok
        if r.kind == "pitch":
            m |= self.dur
        if at_boundary and (r.notes >= cell.min_notes or not m.any()):
            for t in self._ends(r):
                m[t] = True
        return m

    def develop_bias(self, weight: float) -> torch.Tensor | None:
        """Logit bonuses that help a single-line part develop its figures: where the line's last 2-3
        intervals begin a 4-interval figure of the seed's line, or of its own line so far, the pitch that
        continues the figure gains ``weight`` nats per interval matched beyond the first. A cache model
        (Kuhn & De Mori 1990) over intervals: the network still decides, the seed's and its own figures are
        made more likely. None when no row is about to choose a pitch of such a line."""
        if weight <= 0:
            return None
        out = None
        for i, r in enumerate(self.rows):
            cell = self._cell(r) if not r.done else None
            if cell is None or not self.mono[cell.part] or r.kind not in ("pos", "vel"):
                continue
            line = r.lines[cell.part]
            if len(line) < 3:
                continue
            own = _figure_index(line)
            for m in (3, 2):
                if len(line) <= m:
                    continue
                suffix = tuple(b - a for a, b in zip(line[-m - 1 :], line[-m:], strict=False))
                nexts = self.seed_figures[cell.part].get(suffix, set()) | own.get(suffix, set())
                for step in nexts:
                    p = line[-1] + step
                    if 0 <= p < 128:
                        if out is None:
                            out = torch.zeros(len(self.rows), self.v)
                        idx = self.g.pitch0 + p
                        out[i, idx] = max(float(out[i, idx]), weight * (m - 1))
        return out

    def _above(self, j: int, k: int) -> bool:
        """Must part j sound at or above part k (model order; j written before k in a bar)?"""
        rj, rk = self.roles[j], self.roles[k]
        if rk == "bass":
            return rj != "bass"
        if rk in ("harmony", "accompaniment"):
            return rj == "melody" or (rj == rk == "harmony" and j < k)
        return False

    def _pitches(self, r: _Row, cell: _Cell, pos: int) -> torch.Tensor:
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
        band = torch.zeros(self.v, dtype=torch.bool)
        band[self.g.pitch0 + lo : self.g.pitch0 + hi + 1] = True
        inside = ok & band
        return inside if inside.any() else ok

    def observe(self, tokens: torch.Tensor) -> None:
        g = self.g
        for r, t in zip(self.rows, tokens.tolist(), strict=True):
            if r.done:
                continue
            item = self.plan[r.plan_i]
            if isinstance(item, int):
                r.plan_i += 1
            elif t in self._ends(r):
                self.cells_done += 1
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
            if r.plan_i >= len(self.plan):
                r.done = True

    def done(self) -> torch.Tensor:
        return torch.tensor([r.done for r in self.rows])


def _line_before(notes: Sequence[Note], t: int) -> list[int]:
    """Pitches of the top line (highest note of each onset) of the notes starting before ``t``."""
    top: dict[int, int] = {}
    for n in notes:
        if n.start < t:
            top[n.start] = max(top.get(n.start, 0), n.pitch)
    return [top[k] for k in sorted(top)]


def _figure_index(line: Sequence[int], size: int = 4) -> dict[tuple[int, ...], set[int]]:
    """For each 2- and 3-interval prefix of the line's 4-interval figures, the intervals that followed it."""
    ivs = [b - a for a, b in zip(line, line[1:], strict=False)]
    out: dict[tuple[int, ...], set[int]] = {}
    for i in range(len(ivs) - size + 1):
        fig = ivs[i : i + size]
        for m in (2, 3):
            out.setdefault(tuple(fig[:m]), set()).add(fig[m])
    return out


class _Developing:
    """A Stepper around the model that adds the grammar's develop bias to every step's logits."""

    def __init__(self, model, grammar: StreamGrammar, weight: float) -> None:
        self.model, self.grammar, self.weight = model, grammar, weight

    def _biased(self, logits: torch.Tensor) -> torch.Tensor:
        bias = self.grammar.develop_bias(self.weight)
        return logits if bias is None else logits + bias.to(logits.device, logits.dtype)

    def start(self, prompt: torch.Tensor, batch: int):
        logits, state = self.model.start(prompt, batch)
        return self._biased(logits), state

    def step(self, state, tokens: torch.Tensor):
        logits, state = self.model.step(state, tokens)
        return self._biased(logits), state


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


def _check_trained(loaded: Loaded, style: str) -> None:
    """A style the checkpoint saw no piece of is refused (its STYLE token exists but was never trained)."""
    seen = (loaded.meta.get("training") or {}).get("train_pieces")
    if seen and style not in seen:
        raise BadInputError(
            f"the parts model was not trained on the {style} style ({', '.join(sorted(seen))})"
        )


def _check(options: Options, bars: int) -> None:
    if options.style not in STYLES:
        raise BadInputError(f"unknown style {options.style!r}; choose one of {', '.join(STYLES)}")
    if not 1 <= bars <= MAX_BARS:
        raise BadInputError(f"bars must be 1..{MAX_BARS}, got {bars}")
    if not 1 <= options.variations <= 16:
        raise BadInputError(f"variations must be 1..16, got {options.variations}")
    if not 0 < options.temperature <= 5:
        raise BadInputError(f"temperature must be in (0, 5], got {options.temperature}")
    if not 0 < options.top_p <= 1:
        raise BadInputError(f"top-p must be in (0, 1], got {options.top_p}")


def bar_starts(sigs, tpb: int, end_bar: int) -> list[int]:
    """Bar lines 0..end_bar (inclusive: the end of the last bar)."""
    lines: list[int] = []
    end = 0
    while len(lines) <= end_bar:
        end += bar_ticks(signature_at(sigs, end), tpb) * (end_bar + 1)
        lines = bar_lines(list(sigs), tpb, end)
    return lines[: end_bar + 1]


def _polyphony_for(voices: int | None) -> int | None:
    if voices is None:
        return None
    return 0 if voices <= 1 else bisect.bisect_right(POLYPHONY_EDGES, float(voices) - 0.01)


def _density_for(notes_per_bar: float | None) -> int | None:
    return None if notes_per_bar is None else bisect.bisect_right(DENSITY_EDGES, notes_per_bar)


def _job(parts_in: Sequence[PartIn], tpb, time_signatures, options: Options, g: PartsGrammar) -> _Job:
    if not parts_in:
        raise BadInputError("no pitched part to work with")
    if len(parts_in) > MAX_PARTS:
        raise BadInputError(f"the parts model reads at most {MAX_PARTS} pitched parts, got {len(parts_in)}")
    if options.style not in g.styles:
        raise BadInputError(f"the parts model was not trained on the {options.style} style")
    sigs = normalise_time_signatures(time_signatures)
    everything = [n for p in parts_in for n in p.notes]
    key = options.key or detect_key(everything)
    if options.key_lock and key is None:
        raise BadInputError("key lock needs a key: pick one, or give notes to detect it from")
    as_parts = [
        Part(p.role, p.program, tuple(sorted(p.notes, key=Note.sort_key)), p.realized) for p in parts_in
    ]
    order = canonical(as_parts)
    job = _Job(g, [as_parts[i] for i in order], order, tpb, sigs, key, options.style)
    ranges = default_ranges(parts_in)
    for i in order:
        p = parts_in[i]
        lo, hi = p.pitch_range or ranges[i]
        ok = torch.tensor([lo <= x <= hi and (not options.key_lock or key.contains(x)) for x in range(128)])
        if not ok.any():
            raise BadInputError(f"no pitch in {lo}..{hi} is in {key}; widen the range or turn key lock off")
        job.pitch_ok.append(ok)
        if p.voices is not None:
            mono = p.voices == 1
        elif p.notes:
            mono = polyphony_bin(p.notes, tpb) == 0  # a single line stays one
        else:
            mono = p.role in ("melody", "counter-melody", "bass", "harmony")  # new lines: one voice a part
        job.mono.append(mono)
    return job


def default_ranges(parts_in: Sequence[PartIn]) -> list[tuple[int, int]]:
    """The pitch range each part is written in unless the user gives one: a part with notes keeps its own
    register (its lowest and highest note, 5 semitones wider each way), so a continued melody does not wander
    off and the parts keep their order; a new part gets the usual range of its role around the melody (the
    part with role melody, else the highest part): harmony voices step down from just under the melody's top
    (SATB-like: 5 then 12 semitones below it), a bass below the melody's middle, an accompaniment between
    the bass register and the melody, a counter-melody around the melody, a melody above the others."""
    with_notes = [p for p in parts_in if p.notes]
    ref = next((p for p in with_notes if p.role == "melody"), None) or max(
        with_notes, key=lambda p: sum(n.pitch for n in p.notes) / len(p.notes), default=None
    )
    ref_pitches = sorted(n.pitch for n in ref.notes) if ref else [60, 72]
    top, mid, low = ref_pitches[-1], ref_pitches[len(ref_pitches) // 2], ref_pitches[0]
    others_top = max((n.pitch for p in with_notes for n in p.notes), default=60)
    out, harmony_j = [], 0
    for p in parts_in:
        if p.notes:
            ps = [n.pitch for n in p.notes]
            out.append((max(0, min(ps) - 5), min(127, max(ps) + 5)))
        elif p.role == "harmony":
            hi = top - 5 - 7 * harmony_j
            harmony_j += 1
            out.append((max(28, hi - 19), max(40, hi)))
        elif p.role == "bass":
            hi = max(45, min(62, mid - 7))
            out.append((max(28, hi - 24), hi))
        elif p.role == "accompaniment":
            out.append((max(36, low - 19), max(55, mid + 2)))
        elif p.role == "counter-melody":
            out.append((max(36, low - 12), min(108, top + 5)))
        elif p.role == "melody":
            out.append((max(55, others_top - 2), min(100, max(55, others_top - 2) + 24)))
        else:
            out.append((21, 108))
    return out


def _note_bounds(
    job: _Job, parts_in: Sequence[PartIn], headers: Sequence[Part], starts: Sequence[int], seed_bars: int
):
    """The density control made firm: notes a written bar may hold, per part (model order). A stated
    density d gives at least d/2 and at most 2d + 1; a part with notes in at least 3 of 4 of its seed bars,
    at least half its own notes per bar and at most twice its busiest bar (a part that rests often may rest);
    a new part, half to twice the density its header announces."""
    out = []
    for k, i in enumerate(job.order):
        src = parts_in[i]
        if src.density is not None:
            d = src.density
            out.append((int(d // 2), math.ceil(2 * d) + 1))
            continue
        if src.notes:
            per_bar: dict[int, int] = {}
            for n in src.notes:
                b = bisect.bisect_right(starts, n.start) - 1
                per_bar[b] = per_bar.get(b, 0) + 1
            d = len(src.notes) / max(1, seed_bars)
            steady = len(per_bar) >= 0.75 * seed_bars
            out.append((int(d // 2) if steady else 0, max(4, 2 * max(per_bar.values()))))
            continue
        d = density_value(headers[k].density or 0)
        out.append((int(d // 2), math.ceil(2 * d) + 1))
    return out


def _headers(job: _Job, parts_in: Sequence[PartIn], seed_bars: int) -> list[Part]:
    """Parts as the header announces them: density and polyphony given, else the part's own in the seed."""
    melody = next((p for p in parts_in if p.role == "melody" and p.notes), None)
    ref = density_bin(melody.notes, max(1, seed_bars)) if melody is not None else None
    out = []
    for k, i in enumerate(job.order):
        p, src = job.parts[k], parts_in[i]
        dens = _density_for(src.density)
        if dens is None and src.notes:
            dens = density_bin(src.notes, max(1, seed_bars))
        poly = _polyphony_for(src.voices)
        if poly is None and src.notes:
            poly = polyphony_bin(src.notes, job.tpb)
        if dens is None:  # a new part with no controls: as busy as the melody (a bass a step less),
            if ref is not None:  # an accompaniment at least a chord a beat
                dens = {"bass": max(1, ref - 1), "accompaniment": max(ref, 4)}.get(p.role, ref)
            else:
                dens = {"bass": 2, "harmony": 3, "accompaniment": 5}.get(p.role, 4)
        if poly is None:  # what the stream grammar will let it write
            poly = 0 if job.mono[k] else {"accompaniment": 3}.get(p.role, 2)
        out.append(replace(p, density=dens, polyphony=poly))
    return out


def _generator(seed: int, device: torch.device) -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


def _sample(
    loaded: Loaded,
    prompt: list[int],
    rows: int,
    grammar: StreamGrammar,
    options: Options,
    generator: torch.Generator,
    device: torch.device,
    on_cell: Callable[[int], None],
) -> list[list[int]]:
    done_before = grammar.cells_done

    def mask(step: int, ids: torch.Tensor) -> torch.Tensor:
        return grammar.allowed().to(device)

    def stop(ids: torch.Tensor) -> torch.Tensor:
        nonlocal done_before
        grammar.observe(ids[:, -1].cpu())
        if grammar.cells_done != done_before:
            on_cell(grammar.cells_done - done_before)  # rows finishing cells at the same step count each
            done_before = grammar.cells_done
        return grammar.done().to(device)

    budget = loaded.model.config.block_size - len(prompt) - 1
    ids = torch.tensor([prompt], device=device)
    out = sampling.generate(
        _Developing(loaded.model, grammar, options.develop),
        ids,
        rows,
        max_new_tokens=max(1, budget),
        temperature=options.temperature,
        top_p=options.top_p,
        logits_mask_fn=mask,
        stop_fn=stop,
        pad_id=loaded.grammar.pad_id,
        generator=generator,
        cancel=options.cancel,
    )
    return [[t for t in row if t != loaded.grammar.pad_id] for row in out.tolist()]


def _est_cell_tokens(p: Part, bars: int, tpb: int) -> float:
    per_bar = len(p.notes) / max(1, bars) if p.notes else 6.0
    return 2.6 * per_bar + 3


def _legato(notes: list[Note], until: Sequence[int] = ()) -> list[Note]:
    """A single line: each note ends where the next begins (or at the part's next given note)."""
    notes = sorted(notes, key=Note.sort_key)
    out = []
    for j, n in enumerate(notes):
        nxt = [m.start for m in notes[j + 1 :] if m.start > n.start][:1] + [u for u in until if u > n.start][
            :1
        ]
        end = min([n.end, *nxt])
        if j + 1 < len(notes) and notes[j + 1].start == n.start:
            continue  # two onsets at once in a single line: keep the higher (sorted by pitch)
        out.append(Note(n.pitch, n.start, max(1, end - n.start), n.velocity))
    return out


def _no_clash(new: Sequence[Note], kept: Sequence[Note]) -> list[Note]:
    """New notes that leave the kept ones of their track intact once written to MIDI: a note of the same
    pitch sounding over a kept one would end it early there (one note-off per pitch), so a new note that
    starts under a kept note of its pitch is dropped, and one that runs into a kept note is shortened."""
    by_pitch: dict[int, list[Note]] = {}
    for n in kept:
        by_pitch.setdefault(n.pitch, []).append(n)
    out = []
    for n in new:
        same = by_pitch.get(n.pitch, [])
        if any(k.start <= n.start < k.end for k in same):
            continue
        end = min([n.end, *(k.start for k in same if k.start > n.start)])
        out.append(Note(n.pitch, n.start, end - n.start, n.velocity) if end != n.end else n)
    return out


# -- continue all parts (append) -----------------------------------------------------------------------


def continue_parts(
    parts_in: Sequence[PartIn],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    bars: int = 4,
    listed: Sequence[int] | None = None,
    options: Options,
    after: int = 0,
) -> PartsResult:
    """Continue the parts ``listed`` (caller indices; None: all) by ``bars`` bars from the first bar line
    at or after the seed's end (and ``after``); the other parts stay as they are and are heard as context."""
    _check(options, bars)
    t0 = time.perf_counter()
    dev = sampling.pick_device(options.device)
    loaded = load(options.model, dev)
    _check_trained(loaded, options.style)
    job = _job(parts_in, tpb, time_signatures, options, loaded.grammar)
    listed_set = set(range(len(parts_in))) if listed is None else set(listed)
    if not listed_set or not listed_set <= set(range(len(parts_in))):
        raise BadInputError(f"tracks to continue must be among the {len(parts_in)} pitched parts")
    seed_end = max([after, *(n.end for p in parts_in for n in p.notes)])
    start = next_bar_line(seed_end, job.sigs, tpb)
    lines = bar_lines(list(job.sigs), tpb, start)
    first_new = lines.index(start)
    seed_first_bar = _first_bar_with_notes(job, lines)
    seed_bars = max(1, first_new - seed_first_bar)
    headers = _headers(job, parts_in, seed_bars)
    job.note_bounds = _note_bounds(
        job, parts_in, headers, bar_lines(list(job.sigs), tpb, start + 1), seed_bars
    )
    starts = bar_starts(job.sigs, tpb, first_new + bars)
    seed = secrets.randbits(31) if options.seed is None else int(options.seed)
    gen = _generator(seed, dev)
    model_listed = [k for k, i in enumerate(job.order) if i in listed_set]
    total = options.variations * bars * len(model_listed)
    done = [0]

    def tick(n: int = 1) -> None:
        done[0] += n
        if options.progress:
            options.progress(min(done[0], total), total)

    with sampling.fast_stepwise(dev):
        if len(model_listed) == len(job.parts):
            rows = _append(
                loaded, job, headers, starts, first_new, bars, seed_first_bar, options, gen, dev, tick
            )
        else:
            masked = [(k, b) for b in range(first_new, first_new + bars) for k in model_listed]
            rows = _fill(loaded, job, headers, starts, masked, seed_first_bar, options, gen, dev, tick)
    takes = []
    for per_part in rows:
        new = [[] for _ in parts_in]
        for k, i in enumerate(job.order):
            notes = [n for n in per_part[k] if n.start >= start] if i in listed_set else []
            new[i] = _legato(notes) if job.mono[k] and notes else sorted(notes, key=Note.sort_key)
        takes.append(PartsTake(tuple(tuple(n) for n in new), start, bars))
    return PartsResult(ENGINE, options.style, str(dev), seed, time.perf_counter() - t0, tuple(takes))


def _first_bar_with_notes(job: _Job, lines: Sequence[int]) -> int:
    first = min((n.start for p in job.parts for n in p.notes), default=0)
    return max(0, bisect.bisect_right(lines, first) - 1)


def _append(loaded, job, headers, starts, first_new, bars, seed_first_bar, options, gen, dev, tick):
    """Continue every part: prompt = header + the last seed bars that fit; new bars appended in chunks.

    Variations share the prompt while it is shared; later chunks run per variation."""
    g = job.g
    block = loaded.model.config.block_size
    per_bar = sum(_est_cell_tokens(p, max(1, first_new - seed_first_bar), job.tpb) + 1 for p in job.parts) + 2
    chunk = max(1, min(bars, int((block * 0.45) // per_bar)))
    variations = options.variations
    current = [list(p.notes) for p in job.parts]
    results: list[list[list[Note]]] = [[list(p) for p in current] for _ in range(variations)]
    written = 0
    while written < bars:
        n = min(chunk, bars - written)
        b0 = first_new + written
        shared = written == 0
        groups = [list(range(variations))] if shared else [[v] for v in range(variations)]
        for group in groups:
            parts_now = (
                job.parts
                if shared
                else [replace(p, notes=tuple(results[group[0]][k])) for k, p in enumerate(job.parts)]
            )
            prompt, w0 = _context(
                g, job, headers, parts_now, starts, b0, b0, block - int(per_bar * n * 1.5) - 8, seed_first_bar
            )
            plan: list[int | _Cell] = []
            for b in range(b0, b0 + n):
                plan.append(g.bar_id)
                for k in range(len(job.parts)):
                    plan += [
                        g.track_id(k),
                        _Cell(
                            k,
                            _steps(job, starts, b),
                            bar=b,
                            min_notes=job.note_bounds[k][0],
                            max_notes=job.note_bounds[k][1],
                        ),
                    ]
            lines = [_line_before(p.notes, starts[b0]) for p in parts_now]
            grammar = StreamGrammar(
                g,
                len(group),
                plan,
                job.pitch_ok,
                job.mono,
                [g.bar_id, g.eos_id],
                lines,
                [p.role for p in job.parts],
            )
            rows = _sample(loaded, prompt, len(group), grammar, options, gen, dev, tick)
            for v, row in zip(group, rows, strict=True):
                decoded = g.decode(prompt + row, tpb=job.tpb, bar_starts=starts[w0:], n_parts=len(job.parts))
                lo, hi = starts[b0], starts[b0 + n]
                for k in range(len(job.parts)):
                    results[v][k] += [x for x in decoded[k] if lo <= x.start < hi]
        written += n
    return results


def _steps(job: _Job, starts: Sequence[int], b: int) -> int:
    return round((starts[b + 1] - starts[b]) * GRID / job.tpb)


def _context(g, job, headers, parts_now, starts, a, b, budget, floor_bar, masked=()):
    """The prompt for writing bars a..b-1 (masked cells inside): the widest window of bars around them
    (at most WINDOW_BARS, left first for continuations) whose tokens fit ``budget``. Returns (prompt, w0)."""
    after_max = max(
        0, len([s for s in starts if s < max((n.end for p in parts_now for n in p.notes), default=0)]) - b
    )
    best = None
    w0, w1 = a, b
    while True:
        prompt = _encode_window(g, job, headers, parts_now, starts, w0, w1, masked)
        if len(prompt) > budget and best is not None:
            break
        best = (prompt, w0)
        if len(prompt) > budget or w1 - w0 >= max(WINDOW_BARS, b - a):
            break
        grow_left = w0 > floor_bar and ((a - w0) <= (w1 - b) or w1 - b >= after_max)
        if grow_left:
            w0 -= 1
        elif w1 - b < after_max:
            w1 += 1
        else:
            break
    return best


def _encode_window(g, job, headers, parts_now, starts, w0, w1, masked):
    window = [replace(h, notes=tuple(p.notes)) for h, p in zip(headers, parts_now, strict=True)]
    cells = [(k, b - w0) for k, b in masked]
    end = starts[w1] if w1 < len(starts) else starts[-1]
    if w1 == w0:  # nothing but the header: continuing from silence
        first = signature_at(job.sigs, starts[w0])
        seq = g.conditioning(job.style, job.key, (first.numerator, first.denominator))
        for h in window:
            seq += g.part_header(h, job.tpb, 1, ())
        return seq
    return g.encode(
        window,
        tpb=job.tpb,
        time_signatures=job.sigs,
        start=starts[w0],
        end=end,
        key=job.key,
        style=job.style,
        masked=cells,
        with_fill=False,
        with_eos=False,
    )


# -- fill masked cells (continue listed parts, add a part, infill) -------------------------------------


def _fill(loaded, job, headers, starts, masked, floor_bar, options, gen, dev, tick):
    """Write the masked (model part, bar) cells, in chunks of bars that fit one window each; every
    variation gets its own rows from the second chunk on (its first chunk's notes become context)."""
    g = job.g
    block = loaded.model.config.block_size
    bars_all = sorted({b for _, b in masked})
    variations = options.variations
    results = [[list(p.notes) for p in job.parts] for _ in range(variations)]
    per_bar = {
        k: _est_cell_tokens(job.parts[k], len(starts), job.tpb)
        if job.parts[k].notes
        else _est_cell_tokens(replace(job.parts[k], notes=()), 1, job.tpb)
        for k, _ in masked
    }
    cells_per_bar = {b: [k for k, bb in masked if bb == b] for b in bars_all}
    chunks, cur, cost = [], [], 0.0
    for b in bars_all:
        c = sum(per_bar[k] + 4 for k in cells_per_bar[b])
        if cur and (
            cost + c > block * 0.4
            or len(cur) >= WINDOW_BARS
            or sum(len(cells_per_bar[x]) for x in cur) + len(cells_per_bar[b]) > MAX_MASKS
        ):
            chunks.append(cur)
            cur, cost = [], 0.0
        cur.append(b)
        cost += c
    if cur:
        chunks.append(cur)
    for ci, chunk in enumerate(chunks):
        cells = [(k, b) for b in chunk for k in cells_per_bar[b]]
        cells.sort(key=lambda kb: (kb[1], kb[0]))
        shared = ci == 0
        groups = [list(range(variations))] if shared else [[v] for v in range(variations)]
        for group in groups:
            parts_now = [
                replace(p, notes=tuple(n for n in results[group[0]][k] if not _in_cells(n, k, cells, starts)))
                for k, p in enumerate(job.parts)
            ]
            est = sum(per_bar[k] + 4 for k, _ in cells)
            prompt, w0 = _context(
                g,
                job,
                headers,
                parts_now,
                starts,
                chunk[0],
                chunk[-1] + 1,
                block - int(est * 1.5) - 8,
                floor_bar,
                cells,
            )
            window_cells = sorted(((k, b) for k, b in cells), key=lambda kb: (kb[1], kb[0]))
            plan: list[int | _Cell] = []
            for idx, (k, b) in enumerate(window_cells):
                steps = _steps(job, starts, b)
                ceiling, floor = _order_bounds(job, parts_now, k, starts[b], steps)
                plan += [
                    g.fill_token(idx),
                    _Cell(k, steps, ceiling, floor, b, *job.note_bounds[k]),
                    g.cell_end_id,
                ]
            lines = [_line_before(p.notes, starts[chunk[0]]) for p in parts_now]
            grammar = StreamGrammar(
                g,
                len(group),
                plan,
                job.pitch_ok,
                job.mono,
                [g.cell_end_id],
                lines,
                [p.role for p in job.parts],
            )
            rows = _sample(loaded, prompt, len(group), grammar, options, gen, dev, tick)
            for v, row in zip(group, rows, strict=True):
                decoded = g.decode(prompt + row, tpb=job.tpb, bar_starts=starts[w0:], n_parts=len(job.parts))
                for k in range(len(job.parts)):
                    kept = [n for n in results[v][k] if not _in_cells(n, k, cells, starts)]
                    new = [n for n in decoded[k] if _in_cells(n, k, cells, starts)]
                    results[v][k] = kept + new
    return results


ABOVE = {"harmony": ("melody",), "accompaniment": ("melody",), "bass": None}  # None: every other part
BELOW = {"melody": ("harmony", "accompaniment", "bass"), "harmony": ("bass",), "accompaniment": ("bass",)}


def _order_bounds(job: _Job, parts_now, k: int, bar_start: int, steps: int):
    """Per grid position, the pitch band that keeps the part order with the *given* notes sounding there:
    a harmony or accompaniment note at most the melody's lowest sounding pitch and at least the bass's
    highest, a bass note at most every other part's lowest, a melody note at least the inner parts' and
    bass's highest. Parts written in the same pass are not known yet and bound nothing."""
    role = job.parts[k].role
    above_roles, below_roles = ABOVE.get(role, ()), BELOW.get(role, ())
    end = bar_start + round(steps * job.tpb / GRID)
    above, below = [], []
    for j, p in enumerate(parts_now):
        if j == k:
            continue
        near = [n for n in p.notes if n.start < end and n.end > bar_start]
        r = job.parts[j].role
        if above_roles is None and r != "bass" or above_roles and r in above_roles:
            above += near
        if r in below_roles:
            below += near
    if not above and not below:
        return None, None
    ceiling, floor = [], []
    for pos in range(steps):
        t = bar_start + round(pos * job.tpb / GRID)
        up = [n.pitch for n in above if n.start <= t < n.end]
        down = [n.pitch for n in below if n.start <= t < n.end]
        ceiling.append(min(up) if up else 127)
        floor.append(max(down) if down else 0)
    return ceiling, floor


def _in_cells(n: Note, k: int, cells: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    b = bisect.bisect_right(starts, n.start) - 1
    return (k, b) in set(cells)


def add_part(
    parts_in: Sequence[PartIn],
    new: PartIn | Sequence[PartIn],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    bars: tuple[int, int] | None = None,
    options: Options,
) -> PartsResult:
    """Write one or more new parts (role, program and controls; their notes are ignored) with the given
    parts, in bars ``bars`` = (first, last), 0-based inclusive (default: every bar of the piece). Several
    new parts are written together, bar by bar, each hearing the others (a chorale's alto, tenor and bass
    under its soprano). The take's last parts are the new ones; the given parts get no new notes."""
    news = [new] if isinstance(new, PartIn) else list(new)
    if not news:
        raise BadInputError("no part to add")
    everything = [n for p in parts_in for n in p.notes]
    if not everything:
        raise BadInputError("add a part needs some music to go with: the file has no pitched notes")
    sigs = normalise_time_signatures(time_signatures)
    end = max(n.end for n in everything)
    n_bars = len([ln for ln in bar_lines(list(sigs), tpb, end) if ln < end])
    a, b = bars if bars is not None else (0, n_bars - 1)
    if not 0 <= a <= b:
        raise BadInputError(f"bars {a + 1}-{b + 1} are not a range of bars")
    _check(options, min(MAX_BARS, b - a + 1))
    given = [*parts_in, *(replace(p, notes=()) for p in news)]
    indices = list(range(len(parts_in), len(given)))
    return _fill_request(given, indices, (a, b), tpb, sigs, options)


def infill(
    parts_in: Sequence[PartIn],
    index: int,
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    bars: tuple[int, int],
    options: Options,
) -> PartsResult:
    """Rewrite bars ``bars`` = (first, last), 0-based inclusive, of part ``index``; the take holds that
    part's new notes in those bars (the caller drops the old ones there; nothing else changes)."""
    if not 0 <= index < len(parts_in):
        raise BadInputError(f"track {index + 1} is not one of the {len(parts_in)} pitched tracks")
    a, b = bars
    if not 0 <= a <= b:
        raise BadInputError(f"bars {a + 1}-{b + 1} are not a range of bars")
    _check(options, b - a + 1)
    sigs = normalise_time_signatures(time_signatures)
    return _fill_request(list(parts_in), [index], (a, b), tpb, sigs, options)


def _fill_request(parts_in, indices: Sequence[int], bars, tpb, sigs, options: Options) -> PartsResult:
    """Rewrite bars a..b of the parts ``indices`` around everything else (add a part, infill)."""
    t0 = time.perf_counter()
    dev = sampling.pick_device(options.device)
    loaded = load(options.model, dev)
    _check_trained(loaded, options.style)
    a, b = bars
    lo, hi = bar_starts(sigs, tpb, b + 1)[a], bar_starts(sigs, tpb, b + 1)[b + 1]
    # the notes to rewrite are not context: they are what gets replaced
    given = [
        replace(p, notes=tuple(n for n in p.notes if not (i in indices and lo <= n.start < hi)))
        for i, p in enumerate(parts_in)
    ]
    job = _job(given, tpb, sigs, options, loaded.grammar)
    last = max((n.end for p in parts_in for n in p.notes), default=hi)
    n_bars = len([s for s in bar_lines(list(sigs), tpb, last) if s < last])
    starts = bar_starts(sigs, tpb, max(b + 1, n_bars))
    # density and voices as each part's own (all its notes, the rewritten ones too), unless given
    headers = _headers(job, parts_in, max(1, n_bars))
    job.note_bounds = _note_bounds(job, parts_in, headers, starts, max(1, n_bars))
    model_parts = [job.order.index(i) for i in indices]
    masked = [(k, bar) for bar in range(a, b + 1) for k in sorted(model_parts)]
    seed = secrets.randbits(31) if options.seed is None else int(options.seed)
    gen = _generator(seed, dev)
    total = options.variations * len(masked)
    done = [0]

    def tick(n: int = 1) -> None:
        done[0] += n
        if options.progress:
            options.progress(min(done[0], total), total)

    with sampling.fast_stepwise(dev):
        rows = _fill(loaded, job, headers, starts, masked, 0, options, gen, dev, tick)
    takes = []
    for per_part in rows:
        out: list[tuple[Note, ...]] = [() for _ in parts_in]
        for i, k in zip(indices, model_parts, strict=True):
            notes = [n for n in per_part[k] if lo <= n.start < hi]
            following = sorted(n.start for n in given[i].notes if n.start >= hi)[:1]
            notes = _legato(notes, following) if job.mono[k] else sorted(notes, key=Note.sort_key)
            out[i] = tuple(_no_clash(notes, given[i].notes))
        takes.append(PartsTake(tuple(out), lo, b - a + 1))
    return PartsResult(ENGINE, options.style, str(dev), seed, time.perf_counter() - t0, tuple(takes))
