"""Generate through the real window with the committed models: Continue, Restyle, Regenerate, cancel, errors.

Each test presses the real Generate button (or Ctrl+G / Enter / the digit keys) and waits for the worker
thread's answer; assertions are on the project, the undo stack and what the panels show.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from musestudio.audio.scheduler import events_for
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.ml.engines import CONTINUE, REGENERATE, RESTYLE, missing_model, trained_styles
from musestudio.ml.generate import service
from tests.ui.ui_helpers import keep_note

TPB = 480
BAR = 4 * TPB
TIMEOUT_MS = 180_000  # the shared CPU is busy with training; a generation normally takes about a second


def needs(mode: str, engine: str):
    return pytest.mark.skipif(
        missing_model(mode, engine) is not None, reason=f"no committed {mode}/{engine} model"
    )


def melody_project(bars: int = 4) -> Project:
    """A C major tune, a note per beat, over a held bass in a second track."""
    steps = [60, 62, 64, 65, 67, 65, 64, 62, 64, 67, 72, 71, 69, 67, 65, 64]
    melody = Track(name="Melody", notes=tuple(Note(steps[i % 16], i * TPB, TPB, 90) for i in range(4 * bars)))
    bass = Track(
        name="Bass",
        program=33,
        channel=1,
        colour="#e0864a",
        notes=tuple(Note(36, b * BAR, BAR, 90) for b in range(bars)),
    )
    return Project(tracks=(melody, bass))


def press_generate(qtbot, window, expect: str = "result") -> None:
    gen = window.generate
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
    assert blocker.args == [expect], gen.error


def choose(window, mode: str, engine: str | None = None, where: str | None = None, **spins) -> None:
    panel = window.generate.panel
    panel.set_mode(mode)
    if engine is not None:
        panel.engine.setCurrentIndex(panel.engine.findData(engine))
    if where is not None:
        panel.where.setCurrentIndex(panel.where.findData(where))
    panel.seed.setValue(7)
    for name, value in spins.items():
        getattr(panel, name).setValue(value)


@needs(CONTINUE, "transformer")
def test_continue_of_a_loop_with_one_stream_goes_on_after_its_silent_bars(qtbot, make_window):
    """A 4-bar tune opened from a file that ends two bars of rests later: the take starts at bar 7."""
    window = make_window(melody_project().with_(end_of_track=6 * BAR))
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert take.start == 6 * BAR and all(n.start >= 6 * BAR for n in take.notes)


@needs(CONTINUE, "transformer")
def test_continue_shows_ranked_takes_over_the_roll_then_keep_is_one_undo_step(qtbot, make_window):
    window = make_window(melody_project())
    before = window.document.project
    choose(window, CONTINUE, "transformer", "seed", bars=2, variations=3)
    press_generate(qtbot, window)
    gen = window.generate
    assert len(gen.takes) == 3 and window.document.project is before  # nothing changes until a keep
    scores = [t.score for t in gen.takes]
    assert scores == sorted(scores, reverse=True)
    assert window.generate.takes_panel.list.topLevelItemCount() == 3
    for take in gen.takes:
        assert gen.overlay.note_count(take.number) == len(take.notes)
        assert take.start == 4 * BAR and all(4 * BAR <= n.start < 6 * BAR for n in take.notes)
        assert take.engine == "transformer" and take.style == gen.panel.choices()["style"]
    best = gen.takes[0]
    gen.takes_panel.list.setFocus()
    qtbot.keyClick(gen.takes_panel.list, Qt.Key.Key_Return)  # Enter in the Takes list keeps the current take
    melody = window.document.project.tracks[0]
    assert len(melody.notes) == 16 + len(best.notes)
    assert sorted((n.pitch, n.start) for n in melody.notes if n.start >= 4 * BAR) == sorted(
        (n.pitch, n.start) for n in best.notes
    )
    assert window.document.project.tracks[1] == before.tracks[1]
    assert best not in gen.takes and len(gen.takes) == 2 and gen.overlay.note_count(best.number) == 0
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == f"Keep take {best.number}"
    window.undo_stack.undo()
    assert window.document.project == before and gen.takes[0] is best


@needs(CONTINUE, "transformer")
def test_a_finished_generate_gives_the_memory_it_freed_back_to_the_system(qtbot, make_window, monkeypatch):
    """Once the takes are listed (the ones they replaced let go), not while the Generate runs."""
    from musestudio.ui.generate import controller

    listed: list[int] = []  # takes listed at each give-back
    window = make_window(melody_project())
    monkeypatch.setattr(
        controller, "give_back_freed_memory", lambda: listed.append(len(window.generate.takes))
    )
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    press_generate(qtbot, window)
    qtbot.waitUntil(lambda: listed == [2], timeout=5_000)


@needs(CONTINUE, "transformer")
def test_a_new_generate_says_it_replaced_the_takes_not_kept(qtbot, make_window):
    """The Takes panel says so while takes are listed, and the next Generate's message counts them."""
    window = make_window(melody_project())
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    press_generate(qtbot, window)
    gen = window.generate
    assert "Generate again replaces these takes" in gen.takes_panel.hint.text()
    assert "replace" not in gen.panel.message.text()  # nothing was listed before
    assert gen.keep()  # one kept, one left
    press_generate(qtbot, window)
    said = "They replace the 1 take(s) of the last Generate that were not kept."
    assert said in gen.panel.message.text() and said in window.statusBar().currentMessage()
    gen.discard_all()
    press_generate(qtbot, window)
    assert "replace" not in gen.panel.message.text()


