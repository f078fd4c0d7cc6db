"""The parts subcommands of ``musestudio-cli``: ``continue --tracks``, ``add-part``, ``infill``, ``evaluate parts``.

Tracks are numbered from 1 in file order, as ``info`` lists them (drum tracks count, but are never
written: they pass through untouched). Each pitched track gets a role: ``--roles`` states them (one per
track, comma-separated, ``-`` for "guess"), otherwise ``guess_roles`` reads the track names and the notes.
Errors a user can cause are BadInputErrors (one ``error:`` line, exit 2), as in the rest of the CLI.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from dataclasses import replace
from pathlib import Path

from musestudio.core.errors import BadInputError
from musestudio.core.played_in import heard_in, heard_on_grid, lean, leaned
from musestudio.core.timing import end_of_silent_bars
from musestudio.ml.generate.parts_roles import guess_roles
from musestudio.ml.parts_grammar import ROLES

#: GM program a new part gets when --program is not given
ROLE_PROGRAMS = {
    "melody": 0,
    "counter-melody": 73,
    "harmony": 52,
    "accompaniment": 0,
    "bass": 32,
    "free": 0,
}


def _track_numbers(text: str, n: int) -> list[int]:
    """``all`` or ``N,M`` (1-based) -> 0-based indices."""
    if text.strip().lower() == "all":
        return list(range(n))
    try:
        nums = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise BadInputError(f"--tracks takes 'all' or numbers like 1,2; got {text!r}") from None
    for x in nums:
        if not 1 <= x <= n:
            raise BadInputError(f"track {x} does not exist; the file has {n} tracks (see 'info')")
    if not nums:
        raise BadInputError("--tracks names no track")
    return sorted({x - 1 for x in nums})


def seed_value(text: str) -> int:
    """``--seed``: a whole number the random generators can take (a 64-bit signed integer)."""
    value = int(text)  # not a whole number: argparse says so
    if not -(2**63) <= value < 2**63:
        raise argparse.ArgumentTypeError(f"a seed is a whole number from -2^63 to 2^63-1, not {text}")
    return value


def develop_value(text: str) -> float:
    """``--develop``: a finite weight of 0 or more (a negative one would push lines away from the seed's
    figures; an infinite one is no weight)."""
    value = float(text)
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"--develop is a weight of 0 or more, not {text}")
    return value


def _within(bars: tuple[int, int], parts, project, drums=()) -> tuple[int, int]:
    """``--bars`` as bars of the piece: past its last note's bar there is no music to go with (and a part
    written there would lengthen the piece). ``drums``: drum notes a new part plays with (add-part), whose
    bars are the piece's too."""
    from musestudio.core.project import normalise_time_signatures
    from musestudio.ml.generate.parts import PartIn, piece_bars

    heard = [*parts, PartIn(tuple(drums))] if drums else parts
    n_bars = piece_bars(heard, project.ticks_per_beat, normalise_time_signatures(project.time_signatures))
    if bars[1] >= n_bars:
        raise BadInputError(
            f"bars {bars[0] + 1}-{bars[1] + 1} go past the end of the piece: it has {n_bars} bars"
        )
    return bars


def _bar_range(text: str) -> tuple[int, int]:
    """``A-B`` or ``A`` (1-based, inclusive) -> 0-based (first, last)."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", text)
    if not m:
        raise BadInputError(f"--bars takes A-B (1-based, inclusive), e.g. 3-4; got {text!r}")
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if a < 1 or b < a:
        raise BadInputError(f"--bars {text}: bars count from 1 and the range must not run backwards")
    return a - 1, b - 1


def pitch_range_of(text: str | None) -> tuple[int, int] | None:
    """``--pitch-range`` LOW-HIGH as a pair, None when not given; every engine honours it."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", text)
    if not m or not int(m.group(1)) <= int(m.group(2)) <= 127:
        raise BadInputError(f"--pitch-range takes LOW-HIGH MIDI numbers, e.g. 48-72; got {text!r}")
    return int(m.group(1)), int(m.group(2))


# -- shared options ------------------------------------------------------------------------------------


