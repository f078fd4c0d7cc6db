"""Quantize and Paste never leave two notes of one key starting on one tick (core.stacked)."""

from __future__ import annotations

from fractions import Fraction

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.core.stacked import pasted_apart, quantized_apart
from musestudio.core.timing import SWING, BarGrid

EIGHTHS = BarGrid(Fraction(240), (TimeSignature(0),), 480)


def music(notes):
    return sorted((n.pitch, n.start, n.end, n.velocity) for n in notes)


def everything(*notes):
    return {n.id for n in notes}


def test_a_bounced_key_quantized_is_one_note_lasting_to_the_later_ones_end():
    first, bounce, other = Note(60, 470, 200, 90), Note(60, 520, 400, 40), Note(64, 475, 200)
    apart = quantized_apart((first, bounce, other), everything(first, bounce, other), EIGHTHS)
    assert music(apart.notes) == [(60, 480, 960, 90), (64, 480, 720, 100)]  # the first strike's loudness
    assert apart.merged_into == {bounce.id: first.id} and apart.moved_on == 0


def test_two_strikes_either_side_of_a_line_quantized_are_two_notes_a_line_apart():
    early, late = Note(60, 130, 200), Note(60, 350, 200)  # both nearest 240; played 220 ticks apart
    apart = quantized_apart((early, late), everything(early, late), EIGHTHS)
    assert music(apart.notes) == [(60, 240, 480, 100), (60, 480, 720, 100)]
    assert apart.moved_on == 1 and not apart.merged_into


def test_a_note_quantized_onto_one_left_alone_goes_into_it_and_doubles_left_alone_stay():
    kept, quantized = Note(62, 480, 480), Note(62, 490, 600)
    double = (Note(67, 0, 240), Note(67, 0, 240))  # a file's double, not selected: the file's
    apart = quantized_apart((kept, quantized, *double), everything(quantized), EIGHTHS)
    assert music(apart.notes) == [(62, 480, 1200, 100), (67, 0, 240, 100), (67, 0, 240, 100)]
    assert apart.survivor(quantized.id) == kept.id


def test_swing_quantize_keeps_keys_apart_too():
    first, bounce = Note(60, 300, 100), Note(60, 340, 100)  # both nearest the swung off-beat, 320
    apart = quantized_apart((first, bounce), everything(first, bounce), EIGHTHS, SWING)
    assert [(n.start, n.end) for n in apart.notes] == [(320, 480)]
    assert apart.merged_into == {bounce.id: first.id}


def test_a_copy_pasted_on_its_notes_goes_into_them():
    there = (Note(60, 0, 480), Note(64, 0, 240))
    pasted = (Note(60, 0, 480), Note(64, 0, 480), Note(67, 0, 480))
    apart = pasted_apart(there, pasted)
    assert music(apart.notes) == [(60, 0, 480, 100), (64, 0, 480, 100), (67, 0, 480, 100)]
    assert {apart.survivor(n.id) for n in pasted} == {there[0].id, there[1].id, pasted[2].id}
