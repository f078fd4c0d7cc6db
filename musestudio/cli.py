"""``musestudio-cli``: the app's file, audio and (later) model functions from a terminal.

Each subcommand is one small ``add_*`` function that declares its arguments and one ``run_*`` function
that does the work through the same modules the app uses. New subcommands (continue, restyle, evaluate,
...) are added by appending their ``add_*`` function to ``COMMANDS``.

Exit codes: 0 success; 2 bad input or usage, with one ``error:`` line on stderr and never a traceback;
1 an internal fault (a bug: the traceback is printed for the report).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from musestudio import __version__
from musestudio.cli_words import load_saying
from musestudio.core.errors import BadInputError
from musestudio.core.keys import detect_key
from musestudio.core.project import Project
from musestudio.core.timing import beat_name, counted_bpm, project_seconds, ticks_to_bar_beat
from musestudio.ml.cli.continuation import add_continue, add_evaluate_continue, add_evaluate_jsb
from musestudio.ml.cli.learn import add_evaluate_style, add_learn, add_styles
from musestudio.ml.cli.parts import add_add_part, add_evaluate_parts, add_infill
from musestudio.ml.cli.restyle import add_classify, add_evaluate_restyle, add_restyle

EXIT_OK, EXIT_FAULT, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(BadInputError):
    """A command line argparse cannot make sense of."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so every error is one ``error:`` line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


Subparsers = argparse._SubParsersAction  # the type add_subparsers returns


# -- info ----------------------------------------------------------------------------------------------


def add_info(sub: Subparsers) -> None:
    p = sub.add_parser("info", help="describe a MIDI or .muse file")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run_info)


def describe(project: Project) -> dict:
    """The facts ``info`` reports. The key is the file's key signature, else the one the notes suggest; the
    length is the piece's, to the end of the silent bars a loop ends in (``Project.length``). A track's
    name is null where its file gave it none (``Track.name_event``), and as written where it gave one, an
    empty one too. The meter and key are the opening ones, each change after them listed with its bar: a
    song that turns to 3/4 or modulates was described as 4/4 in its first key throughout, though its tempo
    changes were counted. ``tempo_bpm`` is MIDI's quarter notes a minute, as it always was; ``tempo_beat``
    and ``tempo_beat_bpm`` are the tempo as the opening meter is counted ("dotted quarter", 120 for a
    jig its file holds at 180), as the text and the app's BPM box say it."""
    pitched = [n for t in project.tracks if not t.is_drum for n in t.notes]
    key = project.key or detect_key(pitched)
    tpb = project.ticks_per_beat
    return {
        "tracks": [
            {
                "name": t.name if t.name_event else None,
                "program": t.program,
                "is_drum": t.is_drum,
                "channel": t.channel + 1,
                "notes": len(t.notes),
                "controllers": len(t.controllers),
            }
            for t in project.tracks
        ],
        "notes": project.note_count,
        "tempo_bpm": project.tempo_bpm,
        "tempo_beat": beat_name(project.time_signature),
        "tempo_beat_bpm": counted_bpm(project.tempo_bpm, project.time_signature),
        "tempo_changes": len(project.tempos),
        "markers": [
            {
                "text": m.text,
                "beat": round(m.tick / tpb, 3),
                "seconds": round(project_seconds(project, m.tick), 3),
            }
            for m in project.markers
        ],
        "time_signature": str(project.time_signature),
        "meter_changes": [
            {"time_signature": str(sig), **_where(project, sig.tick)} for sig in project.time_signatures[1:]
        ],
        "key": key.name if key else None,
        "key_changes": [{"key": k.key.name, **_where(project, k.tick)} for k in project.key_changes],
        "duration_beats": round(project.length / project.ticks_per_beat, 3),
        "duration_seconds": round(project_seconds(project, project.length), 3),
    }


def _where(project: Project, tick: int) -> dict:
    """Where an event lies, as ``info`` says it: the bar (from 1) and the beat (from 0) it falls on."""
    bar = ticks_to_bar_beat(tick, project.time_signatures, project.ticks_per_beat).bar
    return {"bar": bar, "beat": round(tick / project.ticks_per_beat, 3)}


