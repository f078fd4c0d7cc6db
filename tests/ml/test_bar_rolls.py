"""Piano roll round trips: notes on the step grid come back exactly, model-like output decodes cleanly."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.pianoroll import FRAME, ONSET, RollSpec, bar_steps, notes_to_roll, roll_to_notes

TPB = 480
STEP = TPB // 4


def _music(notes):
    return sorted((n.pitch, n.start, n.duration, n.velocity) for n in notes)


@st.composite
def grid_phrases(draw):
    """Notes on 16ths in range, never two of one pitch overlapping (a roll cannot hold that)."""
    notes = []
    for pitch in draw(st.lists(st.integers(24, 107), max_size=6, unique=True)):
        t = draw(st.integers(0, 8))
        for _ in range(draw(st.integers(1, 4))):
            dur = draw(st.integers(1, 8))
            notes.append(Note(pitch, t * STEP, dur * STEP, draw(st.integers(1, 127))))
            t += dur + draw(st.integers(0, 3))
    return notes


@settings(max_examples=60, deadline=None)
@given(grid_phrases())
def test_round_trip_is_exact_on_the_grid(notes):
    roll = notes_to_roll(notes, TPB)
    assert _music(roll_to_notes(roll, TPB)) == _music(notes)


def test_repeated_notes_stay_apart_from_a_held_note():
    repeated = [Note(60, 0, TPB), Note(60, TPB, TPB)]
    held = [Note(60, 0, 2 * TPB)]
    assert len(roll_to_notes(notes_to_roll(repeated, TPB), TPB)) == 2
    assert len(roll_to_notes(notes_to_roll(held, TPB), TPB)) == 1


def test_origin_shifts_both_ways_and_off_grid_notes_snap_with_a_minimum_step():
    notes = [Note(64, 1920 + 7, 10, 90), Note(67, 1920 + 470, 500, 90)]
    roll = notes_to_roll(notes, TPB, n_steps=16, origin=1920)
    back = roll_to_notes(roll, TPB, origin=1920)
    assert [(n.pitch, n.start, n.duration) for n in back] == [(64, 1920, STEP), (67, 1920 + 480, 480)]


def test_out_of_range_pitches_fold_by_octaves():
    spec = RollSpec()
    roll = notes_to_roll([Note(12, 0, STEP), Note(120, 0, STEP)], TPB, spec=spec)
    assert sorted(n.pitch for n in roll_to_notes(roll, TPB, spec=spec)) == [24, 96]


def test_later_onset_cuts_an_overlapping_note_of_the_same_pitch():
    back = roll_to_notes(notes_to_roll([Note(60, 0, 4 * STEP), Note(60, 2 * STEP, 4 * STEP)], TPB), TPB)
    assert [(n.start, n.duration) for n in back] == [(0, 2 * STEP), (2 * STEP, 4 * STEP)]


def test_probabilities_decode_to_bounded_notes_of_at_least_one_step():
    rng = np.random.default_rng(0)
    roll = rng.random((2, 84, 64)).astype(np.float32)
    notes = roll_to_notes(roll, TPB)
    assert notes
    assert all(n.duration >= STEP and n.duration % STEP == 0 for n in notes)
    assert all(n.end <= 64 * STEP for n in notes)


def test_frame_without_onset_still_makes_a_note():
    roll = np.zeros((2, 84, 8), dtype=np.float32)
    roll[FRAME, 36, 2:6] = 0.9
    roll[ONSET, 36, 4] = 0.8
    back = roll_to_notes(roll, TPB)
    assert [(n.pitch, n.start // STEP, n.duration // STEP) for n in back] == [(60, 2, 2), (60, 4, 2)]
    assert all(n.velocity == 80 for n in back)


def test_bar_steps_follow_meter_changes():
    sigs = (TimeSignature(0, 4, 4), TimeSignature(1920, 6, 8))
    assert bar_steps(sigs, TPB, 1920 + 2 * 1440) == [0, 16, 28, 40]
