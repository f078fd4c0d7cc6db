"""Autosave: recovery copies appear after edits, disappear on save, and survive the app being killed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from musestudio.io.project_file import find_recoveries, load_project
from musestudio.ui.autosave import BURST_EDITS

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
    settings = Settings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
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
    version = 0
    for _round in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp_path), str(version)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        child.stdout.readline()  # at least one copy is on disk
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)  # mid-write, more often than not
        child.wait()
        written = [int(line) for line in child.stdout.read().split()] or [version]
        (copy,) = find_recoveries(tmp_path)
        project = load_project(copy.path)  # never half a file
        track = project.tracks[0]
        version_on_disk = int(track.name[1:])
        assert len(track.notes) == 4000
        assert {n.velocity for n in track.notes} == {version_on_disk % 127 + 1}
        assert version_on_disk >= version
        version = max(written) + 1


def test_edit_burst_writes_a_copy_and_save_discards_it(window, qtbot, tmp_path):
    for i in range(BURST_EDITS):
        window.editor.add_note(50 + i, i * 120, 120)
    qtbot.waitUntil(lambda: bool(find_recoveries()), timeout=5000)  # after the burst pauses
    (copy,) = find_recoveries()
    assert load_project(copy.path) == window.document.project
    assert window.files.save_as(tmp_path / "piece.muse")
    assert find_recoveries() == []


def test_recovery_is_offered_and_restored(make_window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from musestudio.ui.dialogs.recovery import offer_recovery

    first = make_window()
    first.editor.add_note(77, 0, 480)
    first.autosaver.save_now()
    edited = first.document.project
    second = make_window()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert offer_recovery(second)
    assert second.document.project == edited and second.document.modified