def _changes(changes: list[dict], field: str, shown: int = 3) -> str:
    """The meter or key changes after the opening one, each with its bar: " (3/4 from bar 5)"; past
    ``shown`` of them, how many more (a piece that changes meter every few bars keeps one line)."""
    if not changes:
        return ""
    said = [f"{c[field]} from bar {c['bar']}" for c in changes[:shown]]
    more = len(changes) - shown
    return " (" + ", ".join(said) + (f" and {more} more change{'s' * (more != 1)}" if more > 0 else "") + ")"


def run_info(args: argparse.Namespace) -> int:

    facts = describe(load_saying(args.file))
    from musestudio.io.midi import program_name

    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(args.file.name)
    changes = facts["tempo_changes"] - 1
    print(
        f"  {facts['tempo_beat_bpm']:g} BPM ({facts['tempo_beat']})"
        + (f" (+{changes} tempo change{'s' * (changes != 1)})" if changes else "")
        + f", {facts['time_signature']}{_changes(facts['meter_changes'], 'time_signature')}"
        + f", key {facts['key'] or 'unknown'}{_changes(facts['key_changes'], 'key')}, "
        f"{facts['duration_beats']:g} beats ({facts['duration_seconds']:.1f} s), {facts['notes']} notes"
    )
    names = [_shown_name(t["name"]) for t in facts["tracks"]]
    width = max(map(len, names), default=0)
    for i, (t, name) in enumerate(zip(facts["tracks"], names, strict=True), 1):
        sound = "Drum kit" if t["is_drum"] else f"{program_name(t['program'])} ({t['program']})"
        print(
            f"  {i:>2}. {name:<{width}}  ch {t['channel']:>2}  {sound:<28} {t['notes']:>5} notes"
            f"  {t['controllers']:>5} controllers"
        )
    for m in facts["markers"]:
        print(f"  marker at {m['seconds']:.3f} s (beat {m['beat']:g}): {m['text']}")
    return EXIT_OK


def _shown_name(name: str | None) -> str:
    """A track's name as ``info`` prints it: "(no name)" where it has none, or one of only spaces (its
    instrument is printed beside it)."""
    return name if name and name.strip() else "(no name)"


# -- convert -------------------------------------------------------------------------------------------


def add_convert(sub: Subparsers) -> None:
    p = sub.add_parser("convert", help="convert between .mid and .muse (chosen by extension)")
    p.add_argument("input", type=Path)
    p.add_argument("output", type=Path)
    p.set_defaults(run=run_convert)


def run_convert(args: argparse.Namespace) -> int:
    from musestudio.io import formats

    formats.kind_to_write(args.output)  # reject an unknown target before reading anything
    project = load_saying(args.input)
    formats.save(project, args.output)
    print(f"wrote {args.output}")
    if formats.kind_of(args.input) == "midi":
        from musestudio.io.midi import is_rmid_file

        if is_rmid_file(args.input):
            print(
                f"note: {args.input.name} is an RMID file (a MIDI file in a RIFF wrapper); "
                f"{args.output.name} holds the MIDI file inside it, without the wrapper",
                file=sys.stderr,
            )
    if formats.kind_of(args.output) != "muse":
        from musestudio.cli_words import midi_export_notes

        for note in midi_export_notes(project, args.output.name):
            print(f"note: {note}", file=sys.stderr)
    return EXIT_OK


# -- render --------------------------------------------------------------------------------------------


def add_render(sub: Subparsers) -> None:
    p = sub.add_parser("render", help="render to a 44.1 kHz 16-bit stereo WAV through FluidSynth")
    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True, help="the .wav file to write")
    p.add_argument("--soundfont", type=Path, help="a .sf2/.sf3 soundfont (default: the best installed)")
    p.set_defaults(run=run_render)


