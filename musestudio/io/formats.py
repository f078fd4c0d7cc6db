"""Open and save by file extension: the one entry point the app's File menu and the CLI share."""

from __future__ import annotations

from pathlib import Path

from musestudio.core.errors import BadInputError
from musestudio.core.project import Project
from musestudio.io import midi, project_file

OPENABLE = (project_file.SUFFIX, *midi.READ_SUFFIXES)


def kind_of(path: str | Path) -> str:
    """'muse' or 'midi', from the extension (a .rmi, an RMID file, reads as MIDI); anything else is bad
    input."""
    suffix = Path(path).suffix.lower()
    if suffix == project_file.SUFFIX:
        return "muse"
    if suffix in midi.READ_SUFFIXES:
        return "midi"
    raise BadInputError(
        f"{Path(path).name}: unknown file type '{suffix or '(none)'}'; "
        f"use .muse for projects or .mid for MIDI"
    )


def kind_to_write(path: str | Path) -> str:
    """``kind_of`` for a file to write. A .rmi is refused: MIDI goes out as a plain MIDI file, and one named
    .rmi would not hold the RIFF wrapper the name promises."""
    if Path(path).suffix.lower() == midi.RMID_SUFFIX:
        raise BadInputError(
            f"{Path(path).name}: MuseStudio reads RMID files (.rmi) but writes plain MIDI files, without "
            "the RIFF wrapper a .rmi holds; name it .mid"
        )
    return kind_of(path)


def load(path: str | Path, said: list | None = None) -> Project:
    """The piece in ``path``; what reading a MIDI file changed (``midi.FarEnd``) is added to ``said``."""
    return project_file.load_project(path) if kind_of(path) == "muse" else midi.read_midi(path, said)


def save(project: Project, path: str | Path) -> None:
    """Save atomically in the format the extension names."""
    if kind_to_write(path) == "muse":
        project_file.save_project(project, path)
    else:
        midi.write_midi(project, path)
