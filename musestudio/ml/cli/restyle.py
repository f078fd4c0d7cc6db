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
from musestudio.io.atomic import same_file
from musestudio.io.midi import part_name
from musestudio.ml.cli.parts import seed_value
from musestudio.ml.generate.request import SEEDS


def _pitched(project: Project) -> list:
    return [t for t in project.tracks if not t.is_drum and t.notes]


# -- restyle -------------------------------------------------------------------------------------------


MODES = ("arrange", "rewrite")


def add_restyle(sub) -> None:
    from musestudio.ml.cli.learn import style_arg
    from musestudio.ml.engines import ENGINES, RESTYLE

    p = sub.add_parser(
        "restyle",
        help="arrange a tune in another style (the tune kept, new parts under it) or rewrite it in that style",
    )
    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .mid or .muse file to write")
    p.add_argument(
        "--to",
        "--style",
        dest="to",
        metavar="STYLE",
        type=style_arg,
        help="the style to restyle into (required; 'styles' lists them); a learned style: Arrange writes "
        "in it, a rewrite restyles toward the style it started from",
    )
    p.add_argument(
        "--mode",
        default=None,
        choices=MODES,
        help="arrange (default): keep the tune, write the style's parts under it; rewrite: rewrite every "
        "track in the style (--engine). Giving --engine alone means rewrite",
    )
    p.add_argument(
        "--engine", default=None, choices=list(ENGINES[RESTYLE]), help="the rewrite engine (default: gan)"
    )
    p.add_argument(
        "--strength",
        type=float,
        default=None,
        help="arrange: how far the tune may move (0 keeps its notes exactly; default 0.5); "
        "rewrite: 0 keeps the input, 1 is the full transfer (default 1)",
    )
    p.add_argument("--keep-rhythm", action="store_true", help="rewrite: keep every onset and duration")
    p.add_argument(
        "--key",
        default=None,
        help='e.g. "D minor"; rewrite: every pitch in this key; arrange: the new parts in it (the tune as written)',
    )
    p.add_argument(
        "--seed",
        type=take_seed_value,
        default=0,
        help=f"random seed, 0 to {SEEDS - 1} as in the app (default 0: the same piece again each run; "
        "another seed, another take; said with the result)",
    )
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    # --to is required, but said by run_restyle (needs_a_style), which names the styles, as argparse's
    # "the following arguments are required" does not: the usage shows it required all the same
    p.usage = p.format_usage().removeprefix("usage: ").replace("[--to STYLE]", "--to STYLE").strip()
    p.set_defaults(run=run_restyle)


def take_seed_value(text: str) -> int:
    """``--seed``: a seed the app's seed box holds (0 to ``SEEDS`` - 1), as every take's seed is one: the seed
    said with the piece, typed in the app, draws it there, and a take's seed from the app writes it here. A
    seed past them named no take the app could list (an arrangement's place in its run past the last)."""
    value = int(text)  # not a whole number: argparse says so
    if not 0 <= value < SEEDS:
        raise argparse.ArgumentTypeError(
            f"a seed is a whole number from 0 to {SEEDS - 1}, as in the app, not {text}"
        )
    return value


