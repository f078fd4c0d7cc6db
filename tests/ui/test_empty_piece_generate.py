"""The empty piece's hint says "let the app write some: Generate (Ctrl+G)". With the Generate panel as it
starts (Continue, the Parts engine, which continues the notes a piece has), Ctrl+G writes takes: an engine
that starts from nothing writes the first bars, and the panel says which."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from musestudio.ml.engines import ADD_PART, CONTINUE, PARTS, missing_model
from musestudio.ui.files import new_project

TIMEOUT_MS = 300_000  # the shared CPU may be busy; two bars normally take a few seconds


@pytest.mark.skipif(missing_model(CONTINUE, "transformer") is not None, reason="no Continue transformer")
def test_ctrl_g_on_the_empty_piece_writes_takes_and_says_which_engine_wrote_them(make_window, qtbot):
    window = make_window(new_project())
    gen = window.generate
    assert "Generate (Ctrl+G)" in window.roll.view.hint and window.roll.view.shows_hint()
    assert gen.panel.choices()["mode"] == CONTINUE and gen.panel.choices()["engine"] == PARTS
    gen.panel.bars.setValue(2)  # small, for a shared CPU; otherwise the panel as it starts
    gen.panel.variations.setValue(1)
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.keyClick(window.roll.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["result"], gen.error
    assert gen.takes and gen.takes[0].notes and gen.takes[0].engine == "transformer"
    said = gen.panel.message.text()
    assert "Transformer engine writes the first bars" in said
    assert said.startswith("1 take") and "1 takes" not in said  # the count through tr()'s %n
    assert gen.takes_panel.list.topLevelItem(0).text(1) == "Transformer"
    assert gen.panel.choices()["engine"] == PARTS  # the user's choice stays, for the piece once it has notes


def test_add_a_part_on_the_empty_piece_says_to_choose_continue(make_window, qtbot):
    window = make_window(new_project())
    gen = window.generate
    gen.panel.set_mode(ADD_PART)
    with qtbot.waitSignal(gen.generation_finished) as blocker:
        qtbot.keyClick(window.roll.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["error"]
    assert "choose Continue" in gen.panel.message.text() and not gen.takes