def _common(p: argparse.ArgumentParser) -> None:
    from musestudio.ml.cli.learn import SEED_STYLE_HELP, style_arg

    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True, help="folder for the takes")
    p.add_argument("--style", default=None, type=style_arg, help=SEED_STYLE_HELP)
    p.add_argument("--variations", type=int, default=4, help="takes to write (default 4)")
    p.add_argument(
        "--temperature", type=float, default=None, help="default: 0.9, 1.0 with a learned style (engines)"
    )
    p.add_argument("--top-p", type=float, default=None, help="default: 0.95, 1.0 with a learned style")
    p.add_argument("--seed", type=seed_value, default=None, help="random seed (default: a new one, printed)")
    p.add_argument("--engine", default="parts", choices=("parts",))
    p.add_argument("--key", default=None, help='the key for --key-lock, e.g. "D minor" (default: detected)')
    p.add_argument("--key-lock", action="store_true", help="only pitches of the key")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    rebar_flag(p)
    part_controls(p)


def rebar_flag(p: argparse.ArgumentParser) -> None:
    """``--rebar`` for the commands that count bars (``continue``, ``add-part``, ``infill``)."""
    p.add_argument(
        "--rebar",
        action="store_true",
        help="a piece in 1/4 throughout (a sequencer's beat grid) is read and written in the 4/4 bars from "
        "its downbeat, as the app's Edit > Re-bar does: --bars counts those bars, and the takes carry that "
        "meter (every note stays where it is)",
    )


def load_piece(args):
    """The input file (what reading it changed said on stderr, as every command says it); with ``--rebar`` a piece in 1/4 throughout gets the 4/4 bars it is heard in
    (``core.timing.beat_grid_rebarred``), and without it such a piece is read as written, with a note
    saying that its bars are single beats.

    The piece comes on the models' grid (``model_grid``: a file of 90 ticks a beat at 180) and
    ``args.file_tpb`` keeps the file's own resolution, which the takes are written at (``TakeFiles``)."""
    from musestudio.cli_words import load_saying
    from musestudio.core.timing import beat_grid_rebarred
    from musestudio.ml.generate.model_grid import piece_on_grid

    project = load_saying(args.input)
    args.file_tpb = project.ticks_per_beat
    project = piece_on_grid(project)
    rebarred = beat_grid_rebarred(project)
    name = args.input.name
    if rebarred is not None and args.rebar:
        first = rebarred.time_signatures[0]
        pickup = (
            f" after a {first.numerator}/{first.denominator} bar" if len(rebarred.time_signatures) > 1 else ""
        )
        print(f"note: {name} re-barred in 4/4{pickup}; the takes carry that meter", file=sys.stderr)
        return rebarred
    if rebarred is not None:
        print(
            f"note: {name} is in 1/4 throughout: its bars are single beats, so bars count beats and the "
            "models hear it a beat a bar; --rebar reads and writes it in the 4/4 bars it is heard in",
            file=sys.stderr,
        )
    elif args.rebar:
        print(
            f"note: --rebar: {name} is not in 1/4 throughout; its bars are read as written", file=sys.stderr
        )
    return project


def part_controls(p: argparse.ArgumentParser) -> None:
    """The per-part controls (also added to ``continue``)."""
    p.add_argument(
        "--roles", default=None, help="a role per track in file order, e.g. melody,accompaniment,-"
    )
    p.add_argument("--pitch-range", default=None, help="LOW-HIGH MIDI pitches for the written part(s)")
    p.add_argument("--density", type=float, default=None, help="notes per bar (default: the part's own)")
    p.add_argument("--voices", type=int, default=None, help="voices per part: 1 is a single line")
    p.add_argument("--model", type=Path, default=None, help="model stem (default: models/parts)")
    p.add_argument(
        "--develop",
        type=develop_value,
        default=None,
        help="how strongly single lines reuse the seed's and their own figures (default: the model's, 3; 0 = off)",
    )
    p.add_argument(
        "--free-voices",
        action="store_true",
        help="no voice-leading rules for single-line harmony and bass parts (parallels, chord tones on the beat)",
    )


