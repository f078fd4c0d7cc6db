"""Keep as New Track on a Rewrite take (Restyle's Rewrite mode) mutes the track it rewrote, in the same
undo step, as Keep as New Track on an Arrange take mutes the tracks it doubles. Before, it muted nothing:
the tune and its rewrite played at once. The tracks under the tune (the bass) play on; a track the take
rewrites only some of the notes of is left playing, and the panel says so before the keep."""

from __future__ import annotations

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.engines import RESTYLE
from musestudio.ml.generate.request import Options, Request, Take
from tests.ui.kept_takes import BAR, TPB, list_takes, tune_and_bass
from tests.ui.ui_helpers import keep_note


def list_rewrites(window, notes, count: int = 1) -> tuple[Take, ...]:
    """List ``count`` Rewrite takes of ``notes`` of the first track, as a Restyle in Rewrite mode lists them
    (no model needed): each takes the place of ``notes``, in the bars around them."""
    tune = window.document.project.tracks[0]
    start, end = min(n.start for n in notes) // BAR * BAR, -(-max(n.end for n in notes) // BAR) * BAR
    request = Request(
        RESTYLE,
        "seq2seq",
        tuple(notes),
        TPB,
        (TimeSignature(0, 4, 4),),
        Options(style="jazz"),
        replaces=frozenset(n.id for n in notes),
        track_id=tune.id,
        program=tune.program,
    )
    rewrites = [[Note(n.pitch + i, n.start, n.duration, 80) for n in notes] for i in range(1, count + 1)]
    return list_takes(window, request, start, end, rewrites)


def test_keeping_a_rewrite_of_a_whole_track_as_a_new_track_mutes_that_track_in_the_same_step(make_window):
    window = make_window(tune_and_bass())
    before = window.document.project
    gen = window.generate
    list_rewrites(window, before.tracks[0].notes)
    assert "Keep as New Track mutes “Tune”, whose notes the take rewrites" in keep_note(window)
    assert gen.keep(new_track=True)
    after = window.document.project
    assert [t.name for t in after.tracks if t.mute] == ["Tune"]  # the bass plays on, and the new track
    assert after.tracks[0].notes == before.tracks[0].notes and len(after.tracks) == 3
    assert "muted “Tune” (Undo unmutes)" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.document.project == before


def test_a_track_rewritten_in_part_is_left_playing_and_the_panel_says_so(make_window):
    """A rewrite of the tune's first bar: muting its track would silence its second bar too."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_rewrites(window, [n for n in window.document.project.tracks[0].notes if n.start < BAR])
    message = keep_note(window)
    assert "Keep as New Track leaves “Tune” playing, as the take rewrites only some of its notes" in message
    assert gen.keep(new_track=True)
    assert not any(t.mute for t in window.document.project.tracks)


def test_keeping_a_rewrite_in_place_mutes_nothing(make_window):
    window = make_window(tune_and_bass())
    list_rewrites(window, window.document.project.tracks[0].notes)
    assert window.generate.keep()
    assert not any(t.mute for t in window.document.project.tracks)


def test_a_rewrite_kept_in_place_after_another_kept_as_a_new_track_sounds_the_tune_again(make_window):
    """Take 1 kept as a new track muted the tune's track; take 2 kept in place goes into it, so it sounds
    again (take 2 would otherwise be silent), and the panel says so before."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_rewrites(window, window.document.project.tracks[0].notes, count=2)
    assert gen.keep(new_track=True) and window.document.project.tracks[0].mute
    assert "Keep unmutes “Tune”" in keep_note(window)
    assert gen.keep()
    assert not window.document.project.tracks[0].mute
    assert "unmuted “Tune”" in window.statusBar().currentMessage()


def test_a_rewrite_kept_in_place_mutes_another_take_kept_as_a_new_track(make_window):
    """Take 1 kept as a new track, then take 2 kept in place: take 1's track would play the tune with take
    2's rewrite of it (an Arrange take mutes the earlier take's tracks so too). Muted in the keep's step,
    said before in the panel and after in the status bar."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_rewrites(window, window.document.project.tracks[0].notes, count=2)
    assert gen.keep(new_track=True)
    assert "Keep and Keep as New Track mute “Take 1 (Jazz standard)”" in keep_note(window)
    assert gen.keep()
    assert [t.name for t in window.document.project.tracks if t.mute] == ["Take 1 (Jazz standard)"]
    assert "muted “Take 1 (Jazz standard)” (Undo unmutes)" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert [t.name for t in window.document.project.tracks if t.mute] == ["Tune"]


def test_two_rewrites_kept_as_new_tracks_play_one_at_a_time(make_window):
    """The second take kept as a new track mutes the first's, as Arrange does: the latest plays."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_rewrites(window, window.document.project.tracks[0].notes, count=2)
    assert gen.keep(new_track=True) and gen.keep(new_track=True)
    assert [t.name for t in window.document.project.tracks if t.mute] == ["Tune", "Take 1 (Jazz standard)"]


def test_a_rewrite_kept_as_a_new_track_after_another_kept_in_place_mutes_the_track_holding_it(make_window):
    """Take 1 kept in place is in the tune's track, every note of it: take 2 kept as a new track rewrites
    the same notes, so the tune's track is muted, not left playing as if rewritten only in part."""
    window = make_window(tune_and_bass())
    gen = window.generate
    list_rewrites(window, window.document.project.tracks[0].notes, count=2)
    assert gen.keep()
    message = keep_note(window)
    assert "Keep as New Track mutes “Tune”" in message and "only some of its notes" not in message
    assert gen.keep(new_track=True)
    assert [t.name for t in window.document.project.tracks if t.mute] == ["Tune"]
