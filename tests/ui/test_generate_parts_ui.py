"""The parts engine through the real window: Continue writes in every track, Add a part adds a track, Cancel.

A tiny randomly initialised parts model is written to a temporary models folder (MUSESTUDIO_HOME), so the
tests need no trained weights: what they check holds whatever the weights (each part lands in its own
track, keeping is one undo step, a new part is a new track with the chosen instrument, cancel changes
nothing).
"""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import Qt

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.ml import checkpoint, engines
from musestudio.ml.engines import ADD_PART, CONTINUE, PARTS, REGENERATE
from musestudio.ml.generate.request import NEW_TRACK
from musestudio.ml.parts_grammar import PartsGrammar
from musestudio.ml.train.parts import build_model
from tests.ui.ui_helpers import drag_take_row, keep_note

TPB = 480
BAR = 4 * TPB
TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def tiny_home(tmp_path_factory):
    torch.manual_seed(0)
    g = PartsGrammar()
    model, cfg = build_model("tiny", g, 1024)
    home = tmp_path_factory.mktemp("home")
    checkpoint.save(home / "models" / "parts", model, cfg, g.to_json(), {}, fp16=True)
    return home


@pytest.fixture(autouse=True)
def parts_only(tiny_home, monkeypatch):
    """Only the tiny parts model is installed (the critic's judges are optional)."""
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tiny_home))
    yield
    engines.unload()


def seed_project(bars: int = 2) -> Project:
    melody = Track(
        name="Melody",
        notes=tuple(Note([72, 74, 76, 77, 79, 77, 76, 74][i % 8], i * TPB, TPB, 90) for i in range(4 * bars)),
    )
    chords = Track(
        name="Chords",
        program=0,
        channel=1,
        colour="#e0864a",
        notes=tuple(Note(p, b * BAR, BAR, 70) for b in range(bars) for p in (60, 64, 67)),
    )
    return Project(tracks=(melody, chords))


def choose(window, mode: str, **spins) -> None:
    panel = window.generate.panel
    panel.set_mode(mode)
    panel.engine.setCurrentIndex(panel.engine.findData(PARTS))
    panel.style.setCurrentIndex(panel.style.findData("pop"))
    panel.seed.setValue(7)
    for name, value in spins.items():
        getattr(panel, name).setValue(value)


def press_generate(qtbot, window, expect: str = "result") -> None:
    gen = window.generate
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
    assert blocker.args == [expect], gen.error


def test_continue_on_a_two_track_seed_writes_to_both_tracks_as_one_undo_step(qtbot, make_window):
    window = make_window(seed_project())
    before = window.document.project
    melody, chords = before.tracks
    choose(window, CONTINUE, bars=2, variations=2)
    assert window.generate.panel.choices()["tracks"] == "all"  # a multi-track seed continues every track
    press_generate(qtbot, window)
    gen = window.generate
    assert len(gen.takes) == 2 and window.document.project is before
    for take in gen.takes:
        assert [tid for tid, _ in take.parts] == [melody.id, chords.id]
        assert take.start == 2 * BAR and take.end == 4 * BAR
        assert all(2 * BAR <= n.start < 4 * BAR for _, notes in take.parts for n in notes)
        assert gen.overlay.note_count(take.number) == len(take.notes)
    take = gen.current_take()
    written = dict(take.parts)
    assert written[melody.id] and written[chords.id], "a random model still writes a note a bar per part"
    # each part is drawn in its own track's colour
    colours = {gen.overlay.colours[gen.takes_panel.current_row()][i].name() for i in range(len(take.notes))}
    assert colours == {melody.colour.lower(), chords.colour.lower()}
    assert gen.keep()
    after = window.document.project
    assert len(after.tracks) == 2
    for old, new in zip(before.tracks, after.tracks, strict=True):
        assert len(new.notes) == len(old.notes) + len(written[old.id])
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.document.project.tracks == before.tracks


