"""The window at 1024x700, menus without repeated mnemonics, and the Chinese key names and Preferences."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabBar,
    QToolButton,
)

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.ml.engines import ADD_PART, CONTINUE, REGENERATE, RESTYLE
from musestudio.ui.generate.style_words import style_description
from musestudio.ui.shortcuts import shortcut_rows
from musestudio.ui.state import Tool
from tests.ui.ui_helpers import list_takes, settle

SMALL = (1024, 700)


def small_window(make_window):
    window = make_window()
    window.resize(*SMALL)
    settle(window)
    window.hide_stale_tab_bars()
    settle(window)
    return window


def test_at_1024x700_the_roll_keeps_most_of_the_window(make_window):
    window = small_window(make_window)
    assert (window.width(), window.height()) == SMALL  # the window fits: no dock or toolbar holds it wider
    roll = window.roll
    # the menu bar, two toolbar rows (Record and the keyboard picker need the second: see
    # test_at_1024x700_record_and_the_keyboard_picker_are_in_view) and the status bar take the rest
    assert roll.width() >= 0.55 * window.width() and roll.height() >= 0.83 * window.height()
    assert roll.width() > window.tracks.width() + window.inspector.width()
    viewport = roll.view.viewport()
    assert viewport.height() >= 300 and viewport.width() >= 480


def assert_every_toolbar_item_shows(toolbar) -> None:
    extension = [b for b in toolbar.findChildren(QToolButton) if b.objectName() == "qt_toolbar_ext_button"]
    assert not any(b.isVisible() for b in extension), "the toolbar overflows"
    for action in toolbar.actions():
        widget = toolbar.widgetForAction(action)
        if widget is not None and not action.isSeparator():
            assert widget.isVisible() and toolbar.rect().contains(widget.geometry()), action.text()


def test_at_1024x700_nothing_is_clipped(make_window):
    window = small_window(make_window)
    assert_every_toolbar_item_shows(window.toolbar)
    for dock in (window.tracks, window.generate.panel_dock, window.generate.takes_dock):
        inner = dock.widget()
        assert inner.width() >= inner.minimumSizeHint().width(), dock.objectName()
    header = window.roll.controllers
    for button in header.findChildren(QToolButton):
        if button.isVisible():
            assert button.width() >= button.sizeHint().width(), button.text()
    # the stray tab bar Qt leaves behind after tabifying two pairs of docks is gone
    shown = [
        tuple(b.tabText(i) for i in range(b.count()))
        for b in window.findChildren(QTabBar)
        if b.parent() is window and b.isVisible()
    ]
    assert len(shown) == len(set(shown))


def test_at_1024x700_in_chinese_the_toolbar_shows_every_tool_and_box(chinese, make_window):
    """Chinese menu texts end in their mnemonic, "绘制(&D)": the tools read "绘制", not "绘制(D)", and so leave
    room for the tempo, meter and key boxes."""
    window = small_window(make_window)
    assert_every_toolbar_item_shows(window.toolbar)
    draw = window.toolbar.widgetForAction(window.actions.tools[Tool.DRAW])
    assert draw.text() == "绘制" and draw.toolTip() == "绘制 (D)"
    assert window.toolbar.widgetForAction(window.actions.metronome).text() == "节拍器"


def assert_record_and_the_keyboard_picker_show(window) -> None:
    midi = window.midi_toolbar
    for widget in (midi.input, midi.widgetForAction(window.actions.record)):
        assert widget.isVisible() and midi.rect().contains(widget.geometry()), widget


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_at_1024x700_record_and_the_keyboard_picker_are_in_view(language, make_window):
    """They do not fit beside the main toolbar there: the MIDI toolbar takes a row of its own rather than
    hide Record and the keyboard in its » menu, and the main toolbar still shows every tool and box."""
    window = small_window(make_window)
    assert_record_and_the_keyboard_picker_show(window)
    assert_every_toolbar_item_shows(window.toolbar)


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_where_record_and_the_keyboard_picker_fit_beside_the_main_toolbar_they_take_no_row_of_the_roll(
    language, make_window
):
    """1300 px wide: with the transport buttons as icons alone, the picker and Record fit beside the main
    toolbar, so the MIDI toolbar shares its row and the roll keeps that height."""
    window = make_window()
    settle(window)
    assert window.width() == 1300
    assert_record_and_the_keyboard_picker_show(window)
    assert_every_toolbar_item_shows(window.toolbar)
    assert window.midi_toolbar.y() == window.toolbar.y()


def test_in_chinese_the_shortcut_list_names_actions_without_their_mnemonic(chinese, make_window):
    rows = {row.what: row.keys for row in shortcut_rows(make_window())}
    assert rows["绘制"] == "D" and rows["从头播放"] == "Return, Enter"
    assert not any("(&" in what or re.search(r"\([A-Z]\)$", what) for what in rows), sorted(rows)


def test_at_1024x700_the_takes_list_shows_four_takes_to_compare(make_window):
    window = small_window(make_window)
    list_takes(window, 4)
    settle(window)
    tree = window.generate.takes_panel.list
    row = tree.visualItemRect(tree.topLevelItem(0)).height()
    assert tree.viewport().height() >= 4 * row  # a Generate's four takes, not one row and a scroll bar


@pytest.mark.parametrize("mode", [CONTINUE, RESTYLE])
def test_at_1024x700_the_generate_form_fits_its_column(make_window, mode):
    window = small_window(make_window)
    panel = window.generate.panel
    panel.set_mode(mode)
    settle(window)
    scroll = panel.findChild(QScrollArea)
    assert not scroll.horizontalScrollBar().isVisible()  # nothing past the right edge to scroll to
    right = scroll.viewport().width()
    fields = [
        f for kind in (QComboBox, QAbstractSpinBox, QToolButton) for f in scroll.widget().findChildren(kind)
    ]
    for field in fields:
        if field.isVisible():
            assert field.mapTo(scroll.widget(), field.rect().topRight()).x() < right, field


def in_view(scroll: QScrollArea, field) -> bool:
    """The field lies whole in the scroll area's visible part, the form scrolled to its top."""
    top_left = field.mapTo(scroll.viewport(), QPoint(0, 0))
    return scroll.viewport().rect().contains(QRect(top_left, field.size()))