def run_restyle(args: argparse.Namespace) -> int:
    from musestudio.cli_words import load_saying
    from musestudio.core.keys import KeySignature
    from musestudio.io import formats
    from musestudio.ml.generate import arrange as A
    from musestudio.ml.generate.arrange_styles import DEFAULT_STRENGTH
    from musestudio.ml.generate.model_grid import piece_at, piece_on_grid
    from musestudio.ml.generate.request import Options

    if args.to is None:
        raise BadInputError(needs_a_style())
    formats.kind_to_write(args.output)
    if args.output.exists() and same_file(args.output, args.input):
        # the restyled piece is another piece (Arrange leaves the other tracks out): the input must stay,
        # under any of its names (a hard link is rewritten in place)
        raise BadInputError(f"{args.output} is the input file: name another file for the restyled piece")
    mode = args.mode or ("rewrite" if args.engine else "arrange")
    if mode == "arrange" and args.engine:
        raise BadInputError("--engine chooses the rewrite engine: use it with --mode rewrite")
    if mode == "arrange" and args.keep_rhythm:
        raise BadInputError("--keep-rhythm is for --mode rewrite; arrange keeps the tune at --strength 0")
    strength = (
        args.strength if args.strength is not None else (DEFAULT_STRENGTH if mode == "arrange" else 1.0)
    )
    try:
        key = KeySignature.parse(args.key) if args.key else None
    except ValueError as e:
        raise BadInputError(str(e)) from None
    project = load_saying(args.input)
    if not _pitched(project):
        raise BadInputError(f"{args.input.name} has no pitched notes to restyle")
    file_tpb = project.ticks_per_beat  # the restyled piece is written at it, from the models' grid
    project = piece_on_grid(project)
    from musestudio.ml import learned

    to, styled = learned.resolve(args.to)  # the rewrite engines have no learned layers: its base style
    if mode == "arrange":
        to = args.to  # Arrange writes a learned style's parts with its own layers (generate.arrange)
    elif styled is not None and not args.json:
        print(f"note: restyling toward {to}, the style {styled.name!r} was learned from", file=sys.stderr)
    options = Options(
        style=to,
        variations=1,
        strength=strength,
        keep_rhythm=args.keep_rhythm,
        key=key,
        key_lock=key is not None,
        seed=args.seed,
        device=args.device,
    )
    started = time.perf_counter()
    kept = left_out = None
    if mode == "arrange":
        project, kept, left_out = _arranged(project, options)
        engine = A.ENGINE
    else:
        project, engine = _rewritten(project, options, args.engine or "gan"), args.engine or "gan"
    seconds = time.perf_counter() - started
    project = piece_at(project, file_tpb)
    formats.save(project, args.output)
    if formats.kind_of(args.output) != "muse":
        from musestudio.cli_words import midi_export_notes

        for note in midi_export_notes(project, args.output.name):
            print(f"note: {note}", file=sys.stderr)
    bars = len(bar_lines(project.time_signatures, project.ticks_per_beat, project.end)) - 1
    facts = {
        "engine": engine,
        "mode": mode,
        "to": args.to,
        "strength": strength,
        "seed": args.seed,  # the take's own, as every take says it: the same seed writes it again
        "seconds": round(seconds, 3),
        "path": str(args.output),
        "notes": project.note_count,
        "bars": bars,
    }
    if kept is not None:
        # Arrange: the share of the tune's notes found where they were (the goal keeps 85%)
        facts["tune_kept"] = round(kept, 3)
        facts["left_out"] = left_out
    if args.json:
        print(json.dumps(facts, indent=2))
    else:
        kept_text = (
            f", {kept:.0%} of the tune's notes kept at their time, on their note names"
            if kept is not None
            else ""
        )
        print(
            f"wrote {args.output}: {facts['notes']} notes in {bars} bars as {args.to} "
            f"({mode}, {engine}, seed {args.seed}, {seconds:.2f} s{kept_text})"
        )
        if left_out and (
            left_out["tracks"]
            or left_out["tracks_in_the_bars"]
            or left_out["notes_under_tune"]
            or left_out["notes_cut_short"]
        ):
            gone = [f"track {name}" for name in left_out["tracks"]]
            first, last = left_out["bars"]
            bars = f"bar {first}" if first == last else f"bars {first}-{last}"
            gone += [
                f"track {name} in {bars} (its other bars stay)" for name in left_out["tracks_in_the_bars"]
            ]
            if left_out["notes_under_tune"]:
                gone.append(
                    f"{left_out['notes_under_tune']} notes under the tune in {left_out['tune_track']}"
                )
            if left_out["notes_cut_short"]:
                gone.append(f"{left_out['notes_cut_short']} notes cut short where a higher note enters")
            print(f"left out (the arrangement's parts take their place): {'; '.join(gone)}")
    return 0


def needs_a_style() -> str:
    """What ``restyle`` without ``--to`` says: the styles to choose from. It took Bach unasked, and a pop
    or Celtic tune came back a chorale with nothing said; classify and the other commands read the input's
    style, but a restyle is the musician's choice of where to go."""
    from musestudio.ml import learned
    from musestudio.ml.styles import STYLES

    return f"restyle needs --to STYLE, the style to restyle into: one of {', '.join([*STYLES, *learned.names()])}"


def _rewritten(project: Project, options, engine: str) -> Project:
    """Every pitched track rewritten in the style by ``engine`` (drums kept)."""
    from musestudio.ml.generate.restyle import restyle

    for track in _pitched(project):
        notes = restyle(
            track.notes,
            options,
            engine,
            tpb=project.ticks_per_beat,
            time_signatures=project.time_signatures,
        )
        project = project.replace_track(track.with_notes(notes))
    return project


def tune_track(tracks) -> int:
    """The index of the track that carries the tune: the one named or heard as the melody."""
    from musestudio.ml.generate.parts_roles import guess_roles

    roles = guess_roles(tracks)
    return roles.index("melody") if "melody" in roles else 0


