"""Small projects the UI tests build windows from (a module, not conftest, so tests can import it by name)."""

from __future__ import annotations

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track


def two_track_project() -> Project:
    melody = Track(
        name="Melody", notes=(Note(60, 0, 480, 90), Note(62, 480, 480, 80), Note(64, 960, 480, 100))
    )
    bass = Track(name="Bass", program=33, channel=1, colour="#e0864a", notes=(Note(36, 0, 1920, 100),))
    return Project(tracks=(melody, bass))
