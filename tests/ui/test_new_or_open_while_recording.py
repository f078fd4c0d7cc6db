"""File > New or Open while a take is being recorded or jammed: the take goes into the piece first, so the
unsaved-changes question covers it, and Cancel keeps it (as closing the window does)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from musestudio.io.project_file import save_project
from tests.ui.test_midi_ui import play_note
from tests.ui.ui_helpers import two_track_project


@pytest.fixture
def questions(monkeypatch) -> list:
    """The questions the app asks; each is answered Cancel."""
    asked = []

    def question(*args, **kwargs):
        asked.append(args)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def record_a_note(window, pitch: int) -> None:
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(1920)
    window.actions.record.trigger()
    assert window.recording.recording
    play_note(window, pitch, 1920 + 240, 1920 + 720, velocity=77)


def pitches(window) -> list[int]:
    return [n.pitch for t in window.document.project.tracks for n in t.notes]


def test_file_new_while_recording_asks_and_cancel_keeps_the_take(window, questions):
    assert not window.document.modified
    record_a_note(window, 72)
    window.actions.new.trigger()
    assert questions, "File > New threw the piece and its take away without asking"
    assert 72 in pitches(window)
    assert window.undo_stack.undoText() == window.recording.tr("Record %n note(s)", "", 1)


def test_opening_a_file_while_recording_asks_and_cancel_keeps_the_take(window, questions, tmp_path):
    save_project(two_track_project(), tmp_path / "other.muse")
    record_a_note(window, 72)
    window.files.open_path(tmp_path / "other.muse")  # what Open Recent and a dropped file do
    assert questions and 72 in pitches(window)


def test_open_dialog_while_recording_asks_before_the_dialog(window, questions, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    dialogs = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: dialogs.append(a) or ("", ""))
    record_a_note(window, 72)
    window.actions.open.trigger()
    assert questions and not dialogs, "Cancel in the question must not go on to the Open dialog"
    assert 72 in pitches(window)


def test_file_new_while_jamming_asks_and_cancel_keeps_the_phrase(window, questions):
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(3840)
    assert window.jam.start()
    play_note(window, 67, 3840, 4080)
    window.actions.new.trigger()
    assert questions and 67 in pitches(window)
    assert not window.jam.active


def test_file_new_while_recording_discarded_gives_an_empty_piece(window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    record_a_note(window, 72)
    window.actions.new.trigger()
    assert not window.recording.recording
    assert pitches(window) == []
    assert not window.document.modified