def test_continue_of_a_loop_goes_on_after_its_silent_bars(qtbot, make_window):
    """A 4-bar loop from a MIDI file, its notes in bars 1-2 and rests to its end: the take starts at bar 5,
    after the loop, not in its rests (Go to End and playback go there too)."""
    window = make_window(seed_project().with_(end_of_track=4 * BAR))
    choose(window, CONTINUE, bars=1, variations=1)
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert take.start == 4 * BAR and all(n.start >= 4 * BAR for n in take.notes)


def test_continue_the_active_track_only_keeps_the_other_as_context(qtbot, make_window):
    window = make_window(seed_project())
    melody, chords = window.document.project.tracks
    window.state.set_active_track(chords.id)
    choose(window, CONTINUE, bars=1, variations=1)
    panel = window.generate.panel
    panel.tracks.setCurrentIndex(panel.tracks.findData("active"))
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert [tid for tid, _ in take.parts] == [chords.id]


def test_add_a_part_is_a_new_track_with_its_instrument_then_keep_and_undo(qtbot, make_window):
    window = make_window(seed_project())
    before = window.document.project
    choose(window, ADD_PART, variations=2)
    panel = window.generate.panel
    panel.role.setCurrentIndex(panel.role.findData("bass"))
    assert panel.instrument.currentData() == 32  # the role's usual instrument, until the user picks one
    panel.instrument.setCurrentIndex(panel.instrument.findData(33))
    press_generate(qtbot, window)
    gen = window.generate
    take = gen.current_take()
    assert [tid for tid, _ in take.parts] == [NEW_TRACK]
    assert take.start == 0 and take.end == 2 * BAR
    # audition plays the whole piece with the new part in it
    preview = gen.preview_project(take)
    assert len(preview.tracks) == 3 and preview.tracks[:2] == before.tracks
    assert gen.keep()
    after = window.document.project
    assert len(after.tracks) == 3 and after.tracks[:2] == before.tracks
    new = after.tracks[2]
    assert new.program == 33 and len(new.notes) == len(take.notes) > 0
    assert window.state.active_track().id == new.id
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.document.project.tracks == before.tracks


def test_two_takes_of_a_new_part_kept_side_by_side_have_names_that_tell_them_apart(qtbot, make_window):
    """Keep one take of Add a part, then another as a new track: both tracks were "Bass (Pop)", and the
    track list gave no way to tell which take was which."""
    window = make_window(seed_project())
    choose(window, ADD_PART, variations=2)
    panel = window.generate.panel
    panel.role.setCurrentIndex(panel.role.findData("bass"))
    press_generate(qtbot, window)
    gen = window.generate
    first = gen.current_take()
    assert gen.keep()
    second = gen.current_take()
    assert gen.keep(new_track=True)
    names = [t.name for t in window.document.project.tracks[2:]]
    assert names == ["Bass (Pop)", f"Take {second.number} (Pop): Bass"] and first.number != second.number
    window.undo_stack.undo()
    assert [t.name for t in window.document.project.tracks[2:]] == ["Bass (Pop)"]


def test_regenerate_with_parts_rewrites_only_the_selected_bars_of_the_active_track(qtbot, make_window):
    window = make_window(seed_project(3))
    before = window.document.project
    melody, chords = before.tracks
    window.state.set_active_track(melody.id)
    window.state.set_selection(n.id for n in melody.notes if BAR <= n.start < 2 * BAR)
    choose(window, REGENERATE, variations=1)
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert [tid for tid, _ in take.parts] == [melody.id]
    assert all(BAR <= n.start < 2 * BAR for n in take.notes)
    assert window.generate.keep()
    after = window.document.project
    assert after.tracks[1] == chords
    outside = [n for n in after.tracks[0].notes if not BAR <= n.start < 2 * BAR]
    assert outside == [n for n in melody.notes if not BAR <= n.start < 2 * BAR]


def test_cancel_leaves_the_project_and_takes_alone(qtbot, make_window):
    window = make_window(seed_project())
    gen = window.generate
    choose(window, CONTINUE, bars=32, variations=8)
    before = window.document.project
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
        assert gen.busy
        qtbot.waitUntil(lambda: gen.panel.progress.value() > 0, timeout=TIMEOUT_MS)
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)  # the same button now cancels
    assert blocker.args == ["cancelled"]
    qtbot.waitUntil(lambda: not gen.busy, timeout=30_000)
    assert not gen.takes and window.document.project is before and window.undo_stack.count() == 0


