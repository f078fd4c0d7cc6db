"""A click far back in the History panel applies the target state once: one change event, not thousands."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.test_random_edits import assert_scene_mirrors_model

STEPS = 3000


def make_history(window, steps: int = STEPS):
    """``steps`` edits in the history, made quickly (the list is detached while they are pushed)."""
    panel = window.history.widget()
    panel.setStack(None)
    with window.document.batch():
        for i in range(steps):
            window.editor.add_note(40 + i % 40, (i * 120) % 30720, 120, 1 + i % 127)
    panel.setStack(window.undo_stack)
    return window.undo_stack.count()


def click_history_row(window, row: int) -> None:
    panel = window.history.widget()
    index = panel.model().index(row, 0)
    panel.scrollTo(index)
    QTest.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=panel.visualRect(index).center())


def test_a_jump_of_thousands_of_steps_is_applied_once(window):
    original = window.document.project
    assert make_history(window) == STEPS
    assert_scene_mirrors_model(window)
    final = window.document.project
    changes = []
    window.document.changed.connect(lambda change, project: changes.append(change))
    click_history_row(window, 0)  # "<opened>"
    assert window.undo_stack.index() == 0
    assert window.document.project == original and not window.document.modified
    assert len(changes) == 1 and len(changes[0].tracks[0].removed) == STEPS
    assert_scene_mirrors_model(window)
    click_history_row(window, STEPS)  # and all the way forward again
    assert window.document.project == final and window.document.modified
    assert len(changes) == 2
    assert_scene_mirrors_model(window)


def test_single_steps_in_the_history_still_work(window):
    original = window.document.project
    make_history(window, 3)
    states = []
    for row in (2, 1, 3, 0):
        click_history_row(window, row)
        states.append((window.undo_stack.index(), window.document.project.note_count))
    assert states == [(2, 6), (1, 5), (3, 7), (0, 4)]
    assert window.document.project == original
    assert_scene_mirrors_model(window)


def test_batches_nest_and_announce_nothing_when_nothing_changed(window):
    changes = []
    window.document.changed.connect(lambda *a: changes.append(a))
    with window.document.batch():
        with window.document.batch():
            window.editor.add_note(60, 0, 120)
        window.undo_stack.undo()
    assert changes == [] and not window.document.modified
