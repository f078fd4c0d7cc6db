"""Copy and paste go through the system clipboard: between windows, across resolutions, and other apps'
data on it is left alone."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from musestudio.core import Note, Project, Track
from musestudio.io.midi import write_midi
from musestudio.ui.clipboard import MIME

KEY, MOD = Qt.Key, Qt.KeyboardModifier


def music_from(window, tick):
    notes = window.document.project.tracks[0].notes
    return [(n.pitch, n.start, n.duration, n.velocity, n.release) for n in notes if n.start >= tick]


def test_notes_cut_in_one_window_paste_into_another(make_window):
    a, b = make_window(), make_window()
    track = a.document.project.tracks[0]
    a.editor.push(
        a.document.project.replace_track(
            track.with_notes((*track.notes, Note(67, 1440, 240, 70, release=33)))
        ),
        "x",
    )
    a.editor.select_all()
    a.actions.cut.trigger()
    assert a.document.project.tracks[0].notes == ()
    assert b.actions.paste.isEnabled()
    b.state.set_playhead(3840)
    b.actions.paste.trigger()
    assert music_from(b, 3840) == [
        (60, 3840, 480, 90, 0),
        (62, 4320, 480, 80, 0),
        (64, 4800, 480, 100, 0),
        (67, 5280, 240, 70, 33),
    ]


def test_paste_into_a_piece_of_another_resolution_keeps_the_rhythm(make_window, tmp_path):
    window = make_window()
    window.editor.select_all()
    QTest.keyClick(window.roll.view, KEY.Key_C, MOD.ControlModifier)
    other = Project(ticks_per_beat=96, tracks=(Track(name="Other", notes=(Note(50, 0, 96),)),))
    write_midi(other, tmp_path / "other.mid")
    assert window.files.open_path(tmp_path / "other.mid", ask=False)
    window.state.set_playhead(4 * 96)
    QTest.keyClick(window.roll.view, KEY.Key_V, MOD.ControlModifier)
    assert [n[:3] for n in music_from(window, 4 * 96)] == [(60, 384, 96), (62, 480, 96), (64, 576, 96)]


def test_text_on_the_clipboard_is_not_pasted_and_paste_says_so(make_window):
    """Paste stays on (greyed out, Ctrl+V did nothing and said nothing) and says why nothing came."""
    window = make_window()
    QGuiApplication.clipboard().setText("not music \x00\xff")
    before = window.document.project
    QTest.keyClick(window.roll.view, KEY.Key_V, MOD.ControlModifier)
    assert window.document.project == before
    assert window.statusBar().currentMessage() == (
        "Nothing to paste: the clipboard holds no notes. Copy or cut notes first."
    )
    assert window.undo_stack.count() == 0


def test_damaged_notes_under_our_name_paste_nothing(make_window):
    window = make_window()
    data = QMimeData()
    data.setData(MIME, b'{"ticks_per_beat": 0, "notes": [[60, 0, 480, 100, 0]]}')
    QGuiApplication.clipboard().setMimeData(data)
    before = window.document.project
    window.actions.paste.trigger()
    assert window.document.project == before
    assert window.statusBar().currentMessage() == "Nothing pasted: the notes on the clipboard cannot be read."


def test_the_app_quits_cleanly_with_notes_on_the_clipboard():
    """Qt deletes what the clipboard holds only after Python has shut down: the notes put there must be
    gone before, or quitting crashes the process."""
    script = (
        "from PySide6.QtWidgets import QApplication\n"
        "from musestudio.core import Note\n"
        "from musestudio.ui.clipboard import put_notes\n"
        "app = QApplication([])\n"
        "put_notes([Note(60, 0, 480)], 480)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()[-500:]


def _in_view(window, notes) -> bool:
    left, right = window.roll.view.visible_ticks()
    return left <= min(n.start for n in notes) and max(n.end for n in notes) <= right


def test_a_paste_or_duplicate_past_the_views_edge_scrolls_to_the_notes_put(make_window):
    """Paste moves the playhead on past the copy, so pasting a phrase again and again soon put it out of
    sight with nothing seen to happen (a third Paste of a 4-bar phrase at 1024 pixels wide). The view now
    scrolls the least that shows what was put, the copies before it still in sight; Duplicate the same."""
    bar = 4 * 480
    notes = tuple(Note(60 + i % 5, i * 480, 480) for i in range(32))  # eight bars, all in view
    window = make_window(Project(tracks=(Track(name="Melody", notes=notes),)))
    window.resize(1024, 768)
    view = window.roll.view
    view.show_piece()
    melody = window.document.project.tracks[0]
    window.state.set_active_track(melody.id)
    window.state.set_selection(n.id for n in melody.notes if n.start < 2 * bar)
    window.actions.copy.trigger()
    window.state.set_playhead(6 * bar)
    for _ in range(3):  # bars 7-8, 9-10, 11-12
        window.actions.paste.trigger()
        assert _in_view(window, window.state.selected_notes())
    assert window.state.playhead == 12 * bar
    assert view.visible_ticks()[0] <= 8 * bar  # scrolled the least: the copy before is still in sight
    for _ in range(3):
        window.actions.duplicate.trigger()
        assert _in_view(window, window.state.selected_notes())
