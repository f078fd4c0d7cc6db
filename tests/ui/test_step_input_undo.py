"""Undo in step input takes the last chord back and the cursor with it, so the next chord comes in its
place instead of after a gap; Redo enters it again and moves the cursor on past it."""

from __future__ import annotations

import mido
from PySide6.QtCore import Qt

from tests.ui.test_midi_ui import melody

CTRL = Qt.KeyboardModifier.ControlModifier


def step(window, *pitches: int) -> None:
    for pitch in pitches:
        window.on_midi_message(mido.Message("note_on", note=pitch, velocity=90))
    for pitch in pitches:
        window.on_midi_message(mido.Message("note_off", note=pitch))


def entered(window) -> list[tuple[int, int]]:
    return [(n[0], n[1]) for n in melody(window) if n[1] >= 1920]


def test_ctrl_z_in_step_input_takes_the_cursor_back_with_the_chord(window, qtbot):
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(1920)
    window.state.set_snap("1/4")
    window.actions.step_input.setChecked(True)
    step(window, 60)
    step(window, 62)
    step(window, 63, 67)  # a wrong chord
    qtbot.keyClick(window.roll.view, Qt.Key.Key_Z, CTRL)
    assert window.state.playhead == 1920 + 2 * 480
    step(window, 64)
    assert entered(window) == [(60, 1920), (62, 2400), (64, 2880)]
    assert window.state.playhead == 1920 + 3 * 480


def test_redo_in_step_input_enters_the_chord_again_and_moves_the_cursor_past_it(window, qtbot):
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(1920)
    window.state.set_snap("1/8")
    window.actions.step_input.setChecked(True)
    step(window, 60)
    step(window, 62)
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.state.playhead == 1920 and entered(window) == []
    window.undo_stack.redo()
    assert window.state.playhead == 1920 + 240 and entered(window) == [(60, 1920)]
    step(window, 64)
    assert entered(window) == [(60, 1920), (64, 2160)]


def test_undo_after_step_input_is_off_leaves_the_playhead_where_it_is(window):
    """The cursor is step input's: once it is off, Undo moves the playhead nowhere, as for any edit."""
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(1920)
    window.actions.step_input.setChecked(True)
    step(window, 60)
    window.actions.step_input.setChecked(False)
    window.state.set_playhead(5760)
    window.undo_stack.undo()
    assert window.state.playhead == 5760 and entered(window) == []