@needs(CONTINUE, "transformer")
def test_keep_as_new_track_and_compose_from_scratch_on_an_empty_track(qtbot, make_window):
    window = make_window(Project(tracks=(Track(name="Empty"),)))
    choose(window, CONTINUE, "transformer", "seed", bars=2, variations=2)
    press_generate(qtbot, window)
    take = window.generate.takes[0]
    assert take.start == 0 and take.notes  # an empty track is composed from scratch in the chosen style
    qtbot.mouseClick(window.generate.takes_panel.keep_new_track, Qt.MouseButton.LeftButton)
    project = window.document.project
    assert len(project.tracks) == 2 and not project.tracks[0].notes
    assert [(n.pitch, n.start) for n in project.tracks[1].notes] == [(n.pitch, n.start) for n in take.notes]
    assert window.state.active_track_id == project.tracks[1].id
    window.undo_stack.undo()
    assert len(window.document.project.tracks) == 1


@needs(CONTINUE, "transformer")
def test_continue_after_the_playhead_starts_at_its_bar(qtbot, make_window):
    window = make_window(melody_project())
    window.state.set_playhead(2 * BAR + 100)
    choose(window, CONTINUE, "transformer", "playhead", bars=1, variations=1)
    press_generate(qtbot, window)
    assert (
        window.generate.takes[0].request.notes == window.document.project.tracks[0].notes[:9]
    )  # before the playhead
    assert window.generate.takes[0].start == 3 * BAR


def continue_from_inside_bar_2(qtbot, window, engine: str) -> tuple:
    """Continue after a playhead in the middle of bar 2 of 4, one bar, one take: (the melody as it was,
    the take, what the Takes panel says Keep does)."""
    if missing_model(CONTINUE, engine):
        pytest.skip(f"no committed {engine} model")
    melody = window.document.project.tracks[0]
    window.state.set_active_track(melody.id)
    window.state.set_playhead(BAR + 2 * TPB)
    choose(window, CONTINUE, engine, "playhead", bars=1, variations=1, seed=7)
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert (take.start, take.end) == (2 * BAR, 3 * BAR)
    return melody, take, keep_note(window)


@pytest.mark.parametrize("engine", ["parts", "transformer"])
def test_continuing_after_a_playhead_inside_the_piece_puts_the_take_in_place_of_the_bars_after_it(
    qtbot, make_window, engine
):
    """Before: Keep laid the take over the notes already in bar 3, two lines at once in one track (with
    Parts every track doubled), and nothing said so. The panel says those bars hold notes and what Keep
    and Keep as New Track do with them; Keep puts the take in their place, as one undo step."""
    window = make_window(melody_project())
    before = window.document.project
    melody, take, said = continue_from_inside_bar_2(qtbot, window, engine)
    written = {i for i, _ in take.parts} if take.parts else {melody.id}
    in_bar_3 = {t.id: [n for n in t.notes if 2 * BAR <= n.start < 3 * BAR] for t in before.tracks}
    n = sum(len(in_bar_3[i]) for i in written)
    assert f"Already in bar 3 of “Melody”{', “Bass”' if engine == 'parts' else ''}: {n} note(s)." in said
    assert "Keep puts the take in their place" in said
    assert window.generate.keep()
    assert f"the {n} note(s) already in bar 3 gave way to it" in window.statusBar().currentMessage()
    after = window.document.project
    new = {
        t.id: [m for m in t.notes if m.id not in {o.id for o in before.track_by_id(t.id).notes}]
        for t in after.tracks
    }
    for track in after.tracks:
        old = [m for m in track.notes if m.id in {o.id for o in before.track_by_id(track.id).notes}]
        bar_3 = [m for m in track.notes if 2 * BAR <= m.start < 3 * BAR]
        if track.id in written:  # the take alone sounds in bar 3; the bars around it are as they were
            assert sorted(bar_3, key=Note.sort_key) == sorted(new[track.id], key=Note.sort_key)
            assert old == [m for m in before.track_by_id(track.id).notes if m not in in_bar_3[track.id]]
        else:
            assert track == before.track_by_id(track.id)
    window.undo_stack.undo()
    assert window.document.project == before


