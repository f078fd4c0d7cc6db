"""Takes are the user's until they discard them: deleting their track, or undoing its adding, leaves them
listed, and keeping one then puts it in a new track (one undo step) with that track's instrument. Opening
another piece, or a new one, is the user starting over: the takes go once the user says they may."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from musestudio.ml.engines import CONTINUE, missing_model
from tests.ui.test_generate_ui import melody_project
from tests.ui.test_takes_trust_ui import takes_of

pytestmark = pytest.mark.skipif(missing_model(CONTINUE, "seq2seq") is not None, reason="no Continue model")


def test_deleting_the_track_leaves_the_takes_and_keeping_one_makes_a_new_track(qtbot, make_window):
    piece = melody_project()
    window = make_window(piece.replace_track(piece.tracks[0].with_(program=40)))  # a violin melody
    gen = takes_of(qtbot, window, variations=3)
    listed = gen.takes
    window.editor.delete_track(window.document.project.tracks[0].id)
    assert gen.takes == listed and gen.takes_panel.list.topLevelItemCount() == len(listed)
    assert gen.overlay.note_count(listed[0].number) == len(listed[0].notes)
    before = window.document.project
    gen.takes_panel.set_current_row(1)
    assert gen.keep()
    after = window.document.project
    added = after.tracks[-1]
    assert len(after.tracks) == 2 and after.tracks[0] == before.tracks[0]
    assert added.program == 40  # the deleted melody's instrument, not the bass's the active track has
    assert [(n.pitch, n.start) for n in added.notes] == [(n.pitch, n.start) for n in listed[1].notes]
    assert "new track" in window.statusBar().currentMessage()
    assert window.undo_stack.undoText() == f"Keep take {listed[1].number} as new track"
    window.undo_stack.undo()  # one step: the piece as it was, the take listed again
    assert window.document.project == before and gen.takes == listed
    window.undo_stack.redo()
    assert window.document.project == after


def test_undoing_the_adding_of_the_track_leaves_its_takes(qtbot, make_window):
    window = make_window(melody_project())
    track = window.editor.add_track("Lead", program=73)
    window.editor.add_note(72, 0, 480)
    window.editor.add_note(74, 480, 480)
    gen = takes_of(qtbot, window, variations=3)
    listed = gen.takes
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert track.id not in {t.id for t in window.document.project.tracks}
    assert gen.takes == listed
    assert gen.keep()
    assert window.document.project.tracks[-1].program == 73
    assert len(window.document.project.tracks) == 3


@pytest.mark.parametrize("start_over", ["new", "open"])
def test_opening_another_piece_or_a_new_one_drops_the_takes(
    qtbot, make_window, tmp_path, start_over, monkeypatch
):
    window = make_window(melody_project())
    gen = takes_of(qtbot, window, variations=3)
    gen.keep()
    assert window.files.save_as(tmp_path / "other.muse")  # no unsaved changes to ask about
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Discard
    )
    if start_over == "new":
        window.files.new()
    else:
        assert window.files.open_path(tmp_path / "other.muse")
    assert len(asked) == 1 and "not kept" in asked[0]  # the takes left in the list: the user discards them
    assert gen.takes == () and gen.takes_panel.list.topLevelItemCount() == 0
    assert gen.overlay.note_count(1) == gen.overlay.note_count(2) == 0
