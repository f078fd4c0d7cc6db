"""Chord names: triads, sevenths, inversions, sparse bars and bars with two chords."""

from __future__ import annotations

from musestudio.core.chords import chords_in_bars, name_chord
from musestudio.core.note import Note

BAR = 1920


def block(pitches, start=0, length=BAR):
    return [Note(p, start, length) for p in pitches]


def name(pitches, flats=False):
    chord = name_chord(block(pitches), 0, BAR, flats)
    return chord.name if chord else None


def test_triads_and_sevenths():
    assert name([60, 64, 67]) == "C"
    assert name([57, 60, 64]) == "Am"
    assert name([55, 59, 62, 65]) == "G7"
    assert name([53, 57, 60, 64]) == "Fmaj7"
    assert name([62, 65, 69, 72]) == "Dm7"
    assert name([59, 62, 65]) == "Bdim"
    assert name([60, 65, 67]) == "Csus4"


def test_inversion_names_the_bass():
    assert name([52, 60, 67]) == "C/E"
    assert name([43, 60, 64]) == "C/G"


def test_a_chord_without_its_fifth_is_named_as_the_chord():
    """A guitar's D chord voiced F#3 D4 F#4 D5 (no A) is D/F#, not F#aug (whose A# is its colour)."""
    assert name([54, 62, 66, 74]) == "D/F#"
    assert name([62, 66, 74]) == "D"
    assert name([60, 64, 70]) == "C7"  # a seventh chord without its fifth, as jazz voices it
    assert name([52, 55]) == "Em"  # a third alone: the chord over its bass


def test_flat_spelling_follows_the_key():
    assert name([58, 62, 65]) == "A#"
    assert name([58, 62, 65], flats=True) == "Bb"


def test_no_name_without_a_chord():
    assert name([60]) is None
    assert name([60, 72]) is None  # one pitch class, two octaves
    assert name_chord([], 0, BAR) is None
    assert name([60, 61, 62, 63, 64, 65, 66]) is None  # a cluster is no chord


def test_a_melody_over_a_held_chord_keeps_the_chord():
    notes = block([48, 52, 55]) + [
        Note(p, i * 240, 240) for i, p in enumerate((72, 74, 76, 77, 79, 77, 76, 74))
    ]
    assert name_chord(notes, 0, BAR).name == "C"


def test_bars_and_half_bars():
    bars = [(0, BAR), (BAR, 2 * BAR), (2 * BAR, 3 * BAR)]
    notes = (
        block([60, 64, 67])  # bar 1: C
        + block([57, 60, 64], BAR, BAR // 2)  # bar 2: Am then F
        + block([53, 57, 60], BAR + BAR // 2, BAR // 2)
    )  # bar 3: empty
    spans = chords_in_bars(notes, bars)
    assert [(s.start, s.end, s.name) for s in spans] == [
        (0, BAR, "C"),
        (BAR, BAR + BAR // 2, "Am"),
        (BAR + BAR // 2, 2 * BAR, "F"),
    ]


def test_a_note_held_across_bars_counts_in_each():
    notes = block([48], 0, 2 * BAR) + block([64, 67], 0, BAR) + block([65, 69], BAR, BAR)
    spans = chords_in_bars(notes, [(0, BAR), (BAR, 2 * BAR)])
    assert [s.name for s in spans] == ["C", "F/C"]
