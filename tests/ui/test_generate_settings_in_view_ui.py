"""At 1024x768, with a Generate's four takes listed, the settings a musician makes on every Generate show
in the Generate panel without scrolling: before, each label stood above its box (a row of 50 px), and Style
and Bars were a scroll away under Mode, From, Engine and Tracks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from musestudio.ml.engines import ADD_PART, CONTINUE, REGENERATE, RESTYLE
from musestudio.ui.generate.form_rows import readable_width
from tests.ui.ui_helpers import list_takes, settle


def everyday(panel, mode: str) -> dict:
    """The settings of ``mode`` a musician makes on every Generate, by name."""
    named = {
        "Mode": panel.mode,
        "From": panel.where,
        "Engine": panel.engine,
        "Style": panel.style,
        "Suggest": panel.suggest,
        "Variations": panel.variations,
    }
    named.update(
        {
            CONTINUE: {"Tracks": panel.tracks, "Bars": panel.bars},
            RESTYLE: {"As": panel.restyle_as, "Strength": panel.strength},
            REGENERATE: {},
            ADD_PART: {"Part": panel.role, "Instrument": panel.instrument},
        }[mode]
    )
    return named


def out_of_view(scroll: QScrollArea, fields: dict) -> list[str]:
    """The fields not whole in the scroll area's visible part, the form at its top."""
    view = scroll.viewport().rect()
    return [
        name
        for name, field in fields.items()
        if not view.contains(QRect(field.mapTo(scroll.viewport(), QPoint(0, 0)), field.size()))
    ]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("mode", [CONTINUE, RESTYLE, REGENERATE, ADD_PART])
def test_at_1024x768_with_four_takes_the_everyday_settings_show_without_scrolling(
    request, language, mode, make_window
):
    if language == "zh_CN":
        request.getfixturevalue("chinese")
    window = make_window()
    window.resize(1024, 768)
    settle(window)
    window.hide_stale_tab_bars()
    panel = window.generate.panel
    panel.set_mode(mode)
    takes = list_takes(window, 4)
    window.generate.say_of_takes((), takes[0].request, drawn=(4, 2.4, "CPU"))  # as after a Generate
    settle(window)
    scroll = panel.findChild(QScrollArea)
    assert scroll.verticalScrollBar().value() == 0
    assert scroll.verticalScrollBar().maximum() > 0  # the rest of the form is there to scroll to
    assert panel.message.isVisible()
    assert out_of_view(scroll, everyday(panel, mode)) == []
    tree = window.generate.takes_panel.list  # the takes still show, four to compare
    assert tree.viewport().height() >= 4 * tree.visualItemRect(tree.topLevelItem(0)).height()


def test_tab_goes_through_the_settings_as_they_are_laid_out(window, qtbot):
    """Down the form, left to right on a row: a box before the buttons that go with it (the style's Suggest
    and Learn..., the key's Lock), Bars before Variations on their shared row."""
    panel = window.generate.panel
    panel.set_mode(CONTINUE)
    names = ("mode", "where", "engine", "tracks", "style", "suggest", "learn", "bars", "variations")
    names += ("density", "voices", "temperature", "top_p", "key", "key_lock", "low", "high", "seed", "dice")
    names += ("device", "button")
    panel.mode.setFocus()
    qtbot.waitUntil(panel.mode.hasFocus)
    reached = []
    for _ in names:
        focused = QApplication.focusWidget()
        reached.append(next((n for n in names if getattr(panel, n) is focused), type(focused).__name__))
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert reached == list(names)


def test_a_choice_that_comes_later_still_reads_whole(make_window):
    """A GPU found after start-up names itself in the Compute box: the row makes room for it (its label
    goes above the box) rather than cutting the name short as laid out for "Auto (CPU)"."""
    window = make_window()
    window.resize(1024, 768)
    settle(window)
    panel = window.generate.panel
    panel.set_devices("NVIDIA H100 PCIe")
    settle(window)
    assert panel.device.width() >= readable_width(panel.device)