def _load(args, writes=lambda project: (), over_drums: bool = False):
    """(project, the indices of the pitched tracks the parts model reads, PartIns for them) with roles
    stated or guessed. ``writes(project)``: the indices of the tracks the command writes in; an empty track
    it does not write is no part (``engines.reads_as_part``), left in the file as it is and out of the
    role guessing, where a silent track would pass for a line at middle C. ``over_drums`` (add-part): a
    file whose only notes are drums is music to write a part to; its style, unless given, is
    ``request.DRUMS_ONLY_STYLE`` (drums alone are no reading of a style, and a beat is no chorale)."""
    from musestudio.ml.engines import reads_as_part
    from musestudio.ml.generate.parts import PartIn
    from musestudio.ml.generate.request import drums_alone

    if args.output.exists() and not args.output.is_dir():
        raise BadInputError(f"{args.output} is a file; give a folder for the takes")
    project = load_piece(args)
    pitched = [i for i, t in enumerate(project.tracks) if not t.is_drum]
    drums_only = over_drums and drums_alone(project.tracks)
    if not pitched and not drums_only:
        raise BadInputError(f"{args.input.name} has no pitched track")
    written = set(writes(project))
    pitched = [i for i in pitched if reads_as_part(project.tracks[i].notes, i in written)]
    roles = guess_roles([project.tracks[i] for i in pitched])
    if args.roles:
        stated = [r.strip() for r in args.roles.split(",")]
        if len(stated) != len(project.tracks):
            raise BadInputError(f"--roles names {len(stated)} roles for {len(project.tracks)} tracks")
        for j, i in enumerate(pitched):
            if stated[i] not in ("-", ""):
                if stated[i] not in ROLES:
                    raise BadInputError(f"unknown role {stated[i]!r}; choose one of {', '.join(ROLES)}")
                roles[j] = stated[i]
    tpb = project.ticks_per_beat  # a track played in is heard on the beat, as the app hears it
    parts = [
        PartIn(heard_on_grid(project.tracks[i].notes, tpb), roles[j], project.tracks[i].program)
        for j, i in enumerate(pitched)
    ]
    if args.style is None and drums_only:
        from musestudio.ml.generate.request import DRUMS_ONLY_STYLE

        args.style = DRUMS_ONLY_STYLE
    elif args.style is None:
        from musestudio.ml.cli.learn import style_of_seed
        from musestudio.ml.engines import CONTINUE, PARTS

        # every parts command runs the one parts model: its styles are the same for each mode
        notes = [n for i in pitched for n in project.tracks[i].notes]
        args.style = style_of_seed(notes, project, CONTINUE, PARTS)
    return project, pitched, parts


def _check_part_count(args, parts, new: int = 0, instead: str = "", empty_instead: str = "") -> None:
    """A file with more pitched tracks than the parts model reads (``engines.too_many_parts``: the
    ``parts`` it reads, the ``new`` parts to add among them) is said in the file's terms, with what to do
    ``instead``; ``empty_instead`` when it is the empty tracks the command writes in that do not fit."""
    from musestudio.ml.engines import too_many_parts

    pitched = len(parts)
    too_many = too_many_parts(pitched, new)
    if too_many is None:
        return
    empty = sum(not p.notes for p in parts)  # in ``parts``: written in, each a new part
    if empty and too_many_parts(pitched - empty, new) is None:
        raise BadInputError(
            f"{args.input.name} has {pitched - empty} pitched tracks with notes and {empty} empty "
            f"{'one' if empty == 1 else 'ones'} to write in, and the parts model reads at most "
            f"{too_many.most}{empty_instead}"
        )
    have = (
        f"{args.input.name} has {pitched} pitched tracks (drums and empty tracks do not count) and the "
        f"parts model reads at most {too_many.most}"
    )
    if not new:
        raise BadInputError(f"{have}{instead}")
    raise BadInputError(
        f"{have}, the new parts among them: there is room for {too_many.room} new part(s), not {new}"
        if too_many.room
        else f"{have}, a new part among them: there is no room for another; delete a track to add one"
    )