@needs(CONTINUE, "transformer")
def test_keep_as_new_track_leaves_the_bars_after_the_playhead_and_says_the_take_plays_over_them(
    qtbot, make_window
):
    window = make_window(melody_project())
    before = window.document.project
    melody, take, _said = continue_from_inside_bar_2(qtbot, window, "transformer")
    assert window.generate.keep(new_track=True)
    after = window.document.project
    assert after.tracks[: len(before.tracks)] == before.tracks
    assert after.tracks[-1].notes and len(after.tracks) == len(before.tracks) + 1
    assert "it plays over the 4 note(s) already in bar 3" in window.statusBar().currentMessage()


@needs(CONTINUE, "transformer")
def test_digit_keys_audition_and_switch_takes_without_restarting_playback(qtbot, make_window, monkeypatch):
    window = make_window(melody_project())
    live = window.player.player
    assert live.load_synth()  # a real synth and scheduler, no sound device: pull() renders offline
    live.available = True
    swapped = []
    set_events = live.scheduler.set_events
    monkeypatch.setattr(
        live.scheduler, "set_events", lambda events: (swapped.append(list(events)), set_events(swapped[-1]))
    )
    choose(window, CONTINUE, "transformer", "seed", bars=2, variations=3)
    press_generate(qtbot, window)
    gen = window.generate
    qtbot.keyClick(window, Qt.Key.Key_2)  # take number 2, wherever the ranking put its row
    assert gen.auditioning and gen.current_take().number == 2
    assert gen.overlay.current == gen.takes_panel.current_row() == gen.row_of(2)
    scheduler = live.scheduler
    scheduler.pull(4096)
    position = scheduler.position
    qtbot.keyClick(window, Qt.Key.Key_3)
    three, two = gen.takes[gen.row_of(3)], gen.takes[gen.row_of(2)]
    assert gen.current_take() is three and scheduler.position == position  # swapped, not restarted
    assert swapped[-1] == events_for(gen.preview_project(three), live.sample_rate)
    assert swapped[-1] != events_for(gen.preview_project(two), live.sample_rate)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # the transport's play/stop ends the audition
    assert not gen.auditioning


@pytest.mark.skipif(all(missing_model(RESTYLE, e) for e in ("gan", "seq2seq")), reason="no Restyle model")
def test_restyle_a_selection_replaces_only_the_selected_notes(qtbot, make_window):
    window = make_window(melody_project())
    melody = window.document.project.tracks[0]
    selected = [n for n in melody.notes if BAR <= n.start < 3 * BAR]
    window.state.set_selection(n.id for n in selected)
    engine = "gan" if not missing_model(RESTYLE, "gan") else "seq2seq"
    window.generate.panel.set_mode(RESTYLE)
    window.generate.panel.set_restyle_as(RESTYLE)  # Rewrite (Arrange, the default: test_arrange_ui.py)
    choose(window, RESTYLE, engine, "selection", variations=2)
    window.generate.panel.set_style("celtic")
    before = window.document.project
    press_generate(qtbot, window)
    take = window.generate.takes[0]
    assert take.start == BAR and take.end == 3 * BAR
    assert all(BAR <= n.start < 3 * BAR for n in take.notes)
    qtbot.mouseClick(window.generate.takes_panel.keep, Qt.MouseButton.LeftButton)
    after = window.document.project.tracks[0]
    kept_ids = {n.id for n in after.notes}
    assert not kept_ids & {n.id for n in selected}
    outside = [n for n in melody.notes if n not in selected]
    assert all(n.id in kept_ids for n in outside)
    assert len(after.notes) == len(outside) + len(take.notes)
    window.undo_stack.undo()
    assert window.document.project == before


