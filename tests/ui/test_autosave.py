"""Autosave: recovery copies appear after edits, disappear on save, survive kills, and failures are shown."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from musestudio.io import recovery
from musestudio.io.project_file import load_project
from musestudio.io.recovery import find_recoveries
from musestudio.ui.autosave import BURST_EDITS, process_session
from tests.ui.ui_helpers import list_takes

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication, QSettings
    from musestudio.core.document import Document
    from musestudio.core.note import Note
    from musestudio.core.project import Project
    from musestudio.core.track import Track
    from musestudio.settings import Settings
    from musestudio.ui.autosave import Autosaver

    app = QCoreApplication([])
    folder, start = Path(sys.argv[1]), int(sys.argv[2])
    settings = Settings(QSettings(str(folder.parent / "s.ini"), QSettings.Format.IniFormat))
    doc = Document(Project())
    saver = Autosaver(doc, settings, folder=folder)
    for version in range(start, start + 10**6):
        # every version is a big, self-consistent piece: 4000 notes, all with velocity = version % 127 + 1
        vel = version % 127 + 1
        notes = tuple(Note(40 + i % 40, i * 60, 60, vel) for i in range(4000))
        doc.set_project(Project(tracks=(Track(name=f"v{version}", notes=notes),)))
        saver.save_now()
        print(version, flush=True)
""")


def test_killing_the_app_while_it_autosaves_leaves_a_readable_copy(tmp_path):
    rng = random.Random(7)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    folder = tmp_path / "recovery"
    version = 0
    for round_ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(folder), str(version)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        child.stdout.readline()  # at least one copy is on disk
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)  # mid-write, more often than not
        child.wait()
        written = [int(line) for line in child.stdout.read().split()] or [version]
        copies = find_recoveries(folder)  # the killed run's lock is gone: its copy is offered
        assert len(copies) == round_ + 1  # one copy per run, none lost, none shared
        project = load_project(copies[0].path)  # the newest: never half a file
        track = project.tracks[0]
        version_on_disk = int(track.name[1:])
        assert len(track.notes) == 4000
        assert {n.velocity for n in track.notes} == {version_on_disk % 127 + 1}
        assert version_on_disk >= version
        version = max(written) + 1


def test_edit_burst_writes_a_copy_and_save_discards_it(window, qtbot, tmp_path):
    for i in range(BURST_EDITS):
        window.editor.add_note(50 + i, i * 120, 120)
    qtbot.waitUntil(lambda: bool(find_recoveries(include_live=True)), timeout=30_000)  # after the pause
    (copy,) = find_recoveries(include_live=True)
    assert load_project(copy.path) == window.document.project
    assert window.files.save_as(tmp_path / "piece.muse")
    assert find_recoveries(include_live=True) == []


def test_undoing_back_to_the_saved_piece_soon_removes_its_copy(window, qtbot, tmp_path):
    """Edits autosaved, then all undone: the file holds the piece as it is, so a crash now must not offer the
    undone edits back (before, the copy stayed, and the next start offered them as unsaved work)."""
    assert window.files.save_as(tmp_path / "piece.muse")
    window.editor.add_note(70, 0, 480)
    copy = window.autosaver.save_now()
    assert copy is not None and copy.exists()
    window.undo_stack.undo()
    assert not window.document.modified
    qtbot.waitUntil(lambda: not copy.exists(), timeout=10_000)  # at the pause after the undo, not a minute on
    assert find_recoveries(include_live=True) == [] and window.autosaver.copy_path is None
    window.editor.add_note(72, 0, 480)  # editing again gets a copy again
    assert window.autosaver.save_now().exists()


def test_undoing_back_to_the_saved_piece_keeps_the_takes_in_its_copy(window, qtbot, tmp_path):
    """Takes listed and not kept are in no file: undone back to the saved piece, the copy holds that piece and
    still the takes."""
    assert window.files.save_as(tmp_path / "piece.muse")
    saved = window.document.project
    list_takes(window, 2)
    window.editor.add_note(70, 0, 480)
    copy = window.autosaver.save_now()
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: load_project(copy).tracks == saved.tracks, timeout=10_000)
    (kept,) = find_recoveries(include_live=True)
    assert kept.path == copy and kept.takes == 2


def test_two_windows_never_share_a_copy(make_window):
    a, b = make_window(), make_window()
    a.editor.add_note(70, 0, 480)
    b.editor.add_note(72, 0, 480)
    pa, pb = a.autosaver.save_now(), b.autosaver.save_now()
    assert pa != pb and pa.exists() and pb.exists()


def test_closing_one_window_keeps_the_other_windows_copy(make_window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    a, b = make_window(), make_window()
    for w in (a, b):
        w.editor.add_note(70, 0, 480)
        w.autosaver.save_now()
    copy_a, copy_b = a.autosaver.copy_path, b.autosaver.copy_path
    assert a.close()  # the user discards a's changes: its copy goes, b's stays
    assert not copy_a.exists() and copy_b.exists()
    assert load_project(copy_b).tracks[0].notes == b.document.project.tracks[0].notes


def test_a_failing_autosave_is_shown_once_per_cause_and_retried(window, qtbot, monkeypatch):
    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recovery, "atomic_write_bytes", full)
    window.editor.add_note(70, 0, 480)
    assert window.autosaver.save_now() is None
    status = window.autosave_status
    assert window.autosaver.failing == "ENOSPC"
    assert status.label.isVisible() and "not protected" in status.label.text()
    assert "the disk is full" in status.dialog.text() and status.dialog.isVisible()
    status.dialog.close()
    window.editor.add_note(71, 0, 480)
    window.autosaver.save_now()  # the same cause again: no second dialog
    assert not status.dialog.isVisible() and status.causes_shown == {"ENOSPC"}
    assert window.autosaver._retry.isActive()  # it keeps trying on its own
    monkeypatch.undo()
    window.autosaver._retry.setInterval(10)
    window.autosaver._retry.start()
    qtbot.waitUntil(lambda: window.autosaver.failing is None, timeout=30_000)
    assert not status.label.isVisible() and window.autosaver.copy_path.exists()


