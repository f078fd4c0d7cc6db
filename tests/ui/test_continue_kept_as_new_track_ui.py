"""Two takes of one Continue are two ways the phrase could go on over the same bars, not a duet: a take kept
(in place or as a new track) mutes the tracks another take of its Continue was kept in as new tracks, in the
same undo step, as a Rewrite or Regenerate take does. Before, take 1 kept as a new track and take 2 kept in
place (or as a new track too) played both continuations at once. With the parts engine a take writes every
pitched track, so a take kept as new tracks is several tracks, each muted; a Continue after a playhead inside
the piece mutes them too."""

from __future__ import annotations

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.engines import CONTINUE, PARTS
from musestudio.ml.generate.request import Options, PartSpec, Request, Take
from tests.ui.kept_takes import BAR, TPB, list_takes, muted_names, tune_and_bass
from tests.ui.ui_helpers import keep_note

SIGS = (TimeSignature(0, 4, 4),)


def list_continued(window, count: int = 2, after: int = 2 * BAR) -> tuple[Take, ...]:
    """List ``count`` Continue takes of the first track (one stream), from the bar at ``after``, as the
    Transformer lists them (no model needed); notes after ``after`` are among those a take replaces."""
    tune = window.document.project.tracks[0]
    seed = tuple(n for n in tune.notes if n.start < after)
    request = Request(
        CONTINUE,
        "transformer",
        seed,
        TPB,
        SIGS,
        Options(style="jazz"),
        bars=2,
        after=after,
        replaces=frozenset(n.id for n in tune.notes if n.start >= after),
        track_id=tune.id,
        program=tune.program,
    )
    start, end = after, after + 2 * BAR
    notes = [[Note(72 - i - k % 4, start + k * TPB, TPB, 80) for k in range(8)] for i in range(1, count + 1)]
    return list_takes(window, request, start, end, notes)


def list_continued_in_parts(window, count: int = 2, after: int = 2 * BAR) -> tuple[Take, ...]:
    """List ``count`` parts-engine Continue takes writing both tracks from the bar at ``after``."""
    tracks = window.document.project.tracks
    specs = tuple(
        PartSpec(t.id, tuple(n for n in t.notes if n.start < after), t.name, "", t.program, True)
        for t in tracks
    )
    request = Request(
        CONTINUE,
        PARTS,
        tuple(n for s in specs for n in s.notes),
        TPB,
        SIGS,
        Options(style="jazz"),
        bars=2,
        after=after,
        track_id=tracks[0].id,
        parts=specs,
        replaces=frozenset(n.id for t in tracks for n in t.notes if n.start >= after),
    )
    start, end = after, after + 2 * BAR
    notes, parts = [], []
    for i in range(1, count + 1):
        tune = tuple(Note(72 - i - k % 4, start + k * TPB, TPB, 80) for k in range(8))
        bass = (Note(40 - i, start, BAR, 80), Note(43 - i, start + BAR, BAR, 80))
        notes.append(tune + bass)
        parts.append(((tracks[0].id, tune), (tracks[1].id, bass)))
    return list_takes(window, request, start, end, notes, parts)


def test_a_continue_take_kept_in_place_mutes_another_kept_as_a_new_track_in_the_same_step(make_window):
    window = make_window(tune_and_bass())
    gen = window.generate
    list_continued(window)
    assert gen.keep(new_track=True) and not muted_names(window)  # the phrase it continues plays on
    message = keep_note(window)
    assert "mute “Take 1 (Jazz standard)”, where another take of this Generate was kept" in message
    steps = window.undo_stack.count()
    assert gen.keep()
    assert muted_names(window) == ["Take 1 (Jazz standard)"]
    assert "muted “Take 1 (Jazz standard)” (Undo unmutes)" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == steps + 1
    window.undo_stack.undo()
    assert not muted_names(window)


def test_two_continue_takes_kept_as_new_tracks_play_the_latest_alone(make_window):
    window = make_window(tune_and_bass())
    gen = window.generate
    list_continued(window)
    assert gen.keep(new_track=True) and gen.keep(new_track=True)
    assert muted_names(window) == ["Take 1 (Jazz standard)"]
    assert not window.document.project.track_by_id(window.document.project.tracks[-1].id).mute
    assert "muted “Take 1 (Jazz standard)” (Undo unmutes)" in window.statusBar().currentMessage()


def test_a_parts_continue_take_mutes_every_track_another_take_was_kept_in_as_new_tracks(make_window):
    """With the parts engine take 1 kept as new tracks is a tune and a bass: take 2 mutes both."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_continued_in_parts(window)
    assert gen.keep(new_track=True)
    first = [t.name for t in window.document.project.tracks[2:]]
    assert len(first) == 2 and not muted_names(window)
    assert gen.keep()
    assert muted_names(window) == first
    project = window.document.project
    assert not project.tracks[0].mute and not project.tracks[1].mute
    assert all(f"“{name}”" in window.statusBar().currentMessage() for name in first)


def test_a_continue_after_a_playhead_inside_the_piece_mutes_the_take_kept_before_as_a_new_track(make_window):
    """The bars after the playhead already hold notes (``continued_over``): take 2 kept in place puts
    itself in their place, and take 1, kept over them as a new track, no longer plays with it."""
    window = make_window(tune_and_bass(bars=4))
    gen = window.generate
    list_continued(window, after=2 * BAR)
    assert gen.keep(new_track=True) and not muted_names(window)
    assert gen.keep()
    assert muted_names(window) == ["Take 1 (Jazz standard)"]
    said = window.statusBar().currentMessage()
    assert "gave way to it" in said and "muted “Take 1 (Jazz standard)” (Undo unmutes)" in said


def test_a_continue_take_kept_as_a_new_track_over_another_kept_in_place_says_both_play(make_window):
    """Take 1 kept in place is in the tune's track with the phrase it continues: muting that track would
    silence the phrase, so take 2 kept as a new track leaves it playing, and the panel and the status bar
    say take 2 plays over take 1 there."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_continued(window)
    assert gen.keep()
    message = keep_note(window)
    assert (
        "Keep as New Track leaves “Tune” playing, with the phrase this take continues: in bars 3–4 this "
        "take plays over take 1, kept there before (the track list's M mutes a track)." in message
    )
    assert "Keep as New Track keeps" not in message  # said once, with which plays ("keeps both" did not)
    assert gen.keep(new_track=True)
    assert not muted_names(window)
    assert ": it plays over take 1, kept in “Tune” before it" in window.statusBar().currentMessage()


def test_a_parts_continue_take_kept_as_new_tracks_over_another_kept_in_place_names_every_track(make_window):
    window = make_window(tune_and_bass())
    gen = window.generate
    list_continued_in_parts(window)
    assert gen.keep()
    assert "Keep as New Track leaves “Tune”, “Bass” playing, with the phrase" in keep_note(window)
    assert gen.keep(new_track=True)
    assert not muted_names(window) and len(window.document.project.tracks) == 4
    assert ": it plays over take 1, kept in “Tune”, “Bass” before it" in window.statusBar().currentMessage()
