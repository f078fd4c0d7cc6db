"""Loop (L) on a piece with no loop region loops nothing: the status bar says how to set a region (drag
along the bar ruler), and the ruler and the Loop button say so when the mouse rests on them."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.ui.ui_helpers import drag


def test_loop_on_with_no_region_says_to_drag_along_the_bar_ruler(window, qtbot):
    assert window.state.loop is None
    qtbot.keyClick(window.roll.view, Qt.Key.Key_L)
    assert window.actions.loop.isChecked()
    said = window.statusBar().currentMessage()
    assert "no loop region" in said and "drag along the bar ruler" in said
    assert "drag along it to set the loop" in window.roll.ruler.toolTip()
    assert "bar ruler" in window.actions.loop.toolTip()


def test_loop_on_with_a_region_set_says_nothing_of_the_ruler(window, qtbot):
    ruler, view = window.roll.ruler, window.roll.view
    y = ruler.height() // 2
    drag(ruler, QPoint(round(view.tick_to_x(0)), y), QPoint(round(view.tick_to_x(1920)), y))
    qtbot.keyClick(window.roll.view, Qt.Key.Key_L)  # off
    qtbot.keyClick(window.roll.view, Qt.Key.Key_L)  # on again: the region is there
    assert window.actions.loop.isChecked() and window.state.loop is not None
    assert "ruler" not in window.statusBar().currentMessage()
