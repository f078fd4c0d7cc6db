"""A slow Generate while the user keeps working: opening another piece, answering a question, moving notes,
keeping and undoing, cancelling, changing the meter. The generation is held (``held``) until the test lets
the real model run, so each thing the user does lands while the takes are drawn.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from musestudio.core.errors import Cancelled
from musestudio.core.note import Note
from musestudio.io.midi import write_midi
from musestudio.ml.engines import CONTINUE, PARTS, REGENERATE, RESTYLE, missing_model
from musestudio.ml.generate import service
from tests.beat_grid import beat_grid_song
from tests.ui.test_generate_ui import BAR, TIMEOUT_MS, TPB, choose, melody_project, needs, press_generate

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
    for _ in range(int(ticks // window.state.snap_step())):
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
@needs(CONTINUE, PARTS)
@pytest.mark.parametrize("streamed", [False, True])
@pytest.mark.parametrize("how", ["open", "new"])
def test_takes_of_a_closed_piece_are_never_listed_over_the_new_one(
    qtbot, make_window, held, tmp_path, monkeypatch, how, streamed
):
    other = one_beat_bars_file(tmp_path)
    window = make_window(melody_project())
    gen = window.generate
    if streamed:
        streaming(window, monkeypatch)
    else:
        choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    click_generate(qtbot, window)
    held.release()
    finish_unseen(window)  # its takes (the first one early, when streamed) are on their way
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    (window.actions.open if how == "open" else window.actions.new).trigger()
    opened = window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not gen.busy, timeout=TIMEOUT_MS)
    qtbot.wait(100)
    assert gen.takes == () and gen.overlay.note_count(1) == 0
    assert window.files.source == (other if how == "open" else None)
    assert "The Generate that was running stopped" in gen.panel.message.text()
    assert window.statusBar().currentMessage() == opened  # what the opening said is not written over
    if how == "open":
        assert "is in 1/4 throughout" in opened


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


# -- quitting ------------------------------------------------------------------------------------------
def asked_by(action, monkeypatch, answer) -> list[str]:
    """Trigger ``action`` answering every question with ``answer``; the questions asked."""
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _title, text, *_a: asked.append(text) or answer)
    action.trigger()
    return asked


def quit_asked(window, monkeypatch, answer) -> list[str]:
    """Quit (File > Quit) answering every question with ``answer``; the questions asked."""
    return asked_by(window.actions.quit, monkeypatch, answer)


@needs(CONTINUE, "transformer")
def test_quitting_while_a_generate_runs_asks_and_cancel_keeps_it_running(
    qtbot, make_window, held, monkeypatch
):
    window = make_window(melody_project())
    gen = window.generate
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    click_generate(qtbot, window)
    assert not window.document.modified and gen.takes == ()  # nothing else to ask about
    asked = quit_asked(window, monkeypatch, Button.Cancel)
    assert len(asked) == 1 and "A Generate is still drawing takes" in asked[0]
    assert window.isVisible() and gen.busy
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        held.release()
    assert blocker.args == ["result"] and len(gen.takes) == 2


@needs(CONTINUE, "transformer")
def test_quitting_while_a_generate_runs_stops_it_before_the_window_goes(
    qtbot, make_window, held, monkeypatch
):
    window = make_window(melody_project())
    gen = window.generate
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    click_generate(qtbot, window)
    finished = []
    gen.generation_finished.connect(finished.append)
    asked = quit_asked(window, monkeypatch, Button.Discard)
    assert len(asked) == 1 and not window.isVisible()
    assert not gen.runner.pool.activeThreadCount()  # the worker saw the cancel and ended
    qtbot.wait(200)
    assert gen.takes == () and finished == []  # nothing of it is heard in the closed window


# -- reopening the window for new Preferences ----------------------------------------------------------
def reopen_asked(window, monkeypatch, answer) -> list[str]:
    """Preferences, OK, and Yes to reopening the window now (a new language), answering every question
    after that with ``answer``; the questions asked."""
    from musestudio.ui.dialogs.preferences import PreferencesDialog

    def accepted_with_reopen(dialog) -> bool:
        dialog.restart_wanted = True
        return True

    monkeypatch.setattr(PreferencesDialog, "exec", accepted_with_reopen)
    return asked_by(window.actions.preferences, monkeypatch, answer)


@needs(CONTINUE, "transformer")
def test_reopening_the_window_for_new_preferences_while_a_generate_runs_asks_and_cancel_keeps_it_all(
    qtbot, make_window, held, monkeypatch
):
    window = make_window(melody_project())
    gen = window.generate
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    window.editor.add_note(90, 0, 480)
    piece = window.document.project
    click_generate(qtbot, window)
    asked = reopen_asked(window, monkeypatch, Button.Cancel)
    assert len(asked) == 1 and "reopening the window stops it" in asked[0]
    assert window.isVisible() and window.reopen is None and gen.busy
    assert window.document.project == piece and window.document.modified and window.undo_stack.count() == 1
    assert "The window was not reopened, so the Generate goes on" in window.statusBar().currentMessage()
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        held.release()
    assert blocker.args == ["result"] and len(gen.takes) == 2


@needs(CONTINUE, "transformer")
def test_reopening_the_window_for_new_preferences_stops_a_running_generate_before_the_window_goes(
    qtbot, make_window, held, monkeypatch
):
    window = make_window(melody_project())
    gen = window.generate
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    click_generate(qtbot, window)
    finished = []
    gen.generation_finished.connect(finished.append)
    asked = reopen_asked(window, monkeypatch, Button.Discard)
    assert len(asked) == 1 and not window.isVisible() and window.reopen is not None
    assert not gen.runner.pool.activeThreadCount()  # the worker saw the cancel and ended
    held.release()
    qtbot.wait(200)
    assert gen.takes == () and finished == []  # nothing of it is heard in the window that went


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


@needs(CONTINUE, PARTS)
def test_redo_and_undo_of_a_take_kept_early_keep_it_listed_once_or_not_at_all(
    qtbot, make_window, monkeypatch
):
    """Streaming: keep take 1 as it shows and undo that before the rest come; redo then takes it off the
    list of all four, and undo lists it once."""
    window = make_window(melody_project())
    gen = window.generate
    streaming(window, monkeypatch)
    before = window.document.project
    undone_while_drawing = []

    def keep_and_undo() -> None:
        assert gen.busy and gen.keep()
        window.undo_stack.undo()
        undone_while_drawing.append(gen.busy and [t.number for t in gen.takes] == [1])

    def on_takes() -> None:
        if gen.busy and not undone_while_drawing and len(gen.takes) == 1:
            undone_while_drawing.append(False)
            QTimer.singleShot(0, keep_and_undo)

    gen.takes_changed.connect(on_takes)
    press_generate(qtbot, window)
    assert undone_while_drawing == [False, True]
    assert sorted(t.number for t in gen.takes) == [1, 2, 3, 4]
    window.undo_stack.redo()
    assert window.document.project.tracks != before.tracks
    assert sorted(t.number for t in gen.takes) == [2, 3, 4]
    window.undo_stack.undo()
    assert window.document.project.tracks == before.tracks
    assert sorted(t.number for t in gen.takes) == [1, 2, 3, 4]


@needs(CONTINUE, "transformer")
@needs(CONTINUE, PARTS)
def test_cancel_after_the_first_take_came_lists_the_takes_before_it_again_and_says_so(
    qtbot, make_window, monkeypatch
):
    window = make_window(melody_project())
    gen = window.generate
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    press_generate(qtbot, window)
    listed = gen.takes
    assert gen.keep()  # kept take is in the score; undoing the keep lists it again, after the cancel too
    left = gen.takes
    streaming(window, monkeypatch)
    seen = []

    def on_takes() -> None:
        seen.append(gen.busy)
        if gen.busy and len(seen) == 1:
            click_generate(qtbot, window)  # Cancel, as soon as take 1 shows

    gen.takes_changed.connect(on_takes)
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        click_generate(qtbot, window)
    assert blocker.args == ["cancelled"] and seen[0] is True
    assert gen.takes == left
    said = gen.panel.message.text()
    assert "The 1 take(s) listed before this Generate are listed again." in said
    assert "The 1 take(s) it drew before the cancel are no longer listed." in said
    window.undo_stack.undo()  # the keep made before this Generate: its take is listed again
    assert sorted(t.number for t in gen.takes) == sorted(t.number for t in listed)
    assert gen.keep()  # and keeps into the piece as it was drawn for
    assert window.undo_stack.count() == 1


@needs(CONTINUE, "transformer")
def test_the_replaced_count_is_of_the_takes_listed_when_the_new_ones_come(qtbot, make_window, held):
    window = make_window(melody_project())
    gen = window.generate
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    held.release()
    press_generate(qtbot, window)
    assert gen.keep() and len(gen.takes) == 1
    held.hold()
    click_generate(qtbot, window)
    qtbot.keyClick(window.roll.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the keep
    assert len(gen.takes) == 2
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS):
        held.release()
    assert "They replace the 2 take(s)" in gen.panel.message.text()
    held.hold()
    click_generate(qtbot, window)
    qtbot.mouseClick(gen.takes_panel.discard_all, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS):
        held.release()
    assert "replace" not in gen.panel.message.text()


@needs(CONTINUE, "transformer")
def test_takes_drawn_while_the_meter_changed_say_they_follow_the_bars_of_the_click(qtbot, make_window, held):
    window = make_window(melody_project())
    gen = window.generate
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    click_generate(qtbot, window)
    window.toolbar.numerator.setValue(3)  # the user sets 3/4 while the take is drawn
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        held.release()
    assert blocker.args == ["result"]
    said = "The meter changed while these takes were drawn"
    assert said in gen.panel.message.text() and said in window.statusBar().currentMessage()
    window.toolbar.numerator.setValue(4)
    press_generate(qtbot, window)
    assert said not in gen.panel.message.text()


@pytest.mark.parametrize("engine", ["transformer", PARTS])
def test_takes_that_continue_bars_undone_while_they_were_drawn_say_so(qtbot, make_window, held, engine):
    """Bars 5-6 drawn, Continue clicked, and their drawing undone while the takes are drawn. Before, the takes
    came for bar 7 on, after two bars now empty, with not a word: Keep put them there, following on from
    music no longer in the piece. The panel and the status bar say what the takes follow on from."""
    if missing_model(CONTINUE, engine):
        pytest.skip(f"no committed {engine} model")
    window = make_window(melody_project())
    gen = window.generate
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.editor.add_notes([Note(60 + i % 5, 4 * BAR + i * TPB, TPB, 90) for i in range(8)], "Draw notes")
    choose(window, CONTINUE, engine, "seed", bars=1, variations=1)
    click_generate(qtbot, window)
    window.undo_stack.undo()
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        held.release()
    assert blocker.args == ["result"] and gen.takes[0].start == 6 * BAR
    said = "The notes these takes follow on from changed while they were drawn"
    assert said in gen.panel.message.text() and said in window.statusBar().currentMessage()
    press_generate(qtbot, window)  # drawn for the piece as it is: nothing to say
    assert gen.takes[0].start == 4 * BAR and said not in gen.panel.message.text()


@needs(CONTINUE, PARTS)
def test_cancel_after_keeping_the_first_take_says_the_kept_take_stays(qtbot, make_window, monkeypatch):
    window = make_window(melody_project())
    gen = window.generate
    streaming(window, monkeypatch)
    before = window.document.project

    def keep_then_cancel() -> None:
        assert gen.keep()
        click_generate(qtbot, window)

    def on_takes() -> None:
        if gen.busy and len(gen.takes) == 1 and window.undo_stack.count() == 0:
            QTimer.singleShot(0, keep_then_cancel)

    gen.takes_changed.connect(on_takes)
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        click_generate(qtbot, window)
    assert blocker.args == ["cancelled"] and window.document.project != before
    said = gen.panel.message.text()
    assert "unchanged" not in said and "1 take(s) kept before the cancel stay in the score" in said


def played(project) -> list[list[tuple[int, int, int, int]]]:
    """Each track's notes as heard (pitch, start, length, velocity): a take kept again gets new note ids."""
    return [sorted((n.pitch, n.start, n.duration, n.velocity) for n in t.notes) for t in project.tracks]