def run_render(args: argparse.Namespace) -> int:
    """Render as the app's mixer plays the piece: tracks a .muse file mutes (or leaves out by a solo) are
    left out, and stderr says which. When that leaves nothing to hear, the WAV is still written (a script
    rendering every take or stem gets a file for each, as it always did) and stderr says why it is silent."""
    from musestudio.audio.render import Rendering, left_out_tracks

    if args.output.suffix.lower() != ".wav":
        raise BadInputError(f"{args.output.name}: the output of render must be a .wav file")
    project = load_saying(args.input)
    from musestudio.io.midi import part_name

    left_out = ", ".join(
        f"{part_name(t)} ({'muted' if t.mute else 'not soloed'})" for t in left_out_tracks(project)
    )
    with Rendering(project, soundfont=args.soundfont) as rendering:
        rendering.write_wav(args.output)
    print(f"wrote {args.output} ({rendering.frames / rendering.sample_rate:.1f} s)")
    if left_out:
        print(f"note: left out, as the piece's mixer has them: {left_out}", file=sys.stderr)
    bad, total = rendering.damaged
    if rendering.silent:
        why = _why_silent(project, left_out, rendering.soundfont, rendering.damaged)
        print(f"note: {args.output.name} is silent: {why}", file=sys.stderr)
    elif bad:  # the instruments using them are missing from the WAV, which otherwise looks fine
        print(
            f"warning: the soundfont {rendering.soundfont} looks damaged: {bad} of its {total} samples point "
            f"outside its sample data, so the instruments using them are silent in {args.output.name}; "
            "choose another with --soundfont",
            file=sys.stderr,
        )
    return EXIT_OK


def _why_silent(project: Project, left_out: str, soundfont: Path | None, damaged: tuple[int, int]) -> str:
    """Why a render has no sound: the mixer, no notes, a damaged soundfont's silent samples (``damaged``:
    FluidSynth only warns of them as it loads it) or, failing those, notes too soft to sound."""
    from musestudio.audio.render import has_notes_to_render

    if has_notes_to_render(project):
        bad, total = damaged
        if bad:
            return (
                f"the soundfont {soundfont} looks damaged: {bad} of its {total} samples point outside its "
                "sample data, so they cannot sound; choose another with --soundfont"
            )
        return "its notes are too soft to sound"
    if left_out:
        return f"every track with notes is muted or left out by a solo ({left_out}); unmute or solo one in the app"
    return "the piece has no notes"


# -- ports and play ------------------------------------------------------------------------------------


def add_ports(sub: Subparsers) -> None:
    p = sub.add_parser("ports", help="list the MIDI input and output ports")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument(
        "--backend", choices=("alsa", "jack"), help="MIDI system (default: ALSA if present, else JACK)"
    )
    p.set_defaults(run=run_ports)


def run_ports(args: argparse.Namespace) -> int:
    from musestudio.midi.ports import MidiSystem

    with MidiSystem(args.backend) as system:
        facts = system.describe()
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"MIDI backend: {facts['backend'].upper()}")
    for title, names in (("inputs", facts["inputs"]), ("outputs", facts["outputs"])):
        print(f"{title}:" + ("" if names else " none"))
        for name in names:
            print(f"  {name}")
    return EXIT_OK


def add_play(sub: Subparsers) -> None:
    p = sub.add_parser("play", help="play a file to a MIDI port, or to the sound card")
    p.add_argument("file", type=Path)
    p.add_argument("--port", metavar="NAME", help="a MIDI output port (see 'ports'); default: the sound card")
    p.add_argument("--virtual", action="store_true", help='play to our own MIDI port "MuseStudio" instead')
    p.add_argument("--wait", type=float, default=0.0, metavar="S", help="wait S seconds before playing")
    p.add_argument("--clock", action="store_true", help="send MIDI clock, start and stop with the notes")
    p.add_argument(
        "--backend", choices=("alsa", "jack"), help="MIDI system (default: ALSA if present, else JACK)"
    )
    p.add_argument("--soundfont", type=Path, help="for the sound card: a .sf2/.sf3 soundfont")
    p.set_defaults(run=run_play)


