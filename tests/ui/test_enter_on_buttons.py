"""Enter on a button Tab reached presses it, as in any dialog: on Generate, Discard or a track's Mute it
played from the start instead, since Qt's buttons take Enter only inside a dialog. Enter elsewhere is as
before: the Takes list keeps a take, a box commits its number, the roll plays from the start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from musestudio.ml.engines import REGENERATE
from musestudio.ui.shortcuts import ShortcutsDialog
from tests.ui.test_space_on_buttons import tab_to
from tests.ui.ui_helpers import list_takes

KEY = Qt.Key


def played_log(window) -> list[str]:
    """An entry each time the window's Play/Stop or Play from Start fires."""
    played: list[str] = []
    window.actions.play.triggered.connect(lambda: played.append("play"))
    window.actions.play_from_start.triggered.connect(lambda: played.append("from start"))
    return played


def test_enter_on_generate_reached_by_tab_generates_and_plays_nothing(window, qtbot):
    gen = window.generate
    gen.panel.set_mode(REGENERATE)  # nothing selected: Generate answers at once, with no job
    window.state.set_playhead(1920)
    played = played_log(window)
    tab_to(qtbot, gen.panel.device, gen.panel.button)
    with qtbot.waitSignal(gen.generation_finished) as blocker:
        qtbot.keyClick(gen.panel.button, KEY.Key_Return)
    assert blocker.args == ["error"] and "Nothing selected" in gen.panel.message.text()
    assert not played and window.state.playhead == 1920


def test_the_keypads_enter_on_discard_reached_by_tab_discards_the_take(window, qtbot):
    takes = list_takes(window, 3)
    gen = window.generate
    gen.takes_dock.show()
    gen.takes_dock.raise_()
    current = gen.current_take()
    played = played_log(window)
    tab_to(qtbot, gen.takes_panel.list, gen.takes_panel.discard)
    qtbot.keyClick(gen.takes_panel.discard, KEY.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert current not in gen.takes and len(gen.takes) == len(takes) - 1
    assert window.undo_stack.count() == 0  # discarded, not kept
    assert not played


def test_enter_on_a_tracks_mute_reached_by_tab_toggles_it(window, qtbot):
    row = window.tracks.widget().rows[window.document.project.tracks[0].id]
    played = played_log(window)
    tab_to(qtbot, row.colour, row.mute)
    qtbot.keyClick(row.mute, KEY.Key_Return)
    assert window.document.project.tracks[0].mute
    qtbot.keyClick(row.mute, KEY.Key_Return)
    assert not window.document.project.tracks[0].mute
    assert not played


def test_after_enter_on_a_button_enter_in_the_takes_list_keeps_and_in_the_roll_plays_from_start(
    window, qtbot
):
    list_takes(window, 2)
    gen = window.generate
    gen.takes_dock.show()
    gen.takes_dock.raise_()
    played = played_log(window)
    tab_to(qtbot, gen.takes_panel.list, gen.takes_panel.discard)
    qtbot.keyClick(gen.takes_panel.discard, KEY.Key_Return)
    assert len(gen.takes) == 1 and not played
    gen.takes_panel.list.setFocus()
    qtbot.waitUntil(gen.takes_panel.list.hasFocus)
    qtbot.keyClick(gen.takes_panel.list, KEY.Key_Return)
    assert gen.takes == () and window.undo_stack.count() == 1 and not played  # kept
    view = window.roll.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), KEY.Key_Return)
    assert played == ["from start"]
    window.transport.stop()


def test_the_shortcut_list_says_space_and_enter_press_a_button_reached_by_tab(window):
    dialog = ShortcutsDialog(window)
    assert ("Press the button reached with Tab", "Space, Return, Enter") in dialog.listed()
    dialog.close()