def test_the_start_up_warm_up_loads_the_engine_in_its_own_process_and_generate_runs_there(qtbot, make_window):
    window = make_window(seed_project())
    gen = window.generate
    choose(window, CONTINUE, bars=1, variations=1)
    gen.panel.device.setCurrentIndex(gen.panel.device.findData("cpu"))
    with qtbot.waitSignal(gen.warmed, timeout=TIMEOUT_MS):
        gen.warm_up()
    process = gen._process
    assert process is not None and process.alive and process.ready.is_set()
    assert not engines.is_loaded("parts", "cpu")  # the model was loaded over there, not in this process
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    press_generate(qtbot, window)
    assert gen.takes and "Loading model…" not in messages
    assert not engines.is_loaded("parts", "cpu")  # ... and the take was written there too
    before = window.document.project

    choose(window, CONTINUE, bars=32, variations=8)  # Cancel and progress cross the process boundary
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: gen.panel.progress.value() > 0, timeout=TIMEOUT_MS)
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["cancelled"]
    qtbot.waitUntil(lambda: not gen.busy, timeout=30_000)
    assert window.document.project is before and process.alive

    choose(window, CONTINUE, bars=1, variations=1)
    press_generate(qtbot, window)  # the process serves again after a Cancel
    gen.shutdown()
    assert not process.alive


def test_keep_as_new_track_puts_every_part_of_the_take_in_a_track_of_its_own(qtbot, make_window):
    window = make_window(seed_project())
    before = window.document.project
    choose(window, CONTINUE, bars=1, variations=1)
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert window.generate.keep(new_track=True)
    after = window.document.project
    assert after.tracks[:2] == before.tracks  # the seed's tracks are untouched
    added = after.tracks[2:]
    assert len(added) == len(take.parts) == 2
    for (track_id, notes), track in zip(take.parts, added, strict=True):
        source = before.track_by_id(track_id)
        assert track.program == source.program and source.name in track.name
        assert sorted((n.pitch, n.start, n.duration) for n in track.notes) == sorted(
            (n.pitch, n.start, n.duration) for n in notes
        )
    assert window.undo_stack.count() == 1


def test_density_and_voices_steer_only_the_written_parts_and_default_to_the_seeds_own(qtbot, make_window):
    window = make_window(seed_project())
    melody, chords = window.document.project.tracks
    window.state.set_active_track(chords.id)
    choose(window, CONTINUE, bars=1)
    panel = window.generate.panel
    assert panel.choices()["density"] is None and panel.choices()["voices"] is None  # "As the seed"
    panel.tracks.setCurrentIndex(panel.tracks.findData("active"))
    panel.density.setValue(2.0)
    panel.voices.setValue(1)
    request = window.generate.build_request()
    specs = {s.track_id: s for s in request.parts}
    assert (specs[chords.id].write, specs[chords.id].density, specs[chords.id].voices) == (True, 2.0, 1)
    assert (specs[melody.id].write, specs[melody.id].density, specs[melody.id].voices) == (False, None, None)
    assert specs[melody.id].notes == melody.notes  # the other track is context


def test_the_first_take_is_listed_before_the_others_and_keeping_it_early_keeps_it_once(
    qtbot, make_window, monkeypatch
):
    """The parts engine streams: take 1 is listed (to audition or keep) while the others are drawn; the
    final list holds all of them, less one the user already kept, which stays in the score (one step)."""
    monkeypatch.setenv("MUSESTUDIO_STREAM_AFTER_S", "0")  # the tiny model is quick: stream all the same
    window = make_window(seed_project())
    gen = window.generate
    before = window.document.project
    choose(window, CONTINUE, bars=1, variations=3)
    seen = []

    def on_takes() -> None:
        seen.append((gen.busy, [t.number for t in gen.takes]))
        if gen.busy and len(seen) == 1:  # the first take, the rest still being drawn: keep it now
            assert gen.keep()

    gen.takes_changed.connect(on_takes)
    press_generate(qtbot, window)
    assert seen[0] == (True, [1])
    assert seen[-1][0] is False and sorted(seen[-1][1]) == [2, 3]  # take 1 is in the score, not listed again
    assert "first_take" in gen.timing and gen.timing["first_take"] <= gen.timing["click_to_takes"]
    kept = window.document.project
    assert window.undo_stack.count() == 1 and kept is not before
    window.undo_stack.undo()  # undoing the early keep lists take 1 again beside the others
    assert window.document.project.tracks == before.tracks
    assert sorted(t.number for t in gen.takes) == [1, 2, 3]