def _lean(project, pitched) -> int:
    """The pitched tracks' steady lean off the beat (``core.played_in.lean``): what is written takes it,
    as the app's takes do."""
    return lean((project.tracks[i].notes for i in pitched), project.ticks_per_beat)


def _options(args):
    from musestudio.core.keys import KeySignature
    from musestudio.ml.generate.parts import Options

    try:
        key = KeySignature.parse(args.key) if args.key else None
    except ValueError as e:
        raise BadInputError(str(e)) from None
    from musestudio.ml.engines import PARTS, default_temperature, default_top_p

    if args.temperature is None:  # the flags leave the defaults to the engine and style
        args.temperature = default_temperature(PARTS, args.style)
    if args.top_p is None:
        args.top_p = default_top_p(PARTS, args.style)
    return Options(
        style=args.style,
        temperature=args.temperature,
        top_p=args.top_p,
        variations=args.variations,
        key=key,
        key_lock=args.key_lock,
        seed=args.seed,
        device=args.device,
        model=args.model,
        develop=getattr(args, "develop", None),
        voice_leading=not getattr(args, "free_voices", False),
    )


def _controls(part, args):
    return replace(
        part, pitch_range=pitch_range_of(args.pitch_range), density=args.density, voices=args.voices
    )


def take_folder(folder: Path) -> None:
    """Before any take is drawn: a folder the takes cannot go to (a file in its way, one that cannot be
    written) is said at once. Nothing is made yet: a command that fails later leaves no empty folder."""
    from musestudio.io.files import save_error

    there = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if there is not None and not there.is_dir():
        raise save_error(folder, NotADirectoryError(20, "Not a directory", str(there)))
    if there is not None and not os.access(there, os.W_OK | os.X_OK):
        raise save_error(folder, PermissionError(13, "Permission denied", str(there)))


class TakeFiles:
    """The takes a command writes as MIDI files: each one's line in the report (``lines``), and what MIDI
    changed from the piece as the app plays it (``cli_words``: a track moved to a channel of its own,
    a muted track that plays...), said once for the takes (``said``). Each is written at ``tpb``, the
    input file's resolution, from the piece on the models' grid (``load_piece``)."""

    def __init__(self, tpb: int) -> None:
        self.tpb = tpb
        self.lines: list[dict] = []
        self._notes: dict[str, list[str]] = {}  # each take file's name: its notes

    def save(self, project, path: Path, notes: int, bars: int, seed: int) -> None:
        """Write one take (its folder made when needed); its line in the report says its own ``seed`` (the
        command with that seed and one variation writes it again: a take drawn anew for an empty one has
        no other way to be found) and when it replaced a file of that name (a take of an earlier run in
        the same folder)."""
        from musestudio.cli_words import midi_export_notes
        from musestudio.io import formats
        from musestudio.io.files import save_error
        from musestudio.ml.generate.model_grid import piece_at

        project = piece_at(project, self.tpb)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (OSError, ValueError) as e:
            raise save_error(path.parent, e) from None
        replaced = path.exists()
        formats.save(project, path)
        self.lines.append(
            {"path": str(path), "notes": notes, "bars": bars, "seed": seed, "replaced": replaced}
        )
        self._notes[path.name] = midi_export_notes(project, "the takes")

    def said(self) -> list[str]:
        """Each note once: as it is when every take has it, else after the name of each take that does."""
        every = set.intersection(*map(set, self._notes.values())) if self._notes else set()
        common = [n for n in next(iter(self._notes.values()), []) if n in every]
        return common + [
            f"{name}: {n}" for name, notes in self._notes.items() for n in notes if n not in every
        ]


def say_left_out(checked) -> None:
    """Say on stderr what ``service.check_takes`` left out of the takes asked for: those still empty (or
    opening on an empty bar) after drawing again, and those still repeating another take. When that is
    every take, the run failed (exit 2): "0 takes" with exit 0 sent a script on to files never written."""
    if not checked.takes:
        raise BadInputError(
            f"every take came back empty even when drawn again ({checked.unfit} asked for); nothing was "
            "written: try another --seed, or give the model more music to go on from"
        )
    from musestudio.cli_words import counted

    if checked.unfit:
        print(
            f"note: {counted(checked.unfit, 'take')} came back empty even when drawn again; left out",
            file=sys.stderr,
        )
    if checked.repeats:
        print(
            f"note: {counted(checked.repeats, 'take')} repeated another take even when drawn again; left out",
            file=sys.stderr,
        )


