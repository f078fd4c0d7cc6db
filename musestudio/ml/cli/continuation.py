"""The Continue subcommands of ``musestudio-cli``: ``styles``, ``continue``, ``evaluate jsb``, ``evaluate continue``.

Like ``restyle.py`` beside it, this is ML's top layer: ``musestudio/cli.py`` only lists the ``add_*``
functions, each subcommand imports what it drives when it runs, and errors follow the CLI's rules
(BadInputError -> one ``error:`` line, exit 2).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from musestudio.core.errors import BadInputError
from musestudio.core.played_in import heard_on_grid, lean, leaned
from musestudio.core.timing import end_of_silent_bars
from musestudio.ml.cli.parts import seed_value

# -- continue ------------------------------------------------------------------------------------------


def add_continue(sub) -> None:
    from musestudio.ml.cli.learn import SEED_STYLE_HELP, style_arg
    from musestudio.ml.engines import CONTINUE, ENGINES, FLOORS
    from musestudio.ml.generate.request_errors import MAX_BARS

    p = sub.add_parser("continue", help="continue a MIDI or .muse phrase; writes one MIDI file per take")
    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True, help="folder for the takes")
    p.add_argument("--style", default=None, type=style_arg, help=SEED_STYLE_HELP)
    p.add_argument("--bars", type=int, default=4, help=f"bars to add, 1..{MAX_BARS} (default 4)")
    p.add_argument("--variations", type=int, default=4, help="takes to write (default 4)")
    p.add_argument(
        "--temperature",
        type=float,
        default=None,
        help="sampling temperature (default: the engine's own, 0.9 for parts, 1.0 for the others "
        "and in a learned style)",
    )
    p.add_argument(
        "--top-p",
        type=float,
        default=None,
        help="share of chance drawn from (default 0.95; 1.0 in a learned style)",
    )
    p.add_argument("--seed", type=seed_value, default=None, help="random seed (default: a new one, printed)")
    p.add_argument(
        "--engine",
        default=ENGINES[CONTINUE][0],
        choices=[*ENGINES[CONTINUE], *FLOORS[CONTINUE]],
        help=f"the model that writes the takes (default: {ENGINES[CONTINUE][0]}, every track hearing the others)",
    )
    p.add_argument("--key", default=None, help='the key for --key-lock, e.g. "D minor" (default: detected)')
    p.add_argument("--key-lock", action="store_true", help="only pitches of the key")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    # parts hook (issue 13): --tracks and the per-part controls; run_continue hands such runs to cli.parts
    from musestudio.ml.cli.parts import part_controls, rebar_flag

    p.add_argument(
        "--tracks", default=None, help="all|N,M: continue these tracks, each in itself (parts engine)"
    )
    rebar_flag(p)
    part_controls(p)
    p.set_defaults(run=run_continue)


def run_continue(args: argparse.Namespace) -> int:
    """With the parts engine (the default) every listed track continues in itself (``cli.parts``); with a
    single-stream engine the seed is every pitched note of the file and each take adds its notes to the
    first pitched track."""
    from musestudio.ml.engines import default_temperature

    if args.temperature is None:
        args.temperature = default_temperature(args.engine, args.style)
    if args.engine == "parts" or args.tracks is not None:  # parts hook (issue 13)
        from musestudio.ml.cli.parts import run_continue_parts

        if args.tracks is not None and args.engine != "parts":
            raise BadInputError(f"--tracks needs the parts engine; --engine {args.engine} writes one stream")
        return run_continue_parts(args)
    _refuse_part_controls(args)
    from musestudio.core.keys import KeySignature
    from musestudio.ml.cli.parts import TakeFiles, load_piece, pitch_range_of, report_takes, take_folder
    from musestudio.ml.generate.continuation import continue_phrase
    from musestudio.ml.generate.request import Options

    try:
        key = KeySignature.parse(args.key) if args.key else None
    except ValueError as e:
        raise BadInputError(str(e)) from None
    project = load_piece(args)
    tracks = [t for t in project.tracks if not t.is_drum]
    if not tracks:
        raise BadInputError(f"{args.input.name} has no pitched track to continue")
    if args.output.exists() and not args.output.is_dir():
        raise BadInputError(f"{args.output} is a file; give a folder for the takes")
    # a track played in is heard on the beat, as the app's Generate hears it (``service.as_heard``)
    seed_notes = [n for t in tracks for n in heard_on_grid(t.notes, project.ticks_per_beat)]
    if args.style is None:
        from musestudio.ml.cli.learn import style_of_seed
        from musestudio.ml.engines import CONTINUE

        args.style = style_of_seed(seed_notes, project, CONTINUE, args.engine)
    if args.top_p is None:
        from musestudio.ml.engines import default_top_p

        args.top_p = default_top_p(args.engine, args.style)
    options = Options(
        style=args.style,
        variations=args.variations,
        temperature=args.temperature,
        top_p=args.top_p,
        key=key or project.key,
        key_lock=args.key_lock,
        pitch_range=pitch_range_of(args.pitch_range),
        seed=args.seed,
        device=args.device,
    )
    take_folder(args.output)  # before the takes are drawn: a folder that cannot be made is said at once

    def draw(o: Options):
        return continue_phrase(
            seed_notes,
            o,
            tpb=project.ticks_per_beat,
            time_signatures=project.time_signatures,
            bars=args.bars,
            engine=args.engine,
            after=end_of_silent_bars(project),  # a loop goes on after its silent bars, not in them
        )

    result = _checked(draw(options), draw, seed_notes, options, project)
    takes = TakeFiles(args.file_tpb)
    by = lean([[n for t in tracks for n in t.notes]], project.ticks_per_beat)  # as the app's takes lean
    for i, take in enumerate(result.takes, 1):
        track = tracks[0].with_notes((*tracks[0].notes, *leaned(take.notes, by)))
        path = args.output / f"{args.input.stem}_{args.engine}_take{i}.mid"
        takes.save(project.replace_track(track), path, len(take.notes), take.bars, take.seed)

    return report_takes(args, result, takes, f" of {args.bars} bars")


def _refuse_part_controls(args: argparse.Namespace) -> None:
    """A single-stream engine writes one stream: a control it has no use for is said, not dropped."""
    given = {
        "--roles": args.roles,
        "--density": args.density,
        "--voices": args.voices,
        "--model": args.model,
        "--develop": args.develop,
        "--free-voices": args.free_voices or None,
    }
    for flag, value in given.items():
        if value is not None:
            raise BadInputError(f"{flag} needs the parts engine; --engine {args.engine} writes one stream")


def _checked(result, draw, seed_notes, options, project):
    """The generation with empty takes (or ones opening on an empty bar) drawn again by ``draw(options)``,
    as the app does (``service.check_takes``); any still empty are left out and said on stderr."""
    import dataclasses

    from musestudio.ml.cli.parts import say_left_out
    from musestudio.ml.generate.service import check_takes
    from musestudio.ml.generate.take_checks import empty_first_bar

    tpb, sigs = project.ticks_per_beat, project.time_signatures

    def as_raw(takes):
        return [(t.notes, t.start, t.end, t.seed, t) for t in takes]

    def draw_more(n: int, seed: int):
        return as_raw(draw(dataclasses.replace(options, variations=n, seed=seed)).takes)

    def fit(take) -> bool:
        notes, start, end, *_ = take
        return bool(notes) and not empty_first_bar(
            notes, start, end, tpb=tpb, time_signatures=sigs, context=seed_notes
        )

    checked = check_takes(as_raw(result.takes), draw_more, fit, len(result.takes))
    say_left_out(checked)
    return dataclasses.replace(result, takes=tuple(t[-1] for t in checked.takes))


# -- evaluate jsb ----------------------------------------------------------------------------------------


def add_evaluate_jsb(sub) -> None:
    p = sub.add_parser(
        "jsb", help="the JSB Chorales benchmark: test NLL in nats per frame vs published models"
    )
    p.add_argument("--split", default="test", choices=("train", "valid", "test"))
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run_evaluate_jsb)


def run_evaluate_jsb(args: argparse.Namespace) -> int:
    from musestudio.ml.eval import jsb

    try:
        report = jsb.report(args.split)
    except FileNotFoundError as e:
        raise BadInputError(f"the JSB data is not where it should be: {e.filename}") from None
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{report['benchmark']}, {args.split} split: {report['pieces']} chorales, {report['frames']} frames"
    )
    rows = {"ours (relative-attention transformer)": report["nll_per_frame"], **report["published"]}
    for name, nll in sorted(rows.items(), key=lambda kv: kv[1]):
        print(f"  {nll:6.2f} nats/frame  {name}")
    print(
        f"  (ours without each chorale's first frame, as the TCN setup scores: "
        f"{report['nll_per_frame_after_first']:.2f})"
    )
    return 0


# -- evaluate continue -----------------------------------------------------------------------------------


def add_evaluate_continue(sub) -> None:
    p = sub.add_parser(
        "continue", help="the Continue engines on a data split: NLL per style, sample statistics"
    )
    p.add_argument("--split", default="test", choices=("valid", "test"))
    p.add_argument("--per-style", type=int, default=200, help="seed/continuation windows per style for NLL")
    p.add_argument(
        "--samples", type=int, default=8, help="test seeds per style to continue for the statistics"
    )
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run_evaluate_continue)


def run_evaluate_continue(args: argparse.Namespace) -> int:
    from musestudio.ml.eval.continuation import evaluate_continue

    report = evaluate_continue(args.split, args.per_style, args.samples, args.device)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    lik = report["likelihood"]
    engines = list(lik)
    styles = sorted({s for e in engines for s in lik[e]["per_style"]})
    print(f"{args.split} split, {report['pieces']} pieces: nats per note (nats per token)")
    print(f"  {'style':<12}" + "".join(f"{e:>22}" for e in engines))
    for s in styles:
        cells = [lik[e]["per_style"][s] for e in engines]
        print(
            f"  {s:<12}" + "".join(f"{c['nats_per_note']:>13.3f} ({c['nats_per_token']:.3f})" for c in cells)
        )
    print(
        f"  {'mean':<12}"
        + "".join(f"{lik[e]['nats_per_note']:>13.3f} ({lik[e]['nats_per_token']:.3f})" for e in engines)
    )
    smp = report["samples"]
    print(
        f"sampled continuations ({smp['takes_per_engine']} per engine): overlap with the real ones (1 = same)"
    )
    names = ("pitch_class", "pitch_range", "ioi", "note_length", "in_key", "notes_per_take")
    print(f"  {'':<12}" + "".join(f"{n:>15}" for n in names))
    for who in ("real", *engines):
        print(f"  {who:<12}" + "".join(f"{smp[who].get(n, float('nan')):>15.3f}" for n in names))
    return 0
