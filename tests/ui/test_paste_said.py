"""Copy, Cut, Paste and Duplicate say in the status bar what they took or put where: Paste put notes at the
playhead and said nothing (the view scrolls to them, but a musician pasting by key at a far playhead had no
word of it), and Copy and Cut said nothing at all, even with nothing selected, when they did nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from musestudio.core import Note, Project, Track

KEY, MOD = Qt.Key, Qt.KeyboardModifier
# with the English UI's translators (as the app installs them): "1 note" and "3 notes", not "note(s)"
pytestmark = pytest.mark.parametrize("language", ["en"], indirect=True)


def copy_all(window) -> None:
    window.editor.select_all()
    QTest.keyClick(window.roll.view, KEY.Key_C, MOD.ControlModifier)


def said(window) -> str:
    return window.statusBar().currentMessage()


def test_paste_says_how_many_notes_it_put_at_which_bar_and_beat_in_which_track(language, make_window):
    window = make_window()  # Melody: three notes in bar 1 (4/4 at 480 ticks a beat)
    copy_all(window)
    window.state.set_playhead(4 * 1920)
    QTest.keyClick(window.roll.view, KEY.Key_V, MOD.ControlModifier)
    assert said(window) == "Pasted 3 notes at bar 5 in “Melody”."
    window.state.set_playhead(5 * 1920 + 2 * 480)  # bar 6, beat 3
    window.actions.paste.trigger()
    assert said(window) == "Pasted 3 notes at bar 6, beat 3 in “Melody”."
    assert window.undo_stack.undoText() == "Paste"


def test_one_note_is_said_as_one(language, make_window):
    window = make_window()
    first = min(window.document.project.tracks[0].notes, key=lambda n: n.start)
    window.state.set_selection({first.id})
    QTest.keyClick(window.roll.view, KEY.Key_C, MOD.ControlModifier)
    window.state.set_playhead(1920)
    window.actions.paste.trigger()
    assert said(window) == "Pasted 1 note at bar 2 in “Melody”."


def test_a_paste_onto_notes_already_there_says_both_what_it_put_and_what_it_merged(language, make_window):
    window = make_window()
    copy_all(window)
    window.state.set_playhead(0)  # onto the notes copied: each goes into the note already there
    window.actions.paste.trigger()
    assert said(window) == (
        "Pasted 3 notes at bar 1 in “Melody”. Paste merged 3 copied notes into a note of the same pitch "
        "already starting there."
    )


def test_a_paste_into_a_piece_with_no_track_names_the_track_it_made(language, make_window):
    window = make_window()
    copy_all(window)
    window.files.load(Project(tracks=()), None, "Empty")
    window.actions.paste.trigger()
    (track,) = window.document.project.tracks
    assert said(window) == f"Pasted 3 notes at bar 1 in “{track.name}”."


def test_duplicate_says_where_its_copy_went(language, make_window):
    window = make_window(Project(tracks=(Track(name="Piano", notes=(Note(60, 0, 480), Note(64, 480, 480))),)))
    window.editor.select_all()
    window.actions.duplicate.trigger()
    assert said(window) == "Duplicated 2 notes at bar 1, beat 3 in “Piano”."


def test_copy_says_how_many_notes_it_took_from_which_track(language, make_window):
    window = make_window()
    copy_all(window)
    assert said(window) == "Copied 3 notes from “Melody”."
    first = min(window.document.project.tracks[0].notes, key=lambda n: n.start)
    window.state.set_selection({first.id})
    window.actions.copy.trigger()
    assert said(window) == "Copied 1 note from “Melody”."


def test_cut_says_how_many_notes_it_took_from_which_track_and_they_paste_back(language, make_window):
    window = make_window()
    window.editor.select_all()
    QTest.keyClick(window.roll.view, KEY.Key_X, MOD.ControlModifier)
    assert said(window) == "Cut 3 notes from “Melody”."
    assert window.document.project.tracks[0].notes == ()
    assert window.undo_stack.undoText() == "Cut"
    window.actions.paste.trigger()
    assert said(window) == "Pasted 3 notes at bar 1 in “Melody”."


def test_copy_and_cut_name_an_unnamed_track_as_the_track_list_does(language, make_window):
    piano = (Note(60, 0, 480),)
    window = make_window(Project(tracks=(Track(name="", notes=piano), Track(name="", notes=piano))))
    window.state.set_active_track(window.document.project.tracks[1].id)
    window.editor.select_all()
    window.actions.copy.trigger()
    assert said(window) == "Copied 1 note from “Acoustic Grand Piano 2”."
    window.actions.cut.trigger()
    assert said(window) == "Cut 1 note from “Acoustic Grand Piano 2”."


@pytest.mark.parametrize(
    ("key", "words"),
    [
        (KEY.Key_C, "Nothing to copy: no notes are selected. Select notes first."),
        (KEY.Key_X, "Nothing to cut: no notes are selected. Select notes first."),
        (KEY.Key_D, "Nothing to duplicate: no notes are selected. Select notes first."),
    ],
    ids=["copy", "cut", "duplicate"],
)
def test_with_nothing_selected_copy_cut_and_duplicate_say_so_and_change_nothing(
    language, make_window, key, words
):
    window = make_window()
    copy_all(window)  # something on the clipboard already: a Copy of nothing leaves it there
    window.state.set_selection(())
    before, steps = window.document.project, window.undo_stack.count()
    QTest.keyClick(window.roll.view, key, MOD.ControlModifier)
    assert said(window) == words
    assert window.document.project == before and window.undo_stack.count() == steps
    window.state.set_playhead(1920)
    window.actions.paste.trigger()
    assert said(window) == "Pasted 3 notes at bar 2 in “Melody”."


def test_copy_and_cut_say_it_in_chinese(language, chinese, make_window):
    window = make_window()  # the Chinese translator installed after the English one: it is read first
    window.state.set_selection(())
    QTest.keyClick(window.roll.view, KEY.Key_C, MOD.ControlModifier)
    assert said(window) == "没有可复制的内容：未选中任何音符。请先选择音符。"
    copy_all(window)
    assert said(window) == "已从 “Melody” 复制 3 个音符。"
    QTest.keyClick(window.roll.view, KEY.Key_X, MOD.ControlModifier)
    assert said(window) == "已从 “Melody” 剪切 3 个音符。"
