"""The command line's English for what reading or writing a file changed: ``musestudio.cli`` and the ML
subcommands (``ml.cli``) both read and write MIDI and say the same, and as ``musestudio.cli`` imports
those, what they share lives here, below both. Every command that reads a piece (info, convert, render,
play, continue, restyle, classify, add-part, infill) loads it through ``load_saying``, as Open says what
it changed in the window; ``learn``, which reads its files in the trainer, says a dropped end in the same
words (``dropped_end_note``).

The items come from the io layer (``io.midi_export_changes``), as the window's words do (``ui.files``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from musestudio.core.project import Project
from musestudio.io import formats
from musestudio.io.midi import FarEnd, SmpteTime
from musestudio.io.midi_export_changes import (
    MidiExportChange,
    NoMuteOrSolo,
    OffDrumChannel,
    OntoDrumChannel,
    OwnChannels,
    SharedChannel,
    SlowTempos,
    SwappedEnds,
    TextInUtf8,
    midi_export_changes,
)


def load_saying(path: Path) -> Project:
    """The piece in ``path``, saying on stderr what reading it changed (``_read_notes``), one ``note:``
    line each."""
    said: list = []
    project = formats.load(path, said)
    for note in _read_notes(path, said):
        print(f"note: {note}", file=sys.stderr)
    return project


def _read_notes(path: Path, said: list) -> list[str]:
    """What reading ``path`` changed, from what the reader ``said`` (``midi.FarEnd``, ``midi.SmpteTime``),
    in words."""
    notes = [
        dropped_end_note(path.name, far.hours, "the piece ends at its last event instead")
        for far in said
        if isinstance(far, FarEnd)
    ]
    return notes + [
        f"{path.name} counts time in SMPTE frames ({smpte.fps:g} a second), not in beats: it reads at "
        f"{smpte.bpm:g} BPM, a beat a second, every note at its time, and is written in beats"
        for smpte in said
        if isinstance(smpte, SmpteTime)
    ]


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun`` as English says it: "1 take", "2 takes", "1 bar"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def dropped_end_note(name: str, hours: float, instead: str) -> str:
    """The file ``name`` ended ``hours`` of silence after its last event, a damaged length the reader
    dropped (``midi.FarEnd``); ``instead``: what the command did with it."""
    return f"{name} ended {hours:,.0f} hours of silence after its last event (a damaged length): {instead}"


def midi_export_notes(project: Project, where: str) -> list[str]:
    """The notes to say after writing ``project`` as MIDI into ``where`` (a file's name, "the takes")."""
    return [line for change in midi_export_changes(project) for line in _lines(change, where)]


def _lines(change: MidiExportChange, where: str) -> list[str]:
    match change:
        case OffDrumChannel(moves, drums):
            return [
                f"{name} goes out on channel {channel}, as it is set to the drum channel ({drums}) but is not "
                f"drums: on channel {drums} a MIDI player would play its notes as drums"
                for name, channel in moves
            ]
        case OntoDrumChannel(tracks, drums):
            return [
                f"{name} goes out on the drum channel ({drums}), as it is a drum track set to channel "
                f"{channel}: MIDI players play drums only on channel {drums}"
                for name, channel in tracks
            ]
        case OwnChannels(moves):
            return [
                f"{name} goes out on channel {channel}, as it shares its channel with a track that sets "
                "it otherwise (at its start or later); so it keeps its own instrument and settings"
                for name, channel in moves
            ]
        case SharedChannel(tracks, channel):
            on = (
                f"the drum channel ({channel})"
                if change.drums
                else f"channel {channel}, as no channel is left free"
            )
            return [f"{', '.join(tracks)} share {on}: in the file they play one instrument at one volume"]
        case TextInUtf8(piece, tracks):
            whose = ", ".join([*(["the piece's title and markers"] if piece else []), *tracks])
            return [f"the text of {whose} goes out as UTF-8, not Latin-1: some of it has no Latin-1 form"]
        case SlowTempos(tempos, slowest):
            return [
                f"the tempo of {bpm:g} BPM at bar {bar} goes out at {slowest:.2f} BPM, the slowest MIDI "
                f"holds: {where} plays faster there than the piece"
                for bar, bpm in tempos
            ]
        case SwappedEnds(notes):
            return [
                f"{notes} notes sound inside a longer note of the same pitch; MIDI cannot tell such notes "
                "apart, so the file gives them each other's ends"
            ]
        case NoMuteOrSolo(tracks):
            return [f"MIDI has no mute or solo: {', '.join(tracks)} play as every other track in {where}"]