@pytest.mark.parametrize("engine", ["gan", "seq2seq"])
def test_rewriting_the_second_half_of_a_bar_writes_nothing_over_its_first_half(qtbot, make_window, engine):
    """Keep replaces the selected notes alone: a take must hold notes only where the selection sounds,
    not over the bar's unselected beats (the tune would sound twice there) nor after its end."""
    if missing_model(RESTYLE, engine):
        pytest.skip(f"no committed {engine} model")
    window = make_window(melody_project())
    melody = window.document.project.tracks[0]
    window.state.set_active_track(melody.id)
    selected = [n for n in melody.notes if 2 * TPB <= n.start < BAR]  # beats 3-4 of bar 1
    window.state.set_selection(n.id for n in selected)
    window.generate.panel.set_mode(RESTYLE)
    window.generate.panel.set_restyle_as(RESTYLE)  # Rewrite
    choose(window, RESTYLE, engine, "selection", variations=1, seed=7)
    window.generate.panel.set_style("jazz")
    before = window.document.project
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert take.notes and all(2 * TPB <= n.start and n.end <= BAR for n in take.notes)
    assert window.generate.keep()
    after = window.document.project.tracks[0]
    new = [n for n in after.notes if n.id not in {m.id for m in melody.notes}]
    assert sorted(new, key=Note.sort_key) == sorted(take.notes, key=Note.sort_key)
    outside = [n for n in melody.notes if n not in selected]
    assert [n for n in after.notes if n.start < 2 * TPB or n.start >= BAR] == outside
    window.undo_stack.undo()
    assert window.document.project == before


