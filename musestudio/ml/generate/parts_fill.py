"""The parts sampler: append new bars of every part, or fill masked cells around the others (split from
``generate.parts``, which holds the API). Both read at most ``WINDOW_BARS`` bars at once and keep the
part order (melody above inner parts, bass lowest) as a pitch band per grid position.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import replace

import torch

from musestudio.core.note import Note
from musestudio.core.timing import signature_at
from musestudio.ml import engines, sampling
from musestudio.ml.generate.parts_stream import (
    WINDOW_BARS,
    GrammarRows,
    StreamGrammar,
    _Cell,
    _Job,
    _line_before,
)
from musestudio.ml.generate.parts_voicing import rules_for
from musestudio.ml.parts_grammar import (
    MAX_MASKS,
    Part,
)
from musestudio.ml.tokenizer import GRID


def _generator(seed: int, device: torch.device) -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


def _sample(
    loaded: engines.Loaded,
    prompt: list[int],
    rows: int,
    grammar: StreamGrammar,
    options,  # generate.parts.Options
    generator: Sequence[torch.Generator],  # one per row: each take draws from its own seed
    device: torch.device,
    on_cell: Callable[[int], None],
) -> list[list[int]]:
    done_before = grammar.cells_done

    def progress(step: int, steps: int) -> None:
        nonlocal done_before
        if grammar.cells_done != done_before:
            on_cell(grammar.cells_done - done_before)  # rows finishing cells at the same step count each
            done_before = grammar.cells_done

    budget = loaded.model.config.block_size - len(prompt) - 1
    weight = loaded.settings.develop if options.develop is None else options.develop
    rows_out = sampling.sample_rows(
        loaded.model,
        torch.tensor([prompt], device=device),
        rows,
        sampling.SamplingOptions(
            max_new_tokens=max(1, budget),
            temperature=options.temperature,
            top_p=options.top_p,
            generator=generator,
            progress=progress,
            cancel=options.cancel,
        ),
        GrammarRows(grammar, weight, _key_prior(loaded, options, grammar)),
    )
    return [[t for t in row if t != loaded.tokenizer.pad_id] for row in rows_out]


def _key_prior(loaded: engines.Loaded, options, grammar: StreamGrammar):
    """The model file's key prior for the style, in the key the engine was given (``parts_develop``)."""
    from musestudio.ml.generate.parts_develop import degree_row

    if not options.key_prior:
        return None
    return degree_row((loaded.meta.get("inference") or {}).get("degrees"), options.style, grammar.scale.key)


def _est_cell_tokens(p: Part, bars: int) -> float:
    per_bar = len(p.notes) / max(1, bars) if p.notes else 6.0
    return 2.6 * per_bar + 3


def _first_bar_with_notes(job: _Job, lines: Sequence[int]) -> int:
    first = min((n.start for p in job.parts for n in p.notes), default=0)
    return max(0, bisect.bisect_right(lines, first) - 1)


