"""A song in 1/4 throughout (a sequencer's beat grid) in the app: opening it changes nothing and says how
to re-bar it; Edit > Re-bar One-Beat Bars in 4/4 (or the Generate panel's note) gives it the 4/4 bars it
is heard in as one undo step, and Continue's bars are then 4/4 bars."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musestudio.audio.player import LivePlayer, PlayerAdapter
from musestudio.core.document import Document
from musestudio.io.midi import write_midi
from musestudio.ml.engines import ADD_PART, CONTINUE, PARTS, REGENERATE, RESTYLE
from musestudio.ui.files import new_project
from musestudio.ui.main_window import MainWindow
from tests.beat_grid import BEATS, HEARD, TPB, beat_grid_song
from tests.ui.conftest import NO_DEVICE

SONG_END = TPB + 16 * TPB  # the pickup and four 4/4 bars


def note_shown(window, mode: str) -> bool:
    panel = window.generate.panel
    panel.set_mode(mode)
    return panel.form.is_row_visible(panel.beat_grid)


def test_the_user_rebars_a_song_in_one_beat_bars_as_one_undo_step(qtbot, make_window):
    window = make_window(beat_grid_song())
    rebar, panel = window.actions.rebar, window.generate.panel
    assert rebar.isEnabled()
    assert all(note_shown(window, mode) for mode in (CONTINUE, REGENERATE, ADD_PART))
    assert not note_shown(window, RESTYLE)  # Restyle hears the song in 4/4 by itself
    before = window.document.project
    panel.set_mode(CONTINUE)
    panel.beat_grid.linkActivated.emit("rebar")  # the note's link
    after = window.document.project
    assert after.time_signatures == HEARD
    assert after.with_time_signatures(BEATS) == before  # only the meter changed
    assert not rebar.isEnabled() and not note_shown(window, CONTINUE)
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Re-bar in 4/4"
    window.undo_stack.undo()
    assert window.document.project == before
    assert rebar.isEnabled() and note_shown(window, CONTINUE)
    window.undo_stack.redo()
    assert window.document.project.time_signatures == HEARD


def test_a_piece_in_its_own_bars_is_not_offered_a_rebar(qtbot, make_window):
    window = make_window()
    assert not window.actions.rebar.isEnabled()
    assert not any(note_shown(window, mode) for mode in (CONTINUE, REGENERATE, ADD_PART))
    window.actions.rebar.trigger()
    assert window.undo_stack.count() == 0


def test_opening_a_song_in_one_beat_bars_says_how_to_rebar_it_and_changes_nothing(
    qtbot, make_window, tmp_path
):
    path = tmp_path / "beats.mid"
    write_midi(beat_grid_song(), path)
    window = make_window()
    assert window.files.open_path(path, ask=False)
    message = window.statusBar().currentMessage()
    assert "beats.mid is in 1/4 throughout" in message and "Re-bar One-Beat Bars in 4/4" in message
    assert window.document.project.time_signatures == BEATS
    assert window.undo_stack.count() == 0 and window.actions.rebar.isEnabled()


def test_the_rebar_message_of_a_song_opened_with_the_app_outlasts_the_midi_start_up(
    qtbot, settings, tmp_path, monkeypatch
):
    """The app opens the file named on its command line before the window is up; what MIDI says as it
    starts (no MIDI system, the port it opened) must not hide the piece's message."""
    path = tmp_path / "beats.mid"
    write_midi(beat_grid_song(), path)
    window = MainWindow(Document(new_project()), settings, PlayerAdapter(LivePlayer(device=NO_DEVICE)))
    started = []

    def midi_start():
        started.append(True)
        window.midi.status.emit("No MIDI: no server running")

    monkeypatch.setattr(window.midi, "start", midi_start)
    try:
        assert window.files.open_path(path, ask=False)
        window.show()
        qtbot.waitUntil(lambda: bool(started))
        assert "beats.mid is in 1/4 throughout" in window.statusBar().currentMessage()
    finally:
        window.close_unasked()
        window.deleteLater()


def test_continue_counts_the_bars_the_song_is_shown_in(qtbot, make_window):
    """Before the re-bar two bars are two beats; after it, two 4/4 bars."""
    window = make_window(beat_grid_song())
    panel = window.generate.panel

    def continued():
        panel.set_mode(CONTINUE)
        panel.engine.setCurrentIndex(panel.engine.findData(PARTS))
        panel.set_style("pop")
        panel.bars.setValue(2)
        panel.variations.setValue(1)
        with qtbot.waitSignal(window.generate.generation_finished, timeout=180_000) as blocker:
            qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
        assert blocker.args == ["result"], window.generate.error
        (take,) = window.generate.takes
        return take.start, take.end

    assert continued() == (SONG_END, SONG_END + 2 * TPB)
    window.actions.rebar.trigger()
    assert continued() == (SONG_END, SONG_END + 8 * TPB)
