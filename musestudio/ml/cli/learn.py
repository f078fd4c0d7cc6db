"""The learned-style subcommands: ``learn``, ``styles`` (list, remove, rename, export, import) and
``evaluate style`` (issue 16), and the ``--style`` argument type every generating command shares."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from musestudio.core.errors import BadInputError


def style_arg(text: str) -> str:
    """A built-in style id or a learned style's name (its exact spelling)."""
    from musestudio.ml import learned
    from musestudio.ml.styles import STYLES

    if text in STYLES:
        return text
    found = learned.find(text)
    if found is None:
        known = ", ".join([*STYLES, *learned.names()])
        raise argparse.ArgumentTypeError(f"unknown style {text!r}; choose one of {known}")
    return found.name


#: the --style help of the commands that write in a style; without it they read the seed, as the app does
SEED_STYLE_HELP = (
    "a built-in or learned style (default: the style the input sounds like, read by the style "
    "classifier, as the app's Generate panel does)"
)


def style_of_seed(notes, project, mode: str, engine: str) -> str:
    """The style ``continue``, ``add-part`` and ``infill`` write in when ``--style`` is not given: the one
    the seed sounds like among those the engine was trained on, read as the app's Generate panel reads it
    (``service.suggest_style``; a fresh taste: a script's result does not hang on what the user kept in
    the app). A fixed default (it was Bach) continued a pop or Celtic tune as a chorale."""
    from musestudio.ml.engines import trained_styles
    from musestudio.ml.generate import service
    from musestudio.ml.generate.taste import Taste
    from musestudio.ml.styles import STYLES

    candidates = trained_styles(mode, engine) or tuple(STYLES)
    read = service.suggest_style(
        notes,
        tpb=project.ticks_per_beat,
        time_signatures=project.time_signatures,
        taste=Taste(),
        candidates=candidates,
    )
    return read or candidates[0]  # nothing to read, or no classifier installed: the engine's first


# -- learn ---------------------------------------------------------------------------------------------


def add_learn(sub) -> None:
    from musestudio.ml.styles import STYLES

    p = sub.add_parser("learn", help="learn a style from your own MIDI files (a folder or files)")
    p.add_argument("dir", type=Path, nargs="+", metavar="DIR", help="a folder of MIDI files (or the files)")
    p.add_argument("--name", required=True, help="what to call the style")
    p.add_argument("--from", dest="base_style", choices=list(STYLES), help="the built-in style to start from")
    p.add_argument("--minutes", type=float, default=8.0, help="the time to spend (default 8)")
    p.add_argument("--threads", type=int, default=1, help="CPU threads (default 1)")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run_learn)


def run_learn(args: argparse.Namespace) -> int:
    from musestudio.ml.train.learn import LearnArgs, learn

    if not 0 < args.minutes <= 24 * 60:
        raise BadInputError(f"--minutes must be above 0 and at most a day, got {args.minutes}")
    if args.threads < 1:
        raise BadInputError(f"--threads must be 1 or more, got {args.threads}")
    last = [-1]

    def report(event: dict) -> None:
        if event.get("event") == "read":
            _say_dropped_ends(event["dropped_ends"])
        if args.json or event.get("event") != "check":
            return
        print(
            f"  {event['model']}: step {event['step']}, held-out NLL {event['valid_nll']:.3f}",
            file=sys.stderr,
        )
        last[0] = event["step"]

    la = LearnArgs(
        args.dir, args.name, args.base_style, args.minutes, threads=args.threads, device=args.device
    )
    result = learn(la, report)
    if result["plays_as_base"]:  # on stderr with --json too, as the other notes
        print(f"note: {plays_as_base_note(result)}", file=sys.stderr)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"learned style {result['style']!r} (from {result['from']}) on {result['files']} files, "
        f"{result['bars']} bars, in {result['seconds']:.0f} s"
    )
    for stem, m in result["models"].items():
        # a short learning of a long file scores windows spread over the held-out bars: said, with how many
        part = m["valid_notes"] < result["held_out_notes"]
        on = f"; on {m['valid_notes']} of {result['held_out_notes']} held-out notes" if part else ""
        print(
            f"  {stem}: held-out NLL {m['valid_nll_before']:.3f} -> {m['valid_nll_after']:.3f} "
            f"({m['steps']} steps{on})"
        )
    for s in result["skipped"]:
        print(f"  skipped {s['path']}: {s['reason']}")
    return 0


def plays_as_base_note(result: dict) -> str:
    """What a style that learned nothing is told with (``plays_as_base``: no layers beat the base models,
    no key prior of its own): its name would otherwise promise the user's style and play the built-in one."""
    from musestudio.ml.styles import STYLES

    base = STYLES[result["from"]].label if result["from"] in STYLES else result["from"]
    steps = sum(m["steps"] for m in result["models"].values())
    return (
        f"in {steps} steps the models learned nothing from your files that they do not already play in the "
        f"{base} style, so {result['style']!r} plays as {base}: learn it again with more time (--minutes)"
    )


def _say_dropped_ends(dropped: list[dict]) -> None:
    """The files whose damaged end the reader dropped, one ``note:`` line each on stderr, as every command
    that reads a file says it (``cli_words``)."""
    from musestudio.cli_words import dropped_end_note

    for far in dropped:
        note = dropped_end_note(far["file"], far["hours"], "it is learnt up to its last event")
        print(f"note: {note}", file=sys.stderr)


