"""One composer's pieces as MIDI files a user could hand to ``musestudio-cli learn`` (issue 16's figures).

Issue 16's goal names "one composer's pieces" as a set to learn a style from. The shared Piano-midi.de copy
has no composer names (``piano_midi_files.py``), so its set mixes composers; the music21 corpus that ships
with the training extra does name them. Its composers with enough pieces of a few minutes are the string
quartets of Beethoven (22 files), Mozart (15) and Haydn (9), and Monteverdi's madrigals (48). Each set is
one composer's: eight pieces to learn from and pieces of *other works* held out, so a held-out file is
never a movement of a quartet the style learnt (a movement of the same work shares its keys and themes,
which would flatter the figure):

- ``beethoven``: learn the Razumovsky quartets Op. 59 No. 1 and No. 2 (all eight movements); hold out
  Op. 59 No. 3 and Op. 18 No. 1 (eight movements).
- ``mozart``: learn K. 80 and K. 156 (eight movements); hold out K. 155 and K. 458 (seven).
- ``monteverdi``: learn the first eight five-voice madrigals of the Third Book; hold out the first eight
  of the Fourth.

Overlap with the training data (the model card has the detail): the quartets are the base Continue
transformer's *Classical* training data (``data.corpus.source_files("classical")``: every Beethoven, Mozart
and Haydn quartet file of the corpus, split by SPLITS.md's hash), so it has learnt most of these movements
under its Classical token; the parts model learnt them too from session 14 on (its ``classical`` source),
so the quartet sets no longer measure what a style adds to a model new to the music. No shipped model
learnt Monteverdi (the Palestrina style is the nearest): his set is a composer new to both models, as a
user's would be.

Each piece becomes one file, in the fixed order above: each part a track with the score's part name (a
quartet's usual names where the score has none or repeats one) and its General MIDI program (violin 40,
viola 41, cello 42, voices 52), the score's meters, first tempo mark (else 120) and key signature; repeats
are not expanded (notes as written, as a notation program exports them). Notes come from the training
data's own converter (``data.corpus.score_to_piece_fields``: pickups moved to bar 0's end, ties merged), so
a file's bars are the score's.

Needs music21 (the training extra, installed in the project's .venv):

    .venv/bin/python benchmarks/composer_midi_files.py beethoven|mozart|monteverdi LEARN_DIR HELD_DIR [--list]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from musestudio.core.keys import KeySignature
from musestudio.core.project import Project, TempoChange
from musestudio.core.track import Track
from musestudio.io.midi import write_midi
from musestudio.ml.data import corpus


def _movements(work: str, count: int) -> tuple[str, ...]:
    return tuple(f"{work}/movement{i}.mxl" for i in range(1, count + 1))


#: composer -> (movements to learn from, movements held out), paths under music21's corpus folder
SETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "beethoven": (
        _movements("beethoven/opus59no1", 4) + _movements("beethoven/opus59no2", 4),
        _movements("beethoven/opus59no3", 4) + _movements("beethoven/opus18no1", 4),
    ),
    "mozart": (
        _movements("mozart/k80", 4) + _movements("mozart/k156", 4),
        _movements("mozart/k155", 3) + _movements("mozart/k458", 4),
    ),
    "monteverdi": (
        tuple(f"monteverdi/madrigal.3.{i}.mxl" for i in range(1, 9)),
        tuple(f"monteverdi/madrigal.4.{i}.mxl" for i in range(1, 9)),
    ),
}

QUARTET = (("Violin I", 40), ("Violin II", 40), ("Viola", 41), ("Violoncello", 42))
_PROGRAMS = (("violoncello", 42), ("cello", 42), ("viola", 41), ("violin", 40))
_VOICES = ("canto", "quinto", "sesto", "soprano", "alto", "tenor", "bass", "voice")  # choir aahs, 52


@dataclass(frozen=True)
class Movement:
    """A movement as the file to write, with what the listing reports."""

    project: Project
    bars: int
    notes: int
    minutes: float


def work_of(path: str) -> str:
    """The work a file belongs to: a quartet's folder holds its movements; a madrigal is a work of its own."""
    folder, name = path.rsplit("/", 1)
    return folder if name.startswith("movement") else path


def file_name(path: str) -> str:
    """``beethoven/opus59no1/movement2.mxl`` -> ``beethoven_opus59no1_2.mid`` (one name per movement)."""
    stem = path.removesuffix(".mxl").replace("/movement", "_").replace(".", "_")
    return stem.replace("/", "_") + ".mid"


def part_names(names: list[str]) -> list[tuple[str, int]]:
    """(track name, GM program) per part: the score's names when they tell the parts apart, else a quartet's."""
    clean = [n.strip() for n in names]
    if len(clean) == 4 and (len(set(clean)) < 4 or not all(clean)):
        return list(QUARTET)
    out = []
    for i, name in enumerate(clean):
        lower = name.lower()
        program = next((p for word, p in _PROGRAMS if word in lower), None)
        if program is None:
            program = 52 if any(w in lower for w in _VOICES) else QUARTET[min(i, 3)][1]
        out.append((name or QUARTET[min(i, 3)][0], program))
    return out


def movement(score) -> Movement:
    """A music21 score as a Project: one track per part, the score's meters, tempo and key."""
    from music21 import stream

    whole = corpus.score_to_piece_fields(score)
    names = part_names([p.partName or "" for p in score.parts])
    tracks = []
    for channel, (part, (name, program)) in enumerate(zip(score.parts, names, strict=True)):
        notes = corpus.score_to_piece_fields(stream.Score([part]))["notes"]
        if notes:
            tracks.append(Track(name=name, program=program, channel=channel, notes=tuple(notes)))
    bpm = whole["tempo_bpm"] or 120.0
    key: KeySignature | None = whole["key_signature"]
    project = Project(
        tracks=tuple(tracks),
        ticks_per_beat=corpus.TPB,
        tempos=(TempoChange(0, bpm),),
        time_signatures=tuple(whole["time_signatures"]),
        key=key,
    )
    end = max(n.start + n.duration for t in tracks for n in t.notes)
    bars = len(list(score.parts[0].getElementsByClass(stream.Measure)))
    minutes = end / corpus.TPB / bpm
    return Movement(project, bars, sum(len(t.notes) for t in tracks), minutes)


def write_set(composer: str, learn_dir: Path, held_dir: Path, *, dry_run: bool = False) -> list[str]:
    """Write the composer's learn and held-out files; one report line per movement."""
    from music21 import converter

    learn, held = SETS[composer]
    root = corpus._corpus_dir()
    lines = []
    for folder, paths in ((learn_dir, learn), (held_dir, held)):
        if not dry_run:
            folder.mkdir(parents=True, exist_ok=True)
        for path in paths:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = movement(converter.parse(root / path))
            name = file_name(path)
            if not dry_run:
                write_midi(m.project, folder / name)
            tracks = ", ".join(f"{t.name} ({t.program})" for t in m.project.tracks)
            lines.append(
                f"{folder.name}/{name}  {m.bars} bars  {m.notes} notes  {m.minutes:.1f} min as written  [{tracks}]"
            )
            print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("composer", choices=sorted(SETS))
    ap.add_argument("learn_dir", type=Path)
    ap.add_argument("held_dir", type=Path)
    ap.add_argument("--list", action="store_true", help="report the movements without writing files")
    a = ap.parse_args(argv)
    write_set(a.composer, a.learn_dir, a.held_dir, dry_run=a.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
