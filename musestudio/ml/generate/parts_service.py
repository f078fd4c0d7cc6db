"""The parts engine behind the generation service: a Request's tracks in as parts, takes per track out.

Continue writes in the tracks the request marks (all, or the active one) and hears the rest; Add a part
writes one new part under (or over) every track; Regenerate rewrites the selected bars of the active
track around the others. Each take keeps its notes per track (``Take.parts``) so keeping it writes every
part into its own track; its ``notes`` are all of them together, which is what the critic and the taste
judge. Roles the request leaves empty are guessed from the track names and notes, as the CLI does.
"""

from __future__ import annotations

from musestudio.core.errors import BadInputError
from musestudio.core.note import Note
from musestudio.core.project import normalise_time_signatures
from musestudio.core.timing import bar_lines
from musestudio.ml import engines
from musestudio.ml.generate.request import NEW_TRACK, Options, PartSpec, Request


def _bar_index(lines: list[int], tick: int) -> int:
    """The bar that starts at or holds ``tick``."""
    return max(i for i, line in enumerate(lines) if line <= tick)


def run_parts(r: Request, options: Options, progress, cancel) -> list[tuple]:
    """[(all new notes, start, end, seed, ((track id, notes), ...))] for each take of ``r``."""
    from musestudio.ml.generate import parts as P
    from musestudio.ml.generate.parts_roles import guess_roles

    given = [s for s in r.parts if s.track_id != NEW_TRACK]
    new = [s for s in r.parts if s.track_id == NEW_TRACK]
    if not given and not (r.mode == engines.ADD_PART and r.drums):  # a part added to drums alone is one
        raise BadInputError("The parts engine needs a pitched track to work with.")
    guessed = guess_roles(given)

    def part_in(s: PartSpec, role: str) -> P.PartIn:
        steer = s.write  # the controls steer only what is written
        return P.PartIn(
            s.notes,
            s.role or role,
            s.program,
            s.pitch_range if steer else None,
            s.density if steer else None,
            s.voices if steer else None,
        )

    ins = [part_in(s, g) for s, g in zip(given, guessed, strict=True)]
    popts = P.Options(
        style=options.style,
        temperature=options.temperature,
        top_p=options.top_p,
        variations=options.variations,
        key=options.key,
        key_lock=options.key_lock,
        seed=options.seed,
        device=options.device,
        progress=progress,
        cancel=cancel,
    )
    kw = dict(tpb=r.tpb, time_signatures=r.time_signatures, options=popts)
    ids = [s.track_id for s in given]
    if r.mode == engines.CONTINUE:
        listed = [j for j, s in enumerate(given) if s.write] or list(range(len(given)))
        result = P.continue_parts(ins, bars=r.bars, listed=listed, after=r.after, **kw)
    elif r.mode == engines.ADD_PART:
        if not new:
            raise BadInputError("Add a part needs the part to add.")
        news = [part_in(s, s.role or "harmony") for s in new]
        result = P.add_part(ins, news, drums=r.drums, held=r.held, **kw)
        ids += [NEW_TRACK] * len(new)
    else:
        index = next((j for j, s in enumerate(given) if s.write), None)
        if index is None:
            raise BadInputError("Choose the track whose bars to regenerate.")
        sigs = normalise_time_signatures(r.time_signatures)
        lines = bar_lines(list(sigs), r.tpb, r.end)
        bars = (_bar_index(lines, r.start), _bar_index(lines, r.end - 1))
        result = P.infill(ins, index, bars=bars, **kw)
    written = {ids[j] for j, s in enumerate([*given, *new]) if s.write or s.track_id == NEW_TRACK}
    out = []
    for take in result.takes:
        parts = tuple((ids[j], tuple(notes)) for j, notes in enumerate(take.parts) if ids[j] in written)
        flat = tuple(sorted((n for _, notes in parts for n in notes), key=Note.sort_key))
        out.append(
            (
                flat,
                take.start,
                take_end(take.start, take.bars, r.tpb, r.time_signatures),
                take.seed,
                parts,
            )
        )
    return out


def take_end(start: int, bars: int, tpb: int, time_signatures) -> int:
    """The bar line ``bars`` bars after ``start`` (a bar line): where a parts take of ``bars`` bars ends."""
    sigs = normalise_time_signatures(time_signatures)
    far = start + 1
    while True:
        lines = [line for line in bar_lines(list(sigs), tpb, far) if line >= start]
        if len(lines) > bars:
            return lines[bars]
        far = max(far * 2, far + tpb * 4 * (bars + 1))
