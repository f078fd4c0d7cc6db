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


def test_a_step_in_key_moves_along_the_scale():
    from musestudio.core.keys import step_in_key

    c_major, a_minor = KeySignature(0, "major"), KeySignature(9, "minor")
    assert [step_in_key(p, c_major, 1) for p in (60, 64, 67)] == [62, 65, 69]  # C-E-G to D-F-A
    assert [step_in_key(p, c_major, -2) for p in (60, 64, 67)] == [57, 60, 64]  # to A-C-E below
    assert step_in_key(71, c_major, 1) == 72 and step_in_key(72, c_major, -1) == 71  # over the octave
    assert step_in_key(61, c_major, 1) == 63  # a passing C# keeps its sharp: D#
    assert [step_in_key(p, a_minor, 1) for p in (64, 67, 68)] == [65, 69, 69]  # G and the leading tone to A
    assert step_in_key(68, a_minor, -1) == 65 and step_in_key(68, a_minor, -7) == 56


@given(st.integers(0, 11), st.sampled_from(("major", "minor")), st.integers(24, 100), st.integers(1, 14))
def test_steps_in_key_go_back_where_they_came_from(tonic, mode, pitch, steps):
    from musestudio.core.keys import step_in_key

    key = KeySignature(tonic, mode)
    up = step_in_key(pitch, key, steps)
    assert up > pitch
    leading_tone = mode == "minor" and (pitch - tonic) % 12 == 11  # steps as the 7th: G# + 1 is A
    assert step_in_key(pitch, key, 7) == pitch + 12
    if key.contains(pitch) and not leading_tone:
        assert step_in_key(up, key, -steps) == pitch