def test_on_a_laptop_screen_each_mode_s_main_choices_show_without_scrolling(make_window, qtbot):
    """At 1300 x 800 (a 1280 x 800 laptop's window), opened with no layout of the user's own: what a user
    sets on most Generates is in view under the mode; the sampling and shape knobs may scroll."""
    window = make_window()
    assert window.size() == QSize(1300, 800)
    panel = window.generate.panel
    scroll = panel.findChild(QScrollArea)
    main = {
        CONTINUE: (panel.where, panel.engine, panel.tracks, panel.style, panel.bars, panel.variations),
        ADD_PART: (panel.where, panel.role, panel.instrument, panel.style, panel.variations),
        REGENERATE: (panel.where, panel.engine, panel.style, panel.variations),
        RESTYLE: (panel.where, panel.restyle_as, panel.style, panel.strength, panel.variations),
    }
    for mode, fields in main.items():
        panel.set_mode(mode)
        qtbot.waitUntil(lambda fields=fields: all(in_view(scroll, f) for f in fields), timeout=5_000)
    # the Takes list beneath keeps a Generate's four takes in view
    list_takes(window, 4)
    settle(window)
    tree = window.generate.takes_panel.list
    assert tree.viewport().height() >= 4 * tree.visualItemRect(tree.topLevelItem(0)).height()


def test_a_style_s_description_is_the_tooltip_of_its_choice(make_window):
    """Built-in styles describe themselves where the user chooses them, leaving the panel's room to the
    knobs; a learned style's source stays in view (its name is the user's own word)."""
    panel = make_window().generate.panel
    panel.set_style("celtic")
    description = style_description("celtic")
    assert "jigs, reels" in description
    assert panel.style.toolTip() == description
    assert description not in panel.style_description.text()
    for row in range(panel.style.count()):
        name = panel.style.itemData(row)
        assert panel.style.itemData(row, Qt.ItemDataRole.ToolTipRole) == style_description(name), name


def test_a_wide_window_keeps_the_text_beside_the_transport_icons(make_window):
    window = make_window()
    window.resize(1600, 900)
    settle(window)
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    window.resize(*SMALL)
    settle(window)
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly


