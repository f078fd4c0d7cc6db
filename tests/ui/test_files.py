"""Files through the window: save/open round trip, title marker, MIDI/WAV export, import, drag and drop."""

from __future__ import annotations

import wave

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from musestudio.io.midi import read_midi


def test_save_open_round_trip_and_title(window, make_window, tmp_path):
    window.editor.add_note(72, 1920, 240)
    assert window.isWindowModified() and "Untitled" in window.windowTitle()
    path = tmp_path / "song.muse"
    assert window.files.save_as(path)
    assert not window.isWindowModified() and window.windowTitle().startswith("song.muse")
    other = make_window()
    assert other.files.open_path(path, ask=False)
    assert other.document.project == window.document.project
    assert other.undo_stack.count() == 0 and not other.document.modified
    assert window.settings.get("recent_files")[0] == str(path.resolve())


def test_export_midi_and_wav(window, tmp_path):
    mid, wav = tmp_path / "out.mid", tmp_path / "out.wav"
    assert window.files.export_midi(mid)
    back = read_midi(mid)
    assert [n.pitch for n in back.tracks[0].notes] == [60, 62, 64]
    assert window.files.export_wav(wav)
    with wave.open(str(wav)) as w:
        assert w.getnchannels() == 2 and w.getframerate() == 44100 and w.getnframes() > 44100


def test_import_midi_adds_tracks_as_one_step(window, tmp_path):
    mid = tmp_path / "in.mid"
    window.files.export_midi(mid)
    window.files.import_midi(mid)
    assert len(window.document.project.tracks) == 4
    window.undo_stack.undo()
    assert len(window.document.project.tracks) == 2


def test_dropping_a_midi_file_opens_it(window, qtbot, tmp_path):
    mid = tmp_path / "dropped.mid"
    window.files.export_midi(mid)
    window.editor.add_note(90, 0, 120)
    window.document.mark_saved()  # nothing to ask about
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(mid))])
    at = QPoint(400, 300)
    enter = QDragEnterEvent(
        at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        at.toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: window.windowTitle().startswith("dropped.mid"), timeout=30_000)
    assert [n.pitch for n in window.document.project.tracks[0].notes] == [60, 62, 64]


def test_cancelling_the_wav_export_writes_nothing(make_window, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from musestudio.core.note import Note
    from musestudio.core.project import Project
    from musestudio.core.track import Track

    long_piece = Project(tracks=(Track(notes=tuple(Note(60 + i % 12, i * 240, 240) for i in range(4000))),))
    window = make_window(long_piece)  # about 8 minutes of music: seconds to render
    wav = tmp_path / "never.wav"

    def press_cancel():  # the dialog appears once the render has run a moment; then click its button
        dialogs = [
            d for d in QApplication.topLevelWidgets() if isinstance(d, QProgressDialog) and d.isVisible()
        ]
        if dialogs:
            dialogs[0].findChild(QPushButton).click()
        else:
            QTimer.singleShot(50, press_cancel)

    QTimer.singleShot(50, press_cancel)
    assert window.files.export_wav(wav) is False
    assert not wav.exists()
