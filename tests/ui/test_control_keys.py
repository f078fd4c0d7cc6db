"""The arrows, Delete and Backspace pressed in a box, slider or list the user has clicked into are that
control's: the window's Transpose, Nudge and Delete (the piano roll's keys) leave the selected notes alone.
Keys go where Qt sends them, to the widget with the focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.ui_helpers import list_takes

KEY = Qt.Key


def music(window):
    return [(n.pitch, n.start) for t in window.document.project.tracks for n in t.notes]


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Focus ``widget`` and press ``key`` where Qt sends it: to the focus widget."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    QTest.keyClick(QApplication.focusWidget(), key, modifier)


def test_up_in_the_velocity_box_raises_the_velocity_not_the_pitch(window, qtbot):
    window.editor.select_all()
    box = window.inspector.widget().velocity
    before, shown = music(window), box.value()
    press(qtbot, box, KEY.Key_Up)
    assert music(window) == before and box.value() == shown + 1


def test_up_in_the_bpm_box_raises_the_tempo(window, qtbot):
    window.editor.select_all()
    before, bpm = music(window), window.document.project.tempo_at(0).bpm
    press(qtbot, window.toolbar.tempo, KEY.Key_Up)
    assert music(window) == before and window.document.project.tempo_at(0).bpm > bpm


def test_down_in_the_snap_box_picks_another_grid(window, qtbot):
    window.editor.select_all()
    box = window.toolbar.snap
    before, grid = music(window), box.currentText()
    press(qtbot, box, KEY.Key_Down)
    assert music(window) == before and box.currentText() != grid


def test_right_and_shift_up_on_a_volume_slider_move_the_slider(window, qtbot):
    window.editor.select_all()
    slider = window.tracks.widget().rows[window.state.active_track_id].volume
    before, volume = music(window), slider.value()
    press(qtbot, slider, KEY.Key_Right)
    press(qtbot, slider, KEY.Key_Up, Qt.KeyboardModifier.ShiftModifier)  # not Octave Up
    assert music(window) == before and slider.value() != volume


def test_down_in_the_takes_list_picks_the_next_take(window, qtbot):
    list_takes(window, 3)
    window.editor.select_all()
    takes = window.generate.takes_panel.list
    takes.setCurrentItem(takes.topLevelItem(0))
    before = music(window)
    press(qtbot, takes, KEY.Key_Down)
    assert music(window) == before and takes.indexOfTopLevelItem(takes.currentItem()) == 1


def test_down_in_the_history_steps_forward_and_keeps_the_redo(window, qtbot):
    window.editor.select_all()
    for _ in range(3):
        QTest.keyClick(window.roll.view, KEY.Key_Right)  # three Nudge steps: the roll's keys
    stack, done = window.undo_stack, window.document.project
    assert stack.count() == 3
    window.history.show()
    history = window.history.widget()
    history.jump_to(1)
    press(qtbot, history, KEY.Key_Down)
    press(qtbot, history, KEY.Key_Down)
    assert [stack.text(i) for i in range(stack.count())] == ["Nudge"] * 3
    assert stack.index() == 3 and window.document.project is done


def test_in_the_roll_the_keys_still_edit_the_notes(window, qtbot):
    window.editor.select_all()
    before = window.state.active_track().notes
    press(qtbot, window.roll.view, KEY.Key_Up)
    assert [n.pitch for n in window.state.active_track().notes] == [n.pitch + 1 for n in before]


def note_count(window) -> int:
    return sum(len(t.notes) for t in window.document.project.tracks)


def test_delete_after_choosing_a_grid_in_the_snap_box_deletes_the_selected_notes(window, qtbot):
    window.editor.select_all()
    before = note_count(window)
    press(qtbot, window.toolbar.snap, KEY.Key_Delete)  # the pick left the focus in the box
    assert note_count(window) < before


def test_delete_after_dragging_a_volume_slider_deletes_the_selected_notes(window, qtbot):
    window.editor.select_all()
    before = note_count(window)
    press(qtbot, window.tracks.widget().rows[window.state.active_track_id].volume, KEY.Key_Delete)
    assert note_count(window) < before


def test_right_after_choosing_a_grid_in_the_snap_box_nudges_the_selected_notes(window, qtbot):
    window.editor.select_all()
    before = window.state.active_track().notes
    press(qtbot, window.toolbar.snap, KEY.Key_Right)
    step = window.state.snap_step()
    assert [n.start for n in window.state.active_track().notes] == [n.start + step for n in before]


def test_backspace_in_the_velocity_box_erases_a_digit_not_the_notes(window, qtbot):
    window.editor.select_all()
    window.inspector.show()
    before = music(window)
    box = window.inspector.widget().velocity
    press(qtbot, box, KEY.Key_End)
    text = box.lineEdit().text()
    press(qtbot, box, KEY.Key_Backspace)
    assert box.lineEdit().text() == text[:-1] and music(window) == before


def test_a_grid_picked_with_the_mouse_hands_the_keyboard_back_to_the_roll(window, qtbot):
    box = window.toolbar.snap
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)  # opens the list
    qtbot.waitUntil(box.view().isVisible)
    box.view().setCurrentIndex(box.model().index(box.findData("1/8"), 0))
    QTest.keyClick(box.view(), KEY.Key_Return)  # picks from the list
    assert window.state.snap == "1/8"
    qtbot.waitUntil(window.roll.view.hasFocus)


def test_down_in_the_snap_box_keeps_the_focus_for_the_next_step(window, qtbot):
    box = window.toolbar.snap
    press(qtbot, box, KEY.Key_Down)
    QTest.keyClick(box, KEY.Key_Down)
    assert box.hasFocus() and box.currentIndex() == box.findData(window.state.snap)