def test_undoing_back_to_the_piece_as_opened_soon_clears_a_failing_autosaves_warning(
    window, qtbot, monkeypatch
):
    """Autosave failing (the disk full) before any copy was written: the user undoes back to the piece as
    opened, which its file holds, so nothing is unprotected and the warning goes at the pause after the
    undo. Before, the prompt recheck ran only where a copy existed: the warning stayed up to the next retry
    or the next minute, telling the user their changes were not protected when there were none."""

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recovery, "atomic_write_bytes", full)
    assert not window.document.modified
    window.editor.add_note(70, 0, 480)
    assert window.autosaver.save_now() is None and window.autosaver.copy_path is None
    assert window.autosave_status.label.isVisible()
    for timer in (window.autosaver._retry, window.autosaver._timer):  # neither comes in this test's time
        timer.start(24 * 3600 * 1000)
    window.undo_stack.undo()
    assert not window.document.modified
    qtbot.waitUntil(lambda: not window.autosave_status.label.isVisible(), timeout=10_000)
    assert window.autosaver.failing is None and find_recoveries(include_live=True) == []


def test_undoing_back_to_what_the_copy_holds_ends_a_failing_autosaves_warning(window, qtbot, monkeypatch):
    """A copy written, then the disk fills and the next edit's copy fails; the user undoes that edit. The
    copy holds the piece as it is now, so the next retry ends the warning. Before, the retry found nothing
    new to write and stopped there: the warning stayed, and the retries went on, until the next edit."""
    window.editor.add_note(70, 0, 480)
    copy = window.autosaver.save_now()
    assert copy is not None

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recovery, "atomic_write_bytes", full)
    window.editor.add_note(72, 0, 480)
    assert window.autosaver.save_now() is None and window.autosave_status.label.isVisible()
    window.undo_stack.undo()
    window.autosaver._retry.start(10)
    qtbot.waitUntil(lambda: not window.autosave_status.label.isVisible(), timeout=10_000)
    assert window.autosaver.failing is None and not window.autosaver._retry.isActive()
    assert load_project(copy) == window.document.project


def test_an_unwritable_data_folder_is_reported(window, monkeypatch):
    def denied(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(recovery, "atomic_write_bytes", denied)
    window.editor.add_note(70, 0, 480)
    window.autosaver.save_now()
    assert "no permission" in window.autosave_status.dialog.text()
    assert window.autosave_status.label.isVisible()


def test_restart_hands_the_copy_to_the_new_window(make_window):
    old = make_window()
    old.editor.add_note(70, 0, 480)
    old.restart()
    *_, copy = old.reopen
    assert copy is not None and copy.exists()
    new = make_window()
    new.files.load(old.reopen[0], None, "x", modified=True)
    new.autosaver.adopt(copy)
    assert new.autosaver.copy_path == copy and copy.exists()
    assert [r.path for r in find_recoveries(include_live=True)] == [copy]
    QApplication.processEvents()


def test_session_lock_is_per_data_folder(tmp_path, monkeypatch):
    first = process_session()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    assert process_session() is not first and process_session().folder.is_relative_to(tmp_path)


def test_a_recovery_folder_that_cannot_be_made_is_said_once_and_the_app_works_on(
    make_window, monkeypatch, tmp_path
):
    """The data folder's place is taken by a file (or its parent is read-only): the window still opens, the
    start-up offer finds nothing, and autosave says why it cannot write, once, and keeps trying (before,
    making the window raised and the app did not start at all)."""
    (tmp_path / "blocked").write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "blocked" / "data"))
    window = make_window()
    assert find_recoveries() == [] and window.files.clean_temp_leftovers() == []
    window.editor.add_note(70, 0, 480)
    assert window.autosaver.save_now() is None and window.autosaver.failing is not None
    status = window.autosave_status
    assert status.label.isVisible() and status.dialog.isVisible()
    status.dialog.close()
    window.editor.add_note(72, 0, 480)
    window.autosaver.save_now()
    assert not status.dialog.isVisible() and len(status.causes_shown) == 1
    assert window.autosaver._retry.isActive()
    assert len(window.document.project.tracks[0].notes) >= 2  # the edits are all there


def block_the_recovery_folder(window) -> None:
    """The recovery folder turns unusable after a copy was written (made read-only, its disk remounted
    read-only, a file in its place): the copy can be neither rewritten nor deleted."""
    window.editor.add_note(70, 0, 480)
    folder = window.autosaver.save_now().parent
    shutil.rmtree(folder)
    folder.write_text("not a folder")


def test_a_copy_that_cannot_be_deleted_stops_neither_save_nor_new_nor_close(window, monkeypatch, tmp_path):
    """Deleting the copy is tidying up: where it fails the copy is left (the next start offers it, nothing is
    lost). Before, the error escaped: Save As wrote the file but the window went on autosaving as
    "never saved", and New cleared the undo history and then kept the old piece."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    block_the_recovery_folder(window)
    assert window.files.save_as(tmp_path / "x.muse")
    assert window.autosaver.source == tmp_path / "x.muse" and window.autosaver.copy_path is None
    window.editor.add_note(72, 0, 480)
    window.files.new()
    assert window.files.name == "Untitled" and window.document.project.tracks[0].notes == ()
    window.editor.add_note(74, 0, 480)
    assert window.close()