def test_a_single_take_comes_whole_and_nothing_is_listed_early(qtbot, make_window):
    window = make_window(seed_project())
    gen = window.generate
    choose(window, CONTINUE, bars=1, variations=1)
    seen = []
    gen.takes_changed.connect(lambda: seen.append(gen.busy))
    press_generate(qtbot, window)
    assert seen == [False] and "first_take" not in gen.timing


def many_tracks(pitched: int) -> Project:
    """A piece of ``pitched`` one-line tracks and a drum track (which the parts engine does not read)."""
    tracks = [
        Track(name=f"Line {k + 1}", channel=k if k < 9 else k + 1, notes=(Note(60 + k, 0, BAR, 80),))
        for k in range(pitched)
    ]
    drums = Track(name="Drums", channel=9, is_drum=True, notes=(Note(36, 0, 120, 100),))
    return Project(tracks=(*tracks, drums))


@pytest.mark.parametrize(
    "mode, pitched, said",
    [
        (
            ADD_PART,
            8,
            "This piece already has 8 pitched tracks, the most the Parts engine reads with a new part",
        ),
        (
            CONTINUE,
            9,
            "This piece has 9 pitched tracks and the Parts engine reads at most 8: choose the Transformer",
        ),
    ],
)
def test_a_piece_with_more_tracks_than_the_parts_engine_reads_says_what_to_do(
    qtbot, make_window, mode, pitched, said
):
    """Before: "the parts model reads at most 8 pitched parts, got 9" (the new part counted in, unsaid)."""
    window = make_window(many_tracks(pitched))
    before = window.document.project
    choose(window, mode)
    press_generate(qtbot, window, expect="error")
    assert (
        said in window.generate.panel.message.text()
        and "Drum tracks and empty tracks do not count" in window.generate.error
    )
    assert window.document.project == before and not window.generate.takes


def test_the_window_the_cli_and_the_engine_ask_one_rule_how_many_tracks_the_parts_engine_reads(
    qtbot, make_window, monkeypatch, tmp_path, capsys
):
    """The rule is written once (``engines.too_many_parts``): were the parts engine to read three tracks,
    a piece of four would be refused by the window, the command line and the engine alike, each saying
    so in its own words."""
    from musestudio import cli
    from musestudio.core.errors import BadInputError
    from musestudio.io import formats
    from musestudio.ml.generate.parts import Options, PartIn, continue_parts

    monkeypatch.setattr(engines, "MAX_PARTS", 3)
    piece = many_tracks(4)
    window = make_window(piece)
    choose(window, CONTINUE)
    press_generate(qtbot, window, expect="error")
    assert "This piece has 4 pitched tracks and the Parts engine reads at most 3" in window.generate.error

    formats.save(piece, tmp_path / "many.mid")
    code = cli.main(["continue", str(tmp_path / "many.mid"), "-o", str(tmp_path / "takes"), "--bars", "1"])
    said = capsys.readouterr().err
    assert (
        code == 2
        and "many.mid has 4 pitched tracks (drums and empty tracks do not count) and the parts model reads at most 3"
        in said
    )

    parts = [PartIn(t.notes, "melody", t.program) for t in piece.tracks if not t.is_drum]
    with pytest.raises(BadInputError, match="the parts model reads at most 3 pitched parts, got 4"):
        continue_parts(parts, tpb=TPB, bars=1, options=Options(style="pop"))