def checked_parts(result, redraw, project, context, original=None):
    """``result`` (a parts run) with its empty takes, or ones opening on an empty bar, drawn again as the
    app draws Parts takes again (``service.check_takes``, ``service.take_is_fit``): ``redraw(n, seed)``
    runs the command again for n takes from that seed. Any still empty are left out and said: a take
    that is the input unchanged ("0 new notes") is no take, and for infill it is the track with its bars
    emptied. ``context`` is what the takes go on from or around; ``original``, for Add a part, the music
    the new part goes with (it may rest where that rests)."""
    from musestudio.ml.generate.parts_service import take_end
    from musestudio.ml.generate.service import check_takes
    from musestudio.ml.generate.take_checks import empty_first_bar

    tpb, sigs = project.ticks_per_beat, project.time_signatures

    def as_raw(run):
        return [
            (tuple(n for p in t.parts for n in p), t.start, take_end(t.start, t.bars, tpb, sigs), t.seed, t)
            for t in run.takes
        ]

    def fit(take) -> bool:
        notes, start, end, *_ = take
        return bool(notes) and not empty_first_bar(
            notes,
            start,
            end,
            tpb=tpb,
            time_signatures=sigs,
            context=context,
            original=original,
            added_part=original is not None,
        )

    checked = check_takes(as_raw(result), lambda n, seed: as_raw(redraw(n, seed)), fit, len(result.takes))
    say_left_out(checked)
    return replace(result, takes=tuple(t[-1] for t in checked.takes))


def report_takes(args, result, written: TakeFiles, what: str) -> int:
    """What every take-writing command prints: the contract's JSON with ``--json``, else a line per take;
    and, on stderr, what MIDI changed in the takes from the piece as the app plays it, as ``convert``
    says it."""
    from musestudio.cli_words import counted

    for note in written.said():
        print(f"note: {note}", file=sys.stderr)
    takes = written.lines
    facts = {
        "engine": result.engine,
        **_style_facts(args, result),
        "device": result.device,
        "seconds": round(result.seconds, 3),
        "seed": result.seed,
        "takes": takes,
    }
    for key in ("temperature", "top_p"):  # how the command sampled, when it does
        if getattr(args, key, None) is not None:
            facts[key] = getattr(args, key)
    if args.json:
        print(json.dumps(facts, indent=2))
    else:
        print(
            f"{counted(len(takes), 'take')}{what} ({result.engine}, {facts['style']}, {result.device}, "
            f"seed {result.seed}, {result.seconds:.2f} s)"
        )
        for t in takes:
            again = " (it replaces the file of that name)" if t["replaced"] else ""
            print(
                f"  wrote {t['path']}{again}: {counted(t['notes'], 'new note')} in {counted(t['bars'], 'bar')}, "
                f"seed {t['seed']}"
            )
    return 0


def _style_facts(args, result) -> dict:
    """The style the takes are in, as the app's Takes list names it: a learned style by its own name, with
    ``from``, the built-in style it was learned from (the engines report that one: they condition on it),
    as ``learn`` and ``styles --json`` say it. Reporting only the base style hid the learned one."""
    from musestudio.ml import learned

    asked = getattr(args, "style", None)
    styled = learned.resolve(asked)[1] if asked else None
    if styled is None:
        return {"style": result.style}
    return {"style": styled.name, "from": result.style}


# -- continue --tracks ---------------------------------------------------------------------------------


