"""Space is the window's Play/Stop, except on a button Tab reached: there it presses the button, in every
panel. On Generate, the dice or a track's Mute, Space played the piece and no key pressed the button. A
click on a panel's button leaves the focus where it was, so Space still plays after one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from musestudio.ml.engines import REGENERATE

KEY = Qt.Key


def played_log(window) -> list[bool]:
    """A list that gets an entry each time the window's Play/Stop fires."""
    played: list[bool] = []
    window.actions.play.triggered.connect(lambda: played.append(True))
    return played


def tab_to(qtbot, start, target) -> None:
    """Focus ``start`` and press Tab until the focus is on ``target``, as a keyboard user gets there."""
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    for _ in range(10):
        qtbot.keyClick(QApplication.focusWidget(), KEY.Key_Tab)
        if QApplication.focusWidget() is target:
            return
    raise AssertionError(f"Tab never reached {target!r}")


def test_space_on_generate_reached_by_tab_generates_and_plays_nothing(window, qtbot):
    gen = window.generate
    gen.panel.set_mode(REGENERATE)  # nothing selected: Generate answers at once, with no job
    played = played_log(window)
    tab_to(qtbot, gen.panel.device, gen.panel.button)
    with qtbot.waitSignal(gen.generation_finished) as blocker:
        qtbot.keyClick(gen.panel.button, KEY.Key_Space)
    assert blocker.args == ["error"] and "Nothing selected" in gen.panel.message.text()
    assert not played


@pytest.mark.parametrize("button", ["key_lock", "dice"])
def test_space_on_a_generate_form_button_reached_by_tab_presses_it_and_plays_nothing(button, window, qtbot):
    panel = window.generate.panel
    target = getattr(panel, button)
    start = panel.key if button == "key_lock" else panel.seed
    lock, seed = panel.key_lock.isChecked(), panel.seed.value()
    played = played_log(window)
    tab_to(qtbot, start, target)
    qtbot.keyClick(target, KEY.Key_Space)
    assert (panel.key_lock.isChecked(), panel.seed.value() == seed) == (
        (not lock, True) if button == "key_lock" else (lock, False)
    )
    assert not played


def test_space_on_buttons_of_the_tracks_panel_reached_by_tab_presses_them_and_plays_nothing(window, qtbot):
    panel = window.tracks.widget()
    first = window.document.project.tracks[0]
    row = panel.rows[first.id]
    played = played_log(window)
    tab_to(qtbot, row.colour, row.mute)
    qtbot.keyClick(row.mute, KEY.Key_Space)
    assert window.document.project.tracks[0].mute
    add = next(b for b in panel.findChildren(QToolButton) if b.text() == "Add")
    last = panel.rows[window.document.project.tracks[-1].id]
    tab_to(qtbot, last.volume, add)  # the buttons come after the rows, as laid out
    qtbot.keyClick(add, KEY.Key_Space)
    assert len(window.document.project.tracks) == 3
    assert not played


def test_a_click_on_generate_or_lock_leaves_the_focus_in_the_roll_and_space_plays(window, qtbot):
    gen = window.generate
    gen.panel.set_mode(REGENERATE)
    played = played_log(window)
    view = window.roll.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    with qtbot.waitSignal(gen.generation_finished):
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(gen.panel.key_lock, Qt.MouseButton.LeftButton)
    assert gen.panel.key_lock.isChecked()
    assert QApplication.focusWidget() is view
    qtbot.keyClick(view, KEY.Key_Space)
    assert played == [True]
