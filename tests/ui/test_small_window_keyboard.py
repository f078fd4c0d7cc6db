"""The window at small sizes and by keyboard alone, in English and Chinese: what it says is read whole,
and Tab goes only where the user can see."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
)

from musestudio.midi import ports
from musestudio.ml.engines import ADD_PART, CONTINUE, REGENERATE, RESTYLE
from tests.ui.test_editor_layout import settle, small_window
from tests.ui.ui_helpers import list_takes


@pytest.fixture
def no_midi_system(monkeypatch, tmp_path):
    """A machine with python-rtmidi but neither the ALSA sequencer nor a JACK server."""
    monkeypatch.setattr(ports, "ALSA_SEQ_DEVICE", tmp_path / "no-seq")
    monkeypatch.setattr(ports, "jack_running", lambda: False)
    monkeypatch.delenv(ports.BACKEND_ENV, raising=False)


def message_room(bar) -> int:
    """The width the status bar leaves its message, beside the position, tempo, key, audio and device."""
    permanent = (bar.position, bar.tempo, bar.key, bar.audio, bar.device)
    return bar.width() - sum(label.width() + bar.layout().spacing() for label in permanent)


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_at_1024x700_why_midi_is_off_is_read_whole(language, no_midi_system, make_window, qtbot):
    """The status bar said the whole reason and what to do in one line, cut off past the middle (and in
    English in a Chinese window): it now says MIDI is off in a line that fits, and the MIDI in box tells
    the reason and the commands in the user's language."""
    window = small_window(make_window)
    bar = window.statusBar()
    qtbot.waitUntil(lambda: bool(bar.currentMessage()))
    said = bar.currentMessage()
    assert bar.fontMetrics().horizontalAdvance(said) <= message_room(bar), said
    why = window.midi_toolbar.input.toolTip()
    assert "modprobe snd-seq" in why and "jackd" in why, why
    if language == "zh_CN":
        assert "no MIDI system found" not in said + why and "MIDI" in said, (said, why)
        assert "ALSA 音序器" in why, why


def focus_lands_unseen(window, qtbot) -> list[str]:
    """Tab from the roll round the whole window: every widget the focus lands on that the user cannot see."""
    window.roll.view.setFocus()
    unseen = []
    for _ in range(120):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is window.roll.view:
            break
        dock = next((p for p in _parents(widget) if isinstance(p, QDockWidget)), None)
        if dock is not None and not window.rect().intersects(dock.geometry()):  # not on screen
            unseen.append(f"{type(widget).__name__} in {dock.objectName()}")
    return unseen


def _parents(widget):
    while widget is not None:
        yield widget
        widget = widget.parentWidget()


def test_tab_never_goes_into_a_dock_hidden_behind_another_tab(make_window, qtbot):
    """The History panel sits behind the Takes tab: Tab took the focus there, out of sight, and Delete or
    the arrows then acted on a list nobody saw."""
    window = small_window(make_window)
    window.generate.takes_dock.raise_()
    settle(window)
    assert focus_lands_unseen(window, qtbot) == []


def test_tab_from_the_takes_list_goes_through_its_buttons_as_they_are_laid_out(make_window, qtbot):
    """List, then Audition, Keep, Keep as New Track, Discard and Discard All, rows top to bottom and left
    to right; Shift+Tab goes back the same way to the list."""
    window = small_window(make_window)
    list_takes(window, 4)
    window.generate.takes_dock.raise_()
    settle(window)
    panel = window.generate.takes_panel
    buttons = [b for b in panel.findChildren(QPushButton) if b.isVisible()]
    as_seen = sorted(buttons, key=lambda b: (b.mapTo(panel, QPoint()).y(), b.mapTo(panel, QPoint()).x()))
    assert len(as_seen) == 5 and all(b.isEnabled() for b in as_seen)
    panel.list.setFocus()
    reached = []
    for _ in as_seen:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert [b.text() for b in reached] == [b.text() for b in as_seen]
    for button in reversed([panel.list, *as_seen[:-1]]):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
        assert QApplication.focusWidget() is button


