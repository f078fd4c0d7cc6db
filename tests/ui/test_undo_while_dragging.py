"""Ctrl+Z (or Redo) while the mouse is still down ends the drag in progress, whether or not the drag has
changed anything yet: the drag works from the piece as it was when the mouse went down, so its next move
would otherwise bring back what the undo took away, or reach for a track the undo removed."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest

from musestudio.core.events import MODULATION
from musestudio.ui.state import Tool
from tests.ui.test_random_edits import assert_scene_mirrors_model
from tests.ui.ui_helpers import note_point, send_mouse

Type = QMouseEvent.Type
CTRL = Qt.KeyboardModifier.ControlModifier


def move_and_release(widget, start: QPoint, end: QPoint, steps: int = 3) -> None:
    for i in range(1, steps + 1):
        send_mouse(widget, Type.MouseMove, start + (end - start) * (i / steps))
    send_mouse(widget, Type.MouseButtonRelease, end)


def test_a_drag_begun_before_ctrl_z_does_not_bring_back_the_edit_undone(window, qtbot):
    """Transpose a note, press on it, Ctrl+Z before moving, drag on: the note is back at its pitch, the
    drag moves nothing, and the Transpose can still be redone."""
    view, stack = window.roll.view, window.undo_stack
    original = window.document.project
    melody = original.tracks[0]
    window.state.set_active_track(melody.id)
    window.state.set_selection({melody.notes[1].id})
    QTest.keyClick(view, Qt.Key.Key_Up)
    transposed = window.document.project
    window.state.set_tool(Tool.SELECT)
    note = transposed.tracks[0].notes[1]
    start = note_point(view, note.start + 10, note.pitch)
    send_mouse(view.viewport(), Type.MouseButtonPress, start)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    move_and_release(view.viewport(), start, note_point(view, note.start + 970, note.pitch))
    assert window.document.project is original
    assert stack.canRedo() and stack.text(stack.index()) == "Transpose"
    assert_scene_mirrors_model(window)
    stack.redo()
    assert window.document.project is transposed


def test_a_drag_begun_before_redo_does_not_take_back_the_edit_redone(window, qtbot):
    """Transpose a note and undo it, press on the note, Redo before moving, drag on: the note keeps the
    Transpose just redone, and the drag moves nothing."""
    view, stack = window.roll.view, window.undo_stack
    melody = window.document.project.tracks[0]
    window.state.set_active_track(melody.id)
    window.state.set_selection({melody.notes[1].id})
    QTest.keyClick(view, Qt.Key.Key_Up)
    transposed = window.document.project
    stack.undo()
    window.state.set_tool(Tool.SELECT)
    note = melody.notes[1]
    start = note_point(view, note.start + 10, note.pitch)
    send_mouse(view.viewport(), Type.MouseButtonPress, start)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.document.project is transposed
    move_and_release(view.viewport(), start, note_point(view, note.start + 970, note.pitch))
    assert window.document.project is transposed and not stack.canRedo()
    assert_scene_mirrors_model(window)


def test_a_drag_begun_before_ctrl_z_never_puts_the_notes_into_another_track(window, qtbot):
    """Add a track from Bass, go to Melody, press on a note, Ctrl+Z (the Add is undone and Bass is active
    again), drag on: Melody's note stays in Melody, and no copy of it turns up in Bass."""
    view = window.roll.view
    melody, bass = window.document.project.tracks
    window.state.set_active_track(bass.id)
    window.editor.add_track()
    window.state.set_active_track(melody.id)
    note = melody.notes[1]
    window.state.set_selection({note.id})
    window.state.set_tool(Tool.SELECT)
    start = note_point(view, note.start + 10, note.pitch)
    send_mouse(view.viewport(), Type.MouseButtonPress, start)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    move_and_release(view.viewport(), start, note_point(view, note.start + 970, note.pitch))
    assert window.document.project.tracks == (melody, bass)
    assert [n.id for n in window.document.project.tracks[1].notes] == [n.id for n in bass.notes]
    assert_scene_mirrors_model(window)


def test_a_controller_stroke_whose_track_an_undo_took_away_ends_without_a_crash(window, qtbot):
    """Add a track, press in its empty Modulation lane with the eraser (nothing to erase yet), Ctrl+Z (the
    Add is undone): the stroke ends there, the added track stays gone and Redo brings it back."""
    window.editor.add_track()
    before_add = window.undo_stack.command(0).before
    panel = window.roll.controllers
    panel.select_lane(MODULATION)
    panel.tool_buttons["erase"].click()
    lane = panel.lane
    x = round(window.roll.view.tick_to_x(0)) + 2
    send_mouse(lane, Type.MouseButtonPress, QPoint(x, 20))
    qtbot.keyClick(lane, Qt.Key.Key_Z, CTRL)
    move_and_release(lane, QPoint(x, 20), QPoint(x + 200, 20))
    assert window.document.project is before_add
    assert window.undo_stack.canRedo()
    window.undo_stack.redo()
    assert [t.name for t in window.document.project.tracks] == ["Melody", "Bass", "Track 3"]


def test_a_marker_dragged_when_ctrl_z_takes_it_away_is_gone_without_a_crash(window, qtbot):
    """Ctrl+M adds a marker, the mouse goes down on it, Ctrl+Z takes it away: the drag ends there."""
    window.state.set_playhead(1920)
    qtbot.keyClick(window.roll.view, Qt.Key.Key_M, CTRL)
    before_add = window.undo_stack.command(0).before
    row = window.roll.markers
    at = QPoint(round(window.roll.view.tick_to_x(1920)) + 8, row.height() // 2)
    send_mouse(row, Type.MouseButtonPress, at)
    qtbot.keyClick(row, Qt.Key.Key_Z, CTRL)
    move_and_release(row, at, at + QPoint(120, 0))
    assert window.document.project is before_add and window.undo_stack.canRedo()


def test_a_tempo_change_dragged_when_ctrl_z_takes_it_away_is_gone_without_a_crash(window, qtbot):
    """A double-click adds a tempo change, the mouse goes down on it, Ctrl+Z takes it away: the drag ends
    there, and the playhead stays where it was."""
    lane = window.roll.tempo
    at = QPoint(round(window.roll.view.tick_to_x(1920)), lane.height() // 2)
    send_mouse(lane, Type.MouseButtonPress, at)
    send_mouse(lane, Type.MouseButtonRelease, at)
    send_mouse(lane, Type.MouseButtonDblClick, at)
    send_mouse(lane, Type.MouseButtonRelease, at)
    assert len(window.document.project.tempos) == 2
    before_add = window.undo_stack.command(0).before
    playhead = window.state.playhead
    send_mouse(lane, Type.MouseButtonPress, at)
    qtbot.keyClick(lane, Qt.Key.Key_Z, CTRL)
    move_and_release(lane, at, at + QPoint(120, -30))
    assert window.document.project is before_add and window.undo_stack.canRedo()
    assert window.state.playhead == playhead