def with_an_empty_track(pitched: int) -> Project:
    """``many_tracks(pitched)`` with an empty pitched track after its first line: one the musician made
    for a part not written yet (or whose notes they all deleted)."""
    piece = many_tracks(pitched)
    empty = Track(name="Strings", program=48, channel=12, colour="#4a90e0")
    return piece.with_(tracks=(piece.tracks[0], empty, *piece.tracks[1:]))


@pytest.mark.parametrize("mode, pitched", [(CONTINUE, 3), (REGENERATE, 3), (ADD_PART, 2)])
def test_an_empty_track_is_no_part_the_parts_engine_reads_and_stays_in_the_piece(
    qtbot, make_window, monkeypatch, mode, pitched
):
    """Before: a piece with as many tracks of notes as the Parts engine reads (here three, with Add a
    part's new one) and an empty track was refused as too many. The empty track carries nothing to hear:
    it is not read, each part of the take goes to its own track past it, and it stays as it was."""
    monkeypatch.setattr(engines, "MAX_PARTS", 3)
    window = make_window(with_an_empty_track(pitched))
    before = window.document.project
    empty, last = before.tracks[1], before.tracks[pitched]  # the last line, after the empty track
    window.state.set_active_track(last.id)
    if mode == REGENERATE:
        window.state.set_selection(n.id for n in last.notes)
    choose(window, mode, variations=1)
    panel, gen = window.generate.panel, window.generate
    if mode == CONTINUE:
        panel.bars.setValue(1)
        panel.tracks.setCurrentIndex(panel.tracks.findData("active"))
    assert empty.id not in {s.track_id for s in gen.build_request().parts}
    press_generate(qtbot, window)
    (take,) = gen.takes
    assert [tid for tid, _ in take.parts] == [NEW_TRACK if mode == ADD_PART else last.id]
    assert gen.keep()
    after = window.document.project
    assert after.tracks[1] == empty
    assert len(after.tracks) == len(before.tracks) + (mode == ADD_PART)
    assert all(t in after.tracks for t in before.tracks if t.id != last.id or mode == ADD_PART)


def test_continue_in_all_tracks_writes_an_empty_track_while_there_is_room_and_says_when_there_is_none(
    qtbot, make_window, monkeypatch
):
    """Continue in every track writes in an empty one too (a part from the first new bar) while the Parts
    engine has room for it. Before, when it had none, the Generate was refused ("continue the active track
    alone"); now the tracks with notes go on, the empty track stays as it is, and the panel and the status
    bar say which and why."""
    monkeypatch.setattr(engines, "MAX_PARTS", 4)
    window = make_window(with_an_empty_track(3))
    empty = window.document.project.tracks[1]
    choose(window, CONTINUE, bars=1, variations=1)
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert empty.id in dict(take.parts)
    assert "writes nothing" not in window.generate.panel.message.text()

    monkeypatch.setattr(engines, "MAX_PARTS", 3)
    before = window.document.project
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    lines = [t.id for t in before.tracks if t.notes and not t.is_drum]
    assert [tid for tid, _ in take.parts] == lines
    said = (
        "Continue writes nothing in “Strings”: the Parts engine reads at most 3 tracks, and the tracks with notes "
        "come first."
    )
    assert said in window.generate.panel.message.text() and said in window.statusBar().currentMessage()
    assert window.generate.keep()
    after = window.document.project
    assert after.tracks[1] == empty and all(len(after.track_by_id(i).notes) > 1 for i in lines)


def test_an_empty_track_beside_a_low_tune_is_written_as_its_instrument_says_and_the_tune_stays_the_melody(
    qtbot, make_window, monkeypatch
):
    """A cello tune (below middle C) and an empty "Track 2" on piano, continued in all tracks. Before, the
    empty track was guessed a line at middle C: the model was told to write the melody in the piano and
    to continue the cello's tune as the bass."""
    from musestudio.ml.generate import parts

    tune = tuple(Note([50, 52, 53, 55, 57, 55, 53, 52][i % 8], i * TPB, TPB, 90) for i in range(8))
    cello = Track(name="Track 1", program=42, notes=tune)
    piano = Track(name="Track 2", program=0, channel=1, colour="#e0864a")
    told = []
    continue_parts = parts.continue_parts

    def heard(ins, **kw):
        told.append([p.role for p in ins])
        return continue_parts(ins, **kw)

    monkeypatch.setattr(parts, "continue_parts", heard)
    window = make_window(Project(tracks=(cello, piano)))
    choose(window, CONTINUE, bars=1, variations=1)
    press_generate(qtbot, window)
    assert told == [["melody", "accompaniment"]]
    (take,) = window.generate.takes
    assert [tid for tid, _ in take.parts] == [cello.id, piano.id]


