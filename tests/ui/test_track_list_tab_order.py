"""Tab in the track list follows the layout: each row top to bottom, its controls line by line, then Add,
Rename and Delete below the rows. It reached the buttons first (the rows are made after them) and, once
a track was added, the rows only after every other panel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QToolButton


def tab_visits(qtbot, panel) -> list:
    """Tab from the list's scroll area until the Delete button: every widget the focus lands on."""
    qtbot.waitUntil(lambda: all(row.isVisible() for row in panel.rows.values()))  # rebuilt rows show late
    scroll = panel.findChild(QScrollArea)
    scroll.setFocus()
    qtbot.waitUntil(scroll.hasFocus)
    delete = next(b for b in panel.findChildren(QToolButton) if b.text() == "Delete")
    visits = []
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visits.append(QApplication.focusWidget())
        if visits[-1] is delete:
            break
    return visits


def laid_out(panel, project) -> list:
    """The rows in track order, each left to right and line by line, then the buttons left to right."""
    rows = [panel.rows[track.id] for track in project.tracks]
    controls = [w for row in rows for w in (row.colour, row.mute, row.solo, row.instrument, row.volume)]
    buttons = [
        b for name in ("Add", "Rename", "Delete") for b in panel.findChildren(QToolButton) if b.text() == name
    ]
    return controls + buttons


def test_tab_goes_down_the_track_rows_then_to_the_buttons_below_them(window, qtbot):
    panel = window.tracks.widget()
    assert tab_visits(qtbot, panel) == laid_out(panel, window.document.project)


def test_tab_follows_the_rows_after_tracks_are_added_and_deleted(window, qtbot):
    panel = window.tracks.widget()
    window.editor.add_track()
    assert len(window.document.project.tracks) == 3
    assert tab_visits(qtbot, panel) == laid_out(panel, window.document.project)
    window.editor.delete_track(window.document.project.tracks[0].id)
    assert tab_visits(qtbot, panel) == laid_out(panel, window.document.project)
    window.undo_stack.undo()  # the track comes back at the top
    assert len(window.document.project.tracks) == 3
    assert tab_visits(qtbot, panel) == laid_out(panel, window.document.project)
