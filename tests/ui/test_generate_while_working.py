"""A slow Generate while the user keeps working: opening another piece, answering a question, moving notes,
keeping and undoing, cancelling, changing the meter. The generation is held (``held``) until the test lets
the real model run, so each thing the user does lands while the takes are drawn.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from musestudio.core.errors import Cancelled
from musestudio.io.midi import write_midi
from musestudio.ml.engines import CONTINUE, PARTS, REGENERATE, RESTYLE, missing_model
from musestudio.ml.generate import service
from tests.beat_grid import beat_grid_song
from tests.ui.test_generate_ui import BAR, TIMEOUT_MS, choose, melody_project, needs

Button = QMessageBox.StandardButton


@pytest.fixture
def held(monkeypatch):
    """``service.run`` waits on the worker thread until the test calls ``held.release()``: a slow Generate
    (the request was built at the click; the real model runs once released)."""
    real = service.run
    gate = threading.Event()

    def run(request, taste, report=None, say=None, cancel=None, partial=None):
        while not gate.wait(0.02):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
        return real(request, taste, report, say, cancel, partial)

    monkeypatch.setattr(service, "run", run)
    return SimpleNamespace(release=gate.set, hold=gate.clear)


def click_generate(qtbot, window) -> None:
    qtbot.mouseClick(window.generate.panel.button, Qt.MouseButton.LeftButton)


def nudge_right(qtbot, window, ticks: int) -> None:
    """Move the selected notes ``ticks`` later with the Right key, a grid step a press."""
    window.roll.view.setFocus()
    for _ in range(ticks // window.state.snap_ticks()):
        qtbot.keyClick(window.roll.view, Qt.Key.Key_Right)


def finish_unseen(window) -> None:
    """Let the held Generate end while the GUI thread is busy (as while it reads a big file): its takes
    are then on their way, not yet shown."""
    pool = window.generate.runner.pool
    end = time.monotonic() + TIMEOUT_MS / 1000
    while pool.activeThreadCount() and time.monotonic() < end:
        time.sleep(0.02)
    assert not pool.activeThreadCount()


def streaming(window, monkeypatch, bars: int = 2, variations: int = 4) -> None:
    """The parts engine, told to list its first take before the others."""
    monkeypatch.setenv("MUSESTUDIO_STREAM_AFTER_S", "0")
    panel = window.generate.panel
    panel.set_mode(CONTINUE)
    panel.engine.setCurrentIndex(panel.engine.findData(PARTS))
    panel.seed.setValue(7)
    panel.bars.setValue(bars)
    panel.variations.setValue(variations)


def one_beat_bars_file(tmp_path):
    """A song in 1/4 throughout: opening it says so in the status bar (Re-bar offers 4/4)."""
    path = tmp_path / "beats.mid"
    write_midi(beat_grid_song(), path)
    return path


# -- opening another piece -----------------------------------------------------------------------------
@needs(CONTINUE, "transformer")
def test_takes_that_come_while_the_open_dialog_is_up_are_asked_about_before_they_go(
    qtbot, make_window, held, tmp_path, monkeypatch
):
    other = one_beat_bars_file(tmp_path)
    window = make_window(melody_project())
    gen = window.generate
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    click_generate(qtbot, window)
    asked = []

    def question(_parent, title, text, *_a):
        asked.append((len(gen.takes), text))
        return Button.Cancel  # the user keeps the takes they just saw come in

    def pick(*_a, **_k):
        held.release()  # the generation ends while the user browses for the file
        qtbot.waitUntil(lambda: len(gen.takes) == 2, timeout=TIMEOUT_MS)
        return str(other), ""

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    piece = window.document.project
    window.actions.open.trigger()
    assert [n for n, _ in asked] == [2] and "2 new take(s)" in asked[0][1]
    assert len(gen.takes) == 2 and window.document.project is piece


@needs(CONTINUE, "transformer")
def test_takes_that_come_while_the_close_question_is_up_are_asked_about_before_the_window_closes(
    qtbot, make_window, held, monkeypatch
):
    window = make_window(melody_project())
    gen = window.generate
    window.editor.add_note(80, 0, 480)  # an unsaved change: closing asks
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    click_generate(qtbot, window)
    asked = []

    def question(_parent, title, text, *_a):
        if not asked:
            held.release()  # the takes come while the user reads the question
            qtbot.waitUntil(lambda: len(gen.takes) == 2, timeout=TIMEOUT_MS)
        asked.append(text)
        return Button.Discard if len(asked) == 1 else Button.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    window.close()
    assert "The Generate running now stops" in asked[0]
    assert len(asked) == 2 and "2 new take(s)" in asked[1]
    assert window.isVisible() and len(gen.takes) == 2


# -- keeping what the user did meanwhile ---------------------------------------------------------------
@needs(REGENERATE, "transformer")
def test_a_note_moved_out_of_the_regenerated_bars_while_they_are_drawn_survives_keep(
    qtbot, make_window, held
):
    window = make_window(melody_project())
    gen = window.generate
    melody = window.document.project.tracks[0]
    window.state.set_selection(n.id for n in melody.notes if BAR <= n.start < 2 * BAR)  # bar 2
    choose(window, REGENERATE, "transformer", variations=1)
    click_generate(qtbot, window)
    last = max((n for n in melody.notes if BAR <= n.start < 2 * BAR), key=lambda n: n.start)
    window.state.set_selection([last.id])  # the user nudges the last note of bar 2 into bar 3
    nudge_right(qtbot, window, BAR)
    assert window.document.project.tracks[0].note_by_id(last.id).start == last.start + BAR
    before_keep = window.document.project.tracks[0]
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        held.release()
    assert blocker.args == ["result"], gen.error
    qtbot.mouseClick(gen.takes_panel.keep, Qt.MouseButton.LeftButton)
    after = window.document.project.tracks[0]

    def outside(track):
        return sorted((n.id, n.pitch, n.start) for n in track.notes if not BAR <= n.start < 2 * BAR)

    assert outside(after) == outside(before_keep)  # the moved note too
    assert not {n.id for n in after.notes} & {
        n.id for n in melody.notes if n.id != last.id and BAR <= n.start < 2 * BAR
    }


@pytest.mark.skipif(missing_model(RESTYLE, "seq2seq") is not None, reason="no Restyle seq2seq model")
def test_a_note_moved_out_of_the_restyled_bars_while_they_are_drawn_survives_keep(qtbot, make_window, held):
    window = make_window(melody_project())
    gen = window.generate
    melody = window.document.project.tracks[0]
    selected = [n for n in melody.notes if n.start < BAR]  # bar 1
    window.state.set_selection(n.id for n in selected)
    gen.panel.set_mode(RESTYLE)
    gen.panel.set_restyle_as(RESTYLE)
    choose(window, RESTYLE, "seq2seq", "selection", variations=1)
    click_generate(qtbot, window)
    moved = selected[0]
    window.state.set_selection([moved.id])  # the user nudges the first note of bar 1 into bar 3
    nudge_right(qtbot, window, 2 * BAR)
    assert window.document.project.tracks[0].note_by_id(moved.id).start == 2 * BAR
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        held.release()
    assert blocker.args == ["result"], gen.error
    qtbot.mouseClick(gen.takes_panel.keep, Qt.MouseButton.LeftButton)
    after = window.document.project.tracks[0]
    assert after.note_by_id(moved.id).start == 2 * BAR  # Keep replaced only what is still in bar 1
    assert not {n.id for n in after.notes} & {n.id for n in selected[1:]}