def test_keeping_a_second_take_of_one_regenerate_puts_it_in_place_of_the_first_and_undo_brings_it_back(
    qtbot, make_window
):
    """Two takes of bar 2 kept one after the other: the bar holds the second, not both stacked in one
    line, and the status bar says which take it replaced; Undo gives back the first, then the bar as the
    user wrote it. Notes the user adds to the bar meanwhile are theirs and stay."""
    window = make_window(seed_project(3))
    melody, chords = window.document.project.tracks
    window.state.set_active_track(melody.id)
    window.state.set_selection(n.id for n in melody.notes if BAR <= n.start < 2 * BAR)
    choose(window, REGENERATE, variations=2)
    press_generate(qtbot, window)
    gen = window.generate
    first, second = gen.takes
    assert gen.keep()
    with_first = window.document.project
    window.state.set_active_track(melody.id)
    added = window.editor.add_note(48, BAR + TPB, TPB)  # the user's own note in the bar, after the keep
    gen.takes_panel.set_current_row(0)
    assert gen.current_take() is second and gen.keep()
    assert f"in place of take {first.number}" in window.statusBar().currentMessage()

    def bar_two(project):
        return sorted(
            (n.pitch, n.start, n.duration) for n in project.tracks[0].notes if BAR <= n.start < 2 * BAR
        )

    wanted = sorted([(n.pitch, n.start, n.duration) for n in second.notes] + [(48, BAR + TPB, TPB)])
    assert bar_two(window.document.project) == wanted
    assert added.id in {n.id for n in window.document.project.tracks[0].notes}
    assert window.document.project.tracks[1] == chords
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.document.project == with_first
    window.undo_stack.undo()
    assert window.document.project.tracks == (melody, chords)


def test_add_a_part_hears_when_the_drums_play(qtbot, make_window):
    """Add a part in a piece with a drum track: the request carries the drums' notes (the model does not
    read them), so the new part plays where they play, not only where the pitched tracks do."""
    project = seed_project()
    drums = Track(
        name="Drums", channel=9, is_drum=True, notes=tuple(Note(36, k * TPB, 120, 100) for k in range(12))
    )
    window = make_window(Project(tracks=(*project.tracks, drums)))
    choose(window, ADD_PART, variations=1)
    request = window.generate.build_request()
    assert request.drums == drums.notes
    assert drums.id not in {s.track_id for s in request.parts}


def test_add_a_part_hears_the_chords_a_sustain_pedal_holds(qtbot, make_window):
    """Add a part under a piano whose keys are let go after a beat, the pedal holding the chord through
    the bar: the request says where the pedal holds the notes on, so the new part plays under the ringing
    chord (the bar counted as the band's rest, the new part rested there)."""
    from musestudio.core.events import SUSTAIN, ControlEvent

    project = seed_project()
    chords = tuple(Note(p, 4 * BAR, TPB, 70) for p in (48, 52, 55))
    pedal = (ControlEvent(4 * BAR, SUSTAIN, 127), ControlEvent(6 * BAR, SUSTAIN, 0))
    piano = Track(name="Piano", channel=2, notes=chords, controllers=pedal)
    window = make_window(Project(tracks=(*project.tracks, piano)))
    choose(window, ADD_PART, variations=1)
    assert window.generate.build_request().held == ((4 * BAR + TPB, 6 * BAR),)


