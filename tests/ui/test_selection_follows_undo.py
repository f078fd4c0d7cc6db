"""Undo and Redo give back the selection with the notes: the notes selected before a step are selected
again when it is undone (those still in the active track), and the notes as the user left them after it
when it is redone. A note that is not in the piece is never selected. Driven by the window's keys."""

from __future__ import annotations

from PySide6.QtCore import Qt

KEY, MOD = Qt.Key, Qt.KeyboardModifier


def ids(notes) -> set[int]:
    return {n.id for n in notes}


def undo(qtbot, window) -> None:
    qtbot.keyClick(window.roll.view, KEY.Key_Z, MOD.ControlModifier)


def redo(qtbot, window) -> None:
    qtbot.keyClick(window.roll.view, KEY.Key_Z, MOD.ControlModifier | MOD.ShiftModifier)


def melody(window):
    return window.document.project.tracks[0].notes


def test_undoing_a_delete_selects_the_notes_it_brings_back(qtbot, window):
    first_two = melody(window)[:2]
    window.state.set_selection(ids(first_two))
    qtbot.keyClick(window.roll.view, KEY.Key_Delete)
    assert window.state.selection == frozenset()
    undo(qtbot, window)
    assert window.state.selection == ids(first_two)
    redo(qtbot, window)
    assert window.state.selection == frozenset()


def test_undoing_a_duplicate_selects_the_notes_copied_and_redo_selects_the_copies(qtbot, window):
    """Before: Undo left nothing selected (the copies went, and the notes copied were not selected again),
    and Redo brought the copies back unselected."""
    first_two = melody(window)[:2]
    window.state.set_selection(ids(first_two))
    qtbot.keyClick(window.roll.view, KEY.Key_D, MOD.ControlModifier)
    copies = window.state.selection
    assert copies and not copies & ids(first_two)
    undo(qtbot, window)
    assert window.state.selection == ids(first_two)
    redo(qtbot, window)
    assert window.state.selection == copies <= ids(melody(window))


def test_redo_gives_back_the_selection_as_the_user_left_it_after_the_step(qtbot, window):
    notes = melody(window)
    window.state.set_selection({notes[0].id})
    qtbot.keyClick(window.roll.view, KEY.Key_Up)  # transpose: one step, the same notes
    window.state.set_selection({notes[1].id, notes[2].id})  # the user selects others, then undoes
    undo(qtbot, window)
    assert window.state.selection == {notes[0].id}
    redo(qtbot, window)
    assert window.state.selection == {notes[1].id, notes[2].id}


def test_undoing_a_step_in_another_track_leaves_the_selection_where_the_user_is(qtbot, window):
    """Transpose a melody note, go on in the bass and select its note, then undo: the melody's note goes
    back down, and the bass note stays selected (no melody note is selected in the bass)."""
    melody_note = melody(window)[0]
    window.state.set_selection({melody_note.id})
    qtbot.keyClick(window.roll.view, KEY.Key_Up)
    bass = window.document.project.tracks[1]
    window.state.set_active_track(bass.id)
    window.state.set_selection(ids(bass.notes))
    undo(qtbot, window)
    assert melody(window)[0] == melody_note
    assert window.state.active_track_id == bass.id and window.state.selection == ids(bass.notes)
    redo(qtbot, window)
    assert window.state.selection == ids(bass.notes)


def test_a_step_undone_and_replaced_never_brings_back_a_selection_of_notes_not_there(qtbot, window):
    """Duplicate, undo, then delete the notes copied: the duplicate's step is gone; undoing and redoing
    the delete selects only notes in the piece."""
    notes = melody(window)
    window.state.set_selection({notes[0].id})
    qtbot.keyClick(window.roll.view, KEY.Key_D, MOD.ControlModifier)
    undo(qtbot, window)
    qtbot.keyClick(window.roll.view, KEY.Key_Delete)
    for step in (undo, redo, undo):
        step(qtbot, window)
        assert window.state.selection <= ids(melody(window))
    assert window.state.selection == {notes[0].id}