def run_play(args: argparse.Namespace) -> int:
    import time

    if args.port is not None and args.virtual:
        raise BadInputError("give --port NAME or --virtual, not both")
    if args.wait < 0:
        raise BadInputError("--wait must not be negative")
    project = load_saying(args.file)
    seconds = project_seconds(project, project.length)  # a loop's silent bars play too
    if args.port is None and not args.virtual:
        from musestudio.audio.playback import output_device, play_to_device

        device = output_device()
        print(f"playing {args.file.name} ({seconds:.1f} s) on {device['name']}", flush=True)
        time.sleep(args.wait)
        play_to_device(project, soundfont=args.soundfont)
        return EXIT_OK
    from musestudio.midi.output import PortPlayer
    from musestudio.midi.ports import MidiSystem

    with MidiSystem(args.backend) as system, system.open_output(args.port, virtual=args.virtual) as port:
        where = f"the virtual port '{port.name}'" if args.virtual else f"'{port.name}'"
        print(f"playing {args.file.name} ({seconds:.1f} s) to {where} ({system.backend.upper()})", flush=True)
        time.sleep(args.wait)
        PortPlayer(port, project, clock=args.clock).run()
    return EXIT_OK


# -- evaluate ------------------------------------------------------------------------------------------

#: Each adds one ``evaluate WHAT`` subcommand (continue, jsb, restyle, ...).
EVALUATIONS: list[Callable[[Subparsers], None]] = [
    add_evaluate_continue,
    add_evaluate_jsb,
    add_evaluate_restyle,
    add_evaluate_parts,  # parts (issue 13)
    add_evaluate_style,  # learned styles (issue 16)
]


def add_evaluate(sub: Subparsers) -> None:
    p = sub.add_parser("evaluate", help="measure the models on a data split")
    evaluations = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    for add in EVALUATIONS:
        add(evaluations)


# -- entry point ---------------------------------------------------------------------------------------

#: Each adds one subcommand; later features append theirs here.
COMMANDS: list[Callable[[Subparsers], None]] = [
    add_info,
    add_convert,
    add_render,
    add_ports,
    add_play,
    add_styles,
    add_continue,
    add_restyle,
    add_classify,
    add_evaluate,
    add_add_part,  # parts (issue 13)
    add_infill,  # parts (issue 13)
    add_learn,  # learned styles (issue 16)
]


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(prog="musestudio-cli", description="MuseStudio from the command line.")
    parser.add_argument("--version", action="version", version=f"MuseStudio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # A name a damaged file gave a track may hold a lone surrogate, which the project keeps as it is: it
    # is printed escaped (as stderr prints it anyway), never the reason a command fails.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except BadInputError as e:
        print(f"error: {one_line(str(e))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as e:  # --help and --version end here, successfully
        return e.code if isinstance(e.code, int) else EXIT_OK
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `musestudio-cli info x.mid | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's documented exit for this
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - anything else is our bug: say so and show where
        if left_out := left_out_of_the_bundle(e):
            print(f"error: {left_out}", file=sys.stderr)
            return EXIT_BAD_INPUT
        traceback.print_exc()
        print(f"internal error: {type(e).__name__}: {one_line(str(e))} (please report this)", file=sys.stderr)
        return EXIT_FAULT


def left_out_of_the_bundle(error: Exception) -> str | None:
    """What to say when a command reached code the installed app does not carry: the bundle leaves out the
    training and evaluation code (and the data it reads), so ``evaluate parts`` and the like run only from a
    checkout. None for any other error, which stays a bug to report."""
    if not (getattr(sys, "frozen", False) and isinstance(error, ImportError)):  # ModuleNotFoundError too
        return None
    if not (error.name or "").startswith("musestudio."):
        return None
    return (
        "this command is not part of the installed app (it needs MuseStudio's training and evaluation "
        "code and data): run it from a source checkout of MuseStudio"
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":
    sys.exit(main())