def test_add_a_part_to_a_piece_of_drums_alone_writes_a_bass_to_the_beat(qtbot, make_window):
    """A piece whose only track is a drum beat: Add a part said the Parts engine needs notes in a pitched
    track, so a bass could not be written to the beat. It writes one, in C major when neither the panel nor
    the piece gives a key (drums have no key to hear: the panel says so under Key), and keeping it leaves
    the drums as they were."""
    from musestudio.core.keys import KeySignature

    kit = Track(
        name="Drums",
        channel=9,
        is_drum=True,
        notes=tuple(Note(36 if k % 2 == 0 else 38, k * TPB, 120, 100) for k in range(8)),
    )
    window = make_window(Project(tracks=(kit,)))
    choose(window, ADD_PART, variations=1)
    panel = window.generate.panel
    panel.role.setCurrentIndex(panel.role.findData("bass"))
    assert panel.detected_key.text() == "Detected: none (only drums); a part added is in C major"
    request = window.generate.build_request()
    assert request.options.key == KeySignature(0, "major") and request.drums == kit.notes
    press_generate(qtbot, window)
    (take,) = window.generate.takes
    assert [tid for tid, _ in take.parts] == [NEW_TRACK] and take.notes
    assert take.start == 0 and take.end == 2 * BAR
    assert window.generate.keep()
    drums, bass = window.document.project.tracks
    assert drums == kit and not bass.is_drum and bass.program == 32 and bass.notes
    assert window.document.project.key == KeySignature(0, "major")  # the key it is in: ``keep_sets_the_key``


def test_over_drums_alone_the_panel_names_the_key_picked(make_window):
    """Over drums alone, a key picked in the Key box is the one Add a part writes in: the line under the box
    said C major all the same."""
    from musestudio.core.keys import KeySignature

    kit = Track(name="Drums", channel=9, is_drum=True, notes=(Note(36, 0, 120, 100),))
    window = make_window(Project(tracks=(kit,)))
    choose(window, ADD_PART, variations=1)
    panel = window.generate.panel
    d_major = next(i for i in range(panel.key.count()) if panel.key.itemData(i) == KeySignature(2, "major"))
    panel.key.setCurrentIndex(d_major)
    assert panel.detected_key.text() == "Detected: none (only drums); a part added is in D major"
    assert window.generate.build_request().options.key == KeySignature(2, "major")


def a_beat(key=None) -> Project:
    kit = Track(
        name="Drums",
        channel=9,
        is_drum=True,
        notes=tuple(Note(36 if k % 2 == 0 else 38, k * TPB, 120, 100) for k in range(8)),
    )
    return Project(tracks=(kit,), key=key)


def bass_asked_for_in(window, key) -> None:
    """Add a part, a bass, in ``key`` picked in the panel's Key box (None: the box left on Detected)."""
    choose(window, ADD_PART, variations=1)
    panel = window.generate.panel
    panel.role.setCurrentIndex(panel.role.findData("bass"))
    if key is not None:
        panel.key.setCurrentIndex(next(i for i in range(panel.key.count()) if panel.key.itemData(i) == key))


def list_a_bass_take(window):
    """The take a Generate of the panel's request would list: a bass of E minor's notes in a new track.
    The engine's notes are beside the point here (``test_add_a_part_to_a_piece_of_drums_alone_...`` draws
    them), what keeping and dragging it out write is not: both run as the window runs them."""
    from musestudio.ml.generate.request import Take

    notes = tuple(Note(p, k * TPB, TPB, 90) for k, p in enumerate([40, 43, 47, 43, 40, 42, 43, 47]))
    request = window.generate.build_request()
    parts = ((NEW_TRACK, notes),)
    window.generate.set_takes(
        (Take(1, notes, 0, 2 * BAR, PARTS, "pop", 1, None, None, 0.5, parts=parts, request=request),)
    )
    return window.generate.takes[0]


