"""The Generate panel's first line counts the takes listed: after a Keep or a Discard it no longer says "4
takes" beside a list of three, and once none of them is listed it goes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_english_plurals import answers_with

# the translators the app installs for English, as it starts (``language``): "1 take", "3 takes"
pytestmark = pytest.mark.parametrize("language", ["en"], indirect=True)


def generate_four(window, qtbot, monkeypatch):
    gen = window.generate
    monkeypatch.setattr(gen, "run_target", lambda: answers_with(4))
    with qtbot.waitSignal(gen.generation_finished, timeout=30_000):
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
    return gen


def first_line(gen) -> str:
    return gen.panel.message.text().split("\n")[0]


def test_after_keep_and_discard_the_panel_counts_the_takes_still_listed(
    language, make_window, qtbot, monkeypatch
):
    gen = generate_four(make_window(), qtbot, monkeypatch)
    assert first_line(gen).startswith("4 takes in ")
    assert gen.keep()
    assert len(gen.takes) == 3 and first_line(gen).startswith("3 takes listed of the 4 drawn in ")
    gen.discard()
    gen.discard()
    assert len(gen.takes) == 1 and first_line(gen).startswith("1 take listed of the 4 drawn in ")
    gen.window.undo_stack.undo()  # the kept take is listed again
    assert len(gen.takes) == 2 and first_line(gen).startswith("2 takes listed of the 4 drawn in ")
    gen.discard_all()
    assert gen.panel.message.text() == ""


def test_undoing_the_only_keep_brings_back_the_count_of_all_drawn(language, make_window, qtbot, monkeypatch):
    gen = generate_four(make_window(), qtbot, monkeypatch)
    assert gen.keep(new_track=True)
    assert first_line(gen).startswith("3 takes listed of the 4 drawn in ")
    gen.window.undo_stack.undo()
    assert len(gen.takes) == 4 and first_line(gen).startswith("4 takes in ")