def test_space_presses_the_takes_button_tab_reached_and_plays_nothing(make_window, qtbot):
    """Space is the window's Play/Stop: on Discard, reached by Tab, it played the piece, and no key pressed a
    Takes button. After Discard All, which leaves no button to press, the focus stays in the panel."""
    window = small_window(make_window)
    list_takes(window, 4)
    window.generate.takes_dock.raise_()
    settle(window)
    panel = window.generate.takes_panel
    played = []
    window.actions.play.triggered.connect(lambda: played.append(True))
    panel.list.setFocus()
    for _ in range(4):  # Audition, Keep, Keep as New Track, Discard
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.discard
    qtbot.keyClick(panel.discard, Qt.Key.Key_Space)
    assert len(window.generate.takes) == 3 and not played
    qtbot.keyClick(panel.discard, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.discard_all
    qtbot.keyClick(panel.discard_all, Qt.Key.Key_Space)
    assert window.generate.takes == () and not played
    assert QApplication.focusWidget() is panel.list


def test_a_click_on_a_takes_button_leaves_enter_and_the_arrows_to_the_list(make_window, qtbot):
    """Audition clicked took the focus from the list: Down then went to the window (the roll's Transpose)
    rather than picking the next take, and Enter played from the start rather than keeping it."""
    window = small_window(make_window)
    takes = list_takes(window, 4)
    window.generate.takes_dock.raise_()
    settle(window)
    panel = window.generate.takes_panel
    panel.list.setFocus()
    qtbot.mouseClick(panel.audition, Qt.MouseButton.LeftButton)
    window.generate.audition_player.stop()
    assert QApplication.focusWidget() is panel.list
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert panel.current_row() == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert takes[1] not in window.generate.takes and window.undo_stack.count() == 1


def _cut_choices(combo) -> list[str]:
    """The enabled choices of ``combo`` that would show cut off when chosen."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    model = combo.model()
    return [
        combo.itemText(i)
        for i in range(combo.count())
        if model.item(i).isEnabled()
        and combo.fontMetrics().horizontalAdvance(combo.itemText(i)) > field.width()
    ]


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_at_1024x700_every_choice_of_the_generate_form_reads_whole(language, make_window):
    """The form's boxes were 89 px wide beside their labels: "Parts (every tr", "After the playh", "Rewrite
    (change…" were what a musician read of the choice made."""
    window = small_window(make_window)
    panel = window.generate.panel
    window.generate.panel_dock.raise_()
    cut = {}
    for mode in (CONTINUE, RESTYLE, REGENERATE, ADD_PART):
        panel.set_mode(mode)
        settle(window)
        for combo in panel.findChildren(QComboBox):
            if combo.isVisible() and (bad := _cut_choices(combo)):
                cut[f"{mode}: {bad[0]}"] = len(bad)
    assert cut == {}


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_at_the_narrowest_window_every_box_of_the_main_toolbar_shows(language, make_window):
    """Made as narrow as it goes (826 px in Chinese), the window hid the key box in the toolbar's » menu:
    the tempo box was as wide as a MIDI file's 60,000,000 BPM ceiling. Its text shows whole there: the
    tempo with its beat written "120.0 BPM（♩）" was cut short in Chinese."""
    from tests.ui.test_editor_layout import assert_every_toolbar_item_shows

    window = make_window()
    window.resize(640, 700)
    settle(window)
    assert_every_toolbar_item_shows(window.toolbar)
    box = window.toolbar.tempo
    assert box.text() == "♩ = 120.0"
    assert box.lineEdit().fontMetrics().horizontalAdvance(box.text()) < box.lineEdit().width()


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
@pytest.mark.parametrize("meter", [(2, 2), (7, 16), (6, 8)])
def test_at_the_narrowest_window_the_tempo_reads_whole_in_every_beat(language, meter, make_window):
    """A 2/2 piece's tempo, "二分音符 = 60.0" in Chinese, read "二分音符 = 6" in the narrowest window: the
    crowded toolbar squeezed the box. The box is as wide as its beat's mark needs for any tempo music is
    played at, and the window no narrower than the toolbar showing it and every other box; the meter
    changed in a window already at its narrowest widens it."""
    from tests.ui.test_editor_layout import assert_every_toolbar_item_shows

    window = make_window()
    window.resize(640, 700)
    settle(window)
    window.editor.set_time_signature(*meter, 0)
    window.resize(640, 700)
    settle(window)
    assert_every_toolbar_item_shows(window.toolbar)
    box = window.toolbar.tempo
    edit = box.lineEdit()
    played = box.prefix() + box.textFromValue(999.9) + box.suffix()
    assert edit.fontMetrics().horizontalAdvance(played) < edit.width(), (played, edit.width())
    assert edit.fontMetrics().horizontalAdvance(box.text()) < edit.width(), box.text()
