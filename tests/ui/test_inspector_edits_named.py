"""Each Inspector edit is named in Edit > Undo and the History for what the user changed: a pitch typed in
the Inspector read "Move notes" (and a start the same), the name of a drag across the roll."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.ui_helpers import two_track_project

EDITS = [  # the box, what is typed, the step's name
    ("pitch", "E4", "Change pitch"),
    ("start", "2", "Change start"),
    ("length", "0:2", "Change length"),
    ("velocity", "64", "Change velocity"),
]


def undo_menu_text(window) -> str:
    """What Edit > Undo reads."""
    action = next(a for a in window.menuBar().actions() if a.text() == "&Edit").menu().actions()[0]
    return action.text()


@pytest.mark.parametrize(("box_name", "typed", "name"), EDITS)
def test_an_inspector_edit_is_named_for_what_it_changed(box_name, typed, name, make_window, qtbot):
    window = make_window(two_track_project())
    first = min(window.document.project.tracks[0].notes, key=lambda n: n.start)
    window.state.set_selection({first.id})
    box = getattr(window.inspector.widget(), box_name)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, typed)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    stack = window.undo_stack
    assert stack.count() == 1, "the edit was not made"
    assert stack.undoText() == name
    assert name in undo_menu_text(window).replace("&", "")
    history = window.history.widget()
    assert history.model().index(1, 0).data() == name  # row 0 is "<opened>"
    stack.undo()
    assert window.document.project.tracks[0].note_by_id(first.id) == first


def test_a_drag_in_the_roll_is_still_move_notes(make_window):
    """The Editor's own names stay for the gestures they name."""
    window = make_window(two_track_project())
    first = min(window.document.project.tracks[0].notes, key=lambda n: n.start)
    window.editor.move_notes((first,), 0, 2)
    assert window.undo_stack.undoText() == "Move notes"
