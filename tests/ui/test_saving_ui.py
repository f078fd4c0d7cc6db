"""Saving through the window: failed saves lose nothing, a file changed on disk is noticed, read-only files
are asked about, and names that cannot be encoded get a message instead of an exception."""

from __future__ import annotations

import errno
import os
import stat
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from musestudio.core.events import Marker, TextEvent
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io import atomic
from musestudio.io.project_file import load_project
from musestudio.ui import files as ui_files
from tests.ui.ui_helpers import read_only


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a: shown.append((title, text)))
    return shown


def test_a_failed_save_as_keeps_name_copy_and_autosave(window, tmp_path, monkeypatch, warnings):
    first = tmp_path / "first.muse"
    assert window.files.save_as(first)
    window.editor.add_note(90, 0, 480)
    copy = window.autosaver.save_now()
    title = window.windowTitle()

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert window.files.save_as(tmp_path / "second.muse") is False
    monkeypatch.undo()
    (title_shown, text), *_ = warnings
    assert "second.muse: the disk is full" in text and "Nothing was lost" in text
    assert window.files.path == first and window.windowTitle() == title and window.document.modified
    assert copy.exists() and window.autosaver.copy_path == copy
    assert not (tmp_path / "second.muse").exists()
    window.editor.add_note(91, 0, 480)  # autosave goes on
    assert window.autosaver.save_now() == copy
    assert load_project(copy) == window.document.project


def test_save_as_into_a_read_only_folder_says_so(window, tmp_path, monkeypatch, warnings):
    locked = tmp_path / "locked"
    locked.mkdir()
    read_only(locked, monkeypatch)
    window.editor.add_note(90, 0, 480)
    assert window.files.save_as(locked / "x.muse") is False
    assert "you have no permission to write there" in warnings[0][1]
    assert window.files.path is None and window.document.modified


def test_two_windows_on_one_file_the_second_save_asks(make_window, tmp_path, monkeypatch):
    song = tmp_path / "song.muse"
    a = make_window()
    assert a.files.save_as(song)
    b = make_window()
    assert b.files.open_path(song, ask=False)
    a.editor.add_note(80, 0, 480)
    assert a.files.save()
    b.editor.add_note(40, 0, 480)
    asked = []

    def answer(choice):
        monkeypatch.setattr(
            ui_files, "ask_changed_on_disk", lambda _w, name, *_: asked.append(name) or choice
        )

    answer("cancel")
    assert b.files.save() is False and load_project(song) == a.document.project
    answer("overwrite")
    assert b.files.save() and load_project(song) == b.document.project
    assert asked == ["song.muse", "song.muse"]
    a.editor.add_note(81, 0, 480)
    answer("reload")
    assert a.files.save() is False
    assert a.document.project == b.document.project and not a.document.modified
    b.editor.add_note(41, 0, 480)
    a.editor.add_note(82, 0, 480)
    assert a.files.save() is True  # a reloaded: it knows the file as it is now
    answer("save_as")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "mine.muse"), ""))
    assert b.files.save()
    assert (
        b.files.path == tmp_path / "mine.muse" and load_project(tmp_path / "mine.muse") == b.document.project
    )


def test_the_changed_on_disk_question_is_a_real_dialog(make_window, tmp_path):
    song = tmp_path / "song.muse"
    a = make_window()
    assert a.files.save_as(song)
    a.editor.add_note(80, 0, 480)
    time.sleep(0.01)
    song.write_bytes(song.read_bytes() + b" ")  # another program touched it
    seen = []

    def press_overwrite():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press_overwrite)
            return
        seen.append([b.text() for b in box.buttons()])
        next(b for b in box.buttons() if b.text() == "Overwrite").click()

    QTimer.singleShot(20, press_overwrite)
    assert a.files.save()
    assert "Save As…" in seen[0] and "Reload (drop my changes)" in seen[0]
    assert load_project(song) == a.document.project


def test_saving_through_a_symlink_keeps_the_link(window, tmp_path):
    real = tmp_path / "real.muse"
    assert window.files.save_as(real)
    link = tmp_path / "link.muse"
    link.symlink_to(real)
    assert window.files.open_path(link, ask=False)
    window.editor.add_note(30, 0, 480)
    assert window.files.save()  # no "changed on disk" question: it is the same file
    assert link.is_symlink() and load_project(real) == window.document.project


def test_a_read_only_file_is_replaced_only_when_agreed(window, tmp_path, monkeypatch):
    song = tmp_path / "ro.muse"
    assert window.files.save_as(song)
    os.chmod(song, 0o444)
    window.editor.add_note(30, 0, 480)
    monkeypatch.setattr(ui_files, "ask_replace_read_only", lambda _w, _n: False)
    assert window.files.save() is False and load_project(song) != window.document.project
    monkeypatch.setattr(ui_files, "ask_replace_read_only", lambda _w, _n: True)
    assert window.files.save() and load_project(song) == window.document.project
    assert stat.S_IMODE(song.stat().st_mode) == 0o444


