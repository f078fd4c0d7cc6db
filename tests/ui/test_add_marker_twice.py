"""Add Marker at Playhead (Ctrl+M) where a marker already is: no second marker hidden under the first."""

from __future__ import annotations

from PySide6.QtCore import Qt


def press_ctrl_m(qtbot, window) -> None:
    window.roll.view.setFocus()
    qtbot.keyClick(window.roll.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_m_twice_on_one_spot_keeps_one_marker_and_says_it_is_there(window, qtbot):
    """A second marker on the same tick would lie under the first in the marker row, Next and Previous
    Marker would reach only one of them, and the exported file would carry both."""
    window.state.set_playhead(1920)
    press_ctrl_m(qtbot, window)
    (marker,) = window.document.project.markers
    press_ctrl_m(qtbot, window)
    assert window.document.project.markers == (marker,)
    assert window.undo_stack.count() == 1
    assert window.roll.markers.selected == marker.id
    assert "Marker 1" in window.statusBar().currentMessage()


def test_ctrl_m_elsewhere_still_adds_the_next_marker(window, qtbot):
    window.state.set_playhead(1920)
    press_ctrl_m(qtbot, window)
    window.state.set_playhead(3840)
    press_ctrl_m(qtbot, window)
    assert [(m.tick, m.text) for m in window.document.project.markers] == [
        (1920, "Marker 1"),
        (3840, "Marker 2"),
    ]
    assert window.roll.markers.selected == window.document.project.markers[1].id