def _arranged(project: Project, options) -> tuple[Project, float, dict]:
    """The tune's track with the tune as arranged (its top line), the style's parts in new tracks after
    it, the other pitched tracks giving way to them in the arranged bars (their music before and after,
    an intro or a coda, stays; a track with none is left out) and drum tracks as they were; the share of
    the tune's notes still found in it (``eval.restyle.melody_kept``: a slower style may fold a few of a
    busy tune's quick notes into the note before); and what was left out, to be said."""
    from musestudio.core.timing import bar_lines
    from musestudio.core.track import DRUM_CHANNEL, TRACK_COLOURS, Track
    from musestudio.ml.eval.restyle import melody_kept
    from musestudio.ml.generate.arrange import arrange, under_the_tune
    from musestudio.ml.generate.arrange_styles import top_line

    pitched = _pitched(project)
    tune = pitched[tune_track(pitched)]
    result = arrange(tune.notes, options, tpb=project.ticks_per_beat, time_signatures=project.time_signatures)
    take = result.takes[0]
    out = project.replace_track(tune.with_notes(take.tune))
    gone, around = [], []
    # the other tracks give way where the arrangement comes in: after a pickup, at the tune's upbeat
    # (``arrange._band_enters``), so a band already playing goes on to it, with no silent downbeat between
    enters = max(take.start, min((n.start for n in take.notes), default=take.start))
    for t in project.tracks:
        if not t.is_drum and t.id != tune.id:
            kept = _outside(t.notes, enters, take.end)
            if kept:
                out = out.replace_track(t.with_notes(kept))
                around.append(part_name(t))
            else:
                out = out.remove_track(t.id)
                gone.append(part_name(t))
    for part in (p for p in take.parts if p.notes):  # a part the take's setting rests (a session's guitar)
        used = {t.channel for t in out.tracks}
        channel = next((c for c in range(16) if c != DRUM_CHANNEL and c not in used), 0)
        colour = TRACK_COLOURS[len(out.tracks) % len(TRACK_COLOURS)]
        out = out.add_track(Track(part.name, part.program, channel, colour=colour, notes=part.notes))
    under, cut = under_the_tune(tune.notes, project.ticks_per_beat)
    lines = bar_lines(project.time_signatures, project.ticks_per_beat, take.end)
    left_out = {
        "tracks": gone,  # pitched tracks with no music outside the arranged bars, an empty one too
        "tune_track": part_name(tune),
        "notes_under_tune": under,
        "notes_cut_short": cut,
        # tracks that give way in the arranged bars only (counted from 1) and keep the others
        "bars": [lines.index(take.start) + 1, lines.index(take.end)],
        "tracks_in_the_bars": around,
    }
    return out, melody_kept(top_line(tune.notes), take.tune, project.ticks_per_beat), left_out


def _outside(notes, start: int, end: int) -> tuple:
    """``notes`` outside ``start``..``end``: those that end by ``start`` or begin at ``end`` or later; one
    sounding into the arranged bars is cut where they begin."""
    return tuple(
        n if n.end <= start or n.start >= end else n.with_duration(start - n.start)
        for n in notes
        if n.start < start or n.start >= end
    )


# -- classify ------------------------------------------------------------------------------------------


def add_classify(sub) -> None:
    p = sub.add_parser(
        "classify",
        help="how much a MIDI or .muse file sounds like each built-in style (learned styles are named, "
        "not ranked)",
    )
    p.add_argument("input", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run_classify)


def run_classify(args: argparse.Namespace) -> int:
    from musestudio.cli_words import load_saying
    from musestudio.ml.generate import critic
    from musestudio.ml.generate.model_grid import piece_on_grid
    from musestudio.ml.styles import STYLES

    project = piece_on_grid(load_saying(args.input))
    notes = [n for t in _pitched(project) for n in t.notes]
    if not notes:
        raise BadInputError(f"{args.input.name} has no pitched notes to classify")
    probs = critic.heard_probabilities(
        critic.load_classifier(), notes, project.ticks_per_beat, project.time_signatures
    )
    ranked = dict(sorted(probs.items(), key=lambda kv: -kv[1]))
    learned = _learned_bases()
    if args.json:
        facts = {"styles": {k: round(v, 4) for k, v in ranked.items()}, "learned_not_ranked": learned}
        print(json.dumps(facts, ensure_ascii=False, indent=2))
    else:
        for name, p in ranked.items():
            print(f"{p * 100:5.1f}%  {STYLES[name].label if name in STYLES else name}")
        if learned:
            each = ", ".join(f"{name} from {STYLES[base].label}" for name, base in learned.items())
            print(
                f"note: your learned styles are not ranked, as the style classifier knows only the built-in "
                f"styles; each starts from one of them: {each}",
                file=sys.stderr,
            )
    return 0


