"""A pop song written as a sequencer writes it: 1/4 throughout, a beat a bar (617 of POP909's songs), for
the tests of reading and re-barring such songs in the 4/4 bars they are heard in."""

from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track

TPB = 480
BEATS = (TimeSignature(0, 1, 4),)
HEARD = (TimeSignature(0, 1, 4), TimeSignature(TPB, 4, 4))  # a one-beat pickup, then 4/4
BARS = 4  # 4/4 bars after the pickup


def pop_song_after_a_pickup() -> list[Note]:
    """Four bars after a one-beat pickup: a bass on each downbeat, chords on beats 1 and 3, a tune in
    eighths."""
    notes = [Note(67, 0, TPB, 80)]  # the pickup
    for bar in range(BARS):
        one = TPB + bar * 4 * TPB
        notes.append(Note(36 + 5 * (bar % 2), one, 2 * TPB, 90))
        notes += [Note(p, one + b * TPB, TPB // 2, 60) for b in (0, 2) for p in (60, 64, 67)]
        notes += [Note(72 + (i % 3) * 2, one + i * TPB // 2, TPB // 2, 85) for i in range(8)]
    return notes


def beat_grid_song() -> Project:
    """The song in one track, 1/4 throughout, with a drum track whose hits would put beat one elsewhere
    if drums were counted."""
    song = Track("Song", 0, 0, notes=tuple(pop_song_after_a_pickup()))
    hits = (Note(d, k * TPB, 120, 100) for k in range(3, 4 * BARS + 1, 4) for d in (36, 38, 42, 49))
    drums = Track("Drums", 0, 9, is_drum=True, notes=tuple(hits))
    return Project((song, drums), TPB, time_signatures=BEATS)
