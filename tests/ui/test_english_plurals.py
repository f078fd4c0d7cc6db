"""With the English UI, counts read as English: "1 take" and "2 takes", never "1 take(s)"."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from musestudio.core.note import Note
from musestudio.io.recovery import Recovery
from musestudio.ml.generate.request import Outcome, Take
from musestudio.ui.dialogs.recovery import RecoveryDialog
from musestudio.ui.state import Tool
from tests.ui.ui_helpers import click, note_point

# the translators the app installs for English, as it starts (``language``)
pytestmark = pytest.mark.parametrize("language", ["en"], indirect=True)


def answers_with(count: int):
    """A Generate that answers at once with ``count`` one-note takes (the window's side is what is checked)."""

    def run(request, taste, report, say, cancel, early=None):
        a = request.after
        takes = tuple(
            Take(
                i,
                (Note(72 + i, a, 480, 90),),
                a,
                a + 1920,
                request.engine,
                request.options.style,
                i,
                None,
                None,
                0.5,
            )
            for i in range(1, count + 1)
        )
        return Outcome(request, takes, "cpu")

    return run


@pytest.mark.parametrize(("count", "said"), [(1, "1 take in "), (2, "2 takes in ")])
def test_with_the_english_ui_a_generate_says_1_take_and_2_takes(
    language, make_window, qtbot, monkeypatch, count, said
):
    window = make_window()
    gen = window.generate
    monkeypatch.setattr(gen, "run_target", lambda: answers_with(count))
    with qtbot.waitSignal(gen.generation_finished, timeout=30_000):
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
    assert len(gen.takes) == count
    assert window.statusBar().currentMessage().startswith(said)
    assert gen.panel.message.text().startswith(said)


def test_with_the_english_ui_the_inspector_counts_1_note_and_2_notes(language, window):
    view = window.roll.view
    window.state.set_tool(Tool.SELECT)
    summary = window.inspector.widget().summary
    click(view.viewport(), note_point(view, 100, 60))
    assert summary.text() == "1 note"
    click(view.viewport(), note_point(view, 1000, 64), modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert summary.text() == "2 notes"


@pytest.mark.parametrize(("takes", "said"), [(1, "5 (+ 1 take)"), (4, "5 (+ 4 takes)")])
def test_with_the_english_ui_the_recovery_dialog_counts_1_take_and_4_takes(
    language, make_window, tmp_path, takes, said
):
    """A recovery copy's notes column counts the takes not kept that come back with it (before: "1 takes")."""
    copy = Recovery(tmp_path / "copy.muse", None, "Tune", datetime.now(), 100, 5, "session", takes=takes)
    dialog = RecoveryDialog([copy], make_window())
    assert dialog.list.topLevelItem(0).text(3) == said
