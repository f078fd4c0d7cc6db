"""Continue's default engine on the shipped seeds, listened to by statistics: does a take go on as the seed began?

Seeds: the bundled ones (a melody alone in 4/4, 3/4 and 6/8; melody + chords; the demo's melody, keys and
bass over drums) and a chorale (the first 4 bars of the first JSB test chorale, four voices as four tracks;
skipped when the shared data is not there). Each is continued by ``--bars`` bars, ``--variations`` takes, by
``--engine`` (default: Continue's default, ``ENGINES[CONTINUE][0]``) through the generation service, as the
app's Generate does (every pitched track written, drums untouched). Per track, seed beside takes (median
over takes): notes per bar, pitch range, most notes sounding at once ("voices"), and the share of takes
that write nothing in that track. ``--engine transformer`` prints the single-stream engine's figures for
comparison (it writes one stream: its row is the take's notes, whichever track they go to).

    .venv/bin/python benchmarks/default_seeds.py [--engine parts] [--bars 4] [--variations 4] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SEEDS = (  # (file in resources/seeds, style)
    ("melody_4_4", "celtic"),
    ("melody_3_4", "celtic"),
    ("melody_6_8", "celtic"),
    ("melody_chords", "pop"),
    ("demo", "pop"),
)


def facts(notes, bars: int) -> tuple[float, str, int]:
    from musestudio.ml.eval.parts_measures import max_voices

    if not notes:
        return 0.0, "-", 0
    lo, hi = min(n.pitch for n in notes), max(n.pitch for n in notes)
    return len(notes) / bars, f"{lo}-{hi}", max_voices(notes)


def chorale_project():
    """The first JSB test chorale's first 4 bars as a four-track project (None without the data)."""
    from musestudio.core.project import Project, TimeSignature
    from musestudio.core.track import TRACK_COLOURS, Track
    from musestudio.ml.eval.parts import jsb_voices

    try:
        satb = jsb_voices("test", 1)[0]
    except OSError:
        return None
    names, programs = ("Soprano", "Alto", "Tenor", "Bass"), (52, 52, 52, 52)
    tracks = [
        Track(
            name=name,
            program=program,
            channel=i,
            colour=TRACK_COLOURS[i],
            notes=tuple(n for n in voice if n.start < 4 * 1920),
        )
        for i, (name, program, voice) in enumerate(zip(names, programs, satb, strict=True))
    ]
    project = Project(ticks_per_beat=480, time_signatures=(TimeSignature(0, 4, 4),))
    for track in tracks:
        project = project.add_track(track)
    return project


def main() -> None:
    from musestudio.ml.engines import CONTINUE, ENGINES, PARTS, default_temperature

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default=ENGINES[CONTINUE][0], choices=ENGINES[CONTINUE])
    ap.add_argument("--bars", type=int, default=4)
    ap.add_argument("--variations", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="default-seeds-")  # the taste stays out

    from musestudio import paths
    from musestudio.core.timing import bar_lines
    from musestudio.io import formats
    from musestudio.ml.generate import service
    from musestudio.ml.generate.request import Options, PartSpec, Request
    from musestudio.ml.generate.taste import Taste

    projects = [(name, style, formats.load(paths.resource("seeds", f"{name}.mid"))) for name, style in SEEDS]
    if (chorale := chorale_project()) is not None:
        projects.insert(3, ("chorale (JSB test 1)", "bach", chorale))
    print(
        f"Continue with {args.engine}: {args.bars} bars, {args.variations} takes, seed {args.seed}, "
        f"temperature {default_temperature(args.engine)}"
    )
    print(f"{'seed':<22}{'track':<10}{'notes/bar':>17}{'range':>16}{'voices':>12}{'empty':>7}{'s':>7}")
    print(f"{'':<22}{'':<10}{'seed':>8}{'takes':>9}{'seed':>8}{'takes':>8}{'seed':>6}{'takes':>6}")
    for name, style, project in projects:
        pitched = [t for t in project.tracks if not t.is_drum]
        end = max(n.end for t in pitched for n in t.notes)
        seed_bars = len(
            [x for x in bar_lines(project.time_signatures, project.ticks_per_beat, end) if x < end]
        )
        options = Options(
            style=style,
            variations=args.variations,
            temperature=default_temperature(args.engine),
            seed=args.seed,
            device="cpu",
        )
        common = dict(tpb=project.ticks_per_beat, time_signatures=project.time_signatures, bars=args.bars)
        if args.engine == PARTS:
            specs = tuple(PartSpec(t.id, t.notes, t.name, "", t.program, True) for t in pitched)
            notes = tuple(n for t in pitched for n in t.notes)
            request = Request(CONTINUE, PARTS, notes, options=options, parts=specs, **common)
        else:  # one stream after every pitched note, as the CLI's continue with this engine
            notes = tuple(n for t in pitched for n in t.notes)
            request = Request(CONTINUE, args.engine, notes, options=options, track_id=pitched[0].id, **common)
        t0 = time.perf_counter()
        outcome = service.run(request, Taste())
        seconds = time.perf_counter() - t0
        for i, track in enumerate(pitched):
            if args.engine == PARTS:
                per_take = [dict(t.parts).get(track.id, ()) for t in outcome.takes]
            elif i == 0:
                per_take = [t.notes for t in outcome.takes]
            else:
                per_take = [() for _ in outcome.takes]
            seed_facts = facts(track.notes, seed_bars)
            take_facts = [facts(notes, args.bars) for notes in per_take]
            written = [f for f in take_facts if f[0]]
            density = statistics.median(f[0] for f in written) if written else 0.0
            lows = [int(f[1].split("-")[0]) for f in written]
            highs = [int(f[1].split("-")[1]) for f in written]
            span = f"{min(lows)}-{max(highs)}" if written else "-"
            most = max((f[2] for f in written), default=0)
            empty = sum(1 for f in take_facts if not f[0]) / max(1, len(take_facts))
            label = name if i == 0 else ""
            tail = f"{seconds:7.1f}" if i == 0 else ""
            print(
                f"{label:<22}{track.name[:9]:<10}{seed_facts[0]:8.1f}{density:9.1f}{seed_facts[1]:>8}"
                f"{span:>8}{seed_facts[2]:6d}{most:6d}{empty:7.0%}{tail}"
            )


if __name__ == "__main__":
    main()