def test_names_that_cannot_be_encoded_give_a_message_not_an_exception(
    window, tmp_path, warnings, monkeypatch
):
    window.editor.add_note(30, 0, 480)
    assert window.files.save_as(tmp_path / "bad\ud800.muse") is False
    assert "not valid text" in warnings[-1][1]
    # a file whose name is not UTF-8 (made by another system) opens, shows, and cannot be saved over
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.muse")
    good = tmp_path / "good.muse"
    assert window.files.save_as(good)
    os.rename(good, raw)
    path = tmp_path / os.fsdecode(b"caf\xe9.muse")
    assert window.files.open_path(path, ask=False)
    assert window.windowTitle().startswith("caf\ufffd.muse")
    window.editor.add_note(31, 0, 480)
    assert window.autosaver.save_now() is not None  # autosave still works
    assert window.files.save() is False and "Save As" in warnings[-1][1]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.close()  # closing asks and closes, no exception


def test_texts_holding_lone_surrogates_come_back_from_a_saved_project_as_they_went_in(make_window, tmp_path):
    """A lone high surrogate right before a lone low one (as a damaged source can give) is two characters;
    a save and open must not join them into one (JSON reads the two escapes side by side as one), and lone
    ones apart stay as they were."""
    meeting, apart = "Lead \ud83c\udfb5", "\ud83c, then \udfb5"
    piece = Project(
        tracks=(
            Track(name=meeting, notes=(Note(60, 0, 480),), texts=(TextEvent(0, "lyrics", apart + meeting),)),
            Track(name=apart, notes=(Note(64, 0, 480),)),
        ),
        markers=(Marker(0, meeting), Marker(480, apart)),
        metadata={"title": meeting},
    )
    assert make_window(piece).files.save_as(tmp_path / "odd.muse")
    reader = make_window()
    assert reader.files.open_path(tmp_path / "odd.muse", ask=False)
    back = reader.document.project
    assert [t.name for t in back.tracks] == [meeting, apart] and len(back.tracks[0].name) == 7
    assert [m.text for m in back.markers] == [meeting, apart]
    assert back.tracks[0].texts[0].text == apart + meeting and back.metadata["title"] == meeting
    assert back == piece


def test_a_project_with_lone_surrogates_saved_before_they_could_meet_opens_as_it_did(window, tmp_path):
    """Files written before format 5 hold lone surrogates as JSON escapes, and a character beyond the
    basic plane escaped as its pair (as other JSON writers write one): they open as they always did."""
    old = tmp_path / "old.muse"
    old.write_bytes(
        b'{"format":"musestudio-project","version":2,"ticks_per_beat":480,"tempos":[{"tick":0,"bpm":96}],'
        b'"time_signatures":[{"tick":0,"numerator":3,"denominator":4}],"key":null,"markers":[[0,"\\udfb5"]],'
        b'"metadata":{"title":"\\ud83c\\udfb5 Song"},"tracks":[{"name":"Piano \\ud800","program":0,'
        b'"notes":[[60,0,480,90]],"controllers":[],"texts":[[0,"lyrics","la \\ud83c"]]}]}'
    )
    assert window.files.open_path(old, ask=False)
    piece = window.document.project
    assert piece.metadata["title"] == "\U0001f3b5 Song" and piece.markers[0].text == "\udfb5"
    assert piece.tracks[0].name == "Piano \ud800" and piece.tracks[0].texts[0].text == "la \ud83c"
    assert piece.tempos[0].bpm == 96 and piece.tracks[0].notes == (Note(60, 0, 480, 90),)


def test_opening_a_device_or_fifo_says_so(window, tmp_path, warnings):
    link = tmp_path / "zero.mid"
    link.symlink_to("/dev/zero")
    fifo = tmp_path / "pipe.muse"
    os.mkfifo(fifo)
    assert window.files.open_path(link, ask=False) is False
    assert window.files.open_path(fifo, ask=False) is False
    assert "is a device" in warnings[0][1] and "is a pipe" in warnings[1][1]


def test_leftover_temp_files_are_cleaned_up_on_start(window, tmp_path):
    song = tmp_path / "songs" / "a.muse"
    song.parent.mkdir()
    assert window.files.save_as(song)  # its folder is now in the recent files
    leftover = song.parent / f".a.muse~{'f' * 12}{atomic.TEMP_SUFFIX}"
    leftover.write_bytes(b"half")
    hour_ago = time.time() - 3600
    os.utime(leftover, (hour_ago, hour_ago))
    assert window.files.clean_temp_leftovers() == [leftover]
    assert sorted(p.name for p in song.parent.iterdir()) == ["a.muse"]
