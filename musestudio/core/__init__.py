"""The score model: immutable values and pure functions, with no Qt, torch or file formats.

Everything the editor, the players and the models agree on lives here. Time is measured in integer ticks
(``Project.ticks_per_beat`` per quarter note); seconds only appear through the tempo map in ``timing``.
"""

from musestudio.core.errors import BadInputError, MuseError
from musestudio.core.events import ControlEvent, KeyChange, Marker, RawEvent, TextEvent
from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange, TimeSignature
from musestudio.core.track import Track

__all__ = [
    "BadInputError",
    "ControlEvent",
    "KeyChange",
    "Marker",
    "RawEvent",
    "TextEvent",
    "KeySignature",
    "MuseError",
    "Note",
    "Project",
    "TempoChange",
    "TimeSignature",
    "Track",
    "detect_key",
]