def test_a_window_made_wide_again_gives_the_midi_toolbar_s_row_back_to_the_roll(make_window):
    window = small_window(make_window)
    assert window.midi_toolbar.y() > window.toolbar.y()  # a row of its own at 1024 px
    roll_height = window.roll.height()
    window.resize(1600, 700)
    settle(window)
    assert window.midi_toolbar.y() == window.toolbar.y()
    assert window.roll.height() > roll_height
    assert_record_and_the_keyboard_picker_show(window)


def test_with_the_midi_toolbar_hidden_the_transport_buttons_keep_their_text_where_it_fits(make_window):
    """At 1300 px the transport buttons give up their text for the keyboard picker and Record; with the
    MIDI toolbar hidden (the toolbars' context menu) there is room for it again."""
    window = make_window()
    settle(window)
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    window.midi_toolbar.hide()
    settle(window)
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert_every_toolbar_item_shows(window.toolbar)
    window.midi_toolbar.show()
    settle(window)
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    assert_record_and_the_keyboard_picker_show(window)


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def repeated_mnemonics(window) -> list[str]:
    problems = []

    def check(title: str, actions) -> None:
        seen: dict[str, str] = {}
        for action in actions:
            if action.isSeparator() or not action.isVisible():
                continue
            key = mnemonic(action.text())
            if key is not None and key in seen:
                problems.append(f"{title}: {seen[key]!r} and {action.text()!r}")
            elif key is not None:
                seen[key] = action.text()
            if action.menu() is not None:
                check(action.text(), action.menu().actions())

    check("menu bar", window.menuBar().actions())
    return problems


def test_no_menu_repeats_a_mnemonic(make_window):
    assert repeated_mnemonics(make_window()) == []


def test_no_menu_repeats_a_mnemonic_in_chinese(chinese, make_window):
    window = make_window()
    assert window.menuBar().actions()[0].text() != "&File"  # the translation is in force
    assert repeated_mnemonics(window) == []


def test_key_names_are_translated(chinese, make_window):
    melody = Track(
        name="M", notes=tuple(Note(p, i * 480, 480) for i, p in enumerate((62, 66, 69, 74, 69, 66)))
    )
    window = make_window(Project(tracks=(melody,), key=KeySignature(9, "minor")))
    assert window.status.key.text().endswith("A 小调")
    window.generate.panel.set_detected_key(KeySignature(2, "major"))
    assert "D 大调" in window.generate.panel.detected_key.text()
    assert "大调" in window.generate.panel.key.itemText(0)
    items = [window.generate.panel.key.itemText(i) for i in range(1, window.generate.panel.key.count())]
    assert all("major" not in t and "minor" not in t for t in items)
    assert QCoreApplication.translate("Keys", "minor") == "小调"


def test_preferences_fields_are_not_cut_off_in_chinese(chinese, make_window, qtbot):
    from musestudio.ui.dialogs.preferences import PreferencesDialog

    window = make_window()
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    settle(dialog)
    fields = [
        w
        for kind in (QLineEdit, QComboBox, QAbstractSpinBox, QLabel)
        for w in dialog.findChildren(kind)
        if w.isVisible() and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox))
    ]
    assert fields
    for w in fields:
        wanted = (
            w.sizeHint().width()
            if isinstance(w, QLabel) and not w.wordWrap()
            else w.minimumSizeHint().width()
        )
        assert w.width() >= wanted, f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        assert dialog.rect().contains(
            w.geometry().translated(w.parentWidget().mapTo(dialog, w.pos()) - w.pos())
        )
    for combo in dialog.findChildren(QComboBox):
        longest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        assert combo.width() >= longest + 20, combo.currentText()


def test_in_chinese_the_takes_list_and_the_engine_box_name_an_engine_alike(chinese, make_window):
    """The Takes list's Engine column says the engine's name in the UI's language, as the Generate panel's
    engine box does ("多声部", not "Parts")."""
    from dataclasses import replace

    window = make_window()
    (take,) = list_takes(window, 1)
    window.generate.set_takes((replace(take, engine="parts"),))
    row = window.generate.takes_panel.list.topLevelItem(0)
    assert row.text(1) == "多声部"
    engines = window.generate.panel.engine
    assert "多声部" in [engines.itemText(i) for i in range(engines.count())]