def run_continue_parts(args: argparse.Namespace) -> int:
    """``continue`` with ``--tracks`` or ``--engine parts``: each listed track continues in itself; the
    others (and drums) stay as they are. Without --tracks every pitched track continues, an empty one too
    while the parts model has room for it (``_no_room_in``)."""
    from musestudio.ml.generate.parts import continue_parts

    for name in ("roles", "pitch_range", "density", "voices", "model"):
        if not hasattr(args, name):
            setattr(args, name, None)

    every = not getattr(args, "tracks", None) or args.tracks.strip().lower() == "all"

    def continued(project) -> list[int]:  # the tracks --tracks names, or every one there is room for
        if every:
            left = _no_room_in(project)
            return [i for i in range(len(project.tracks)) if i not in left]
        wanted = _track_numbers(args.tracks, len(project.tracks))
        drums = [i + 1 for i in wanted if project.tracks[i].is_drum]
        if drums:
            raise BadInputError(f"track {drums[0]} is a drum track: drums pass through untouched")
        return wanted

    project, pitched, parts = _load(args, continued)
    _check_part_count(
        args,
        parts,
        instead="; continue --engine transformer reads them as one stream",
        empty_instead="; name fewer tracks with --tracks",
    )
    if every:
        _say_left_empty(args, project, _no_room_in(project))
    wanted = set(continued(project))
    listed = [j for j, i in enumerate(pitched) if i in wanted]
    parts = [_controls(p, args) if j in listed else p for j, p in enumerate(parts)]
    take_folder(args.output)  # before the takes are drawn: a folder that cannot be made is said at once
    options = _options(args)

    def draw(n: int, seed: int | None):
        return continue_parts(
            parts,
            tpb=project.ticks_per_beat,
            time_signatures=project.time_signatures,
            bars=args.bars,
            listed=listed,
            after=end_of_silent_bars(project),  # a loop goes on after its silent bars, not in them
            options=replace(options, variations=n, seed=seed),
        )

    seed_notes = [note for p in parts for note in p.notes]
    result = checked_parts(draw(options.variations, options.seed), draw, project, seed_notes)
    takes = TakeFiles(args.file_tpb)
    by = _lean(project, pitched)
    for n, take in enumerate(result.takes, 1):
        out = project
        for j, i in enumerate(pitched):
            if take.parts[j]:
                track = out.tracks[i]
                out = out.replace_track(track.with_notes((*track.notes, *leaned(take.parts[j], by))))
        takes.save(
            out, args.output / f"{args.input.stem}_parts_take{n}.mid", take.notes, take.bars, take.seed
        )
    from musestudio.cli_words import counted

    return report_takes(
        args, result, takes, f": {counted(args.bars, 'bar')} of {counted(len(listed), 'track')}"
    )


def _no_room_in(project) -> list[int]:
    """The empty pitched tracks continuing every track has no room to write in, as the app's Continue in
    all tracks (``engines.no_room_for``): left as they are."""
    from musestudio.ml.engines import no_room_for

    pitched = [i for i, t in enumerate(project.tracks) if not t.is_drum]
    return [pitched[k] for k in no_room_for([project.tracks[i].notes for i in pitched])]


def _say_left_empty(args, project, left: list[int]) -> None:
    """Say on stderr which empty tracks the takes leave as they are (``_no_room_in``), as the app says it."""
    from musestudio.io.midi import part_name
    from musestudio.ml.engines import MAX_PARTS

    if left:
        names = ", ".join(f"{i + 1} ({part_name(project.tracks[i])!r})" for i in left)
        which = f"tracks {names} stay" if len(left) > 1 else f"track {names} stays"
        print(
            f"note: {which} empty in the takes of {args.input.name}: the parts model reads at most "
            f"{MAX_PARTS} tracks, and the tracks with notes come first",
            file=sys.stderr,
        )


# -- add-part ------------------------------------------------------------------------------------------


def add_add_part(sub) -> None:
    p = sub.add_parser(
        "add-part", help="write a new part (harmony, bass, ...) with the others; one MIDI per take"
    )
    _common(p)
    p.add_argument(
        "--role",
        required=True,
        help="harmony|bass|accompaniment|counter-melody|melody; several comma-separated are written together",
    )
    p.add_argument("--program", type=int, default=None, help="GM program 0-127 (default: one for the role)")
    p.add_argument("--bars", default=None, help="A-B, 1-based inclusive (default: the whole piece)")
    p.set_defaults(run=run_add_part)


