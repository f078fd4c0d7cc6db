"""Takes you can trust: how many Continue takes are empty or open on an empty bar, per shipped engine.

Seeds are the first 4 bars of test-split pieces of the parts data cache (``--per-style`` per style, every
part; build the cache with ``python -m musestudio.ml.data.parts build``); each engine continues every seed by ``--bars`` bars with ``--variations`` takes through the generation
service (``service.run``: what the app's Generate and the checks behind it do). For the takes listed it
counts empty ones (goal 0) and ones whose first new bar is empty although the seed's last note does not
sound through it (goal < 5%), plus nearly empty takes ranked first (goal 0), the takes drawn again and those
left out after drawing again. Engines without a model file are listed as such.

    .venv/bin/python benchmarks/continue_takes.py [--per-style 3] [--bars 4] [--variations 4] [--engines ...]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import defaultdict

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SEED_BARS = 4


def seeds(per_style: int, split: str) -> list[tuple[str, object, tuple]]:
    """(style, piece, seed parts) for the first ``per_style`` test pieces of each style with 8 bars or more:
    each part's notes that start in the first 4 bars."""
    from musestudio.core.timing import bar_lines
    from musestudio.ml.data import parts as data

    chosen: dict[str, list] = defaultdict(list)
    for piece in data.load(split=split):
        lines = bar_lines(list(piece.time_signatures), piece.tpb, piece.end)
        if len(lines) <= 2 * SEED_BARS or len(chosen[piece.style]) >= per_style:
            continue
        cut = lines[SEED_BARS]
        parts = tuple(tuple(n for n in p.notes if n.start < cut) for p in piece.parts)
        if any(parts):
            chosen[piece.style].append((piece, parts))
    return [(style, p, parts) for style, rows in sorted(chosen.items()) for p, parts in rows]


def request_for(engine: str, style: str, piece, seed_parts, bars: int, variations: int, seed: int):
    from musestudio.core.note import Note
    from musestudio.ml import engines
    from musestudio.ml.generate.request import Options, PartSpec, Request

    options = Options(style=style, variations=variations, seed=seed, device="cpu")
    notes = tuple(sorted((n for p in seed_parts for n in p), key=Note.sort_key))
    parts = ()
    if engine == engines.PARTS:  # every part continues in itself, as the app's Continue with the parts engine
        roles = [p.role for p in piece.parts]
        parts = tuple(
            PartSpec(i + 1, p, role=role, program=part.program, write=True)
            for i, (p, part, role) in enumerate(zip(seed_parts, piece.parts, roles, strict=True))
            if p
        )
    return Request(
        engines.CONTINUE,
        engine,
        notes,
        piece.tpb,
        tuple(piece.time_signatures),
        options,
        bars=bars,
        track_id=1,
        parts=parts,
    )


def main() -> None:
    from musestudio.ml import engines

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-style", type=int, default=3)
    parser.add_argument("--bars", type=int, default=4)
    parser.add_argument("--variations", type=int, default=4)
    parser.add_argument("--split", default="test")
    parser.add_argument("--engines", nargs="*", default=list(engines.ENGINES[engines.CONTINUE]))
    args = parser.parse_args()
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="continue-takes-")  # no user taste involved

    from musestudio.ml.generate import service
    from musestudio.ml.generate.take_checks import empty_first_bar, near_empty
    from musestudio.ml.generate.taste import Taste

    rows = seeds(args.per_style, args.split)
    print(f"{len(rows)} test seeds of {SEED_BARS} bars, {args.bars} bars x {args.variations} takes each")
    head = f"{'engine':<12}{'seeds':>6}{'takes':>7}{'empty':>7}{'1st bar empty':>15}{'sparse 1st':>11}"
    print(head + f"{'drawn again':>12}{'left out':>9}{'s/run':>7}")
    for engine in args.engines:
        if (why := engines.missing_model(engines.CONTINUE, engine)) is not None:
            print(f"{engine:<12} not installed: {why}")
            continue
        styles = engines.trained_styles(engines.CONTINUE, engine)
        n_seeds = takes = empty = first_empty = sparse_first = redrawn = unfit = 0
        seconds = 0.0
        for i, (style, piece, seed_parts) in enumerate(rows):
            if styles and style not in styles:
                continue
            r = request_for(engine, style, piece, seed_parts, args.bars, args.variations, 1000 * i)
            notes = r.notes
            t0 = time.perf_counter()
            outcome = service.run(r, Taste())
            seconds += time.perf_counter() - t0
            n_seeds += 1
            redrawn += outcome.redrawn
            unfit += outcome.unfit
            kw = dict(tpb=r.tpb, time_signatures=r.time_signatures)
            for rank, take in enumerate(outcome.takes):
                takes += 1
                empty += not take.notes
                first_empty += empty_first_bar(take.notes, take.start, take.end, context=notes, **kw)
                if rank == 0 and len(outcome.takes) > 1:
                    sparse_first += near_empty(take.notes, take.start, take.end, **kw)
        share = f"{first_empty} ({100 * first_empty / max(1, takes):.1f}%)"
        print(
            f"{engine:<12}{n_seeds:>6}{takes:>7}{empty:>7}{share:>15}{sparse_first:>11}"
            f"{redrawn:>12}{unfit:>9}{seconds / max(1, n_seeds):>7.2f}"
        )


if __name__ == "__main__":
    main()