# -- styles --------------------------------------------------------------------------------------------


def add_styles(sub) -> None:
    p = sub.add_parser("styles", help="list the styles (built-in and learned); manage learned styles")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--remove", metavar="NAME", help="delete a learned style")
    g.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"), help="rename a learned style")
    g.add_argument("--export", nargs=2, metavar=("NAME", "FILE"), help="write a learned style to one file")
    g.add_argument("--import", dest="import_", metavar="FILE", help="add the style in a .musestyle file")
    p.add_argument("--as", dest="as_name", metavar="NAME", help="with --import: the name to give it")
    p.set_defaults(run=run_styles)


def run_styles(args: argparse.Namespace) -> int:
    from musestudio.ml import learned
    from musestudio.ml.styles import STYLES

    if args.as_name and not args.import_:
        raise BadInputError("--as names a style being imported: use it with --import")
    for name in (args.remove, *(args.rename or ())[:1]):
        if name and learned.is_built_in(name):
            raise BadInputError(
                f"{name!r} is a built-in style: only learned styles can be removed or renamed"
            )
    done = None
    if args.remove:
        done = f"removed learned style {learned.remove(args.remove).name!r}"
    elif args.rename:
        done = f"renamed {args.rename[0]!r} to {learned.rename(*args.rename).name!r}"
    elif args.export:
        dest = learned.export_path(Path(args.export[1]))
        replaced = dest.is_file()
        done = f"wrote {learned.export(args.export[0], dest)}" + (
            " (it replaces the file of that name)" if replaced else ""
        )
    elif args.import_:
        done = f"imported learned style {learned.import_file(Path(args.import_), args.as_name).name!r}"
    if done is not None:
        print(json.dumps({"done": done}) if args.json else done)
        return 0
    rows = [
        {"name": s.name, "label": s.label, "description": s.description, "learned": False}
        for s in STYLES.values()
    ]
    for s in learned.all_styles():
        rows.append(
            {
                "name": s.name,
                "label": s.name,
                "description": s.description(),
                "learned": True,
                "from": s.base_style,
                "models": list(s.bases),
                "files": len(s.meta.get("files", ())),
                "bars": s.meta.get("bars", 0),
                "created": s.meta.get("created", ""),
                "valid_nll_before": s.meta.get("valid_nll_before"),
                "valid_nll_after": s.meta.get("valid_nll_after"),
            }
        )
    for problem in learned.problems():  # on stderr with --json too: JSON on stdout, the reasons said
        print(f"(left out: {problem})", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        label = "learned" if r["learned"] else r["label"]
        print(f"{r['name']:<{width}}  {label}: {r['description']}")
    return 0


# -- evaluate style ------------------------------------------------------------------------------------


def add_evaluate_style(sub) -> None:
    p = sub.add_parser("style", help="a learned style against its base model on files you name: NLL per note")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--files", type=Path, nargs="+", required=True)
    p.add_argument(
        "--continuations", type=int, default=0, help="takes per file to compare histograms (default 0: none)"
    )
    p.add_argument(
        "--engines",
        default="transformer,parts",
        help="the engines whose takes --continuations compares, comma-separated (default: transformer,parts)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run_evaluate_style)


def run_evaluate_style(args: argparse.Namespace) -> int:
    from musestudio.ml.eval.style import ENGINES, evaluate_style

    chosen = tuple(e.strip() for e in args.engines.split(",") if e.strip())
    if not chosen or not set(chosen) <= set(ENGINES):
        print(f"error: --engines takes {', '.join(ENGINES)} (comma-separated)", file=sys.stderr)
        return 2
    report = evaluate_style(args.name, args.files, args.device, args.continuations, args.seed, chosen)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"learned style {report['style']!r} on {report['files']} files: nats per note")
    print(f"  base_nll  {report['base_nll']:.4f}\n  tuned_nll {report['tuned_nll']:.4f}")
    for stem, m in report["models"].items():
        print(f"  {stem}: {m['base_nll']:.4f} -> {m['tuned_nll']:.4f} ({m['notes']} notes)")
    for engine, c in report.get("continuations", {}).items():
        if "note" in c:
            print(f"  {engine} takes: {c['note']}")
            continue
        print(f"  {engine} takes ({c['takes']} a style), overlap with the files, base -> learned:")
        for k in c["base"]:
            spread = c.get("gain_90", {}).get(k)
            where = f" (gain 90%: {spread[0]:+.3f}..{spread[1]:+.3f})" if spread else ""
            print(f"    {k:12s} {c['base'][k]:.3f} -> {c['learned'][k]:.3f}{where}")
        shares = c["interval_shares"]
        print("    steps (share of intervals)  " + "  ".join(shares["files"]))
        for which in ("files", "base", "learned"):
            print(f"      {which:8s} " + "  ".join(f"{v:.3f}" for v in shares[which].values()))
        if "in_key_share" in c:
            inside = c["in_key_share"]
            print("    notes in the file's key     " + "  ".join(f"{w} {inside[w]:.3f}" for w in inside))
    return 0
