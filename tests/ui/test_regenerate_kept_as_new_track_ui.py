"""Keep as New Track on a Regenerate take mutes the track whose bars it regenerated when every note of that
track is in them, in the same undo step, as a Rewrite or an Arrange take does: the new track plays those
bars in their place. Before, it muted nothing and the track and its regenerated bars played at once. A track
with notes outside the bars is left playing (muting it would silence them), and the panel says so."""

from __future__ import annotations

from musestudio.core.note import Note
from musestudio.core.played_in import heard_in
from musestudio.core.project import TimeSignature
from musestudio.ml.engines import REGENERATE
from musestudio.ml.generate.request import Options, Request, Take
from tests.ui.kept_takes import BAR, TPB, list_takes, tune_and_bass
from tests.ui.ui_helpers import keep_note


def list_regenerated(window, start: int, end: int, count: int = 1) -> tuple[Take, ...]:
    """List ``count`` Regenerate takes of the bars ``start``..``end`` of the first track, as Regenerate
    Selection lists them (no model needed): each takes the place of the track's notes in those bars."""
    tune = window.document.project.tracks[0]
    request = Request(
        REGENERATE,
        "transformer",
        tune.notes,
        TPB,
        (TimeSignature(0, 4, 4),),
        Options(style="jazz"),
        start=start,
        end=end,
        replaces=heard_in(tune.notes, start, end, TPB),
        track_id=tune.id,
        program=tune.program,
    )
    bars = range((end - start) // TPB)
    notes = [[Note(72 - i - k, start + k * TPB, TPB, 80) for k in bars] for i in range(1, count + 1)]
    return list_takes(window, request, start, end, notes)


def test_regenerating_every_bar_of_a_track_kept_as_a_new_track_mutes_that_track_in_the_same_step(make_window):
    window = make_window(tune_and_bass())
    before = window.document.project
    gen = window.generate
    list_regenerated(window, 0, 2 * BAR)
    assert "Keep as New Track mutes “Tune”, every note of which is in the bars the take regenerates" in (
        keep_note(window)
    )
    assert gen.keep(new_track=True)
    after = window.document.project
    assert [t.name for t in after.tracks if t.mute] == ["Tune"]  # the bass plays on, and the new track
    assert after.tracks[0].notes == before.tracks[0].notes and len(after.tracks) == 3
    assert "muted “Tune” (Undo unmutes)" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.document.project == before


def test_a_track_regenerated_in_some_bars_is_left_playing_and_the_panel_says_so(make_window):
    """The tune's first bar regenerated: muting its track would silence its second bar too."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_regenerated(window, 0, BAR)
    message = keep_note(window)
    assert "Keep as New Track leaves “Tune” playing, as its notes go on outside the bars the take" in message
    assert "copy" not in message
    assert gen.keep(new_track=True)
    assert not any(t.mute for t in window.document.project.tracks)


def test_keeping_a_regenerated_take_in_place_mutes_nothing(make_window):
    window = make_window(tune_and_bass())
    list_regenerated(window, 0, 2 * BAR)
    assert window.generate.keep()
    assert not any(t.mute for t in window.document.project.tracks)


def test_a_regenerated_take_kept_in_place_after_another_kept_as_a_new_track_plays_alone(make_window):
    """Take 1 kept as a new track muted the tune's track; take 2 kept in place goes into it, so it sounds
    again, and take 1's track is muted: the two takes of the same bars would play at once."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_regenerated(window, 0, 2 * BAR, count=2)
    assert gen.keep(new_track=True) and window.document.project.tracks[0].mute
    message = keep_note(window)
    assert (
        "Keep unmutes “Tune”: the take goes into its bars." in message
        and "mute “Take 1 (Jazz standard)”" in message
    )
    assert gen.keep()
    project = window.document.project
    assert [t.name for t in project.tracks if t.mute] == ["Take 1 (Jazz standard)"]
    assert "muted “Take 1 (Jazz standard)” (Undo unmutes)" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert [t.name for t in window.document.project.tracks if t.mute] == ["Tune"]


def test_keep_as_new_track_beside_a_take_kept_in_place_says_which_plays(make_window):
    """Take 1 kept in place over every note of the tune: Keep as New Track on take 2 mutes the tune's
    track, which holds take 1, and the panel says so once ("keeps both" did not say which plays)."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_regenerated(window, 0, 2 * BAR, count=2)
    assert gen.keep()
    message = keep_note(window)
    assert (
        "Keep puts this take in place of take 1, kept before it (Undo brings that back).\nKeep as New Track "
        "mutes “Tune”, every note of which is in the bars the take regenerates: it plays in their place."
    ) in message
    assert "keeps both" not in message
    assert gen.keep(new_track=True)
    assert [t.name for t in window.document.project.tracks if t.mute] == ["Tune"]


def test_keep_as_new_track_beside_a_take_kept_in_place_in_some_bars_says_both_play(make_window):
    """Take 1 kept in place in the tune's first bar: the tune goes on after it, so Keep as New Track on take
    2 leaves the tune's track playing, and take 1 plays there with take 2."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_regenerated(window, 0, BAR, count=2)
    assert gen.keep()
    message = keep_note(window)
    assert "Keep as New Track leaves “Tune” playing, as its notes go on outside the bars" in message
    assert "keeps both" not in message
    assert gen.keep(new_track=True)
    assert not any(t.mute for t in window.document.project.tracks)
