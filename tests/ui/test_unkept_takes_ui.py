"""Takes not kept are the user's until they discard them: New, Open (the dialog, a recent file, a drop) and
closing the window ask first, Cancel leaves the piece and every take as they were, and a piece with unsaved
changes gets one question that says its takes go too. The takes here are made by hand, so no model is needed."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from musestudio.io.project_file import load_project, save_project
from musestudio.ui import files as files_module
from tests.ui.ui_helpers import list_takes

Button = QMessageBox.StandardButton


@pytest.fixture
def answer(monkeypatch):
    """Answer every QMessageBox.question with ``answer.reply``; ``answer.asked`` holds (title, text, buttons)."""

    def question(_parent, title, text, buttons, _default=Button.NoButton):
        question.asked.append((title, text, buttons))
        return question.reply

    question.asked, question.reply = [], Button.Cancel
    monkeypatch.setattr(QMessageBox, "question", question)
    return question


@pytest.fixture
def other_file(make_window, tmp_path):
    other = make_window()
    path = tmp_path / "other.muse"
    other.editor.add_note(90, 0, 480)
    assert other.files.save_as(path)
    return path


def start_over(window, how: str, path, monkeypatch) -> None:
    """New, Open, Open Recent or Quit, the way the user does each."""
    if how == "new":
        window.actions.new.trigger()
    elif how == "open":
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
        window.actions.open.trigger()
    elif how == "recent":
        window._fill_recent()
        next(a for a in window.recent_menu.actions() if a.text() == str(path.resolve())).trigger()
    else:
        window.actions.quit.trigger()


WAYS = ["new", "open", "recent", "quit"]


@pytest.mark.parametrize("how", WAYS)
def test_starting_over_with_takes_not_kept_asks_and_cancel_keeps_the_piece_and_every_take(
    window, answer, other_file, monkeypatch, how
):
    takes = list_takes(window, 3)
    piece = window.document.project
    start_over(window, how, other_file, monkeypatch)
    assert answer.asked == [
        ("Takes not kept", "3 takes are not kept. Discard them?", Button.Discard | Button.Cancel)
    ]
    assert window.document.project == piece and window.files.path is None and window.isVisible()
    assert window.generate.takes == takes and window.generate.takes_panel.list.topLevelItemCount() == 3

    answer.reply = Button.Discard
    start_over(window, how, other_file, monkeypatch)
    assert len(answer.asked) == 2
    if how == "quit":
        assert not window.isVisible()
    else:
        assert window.document.project != piece and window.generate.takes == ()


def test_one_take_is_named_as_one(window, answer):
    list_takes(window, 1)
    window.files.new()
    assert answer.asked[0][1] == "1 take is not kept. Discard it?"


@pytest.mark.parametrize("how", WAYS)
def test_no_takes_and_no_changes_ask_nothing(window, answer, other_file, monkeypatch, how):
    start_over(window, how, other_file, monkeypatch)
    assert answer.asked == []
    if how == "quit":
        assert not window.isVisible()
    else:
        assert window.files.path == (None if how == "new" else other_file)


def test_changes_and_takes_get_one_question_that_says_saving_does_not_keep_the_takes(
    window, answer, tmp_path
):
    takes = list_takes(window, 2)
    assert window.files.save_as(tmp_path / "mine.muse")
    window.editor.add_note(70, 0, 480)
    piece = window.document.project
    window.files.new()
    ((title, text, buttons),) = answer.asked
    assert title == "Unsaved changes" and buttons == Button.Save | Button.Discard | Button.Cancel
    assert text.startswith("Save the changes to \u201cmine.muse\u201d")
    assert "The 2 takes in the Takes panel are not kept and will be lost too" in text
    assert "saving the piece does not keep them" in text
    assert window.document.project == piece and window.generate.takes == takes  # cancelled

    answer.reply = Button.Save  # the piece is saved, the takes go as the question said
    window.files.new()
    assert len(answer.asked) == 2 and window.generate.takes == ()
    assert load_project(tmp_path / "mine.muse") == piece


def test_reloading_a_file_changed_on_disk_asks_about_the_takes(window, answer, tmp_path, monkeypatch):
    path = tmp_path / "mine.muse"
    assert window.files.save_as(path)
    window.editor.add_note(70, 0, 480)
    other = window.document.project
    save_project(other, path)  # another program writes the file
    window.editor.add_note(72, 480, 480)
    takes = list_takes(window, 2)
    piece = window.document.project
    monkeypatch.setattr(files_module, "ask_changed_on_disk", lambda *_a: "reload")
    assert window.files.save() is False
    assert answer.asked[0][1] == "2 takes are not kept. Discard them?"  # the changes go as chosen: not asked
    assert window.document.project == piece and window.generate.takes == takes
    answer.reply = Button.Discard
    assert window.files.save() is False
    assert window.document.project == other and window.generate.takes == ()


def test_the_windows_own_restart_asks_nothing(window, answer):
    list_takes(window, 2)
    window.editor.add_note(70, 0, 480)
    window.restart()  # a new language: the window closes for run_gui to open a fresh one
    assert answer.asked == [] and not window.isVisible()


def test_reopening_for_new_preferences_asks_nothing_and_the_takes_go_with_the_piece(
    window, answer, monkeypatch
):
    """Preferences' "reopen the window now" carries the piece and the takes listed (in memory, and in the
    recovery copy the fresh window goes on from), so nothing is asked."""
    from musestudio.io.recovery import read_recovery
    from musestudio.ui.dialogs.preferences import PreferencesDialog

    def accepted_with_restart(dialog):
        dialog.restart_wanted = True
        return True

    monkeypatch.setattr(PreferencesDialog, "exec", accepted_with_restart)
    window.show()
    takes = list_takes(window, 2)
    window._preferences()
    assert answer.asked == [] and window.reopen is not None and not window.isVisible()
    numbers = [t.number for t in takes]
    assert [t["number"] for t in window.reopen.takes["takes"]] == numbers
    assert [t["number"] for t in read_recovery(window.reopen.copy).takes["takes"]] == numbers


def test_a_take_shown_early_and_listed_again_with_the_rest_of_its_run_is_not_asked_about_twice(
    window, answer, other_file, monkeypatch
):
    """The user gives up take 1, shown early; while the Open dialog is up the rest of its run come, take 1
    again as a new object: only the takes they never saw are asked about."""
    first = list_takes(window, 1)[0]
    answer.reply = Button.Discard

    def pick(*_a, **_k):
        rest = list_takes(window, 3, first.request)[1:]  # the run's takes 2 and 3 ...
        window.generate.set_takes((dataclasses.replace(first), *rest))  # ... with take 1 listed anew
        answer.reply = Button.Cancel
        return str(other_file), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    window.actions.open.trigger()
    assert len(answer.asked) == 2 and "2 new take(s)" in answer.asked[1][1]