def run_add_part(args: argparse.Namespace) -> int:
    """The input plus the new part(s), each its own track. ``--role harmony --voices N`` writes N
    single-line harmony tracks (as the chorale and quartet data have them); ``--role accompaniment`` is one
    chordal track. Over drums alone, an input with no key signature comes out with the key the parts were
    written in (as Keep gives the piece in the app); one with a key signature keeps it as it was."""
    from musestudio.core.track import TRACK_COLOURS, Track
    from musestudio.ml.generate.parts import PartIn, add_part
    from musestudio.ml.generate.request import key_over_drums, with_key_written_in

    roles = [r.strip() for r in args.role.split(",") if r.strip()]
    for r in roles:
        if r not in ROLES or r == "free":
            raise BadInputError(
                f"unknown role {r!r}; choose harmony, bass, accompaniment, counter-melody or melody"
            )
    if args.program is not None and not 0 <= args.program <= 127:
        raise BadInputError(f"--program must be a GM program 0-127, got {args.program}")
    project, pitched, parts = _load(args, over_drums=True)
    voices = args.voices
    news = []
    for r in roles:
        if r == "harmony" and len(roles) == 1 and (voices or 1) > 1:
            # the data's harmony under a tune is at most four lines (a chorale's ATB, a quartet)
            if voices > 4:
                raise BadInputError(f"--role harmony writes 1..4 voices, not {voices}")
            count, each = voices, 1
        else:
            count, each = 1, voices
        program = args.program if args.program is not None else ROLE_PROGRAMS[r]
        news += [
            PartIn(
                (),
                r,
                program,
                pitch_range=pitch_range_of(args.pitch_range),
                density=args.density,
                voices=each,
            )
            for _ in range(count)
        ]
    _check_part_count(args, parts, len(news))
    # the drums are the band too: a new part plays where they play, as a bass plays with the drums
    drums = heard_on_grid([n for t in project.tracks if t.is_drum for n in t.notes], project.ticks_per_beat)
    held = [s for t in project.tracks if not t.is_drum for s in t.pedal_held()]  # a pedalled chord sounds
    bars = _within(_bar_range(args.bars), parts, project, drums) if args.bars else None
    take_folder(args.output)  # before the takes are drawn: a folder that cannot be made is said at once
    options = _options(args)
    key = key_over_drums(project.tracks, project.key, options.key)
    if key is not None:
        _say_key_over_drums(args, project, options.key, key)
        options = replace(options, key=key)

    def draw(n: int, seed: int | None):
        return add_part(
            parts,
            news,
            tpb=project.ticks_per_beat,
            time_signatures=project.time_signatures,
            bars=bars,
            options=replace(options, variations=n, seed=seed),
            drums=drums,
            held=held,
        )

    everything = [note for p in parts for note in p.notes]
    band = [*everything, *drums]  # a take may open on a rest only where the whole band rests
    result = checked_parts(draw(options.variations, options.seed), draw, project, everything, band)
    used = {t.channel for t in project.tracks}
    channels = [c for c in range(16) if c != 9 and c not in used] or [0]
    takes = TakeFiles(args.file_tpb)
    label = "-".join(dict.fromkeys(roles))
    by = _lean(project, pitched)
    for n, take in enumerate(result.takes, 1):
        out = with_key_written_in(project, key)  # a beat with no key signature says the part's key
        for j, part in enumerate(news):
            notes = leaned(take.parts[len(parts) + j], by)
            name = part.role.replace("-", " ").capitalize() + (f" {j + 1}" if len(news) > 1 else "")
            colour = TRACK_COLOURS[(len(out.tracks)) % len(TRACK_COLOURS)]
            out = out.add_track(
                Track(
                    name=name,
                    program=part.program,
                    channel=channels[j % len(channels)],
                    colour=colour,
                    notes=notes,
                )
            )
        takes.save(
            out, args.output / f"{args.input.stem}_{label}_take{n}.mid", take.notes, take.bars, take.seed
        )
    return report_takes(args, result, takes, f": {label} added")