@pytest.mark.parametrize("new_track", [False, True], ids=["keep", "keep-as-new-track"])
def test_keeping_a_part_added_over_drums_alone_sets_the_key_it_was_written_in_as_one_undo_step(
    make_window, new_track
):
    """A bass asked for in E minor over a beat with no key signature: kept, the piece held a bass in E minor
    and still no key, so the key box, the status bar and an export knew nothing of it.
    Keep (and Keep as New Track: the part is in the piece either way) sets the key signature to the key the
    part was written in, in the keep's own undo step, and says so."""
    from musestudio.core.keys import KeySignature

    e_minor = KeySignature.parse("E minor")
    window = make_window(a_beat())
    before = window.document.project
    bass_asked_for_in(window, e_minor)
    list_a_bass_take(window)
    told = "The piece has no key signature: keeping this take sets it to E minor, the key the part was "
    told += "written in."
    assert told in keep_note(window)  # said before the keep, not only after
    assert window.generate.keep(new_track)
    after = window.document.project
    assert after.key == e_minor and len(after.tracks) == 2 and window.undo_stack.count() == 1
    said = window.statusBar().currentMessage()
    assert "set the key signature to E minor, the key the part was written in" in said, said
    assert window.toolbar.key.currentText() == "E minor" and window.status.key.text() == "Key: E minor"
    window.undo_stack.undo()
    assert window.document.project == before and window.status.key.text() == "Key: none"
    assert told in keep_note(window)  # the take is listed again, and keeping it again sets the key again
    window.undo_stack.redo()
    assert window.document.project == after


def test_a_part_over_drums_alone_in_the_default_key_sets_that_key(make_window):
    """No key given anywhere: the part is in C major (``DRUMS_ONLY_KEY``), and keeping it says so."""
    from musestudio.core.keys import KeySignature

    window = make_window(a_beat())
    bass_asked_for_in(window, None)
    list_a_bass_take(window)
    assert window.generate.keep()
    assert window.document.project.key == KeySignature(0, "major")
    assert "set the key signature to C major" in window.statusBar().currentMessage()


def test_a_beat_with_a_key_signature_of_its_own_keeps_it_whatever_key_the_part_was_asked_in(make_window):
    """The piece says D major (the user set it, or the file did); a bass asked for in E minor is kept:
    the key signature is the user's, not the keep's to change, and the keep says nothing of a key."""
    from musestudio.core.keys import KeySignature

    d_major = KeySignature(2, "major")
    window = make_window(a_beat(d_major).add_key_change(BAR).set_key_at(BAR, KeySignature(7, "major")))
    keys = (window.document.project.key, window.document.project.key_changes)
    bass_asked_for_in(window, KeySignature.parse("E minor"))
    list_a_bass_take(window)
    assert "key signature" not in keep_note(window)
    assert window.generate.keep()
    assert (window.document.project.key, window.document.project.key_changes) == keys
    assert "key signature" not in window.statusBar().currentMessage()


def test_a_part_over_pitched_music_sets_no_key_signature(make_window):
    """Over a tune, the part's key is heard in the tune: a piece with no key signature keeps none."""
    window = make_window(seed_project())
    bass_asked_for_in(window, None)
    list_a_bass_take(window)
    assert window.generate.keep()
    assert window.document.project.key is None and "key signature" not in window.statusBar().currentMessage()


@pytest.mark.parametrize("piece_key", [None, "D major"], ids=["no-key", "another-key"])
def test_a_part_over_drums_alone_dragged_out_carries_the_key_it_was_written_in(make_window, drags, piece_key):
    """A bass asked for in E minor over a beat dragged out of the Takes panel: the file said the piece's
    key (none, or D major) and a DAW read the bass in a key it is not in. It says E minor, its only key."""
    from musestudio.core.keys import KeySignature
    from musestudio.io.midi import read_midi

    project = a_beat(piece_key and KeySignature.parse(piece_key))
    if piece_key:
        project = project.add_key_change(BAR).set_key_at(BAR, KeySignature(7, "major"))
    window = make_window(project)
    bass_asked_for_in(window, KeySignature.parse("E minor"))
    take = list_a_bass_take(window)
    drag_take_row(window, 0)
    (seen,) = drags
    back = read_midi(seen[1])
    assert back.key == KeySignature.parse("E minor") and back.key_changes == ()
    assert sorted(n.pitch for t in back.tracks for n in t.notes) == sorted(n.pitch for n in take.notes)
    assert window.document.project == project  # a take dragged out is still only a take
