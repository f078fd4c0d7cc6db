"""The Takes list at 1024x768 shows what tells takes apart without scrolling sideways: the take's number,
its score, why it ranks there and its style (cut short), with the columns that do not fit left out and
every cell's tooltip saying the whole row. Before, all eight columns were laid out at once and the
Critic, Score and Why columns were a sideways scroll away in a 1024 px wide window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from musestudio.core.note import Note
from musestudio.ml.generate.request import Take
from musestudio.ui.generate.takes_panel import NUMBER, SCORE, STYLE, WHY, TakesPanel
from tests.ui.ui_helpers import continue_request

WHYS = ("critic and taste agree", "taste ranks it higher", "taste ranks it lower", "nearly empty")


def takes(request=None, count: int = 4) -> tuple[Take, ...]:
    return tuple(
        Take(
            i,
            (Note(60 + i, 0, 480, 90),),
            0,
            1920,
            "transformer",
            "classical",
            1234566 + i,
            0.8,
            0.7,
            0.9 - i / 20,
            taste=0.6,
            score=0.85 - i / 20,
            why=WHYS[(i - 1) % 4],
            request=request,
        )
        for i in range(1, count + 1)
    )


def window_with_takes(make_window, count: int = 4):
    window = make_window()
    window.resize(1024, 768)
    window.generate.set_takes(takes(continue_request(window), count))
    for _ in range(5):
        QApplication.processEvents()
    window.hide_stale_tab_bars()
    for _ in range(5):
        QApplication.processEvents()
    return window


def shown(tree) -> list[int]:
    return [c for c in range(tree.columnCount()) if not tree.isColumnHidden(c)]


@pytest.mark.parametrize("count", [4, 8])  # eight: with the vertical scroll bar beside them
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_at_1024x768_the_takes_list_needs_no_sideways_scrolling(request, language, count, make_window):
    if language == "zh_CN":
        request.getfixturevalue("chinese")
    window = window_with_takes(make_window, count)
    tree = window.generate.takes_panel.list
    assert tree.horizontalScrollBar().maximum() == 0  # nothing a scroll away
    assert {NUMBER, SCORE, WHY, STYLE} <= set(shown(tree))
    right = max(tree.header().sectionViewportPosition(c) + tree.columnWidth(c) for c in shown(tree))
    assert right <= tree.viewport().width()
    for c in (NUMBER, SCORE, WHY):  # shown whole, not cut short
        assert tree.columnWidth(c) >= tree.sizeHintForColumn(c)


def test_every_cell_s_tooltip_says_what_the_columns_left_out_hold(make_window):
    window = window_with_takes(make_window)
    tree = window.generate.takes_panel.list
    item = tree.topLevelItem(0)
    left_out = [c for c in range(tree.columnCount()) if tree.isColumnHidden(c)]
    assert left_out  # at 1024 px some are
    for c in (NUMBER, STYLE, SCORE):
        tip = item.toolTip(c)
        assert all(item.text(h) in tip for h in left_out)
        assert "Classical quartet" in tip and "Take 1" in tip


def test_a_wide_takes_panel_shows_every_column(qtbot):
    panel = TakesPanel()
    qtbot.addWidget(panel)
    panel.set_takes(takes(), [panel.palette().base().color()] * 4)
    panel.resize(900, 300)
    panel.show()
    qtbot.waitExposed(panel)
    assert shown(panel.list) == list(range(8))
    panel.resize(240, 300)
    qtbot.waitUntil(lambda: panel.list.horizontalScrollBar().maximum() == 0)
    assert len(shown(panel.list)) < 8 and panel.list.isColumnHidden(0) is False
