"""Quantize and Paste never leave two notes of one key starting on one tick: they would sound as one, and a
MIDI file would end both at the first one's note-off. What they merged or moved the status bar says, and each
is one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track

KEY, MOD = Qt.Key, Qt.KeyboardModifier
# the translators the app installs for English, as it starts: "1 note", not "1 note(s)"
pytestmark = pytest.mark.parametrize("language", ["en"], indirect=True)


def music(window):
    return sorted((n.pitch, n.start, n.end) for n in window.document.project.tracks[0].notes)


def test_q_and_shift_q_merge_a_bounced_key_and_say_so(language, make_window):
    played = Track(name="Played", notes=(Note(60, 300, 100, 90), Note(60, 340, 380, 40), Note(64, 0, 480)))
    window = make_window(Project(tracks=(played,)))
    window.state.set_snap("1/8")
    for keys, merged in ((MOD.NoModifier, (60, 240, 720)), (MOD.ShiftModifier, (60, 320, 800))):
        window.editor.select_all()
        QTest.keyClick(window.roll.view, KEY.Key_Q, keys)
        assert music(window) == [merged, (64, 0, 480)]  # one note, to the later one's end
        assert "Quantize merged 1 note into a note of the same pitch" in window.statusBar().currentMessage()
        assert window.state.selection == {n.id for n in window.document.project.tracks[0].notes}
        window.undo_stack.undo()
        assert window.document.project.tracks[0] == played
        window.statusBar().clearMessage()


def test_q_moves_the_later_of_two_strikes_either_side_of_a_line_on_to_the_next(language, make_window):
    played = Track(name="Played", notes=(Note(60, 130, 200), Note(60, 350, 200)))
    window = make_window(Project(tracks=(played,)))
    window.state.set_snap("1/8")
    window.editor.select_all()
    QTest.keyClick(window.roll.view, KEY.Key_Q)
    assert music(window) == [(60, 240, 480), (60, 480, 720)]
    assert "Quantize moved 1 note on to the next grid line" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1


def test_paste_twice_puts_the_second_copy_after_the_first(language, window):
    view, state = window.roll.view, window.state
    start = window.document.project
    window.editor.select_all()  # 60, 62, 64 over a bar's first three beats
    QTest.keyClick(view, KEY.Key_C, MOD.ControlModifier)
    state.set_playhead(3840)
    QTest.keyClick(view, KEY.Key_V, MOD.ControlModifier)
    assert state.playhead == 3840 + 1440  # on past the copy, to the grid line after it
    QTest.keyClick(view, KEY.Key_V, MOD.ControlModifier)
    assert sorted(tick for _pitch, tick, _end in music(window)) == [
        0,
        480,
        960,
        3840,
        4320,
        4800,
        5280,
        5760,
        6240,
    ]
    assert state.playhead == 6720
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.document.project == start


def test_paste_while_playing_leaves_the_playhead_running_where_it_is(language, window, qtbot):
    """Playing, the playhead is the music's: a Paste there must not make it jump on past the copy."""
    view, state = window.roll.view, window.state
    window.editor.select_all()
    QTest.keyClick(view, KEY.Key_C, MOD.ControlModifier)
    state.set_playhead(3840)
    window.player.open()  # no audio device: the transport runs on the wall clock
    window.actions.play.trigger()
    assert window.transport.playing
    try:
        QTest.keyClick(view, KEY.Key_V, MOD.ControlModifier)
        assert 3840 <= state.playhead < 3840 + 1440  # it ran on from where it was, not past the copy
        assert sum(1 for n in window.document.project.tracks[0].notes if n.start >= 3840) == 3
        qtbot.waitUntil(lambda: state.playhead > 3840, timeout=30_000)
    finally:
        window.transport.stop()


def test_paste_on_the_notes_copied_adds_no_second_note_and_says_so(language, window):
    view, state = window.roll.view, window.state
    start = window.document.project
    window.editor.select_all()
    QTest.keyClick(view, KEY.Key_C, MOD.ControlModifier)
    state.set_playhead(0)
    QTest.keyClick(view, KEY.Key_V, MOD.ControlModifier)
    assert window.document.project == start  # the same notes once, not twice
    assert "Paste merged 3 copied notes into a note of the same pitch" in window.statusBar().currentMessage()
    assert state.selection == {n.id for n in start.tracks[0].notes}
