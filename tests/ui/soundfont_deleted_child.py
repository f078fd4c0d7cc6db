"""Run in a child process by test_soundfont_ui.py (a crash there must fail that test, not end the test run):
the soundfont is deleted while the app runs, then the user presses Play."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from musestudio.audio.soundfont import _pretty_midi_soundfont


def test_playing_after_the_soundfont_was_deleted(make_window_with_card, settings, qtbot, tmp_path):
    mine = tmp_path / "MySounds.sf2"
    shutil.copy(_pretty_midi_soundfont(), mine)
    settings.set("soundfont", str(mine))
    window = make_window_with_card()  # Melody (piano) and Bass (program 33: not loaded until played)
    assert window.player.player.synth is not None, window.player.status
    window.editor.add_note(72, 1920, 240)  # unsaved work
    piece = window.document.project
    mine.unlink()  # the user tidies the downloads folder
    qtbot.keyClick(window.roll.view, Qt.Key.Key_Space)  # the bass's samples are read now
    qtbot.waitUntil(lambda: window.state.playhead > 960, timeout=30_000)
    assert window.player.player.synth.unreadable is None  # still read, through the file kept open
    assert window.document.project == piece and window.document.modified
    print("PLAYED ON")
