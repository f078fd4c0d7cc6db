"""Enter in a box of the Inspector or the Generate panel sets the number typed there, as in the toolbar's
boxes; the window's Enter (Play from Start) neither starts playback nor sends the playhead to bar 1, where
"Continue after the playhead" would then start. In the roll Enter still plays from the start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

KEY = Qt.Key


def type_and_enter(qtbot, box, text: str, key=KEY.Key_Return) -> None:
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.lineEdit().selectAll()
    QTest.keyClicks(box, text)
    QTest.keyClick(box, key)


def plays_from_start(window) -> list[bool]:
    played: list[bool] = []
    window.actions.play_from_start.triggered.connect(lambda: played.append(True))
    return played


def test_enter_in_the_inspector_velocity_box_sets_the_velocity_and_does_not_play(
    make_window_with_card, qtbot
):
    window = make_window_with_card()
    note = window.document.project.tracks[0].notes[1]
    window.state.set_selection({note.id})
    window.inspector.show()
    window.state.set_playhead(1920)
    played = plays_from_start(window)
    type_and_enter(qtbot, window.inspector.widget().velocity, "55")
    assert window.document.project.tracks[0].note_by_id(note.id).velocity == 55
    assert not played and not window.transport.playing
    assert window.state.playhead == 1920


def test_enter_in_the_inspector_start_box_moves_the_note_there(window, qtbot):
    note = window.document.project.tracks[0].notes[0]
    window.state.set_selection({note.id})
    window.inspector.show()
    played = plays_from_start(window)
    type_and_enter(qtbot, window.inspector.widget().start, "2:1:0", KEY.Key_Enter)  # the keypad's Enter
    assert window.document.project.tracks[0].note_by_id(note.id).start == 1920
    assert not played


def test_enter_in_the_generate_panels_bars_box_leaves_the_playhead_where_it_was(window, qtbot):
    window.generate.panel_dock.show()
    window.generate.panel_dock.raise_()
    window.state.set_playhead(1920)
    played = plays_from_start(window)
    type_and_enter(qtbot, window.generate.panel.bars, "2")
    assert window.generate.panel.bars.value() == 2
    assert not played and window.state.playhead == 1920


def test_enter_in_the_roll_still_plays_from_the_start(window, qtbot):
    window.state.set_playhead(1920)
    played = plays_from_start(window)
    window.generate.panel.bars.setFocus()  # a box had the focus before: its Enter is no longer claimed
    window.roll.view.setFocus()
    qtbot.waitUntil(window.roll.view.hasFocus)
    QTest.keyClick(window.roll.view, KEY.Key_Return)
    assert played
    window.transport.stop()


def test_enter_in_the_bpm_box_still_sets_the_tempo_and_hands_the_keys_back_to_the_roll(window, qtbot):
    played = plays_from_start(window)
    type_and_enter(qtbot, window.toolbar.tempo, "100")
    assert window.document.project.tempo_at(0).bpm == 100
    assert not played and window.roll.view.hasFocus()


def test_enter_in_the_generate_panels_mode_box_plays_from_the_start(window, qtbot):
    """A choice box has nothing typed to commit: Enter there is the window's Play from Start."""
    window.generate.panel_dock.show()
    box = window.generate.panel.mode
    played = plays_from_start(window)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    QTest.keyClick(box, KEY.Key_Return)
    assert played
    window.transport.stop()
