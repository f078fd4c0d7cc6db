"""With the English UI, counts read as English: "1 take" and "2 takes", never "1 take(s)"."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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


@pytest.mark.parametrize(
    ("files", "bars", "said"),
    [
        (1, 1, "Learned from 1 file, 1 bar, on 2026-12-07"),
        (3, 48, "Learned from 3 files, 48 bars, on 2026-12-07"),
    ],
)
def test_with_the_english_ui_a_learned_style_says_1_file_and_3_files(
    language, monkeypatch, files, bars, said
):
    """The style picker's and the learn dialog's list's description of a learned style (before: "Learned
    from 1 files")."""
    from musestudio.ml.learned import LearnedStyle
    from musestudio.ui.generate import style_words

    meta = {"from": "pop", "files": [f"{i}.mid" for i in range(files)], "bars": bars, "created": "2026-12-07"}
    monkeypatch.setattr(style_words.learned, "find", lambda name: LearnedStyle(name, Path("mine"), meta))
    assert style_words.style_description("Mine") == f"{said} (starts from Pop)."


@pytest.mark.parametrize(
    ("files", "bars", "said"), [(1, 1, "Using 1 file (1 bar)."), (2, 32, "Using 2 files (32 bars).")]
)
def test_with_the_english_ui_the_learn_dialog_reads_1_file_and_2_files(language, window, files, bars, said):
    """What the learn dialog says it read (before: "Using 1 files (1 bars).")."""
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    dialog._on_event({"event": "read", "files": [f"{i}.mid" for i in range(files)], "bars": bars})
    assert dialog.skipped.text() == said
    dialog.close()


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        (1, "1 of its 520 samples points outside its sample data, so the instruments using it are missing"),
        (
            20,
            "20 of its 520 samples point outside its sample data, so the instruments using them are missing",
        ),
    ],
)
def test_with_the_english_ui_a_wav_says_1_damaged_sample_points_and_20_point(language, bad, said):
    """A WAV rendered with a partly damaged soundfont (before: "1 of its 520 samples point ... using them")."""
    from musestudio.ui.dialogs.export_wav import Exported

    assert said in Exported(Path("Piano.sf2"), (bad, 520)).damaged_text()


def test_with_the_english_ui_a_silent_wav_says_its_1_damaged_sample_cannot_sound(language):
    from musestudio.ui.dialogs.export_wav import SilentRender, _describe

    said = _describe(SilentRender(Path("Piano.sf2"), (1, 520)), Path("song.wav"))
    assert "1 of its 520 samples points outside its sample data, so it cannot sound." in said, said