def _learned_bases() -> dict[str, str]:
    """Each learned style's name and the built-in style it started from. ``classify`` cannot rank them:
    its classifier was trained on the built-in styles' corpora, and a learned style is low-rank layers on
    the generating models, not a class it can hear; what it can say is which built-in line each builds on."""
    from musestudio.ml import learned

    return {style.name: style.base_style for style in learned.all_styles()}


# -- evaluate restyle ----------------------------------------------------------------------------------


def add_evaluate_restyle(evaluations) -> None:
    """Register ``restyle`` under ``evaluate``'s own subcommands."""
    from musestudio.ml.engines import ENGINES, RESTYLE
    from musestudio.ml.eval.restyle import ARRANGE
    from musestudio.ml.generate.restyle import BASELINES
    from musestudio.ml.styles import STYLES

    every = [*BASELINES, *ENGINES[RESTYLE], ARRANGE]
    p = evaluations.add_parser(
        "restyle", help="transfer strength and content kept, every Restyle engine and Arrange"
    )
    p.add_argument("--split", default="test", choices=("valid", "test"))
    p.add_argument(
        "--engines",
        nargs="+",
        default=every,
        choices=every,
    )
    p.add_argument("--per-style", type=int, default=8, help="test phrases per style")
    p.add_argument("--bars", type=int, default=4)
    p.add_argument(
        "--strength", type=float, default=None, help="default: each one's own (arrange 0.5, rewrite 1.0)"
    )
    p.add_argument("--parts-model", type=Path, default=None, help="a parts checkpoint stem for arrange")
    p.add_argument("--judge", type=Path, default=None, help="a style classifier stem to judge with")
    p.add_argument(
        "--also-judge",
        type=Path,
        nargs="+",
        default=(),
        help="more style classifiers: their share classified as target is reported beside",
    )
    p.add_argument(
        "--sources",
        nargs="+",
        choices=list(STYLES),
        default=None,
        help="only the phrases of these styles (the same phrases the whole run draws), into every style",
    )
    p.add_argument("--targets", nargs="+", choices=list(STYLES), default=None, help="restyle into these only")
    p.add_argument(
        "--seed",
        type=seed_value,
        default=0,
        help="random seed of the phrases drawn (default 0: the same phrases each run; each is restyled with seed 0)",
    )
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
        args.split,
        args.engines,
        args.per_style,
        args.bars,
        args.strength,
        args.seed,
        args.cache_dir,
        parts_model=args.parts_model,
        judge_stem=args.judge,
        also_judges=args.also_judge,
        sources=args.sources,
        targets=args.targets,
    )
    windows = result.pop("_windows")
    if args.render_dir is not None:
        engines = [e for e in args.engines if e != "identity"]
        result["renders"] = render_examples(engines, windows, args.render_dir)
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
        return 0
    print(f"Restyle on {result['windows']} {args.split} phrases of {args.bars} bars")
    print(
        f"{'engine':<10}{'strength':>9}{'S_tot':>8}{'target':>8}{'chroma':>8}{'contour':>9}{'kept':>7}"
        f"{'tune':>7}{'tgt+tune':>9}{'in key':>8}{'pc ovl':>8}{'ioi ovl':>8}{'len ovl':>8}{'empty':>7}"
    )
    for engine, r in result["engines"].items():
        o, m = r["overall"], r["musicality"]
        print(
            f"{engine:<10}{r['strength']:>9.2f}{o['S_tot']:>8.3f}{o['target_share']:>8.3f}"
            f"{o['chroma_similarity']:>8.3f}{o['contour_correlation']:>9.3f}{o['melody_kept']:>7.3f}"
            f"{o['tune_kept']:>7.3f}{o['target_and_kept_share']:>9.3f}{m['in_key']:>8.3f}"
            f"{m['pitch_class_overlap']:>8.3f}{m['ioi_overlap']:>8.3f}{m['note_length_overlap']:>8.3f}"
            f"{o['empty_share']:>7.3f}"
        )
        for k in (k for k in o if k.startswith("target_share@")):
            name = k.split("@", 1)[1]
            print(
                f"{'':<10}judged by {name}: target {o[k]:.3f}, target and tune kept "
                f"{o['target_and_kept_share@' + name]:.3f}"
            )
        heard = ", ".join(f"{t} {v['target_share']:.2f}" for t, v in r["per_target"].items())
        print(f"{'':<10}heard as target, by target: {heard}")
    for r in result.get("renders", []):
        print(
            f"  {r['engine']:<8}{r['from']:>11} -> {r['to']:<11}{r['notes_per_bar']:>6} notes/bar  "
            f"pitch {r['lowest']}-{r['highest']}  {r['seconds']} s  sounding {r['sounding_share']:.0%}  "
            f"{r['rms_dbfs']} dBFS"
        )
    return 0
