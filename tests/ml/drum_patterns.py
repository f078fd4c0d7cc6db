"""Drum beats a musician would write a bass line to: a rock beat, a half-time feel, a 6/8 groove and a 3/4
one, each as a drums-only project (one kit track on channel 10, at 480 ticks a beat)."""

from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track

TPB = 480
KICK, SNARE, HAT = 36, 38, 42
EIGHTH = TPB // 2

#: name -> (meter, ticks a bar, kick onsets, snare onsets) in one bar; the hi-hat plays every eighth
PATTERNS = {
    "rock": ((4, 4), 4 * TPB, (0, 2 * TPB, 5 * EIGHTH), (TPB, 3 * TPB)),
    "half-time": ((4, 4), 4 * TPB, (0, 7 * TPB // 4), (2 * TPB,)),
    "six-eight": ((6, 8), 6 * EIGHTH, (0, 5 * EIGHTH), (3 * EIGHTH,)),
    "three-four": ((3, 4), 3 * TPB, (0, 3 * EIGHTH), (TPB, 2 * TPB)),
}


def beat(name: str, bars: int = 8) -> Project:
    """``bars`` bars of the pattern ``name`` as a drums-only piece."""
    (num, den), length, kicks, snares = PATTERNS[name]
    notes = []
    for bar in range(bars):
        at = bar * length
        notes += [Note(KICK, at + t, 120, 110) for t in kicks]
        notes += [Note(SNARE, at + t, 120, 100) for t in snares]
        notes += [Note(HAT, at + t, 60, 70) for t in range(0, length, EIGHTH)]
    kit = Track(name="Drums", program=0, channel=9, is_drum=True, notes=tuple(notes))
    return Project(tracks=(kit,), ticks_per_beat=TPB, time_signatures=(TimeSignature(0, num, den),))


def kick_onsets(project: Project) -> set[int]:
    return {n.start for t in project.tracks if t.is_drum for n in t.notes if n.pitch == KICK}