def _append(loaded, job, headers, starts, first_new, bars, seed_first_bar, options, gen, dev, tick):
    """Continue every part: prompt = header + the last seed bars that fit; new bars appended in chunks.

    Variations share the prompt while it is shared; later chunks run per variation."""
    g = job.g
    block = loaded.model.config.block_size
    per_bar = sum(_est_cell_tokens(p, max(1, first_new - seed_first_bar)) + 1 for p in job.parts) + 2
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
                job.key,
            )
            grammar.rules = rules_for(job, parts_now, starts, plan, len(group), options)
            rows = _sample(loaded, prompt, len(group), grammar, options, [gen[v] for v in group], dev, tick)
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
    (at most WINDOW_BARS, left first for continuations) whose tokens fit ``budget``. Returns (prompt, w0).
    The window reaches right only over bars where a note starts: a note ringing on from before ``b`` is
    read in its own bar, and an empty bar read as context would be one the model writes past."""
    last_onset = max((n.start for p in parts_now for n in p.notes), default=-1)
    after_max = max(0, len([s for s in starts if s <= last_onset]) - b)
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
    """Write the masked (model part, bar) cells, in passes of bars that fit one window each (``_passes``);
    every variation gets its own rows from the second pass on (its first pass's notes become context). A
    row that reaches the end of the window before its last cell (it wrote more than estimated) leaves
    those cells to a pass of their own, so no bar of a new part stays silent for want of room."""
    block = loaded.model.config.block_size
    variations = options.variations
    results = [[list(p.notes) for p in job.parts] for _ in range(variations)]
    cost = {(k, b): _est_cell_tokens(job.parts[k], len(starts)) + 4 for k, b in masked}

    def write(cells: list[tuple[int, int]], group: list[int]) -> dict[int, tuple[list, float]]:
        """The cells (sorted by bar, then part) written for the variations of ``group`` in one pass; for a
        variation whose row ran out of window, the cells it did not finish (their notes stay as they
        were) and the tokens a cell took it."""
        g = job.g
        parts_now = [
            replace(p, notes=tuple(n for n in results[group[0]][k] if not _in_cells(n, k, cells, starts)))
            for k, p in enumerate(job.parts)
        ]
        bars = [b for _, b in cells]
        need = sum(cost[c] for c in cells)
        prompt, w0 = _context(
            g,
            job,
            headers,
            parts_now,
            starts,
            min(bars),
            max(bars) + 1,
            block - int(need * 1.5) - 8,
            floor_bar,
            cells,
        )
        plan: list[int | _Cell] = []
        for idx, (k, b) in enumerate(cells):
            steps = _steps(job, starts, b)
            ceiling, floor = _order_bounds(job, parts_now, k, starts[b], steps)
            plan += [
                g.fill_token(idx),
                _Cell(k, steps, ceiling, floor, b, *job.note_bounds[k], job.groove.get((k, b), frozenset())),
                g.cell_end_id,
            ]
        lines = [_line_before(p.notes, starts[min(bars)]) for p in parts_now]
        grammar = StreamGrammar(
            g,
            len(group),
            plan,
            job.pitch_ok,
            job.mono,
            [g.cell_end_id],
            lines,
            [p.role for p in job.parts],
            job.key,
        )
        grammar.rules = rules_for(job, parts_now, starts, plan, len(group), options)
        rows = _sample(loaded, prompt, len(group), grammar, options, [gen[v] for v in group], dev, tick)
        left = {}
        for j, (v, row) in enumerate(zip(group, rows, strict=True)):
            done = grammar.rows[j].cells
            finished, rest = cells[:done], cells[done:]
            if rest:  # what a cell took in this row, the one it could not finish counted as one
                left[v] = (rest, len(row) / (done + 1))
            decoded = g.decode(prompt + row, tpb=job.tpb, bar_starts=starts[w0:], n_parts=len(job.parts))
            for k in range(len(job.parts)):
                kept = [n for n in results[v][k] if not _in_cells(n, k, finished, starts)]
                new = [n for n in decoded[k] if _in_cells(n, k, finished, starts)]
                results[v][k] = kept + new
        return left

    def finish(v: int, rest: list[tuple[int, int]], per_cell: float) -> None:
        """The cells variation ``v``'s row left unfinished, in passes planned for cells that take what its
        cells took; a pass in which not one cell fits leaves the rest as they were."""
        while rest:
            cost.update({c: max(cost[c], per_cell) for c in rest})
            first = _passes(job, headers, starts, rest, cost, block)[0]
            again = write(first, [v]).get(v)
            if again is None:
                rest = rest[len(first) :]
                continue
            unfinished, per_cell = again
            if len(unfinished) == len(first):
                return
            rest = unfinished + rest[len(first) :]

    for i, cells in enumerate(_passes(job, headers, starts, masked, cost, block)):
        for group in [list(range(variations))] if i == 0 else [[v] for v in range(variations)]:
            for v, (rest, per_cell) in write(cells, group).items():
                finish(v, rest, per_cell)
    return results


# a pass's new cells take at most this share of the window by their estimate, so that a later pass has
# room to read the bars around it (what the earlier passes wrote) as context
SHARE = 0.4
# a pass's cells get this much more room than their estimate when its own prompt is counted too (a row
# may write more than a part's usual notes a bar; one that still runs out leaves its last cells to a pass
# of their own)
ROOM = 1.25
TAIL = 2  # a last pass of this many bars or fewer joins the one before where the window holds both


def _passes(job: _Job, headers, starts, masked, cost: dict, block: int) -> list[list[tuple[int, int]]]:
    """The masked cells in the passes that write them, each sorted by bar, then part: consecutive bars
    while their cells' estimate stays within ``SHARE`` of the window and the pass's own bars as the prompt
    holds them (the given parts there, which a pass always reads in full) with the estimate and ``ROOM``
    to spare fit the window, at most ``WINDOW_BARS`` bars and ``MAX_MASKS`` cells. (The prompt once went
    uncounted: under a piano in sixteenths the new parts ran out of window two bars into a pass of nine,
    and the rest stayed silent.) A short last pass joins the one before where the window holds both: it
    would cost every take a decode of its own for a bar or two (8 bars of a chorale were 6 + 2)."""
    given = [
        replace(p, notes=tuple(n for n in p.notes if not _in_cells(n, k, masked, starts)))
        for k, p in enumerate(job.parts)
    ]
    by_bar: dict[int, list[tuple[int, int]]] = {}
    for k, b in sorted(masked, key=lambda kb: (kb[1], kb[0])):
        by_bar.setdefault(b, []).append((k, b))

    def fits(cells: list[tuple[int, int]]) -> bool:
        a, b = cells[0][1], cells[-1][1] + 1
        if b - a > WINDOW_BARS or len(cells) > MAX_MASKS:
            return False
        prompt = _encode_window(job.g, job, headers, given, starts, a, b, cells)
        return len(prompt) + ROOM * sum(cost[c] for c in cells) + 8 <= block

    out: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    for cells in by_bar.values():
        trial = cur + cells
        if cur and (sum(cost[c] for c in trial) > SHARE * block or not fits(trial)):
            out.append(cur)
            trial = cells
        cur = trial
    if cur:
        out.append(cur)
    if len(out) > 1 and out[-1][-1][1] - out[-1][0][1] < TAIL and fits(out[-2] + out[-1]):
        out[-2:] = [out[-2] + out[-1]]
    return out


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
