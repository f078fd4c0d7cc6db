"""``musestudio`` / ``python -m musestudio``: the desktop app, or with ``--demo`` a headless demo.

Qt is imported only inside ``main`` (through ``musestudio.app``), so ``--demo`` and a frozen bundle's
worker processes start without it; ``freeze_support`` makes multiprocessing work in a PyInstaller build.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path

from musestudio import paths
from musestudio.cli import EXIT_BAD_INPUT, EXIT_OK, ArgumentParser, one_line
from musestudio.core.errors import BadInputError

DEMO_SEED = ("seeds", "demo.mid")
DEMO_STYLE = "pop"  # the demo seed is a pop groove: melody, keys, bass and drums


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(prog="musestudio", description="MuseStudio: compose with a piano roll.")
    # file and screenshot stay plain strings: that is what the GUI (musestudio.app.run_gui) takes
    parser.add_argument("file", nargs="?", help="a .muse project or MIDI file to open")
    parser.add_argument(
        "--screenshot", metavar="PATH", help="open the window, save a PNG of it to PATH and quit"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="no window: continue the bundled demo seed and write MIDI + WAV files",
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="run the app offscreen: open the demo seed, Continue it, keep the best take, "
        "render a WAV and print timings; exit 0 when all of it works",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"folder for --demo / --selftest output (default: {paths.default_output_dir() / 'demo'}"
        " or .../selftest)",
    )
    return parser


def run_demo(out_dir: Path | None) -> int:
    """Headless demo: the bundled seed goes through the same load / render / save code as the app."""
    from musestudio.audio.render import render_or_advise, write_wav
    from musestudio.io import formats

    out_dir = out_dir or paths.default_output_dir() / "demo"
    seed = paths.resource(*DEMO_SEED)
    project = formats.load(seed)
    print(f"demo seed: {seed}")
    project = continue_demo(project)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BadInputError(f"cannot create the output folder {out_dir}: {e.strerror or e}") from None
    midi_path, wav_path = out_dir / "demo.mid", out_dir / "demo.wav"
    formats.save(project, midi_path)
    print(f"MIDI: {midi_path}")
    write_wav(wav_path, render_or_advise(project))
    print(f"WAV:  {wav_path}")
    return EXIT_OK


def continue_demo(project):
    """The seed's pitched tracks continued by four bars with Continue's default engine (parts: each track in
    itself, hearing the others; drums pass through), when its model is installed."""
    from musestudio.io.midi import part_name
    from musestudio.ml import engines, sampling
    from musestudio.ml.checkpoint import CheckpointError
    from musestudio.ml.generate import parts
    from musestudio.ml.generate.parts_roles import guess_roles

    pitched = [t for t in project.tracks if t.notes and not t.is_drum]
    if not pitched:
        return project
    try:
        parts.load(None, sampling.pick_device("auto"))
    except CheckpointError as e:
        print(f"no Continue model ({e}), so the demo renders the seed itself")
        return project
    styles = engines.trained_styles(engines.CONTINUE, engines.PARTS) or (DEMO_STYLE,)
    style = DEMO_STYLE if DEMO_STYLE in styles else styles[0]
    ins = [
        parts.PartIn(tuple(t.notes), role, t.program)
        for t, role in zip(pitched, guess_roles(pitched), strict=True)
    ]
    result = parts.continue_parts(
        ins,
        tpb=project.ticks_per_beat,
        time_signatures=project.time_signatures,
        bars=4,
        options=parts.Options(style=style, variations=1, seed=1),
    )
    take = result.takes[0]
    names = ", ".join(repr(part_name(t)) for t in pitched)
    print(
        f"continued {names} by {take.bars} bars in the {style} style with the {result.engine} engine "
        f"({take.notes} notes, {result.seconds:.2f} s on {result.device})"
    )
    for track, notes in zip(pitched, take.parts, strict=True):
        project = project.replace_track(track.with_notes(track.notes + notes))
    return project


#: the first argument that makes this process the style trainer the Learn dialog starts (``ml.train.learn``'s
#: own arguments follow): a frozen bundle has no ``python -m``, so its executable is the trainer's too
LEARN_STYLE = "--learn-style"


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [LEARN_STYLE]:
        from musestudio.ml.train.learn import main as learn_main

        return learn_main(argv[1:])
    try:
        args = build_parser().parse_args(argv)
        if args.demo:
            return run_demo(args.out)
        if args.selftest:
            from musestudio.selftest import run_selftest

            return run_selftest(args.out)
    except BadInputError as e:
        print(f"error: {one_line(str(e))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else EXIT_OK
    from musestudio.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