@pytest.mark.parametrize("engine", ["gan", "seq2seq"])
def test_rewriting_beats_one_and_four_of_a_bar_writes_nothing_over_the_unselected_beats_between(
    qtbot, make_window, engine
):
    """Notes on beats 1 and 4 selected, those on beats 2-3 left out: the take holds notes only where the
    selection is (beat 1, and beat 4 from a 32nd before it), never over the beats left out, which Keep
    leaves sounding alone as they were. (Before: the take filled the whole bar, and Keep sounded two
    lines at once over beats 2-3.)"""
    if missing_model(RESTYLE, engine):
        pytest.skip(f"no committed {engine} model")
    window = make_window(melody_project())
    melody = window.document.project.tracks[0]
    window.state.set_active_track(melody.id)
    selected = [n for n in melody.notes if n.start in (BAR, BAR + 3 * TPB)]  # beats 1 and 4 of bar 2
    window.state.set_selection(n.id for n in selected)
    window.generate.panel.set_mode(RESTYLE)
    window.generate.panel.set_restyle_as(RESTYLE)  # Rewrite
    choose(window, RESTYLE, engine, "selection", variations=2, seed=7)
    window.generate.panel.set_style("jazz")
    before = window.document.project
    press_generate(qtbot, window)
    spans = ((BAR, BAR + TPB), (BAR + 3 * TPB - TPB // 8, 2 * BAR))
    for take in window.generate.takes:
        assert take.notes and all(any(a <= n.start and n.end <= b for a, b in spans) for n in take.notes)
    take = window.generate.current_take()
    assert window.generate.keep()
    after = window.document.project.tracks[0]
    left_out = [n for n in melody.notes if BAR + TPB <= n.start < BAR + 3 * TPB]
    assert all(n in after.notes for n in left_out)
    new = [n for n in after.notes if n.id not in {m.id for m in melody.notes}]
    assert sorted(new, key=Note.sort_key) == sorted(take.notes, key=Note.sort_key)
    assert not [n for n in new if n.start < BAR + 3 * TPB - TPB // 8 and n.end > BAR + TPB]
    window.undo_stack.undo()
    assert window.document.project == before


@needs(REGENERATE, "transformer")
def test_regenerate_a_bar_range_leaves_the_outside_untouched(qtbot, make_window):
    window = make_window(melody_project())
    melody = window.document.project.tracks[0]
    window.state.set_selection(n.id for n in melody.notes if BAR + TPB <= n.start < 2 * BAR)  # part of bar 2
    choose(window, REGENERATE, "transformer", variations=2)
    press_generate(qtbot, window)
    take = window.generate.takes[0]
    assert (take.start, take.end) == (BAR, 2 * BAR)  # moved out to the bar lines
    assert all(BAR <= n.start < 2 * BAR for n in take.notes)
    qtbot.mouseClick(window.generate.takes_panel.keep, Qt.MouseButton.LeftButton)
    after = window.document.project.tracks[0]
    outside = [n for n in melody.notes if not BAR <= n.start < 2 * BAR]
    after_outside = [n for n in after.notes if not BAR <= n.start < 2 * BAR]
    assert [(n.id, n) for n in after_outside] == [(n.id, n) for n in outside]
    assert sorted((n.pitch, n.start) for n in after.notes if BAR <= n.start < 2 * BAR) == sorted(
        (n.pitch, n.start) for n in take.notes
    )


@needs(CONTINUE, "transformer")
def test_cancel_mid_run_leaves_the_project_and_takes_alone(qtbot, make_window):
    window = make_window(melody_project())
    gen = window.generate
    choose(window, CONTINUE, "transformer", "seed", bars=32, variations=8)
    before = window.document.project
    progressed = []
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
        assert gen.busy and gen.panel.button.text() == "Cancel"
        qtbot.waitUntil(lambda: gen.panel.progress.value() > 0, timeout=TIMEOUT_MS)
        progressed.append(gen.panel.progress.value())
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)  # the same button now cancels
    assert blocker.args == ["cancelled"]
    qtbot.waitUntil(lambda: not gen.busy, timeout=30_000)
    assert 0 < progressed[0] < service.TOTAL  # cancelled part-way, and the bar showed real progress
    assert gen.panel.progress.value() == 0
    assert gen.panel.button.text() == "Generate" and not gen.takes
    assert window.document.project is before and window.undo_stack.count() == 0


def test_nothing_selected_is_a_message_not_a_job(qtbot, make_window):
    window = make_window(melody_project())
    choose(window, REGENERATE)
    with qtbot.waitSignal(window.generate.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(window.generate.panel.button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["error"] and not window.generate.busy
    assert "Nothing selected" in window.generate.panel.message.text()
    choose(window, RESTYLE, where="selection")
    qtbot.mouseClick(window.generate.panel.button, Qt.MouseButton.LeftButton)
    assert "Nothing selected" in window.generate.panel.message.text()


@pytest.fixture
def empty_models(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    monkeypatch.setenv("MUSESTUDIO_HOME", str(home))
    # nothing to unload: the model cache is keyed by file, and this folder's files are not the real ones
    return home / "models"


def test_missing_model_file_is_a_clear_message_and_nothing_crashes(qtbot, make_window, empty_models):
    window = make_window(melody_project())
    panel = window.generate.panel
    choose(window, CONTINUE)
    assert "model missing" in panel.engine.currentText()
    before = window.document.project
    with qtbot.waitSignal(window.generate.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["error"]
    assert "parts.safetensors is missing" in panel.message.text()  # the default engine's file
    assert window.document.project is before and not window.generate.takes


@needs(CONTINUE, "transformer")
def test_a_bar_the_models_cannot_read_is_a_message_and_the_piece_stays(qtbot, make_window):
    """A cadenza written as one 32/4 bar: the worker once failed with an internal error."""
    from dataclasses import replace

    from musestudio.core.project import TimeSignature

    window = make_window(replace(melody_project(8), time_signatures=(TimeSignature(0, 32, 4),)))
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    before = window.document.project
    press_generate(qtbot, window, expect="error")
    assert "cannot read 32/4 bars" in window.generate.panel.message.text()
    assert window.document.project is before and not window.generate.takes


@needs(CONTINUE, "transformer")
def test_damaged_model_file_is_reported_by_the_worker(qtbot, make_window, empty_models):
    source = Path(__file__).resolve().parents[2] / "models" / "continue_transformer.json"
    shutil.copy(source, empty_models / "continue_transformer.json")
    (empty_models / "continue_transformer.safetensors").write_bytes(b"not a safetensors file")
    window = make_window(melody_project())
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    before = window.document.project
    press_generate(qtbot, window, expect="error")
    assert "damaged" in window.generate.panel.message.text()
    assert window.document.project is before


@needs(CONTINUE, "transformer")
def test_keeps_and_discards_teach_the_taste_that_ranks_the_next_takes(qtbot, make_window, monkeypatch):
    window = make_window(melody_project())
    gen, panel = window.generate, window.generate.takes_panel
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=4)
    press_generate(qtbot, window)
    # no taste yet: the critic ranks alone (a nearly empty take below every full one, whatever it says)
    assert all(t.taste is None for t in gen.takes)
    assert {t.why for t in gen.takes} <= {"critic", "nearly empty"} and gen.takes[0].why == "critic"
    assert panel.list.topLevelItem(0).text(5) == "–"
    panel.set_current_row(3)
    qtbot.mouseClick(panel.discard, Qt.MouseButton.LeftButton)
    assert len(gen.takes) == 3
    qtbot.mouseClick(panel.keep, Qt.MouseButton.LeftButton)
    assert [d["kept"] for d in gen.taste.decisions] == [False, True]
    assert gen.taste.path.is_file()  # under the (test's private) user data folder

    window.generate.panel.seed.setValue(8)
    press_generate(qtbot, window)
    assert all(t.taste is not None for t in gen.takes)
    assert {t.why for t in gen.takes} <= {
        "critic and taste agree",
        "taste ranks it higher",
        "taste ranks it lower",
        "nearly empty",  # ranked last whatever the taste says
    }
    assert panel.list.topLevelItem(0).text(5).endswith("%")
    scores = [t.score for t in gen.takes]
    assert scores == sorted(scores, reverse=True)

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)  # asked first
    gen.forget_action.trigger()
    assert not gen.taste.path.exists() and gen.taste.decisions == []


@pytest.mark.skipif(
    not (Path(__file__).resolve().parents[2] / "models" / "style_classifier.safetensors").is_file(),
    reason="no committed style classifier",
)
def test_suggest_picks_a_style_for_the_seed(qtbot, make_window):
    window = make_window(melody_project())
    panel = window.generate.panel
    panel.set_style("jazz")
    suggested = []
    window.statusBar().messageChanged.connect(suggested.append)
    qtbot.mouseClick(panel.suggest, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(m.startswith("Suggested style") for m in suggested), timeout=TIMEOUT_MS)
    from musestudio.ml.generate import critic

    probs = critic.style_probabilities(  # the whole seed, every pitched track (nothing is selected)
        [n for t in window.document.project.tracks for n in t.notes],
        tpb=TPB,
        time_signatures=window.document.project.time_signatures,
    )
    playable = trained_styles(CONTINUE, panel.choices()["engine"]) or tuple(probs)  # what the engine can play
    best = max(playable, key=lambda s: probs.get(s, 0.0))
    assert panel.choices()["style"] == best  # no taste yet: what the seed sounds like, among those


def test_every_style_label_and_description_is_translatable(qapp):
    from PySide6.QtCore import QTranslator

    from musestudio import paths
    from musestudio.ml.styles import STYLES
    from musestudio.ui.generate.style_words import WORDS, style_description, style_label

    assert set(WORDS) == {w for s in STYLES.values() for w in (s.label, s.description)}
    assert style_label("celtic") == "Celtic fiddle"
    translator = QTranslator()
    assert translator.load("musestudio_zh_CN", str(paths.resource("i18n")))
    qapp.installTranslator(translator)
    try:
        assert style_label("celtic") == "凯尔特小提琴" and "五声音阶" in style_description("chinese")
    finally:
        qapp.removeTranslator(translator)


@needs(CONTINUE, "transformer")
def test_continue_of_a_piece_ending_a_tick_after_its_last_note_starts_at_the_next_bar(qtbot, make_window):
    """Many files end a tick after their last note (the bundled seeds do): no empty bar before the take."""
    window = make_window(melody_project().with_(end_of_track=4 * BAR + 1))
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert take.start == 4 * BAR and all(n.start >= 4 * BAR for n in take.notes)


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_forget_my_taste_asks_first_and_a_cancel_keeps_every_decision(
    language, make_window, tmp_path, monkeypatch
):
    """Forget My Taste deleted taste.json at one click, with no Undo: a slip of the mouse in the Generate
    menu threw away every keep and discard the taste had learnt from. It asks first, and Cancel keeps them;
    with nothing learnt yet it is not offered."""
    from musestudio.ml.generate.taste import Taste

    window = make_window(melody_project())
    gen = window.generate
    gen._taste = Taste(tmp_path / "taste.json")
    gen.window.generate_menu.aboutToShow.emit()
    assert not gen.forget_action.isEnabled()  # nothing learnt: nothing to forget
    for kept in (True, False, True):
        gen.taste.decisions.append({"kept": kept, "stats": [0.0], "embedding": []})
    gen.taste.save()
    gen.window.generate_menu.aboutToShow.emit()
    assert gen.forget_action.isEnabled()
    asked = []

    def answer(button):
        def question(_parent, _title, text, *_args):
            asked.append(text)
            return button

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    gen.forget_action.trigger()
    assert len(gen.taste.decisions) == 3 and gen.taste.path.is_file()
    assert "3 takes you kept or discarded" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    gen.forget_action.trigger()
    assert gen.taste.decisions == [] and not gen.taste.path.exists()
