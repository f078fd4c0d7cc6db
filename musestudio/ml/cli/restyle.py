"""The Restyle subcommands of ``musestudio-cli``: ``restyle``, ``classify`` and ``evaluate restyle``.

``musestudio/cli.py`` only lists their ``add_*`` functions, so the command-line front stays one short file
and errors follow its rules (BadInputError -> exit 2).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from musestudio.core.errors import BadInputError
from musestudio.core.project import Project
from musestudio.core.timing import bar_lines


def _pitched(project: Project) -> list:
    return [t for t in project.tracks if not t.is_drum and t.notes]


# -- restyle -------------------------------------------------------------------------------------------


def add_restyle(sub) -> None:
    from musestudio.ml.cli.learn import style_arg
    from musestudio.ml.engines import ENGINES, RESTYLE

    p = sub.add_parser("restyle", help="rewrite a MIDI or .muse file in another style")
    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .mid or .muse file to write")
    p.add_argument(
        "--to",
        "--style",
        dest="to",
        default="bach",
        type=style_arg,
        help="target style (default: bach); a learned style restyles toward the style it started from",
    )
    p.add_argument("--engine", default="gan", choices=list(ENGINES[RESTYLE]))
    p.add_argument("--strength", type=float, default=1.0, help="0 keeps the input, 1 is the full transfer")
    p.add_argument("--keep-rhythm", action="store_true", help="keep every onset and duration, change pitches")
    p.add_argument("--key", default=None, help='keep every pitch in this key, e.g. "D minor"')
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run_restyle)


def run_restyle(args: argparse.Namespace) -> int:
    from musestudio.core.keys import KeySignature
    from musestudio.io import formats
    from musestudio.ml.generate.request import Options
    from musestudio.ml.generate.restyle import restyle

    formats.kind_of(args.output)
    try:
        key = KeySignature.parse(args.key) if args.key else None
    except ValueError as e:
        raise BadInputError(str(e)) from None
    project = formats.load(args.input)
    tracks = _pitched(project)
    if not tracks:
        raise BadInputError(f"{args.input.name} has no pitched notes to restyle")
    from musestudio.ml import learned

    to, styled = learned.resolve(args.to)  # the Restyle engines have no learned layers: its base style
    if styled is not None and not args.json:
        print(f"note: restyling toward {to}, the style {styled.name!r} was learned from", file=sys.stderr)
    options = Options(
        style=to,
        strength=args.strength,
        keep_rhythm=args.keep_rhythm,
        key=key,
        key_lock=key is not None,
        seed=args.seed,
        device=args.device,
    )
    started = time.perf_counter()
    for track in tracks:
        notes = restyle(
            track.notes,
            options,
            args.engine,
            tpb=project.ticks_per_beat,
            time_signatures=project.time_signatures,
        )
        project = project.replace_track(track.with_notes(notes))
    seconds = time.perf_counter() - started
    formats.save(project, args.output)
    bars = len(bar_lines(project.time_signatures, project.ticks_per_beat, project.end)) - 1
    facts = {
        "engine": args.engine,
        "to": args.to,
        "strength": args.strength,
        "seconds": round(seconds, 3),
        "path": str(args.output),
        "notes": project.note_count,
        "bars": bars,
    }
    if args.json:
        print(json.dumps(facts, indent=2))
    else:
        print(
            f"wrote {args.output}: {facts['notes']} notes in {bars} bars as {args.to} ({args.engine}, {seconds:.2f} s)"
        )
    return 0


# -- classify ------------------------------------------------------------------------------------------


def add_classify(sub) -> None:
    p = sub.add_parser("classify", help="how much a MIDI or .muse file sounds like each style")
    p.add_argument("input", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run_classify)


def run_classify(args: argparse.Namespace) -> int:
    from musestudio.io import formats
    from musestudio.ml.generate import critic
    from musestudio.ml.styles import STYLES

    project = formats.load(args.input)
    notes = [n for t in _pitched(project) for n in t.notes]
    if not notes:
        raise BadInputError(f"{args.input.name} has no pitched notes to classify")
    probs = critic.probabilities(
        critic.load_classifier(), notes, project.ticks_per_beat, project.time_signatures
    )
    ranked = dict(sorted(probs.items(), key=lambda kv: -kv[1]))
    if args.json:
        print(json.dumps({"styles": {k: round(v, 4) for k, v in ranked.items()}}, indent=2))
    else:
        for name, p in ranked.items():
            print(f"{p * 100:5.1f}%  {STYLES[name].label if name in STYLES else name}")
    return 0


# -- evaluate restyle ----------------------------------------------------------------------------------


def add_evaluate_restyle(evaluations) -> None:
    """Register ``restyle`` under ``evaluate``'s own subcommands."""
    from musestudio.ml.engines import ENGINES, RESTYLE
    from musestudio.ml.generate.restyle import BASELINES

    every = [*BASELINES, *ENGINES[RESTYLE]]
    p = evaluations.add_parser("restyle", help="transfer strength and content kept, every Restyle engine")
    p.add_argument("--split", default="test", choices=("valid", "test"))
    p.add_argument(
        "--engines",
        nargs="+",
        default=every,
        choices=every,
    )
    p.add_argument("--per-style", type=int, default=8, help="test phrases per style")
    p.add_argument("--bars", type=int, default=4)
    p.add_argument("--strength", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cache-dir", type=Path, default=None)
    p.add_argument(
        "--render-dir",
        type=Path,
        default=None,
        help="also write one phrase per style pair and engine as MIDI + WAV here, with their statistics",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=run_evaluate_restyle)


def run_evaluate_restyle(args: argparse.Namespace) -> int:
    import torch

    from musestudio.ml.eval.restyle import evaluate_restyle, render_examples

    torch.set_num_threads(1)  # small batches: a second thread only waits on a busy CPU
    result = evaluate_restyle(
        args.split, args.engines, args.per_style, args.bars, args.strength, args.seed, args.cache_dir
    )
    windows = result.pop("_windows")
    if not windows:
        raise BadInputError(
            "no test phrases found: build the data cache first (python -m musestudio.ml.data build)"
        )
    if args.render_dir is not None:
        engines = [e for e in args.engines if e != "identity"]
        result["renders"] = render_examples(engines, windows, args.render_dir)
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
        return 0
    print(
        f"Restyle on {result['windows']} {args.split} phrases of {args.bars} bars, strength {args.strength}"
    )
    print(
        f"{'engine':<10}{'S_tot':>8}{'target':>8}{'chroma':>8}{'contour':>9}{'in key':>8}{'pc ovl':>8}"
        f"{'ioi ovl':>8}{'len ovl':>8}{'empty':>7}"
    )
    for engine, r in result["engines"].items():
        o, m = r["overall"], r["musicality"]
        print(
            f"{engine:<10}{o['S_tot']:>8.3f}{o['target_share']:>8.3f}{o['chroma_similarity']:>8.3f}"
            f"{o['contour_correlation']:>9.3f}{m['in_key']:>8.3f}{m['pitch_class_overlap']:>8.3f}"
            f"{m['ioi_overlap']:>8.3f}{m['note_length_overlap']:>8.3f}{o['empty_share']:>7.3f}"
        )
    for r in result.get("renders", []):
        print(
            f"  {r['engine']:<8}{r['from']:>11} -> {r['to']:<11}{r['notes_per_bar']:>6} notes/bar  "
            f"pitch {r['lowest']}-{r['highest']}  {r['seconds']} s  sounding {r['sounding_share']:.0%}  "
            f"{r['rms_dbfs']} dBFS"
        )
    return 0
