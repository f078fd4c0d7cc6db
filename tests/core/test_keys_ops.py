import pytest
from hypothesis import given
from hypothesis import strategies as st

from musestudio.core import KeySignature, Note, Track, detect_key
from musestudio.core.ops import merge, remove_range, slice_range, transpose


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


def test_transpose_clamps_and_keeps_ids():
    notes = [Note(120, 0, 10), Note(60, 0, 10)]
    out = transpose(notes, 12)
    assert [n.pitch for n in out] == [127, 72] and [n.id for n in out] == [n.id for n in notes]


def test_slice_clips_notes_crossing_the_edges():
    notes = [Note(60, 0, 960), Note(62, 960, 480), Note(64, 1920, 480)]
    assert [(n.start, n.end) for n in slice_range(notes, 480, 1920)] == [(480, 960), (960, 1440)]
    assert [n.pitch for n in slice_range(notes, 480, 1920, clip=False)] == [60, 62]
    assert [n.pitch for n in remove_range(notes, 480, 1920)] == [60, 64]


def test_merge_keeps_every_note_once():
    a = Track(notes=(Note(60, 0, 10), Note(62, 10, 10)))
    b = Track(notes=(Note(60, 0, 10), Note(64, 0, 10)))
    assert sorted(n.pitch for n in merge(a, b).notes) == [60, 62, 64]
