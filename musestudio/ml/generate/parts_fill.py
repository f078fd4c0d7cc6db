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


def _est_cell_tokens(p: Part, bars: int, tpb: int) -> float:
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
                job.key,
            )
            grammar.rules = rules_for(job, parts_now, starts, plan, len(group), options)
            rows = _sample(loaded, prompt, len(group), grammar, options, [gen[v] for v in group], dev, tick)
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