@needs(CONTINUE, "transformer")
@needs(CONTINUE, PARTS)
def test_undoing_the_keep_of_a_cancelled_generates_early_take_lists_it_beside_the_takes_before_it(
    qtbot, make_window, monkeypatch
):
    """Generate, then Generate again with the Parts engine: keep its take 1 as it shows, and cancel. The
    first Generate's takes are listed again; Undo takes the kept take out of the score and lists it beside
    them, and each take keeps as the Generate it was drawn for would have."""
    window = make_window(melody_project())
    gen = window.generate
    before = window.document.project
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    press_generate(qtbot, window)
    first_run = gen.takes
    streaming(window, monkeypatch)
    early = []

    def keep_then_cancel() -> None:
        early.append(gen.current_take())
        assert gen.keep()
        click_generate(qtbot, window)  # Cancel

    def on_takes() -> None:
        if gen.busy and not early and gen.takes and gen.takes != first_run:
            QTimer.singleShot(0, keep_then_cancel)

    gen.takes_changed.connect(on_takes)
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        click_generate(qtbot, window)
    assert blocker.args == ["cancelled"]
    (take,) = early
    with_take = window.document.project
    assert gen.takes == first_run and with_take.tracks != before.tracks
    said = gen.panel.message.text()
    assert (
        "1 take(s) kept before the cancel stay in the score (Undo takes them out and lists them again)"
        in said
    )

    window.undo_stack.undo()
    assert window.document.project.tracks == before.tracks
    assert gen.takes == (take, *first_run) and gen.current_take() is take  # where it was, current
    # both Generates drew a take 1: each is drawn over the roll, and key 1 goes from one to the other
    assert take.number == 1 and 1 in {t.number for t in first_run}
    assert gen.overlay.note_count(1) == sum(len(t.notes) for t in gen.takes if t.number == 1)
    qtbot.keyClick(window, Qt.Key.Key_1)
    other = gen.current_take()
    assert other is not take and other.number == 1 and other in first_run
    qtbot.keyClick(window, Qt.Key.Key_1)
    assert gen.current_take() is take

    assert gen.keep()  # the Parts take goes into the tracks it was drawn for, as when it was kept early
    assert played(window.document.project) == played(with_take) and gen.takes == first_run
    best = gen.current_take()
    assert gen.keep()  # the first Generate's take, as its Transformer Continue of the melody would
    melody, bass = window.document.project.tracks
    assert sorted((n.pitch, n.start) for n in melody.notes) == sorted(
        [(n.pitch, n.start) for n in with_take.tracks[0].notes] + [(n.pitch, n.start) for n in best.notes]
    )
    assert played(window.document.project)[1] == played(with_take)[1]
    assert window.undo_stack.count() == 2