def _say_key_over_drums(args, project, given, key):
    """Say on stderr the key a part added over drums alone is written in (``request.key_over_drums``:
    ``--key``, else the file's key signature, else the default; drums have no key to hear) and why, and
    that a file with no key signature comes out with it (``request.with_key_written_in``)."""
    why = "--key" if given else "the file's key signature" if project.key else "no key given"
    unsigned = project.key is None and not project.key_changes
    print(
        f"note: {args.input.name} has only drums, so the new part is written to its beat in {key.name} "
        f"({why}; --key chooses another) and the {args.style} style"
        + (f"; the takes' files say {key.name} as their key signature" if unsigned else ""),
        file=sys.stderr,
    )


# -- infill --------------------------------------------------------------------------------------------


def add_infill(sub) -> None:
    p = sub.add_parser("infill", help="rewrite some bars of one track around everything else")
    _common(p)
    p.add_argument("--track", type=int, required=True, help="track number as 'info' lists it (1-based)")
    p.add_argument("--bars", required=True, help="A-B, 1-based inclusive")
    p.set_defaults(run=run_infill)


def run_infill(args: argparse.Namespace) -> int:
    """Only the notes of ``--track`` that start in ``--bars`` are replaced; every other note is kept."""
    from musestudio.ml.generate.parts import infill

    project, pitched, parts = _load(args, lambda project: (args.track - 1,))
    _check_part_count(args, parts)
    n = args.track
    if not 1 <= n <= len(project.tracks):
        raise BadInputError(
            f"track {n} does not exist; the file has {len(project.tracks)} tracks (see 'info')"
        )
    if project.tracks[n - 1].is_drum:
        raise BadInputError(f"track {n} is a drum track: drums pass through untouched")
    a, b = _within(_bar_range(args.bars), parts, project)
    j = pitched.index(n - 1)
    parts[j] = _controls(parts[j], args)
    take_folder(args.output)  # before the takes are drawn: a folder that cannot be made is said at once
    options = _options(args)

    def draw(n: int, seed: int | None):
        return infill(
            parts,
            j,
            tpb=project.ticks_per_beat,
            time_signatures=project.time_signatures,
            bars=(a, b),
            options=replace(options, variations=n, seed=seed),
        )

    everything = [note for p in parts for note in p.notes]
    result = checked_parts(draw(options.variations, options.seed), draw, project, everything)
    takes = TakeFiles(args.file_tpb)
    track = project.tracks[n - 1]
    by = _lean(project, pitched)
    for k, take in enumerate(result.takes, 1):
        # the notes heard in the bars give way, as in the app (one played just before a bar line included)
        gone = heard_in(track.notes, take.start, _bar_end(project, b), project.ticks_per_beat)
        kept = [x for x in track.notes if x.id not in gone]
        out = project.replace_track(track.with_notes((*kept, *leaned(take.parts[j], by))))
        takes.save(
            out, args.output / f"{args.input.stem}_infill_take{k}.mid", take.notes, take.bars, take.seed
        )
    bars = f"bar {a + 1}" if a == b else f"bars {a + 1}-{b + 1}"
    return report_takes(args, result, takes, f": {bars} of track {n}")


def _bar_end(project, last_bar: int) -> int:
    from musestudio.ml.generate.parts import bar_starts

    return bar_starts(project.time_signatures, project.ticks_per_beat, last_bar + 1)[last_bar + 1]


# -- evaluate parts ------------------------------------------------------------------------------------


def add_evaluate_parts(sub) -> None:
    p = sub.add_parser(
        "parts", help="the parts model: NLL with/without the other parts, chorales, pop, continue"
    )
    p.add_argument("--split", default="test", choices=("valid", "test"))
    p.add_argument("--model", type=Path, default=None, help="model stem (default: models/parts)")
    p.add_argument("--per-style", type=int, default=6, help="pieces per style and section (default 6)")
    p.add_argument("--seed", type=seed_value, default=7)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(run=run_evaluate_parts)


def run_evaluate_parts(args: argparse.Namespace) -> int:
    from musestudio.ml.eval import parts as evaluate

    return evaluate.run(args)
