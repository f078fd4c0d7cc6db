import pytest
from hypothesis import given
from hypothesis import strategies as st

from musestudio.core import KeySignature, Note, detect_key


def _melody(pitches, length=480):
    return [Note(p, i * length, length) for i, p in enumerate(pitches)]


@pytest.mark.parametrize(
    "pitches,expected",
    [
        ([60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60], "C major"),
        ([57, 59, 60, 62, 64, 65, 68, 69, 64, 60, 57], "A minor"),
        ([62, 64, 66, 67, 69, 71, 73, 74, 69, 66, 62], "D major"),
        ([65, 67, 68, 70, 72, 73, 76, 77, 72, 68, 65], "F minor"),
    ],
)
def test_detects_the_key_of_scale_melodies(pitches, expected):
    assert detect_key(_melody(pitches)).name == expected


def test_no_notes_no_key():
    assert detect_key([]) is None


@given(st.integers(0, 11), st.sampled_from(["major", "minor"]))
def test_key_names_parse_back(tonic, mode):
    key = KeySignature(tonic, mode)
    assert KeySignature.parse(key.name) == key


def test_key_signature_accidentals():
    assert KeySignature.parse("D major").sharps == 2
    assert KeySignature.parse("Eb major").sharps == -3
    assert KeySignature.parse("C minor").sharps == -3
    assert KeySignature.parse("E minor").sharps == 1


def test_minor_scale_counts_the_leading_tone_in_key():
    a_minor = KeySignature.parse("A minor")
    assert a_minor.contains(68) and not a_minor.contains(70)
