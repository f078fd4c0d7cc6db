"""Alt+Up / Alt+Down move the selected notes a step along the key (C-E-G in C major to D-F-A), each note by
the interval its key gives it, as one undo step; Up/Down stay semitones."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from musestudio.core.events import KeyChange
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track

KEY = Qt.Key
MOD = Qt.KeyboardModifier
C_MAJOR_TRIAD = (Note(60, 0, 480), Note(64, 0, 480), Note(67, 0, 480))


def pitches(window) -> list[int]:
    return sorted(n.pitch for n in window.document.project.tracks[0].notes)


def test_alt_up_and_down_step_along_the_key_in_force(make_window):
    # C major, then G major from bar 3, where the F is outside the key (a half step over its E)
    project = Project(
        tracks=(Track(name="Piano", notes=(*C_MAJOR_TRIAD, Note(65, 3840, 480))),),
        key=KeySignature(0, "major"),
        key_changes=(KeyChange(3840, KeySignature(7, "major")),),
    )
    window = make_window(project)
    view = window.roll.view
    start = window.document.project
    window.editor.select_all()
    QTest.keyClick(view, KEY.Key_Up, MOD.AltModifier)
    # D-F-A (a whole, a half and a whole step); bar 3's F to G, over E's step up to F#
    assert pitches(window) == [62, 65, 67, 69]
    assert window.undo_stack.undoText() == "Transpose in key"
    QTest.keyClick(view, KEY.Key_Down, MOD.AltModifier)
    QTest.keyClick(view, KEY.Key_Down, MOD.AltModifier)
    assert pitches(window) == [59, 62, 64, 65]  # B-D-F, no B-flat; bar 3's G down through F# to E
    assert window.state.selection == {n.id for n in window.document.project.tracks[0].notes}
    for _ in range(3):
        QTest.keyClick(view, KEY.Key_Z, MOD.ControlModifier)
    assert window.document.project == start


def test_with_no_key_set_the_step_follows_the_key_heard_and_says_so(make_window):
    scale = tuple(Note(p, i * 480, 480) for i, p in enumerate((60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60)))
    window = make_window(Project(tracks=(Track(name="Piano", notes=scale),)))
    window.editor.select_all()
    QTest.keyClick(window.roll.view, KEY.Key_Up, MOD.AltModifier)
    assert pitches(window) == sorted((62, 64, 65, 67, 69, 71, 72, 74, 69, 65, 62))
    assert "C major" in window.statusBar().currentMessage()


def test_a_step_past_midi_range_moves_nothing_and_says_why(make_window):
    window = make_window(
        Project(
            tracks=(Track(name="Piano", notes=(Note(60, 0, 480), Note(127, 0, 480))),), key=KeySignature(0)
        )
    )
    window.editor.select_all()
    QTest.keyClick(window.roll.view, KEY.Key_Up, MOD.AltModifier)
    assert pitches(window) == [60, 127] and window.undo_stack.count() == 0
    assert "0-127" in window.statusBar().currentMessage()
