"""File > New or Open while a take is being recorded or jammed: the take goes into the piece first, so the
unsaved-changes question covers it, and Cancel keeps it (as closing the window does). Reload, in the question
Save asks when the file changed on disk, drops the take with the changes: the question says so."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

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


def answer_changed_on_disk(button: str) -> list[str]:
    """Press ``button`` in the changed-on-disk question when it comes up; the texts it showed."""
    seen = []

    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(20, press)
    return seen


def test_the_changed_on_disk_question_says_reload_drops_the_recording_in_progress(
    window, questions, tmp_path
):
    song = tmp_path / "song.muse"
    assert window.files.save_as(song)
    time.sleep(0.01)
    song.write_bytes(song.read_bytes() + b" ")  # another program touched it
    record_a_note(window, 72)
    seen = answer_changed_on_disk("Reload (drop my changes)")
    window.actions.save.trigger()
    assert seen and "stops the recording in progress" in seen[0]
    assert "the notes recorded so far are dropped" in seen[0]
    assert not questions and not window.recording.recording
    assert 72 not in pitches(window) and not window.document.modified  # as it said: the file as it is


def test_the_changed_on_disk_question_says_reload_drops_the_phrase_being_jammed(window, questions, tmp_path):
    song = tmp_path / "song.muse"
    assert window.files.save_as(song)
    time.sleep(0.01)
    song.write_bytes(song.read_bytes() + b" ")
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(3840)
    assert window.jam.start()
    play_note(window, 67, 3840, 4080)
    seen = answer_changed_on_disk("Reload (drop my changes)")
    window.actions.save.trigger()
    assert seen and "stops jam mode" in seen[0] and "the phrase being played is dropped" in seen[0]
    assert not window.jam.active and 67 not in pitches(window)
