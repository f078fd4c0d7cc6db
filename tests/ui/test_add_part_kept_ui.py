"""Two takes of one Add a part are two ways of writing the same part, not two parts: the latest take kept
plays alone, as it does for Continue, Rewrite and Regenerate. Before, take 1 kept (in place or as a new
track) and take 2 kept as a new track played two harmony parts at once. A take kept as a new track mutes
the track another take was kept in, in the same undo step (Undo unmutes), and the panel says so before;
a take kept in place goes into the part's track, and sounds there again where a keep had muted it. A
second part is still there for the asking: another Add a part's takes are not alternatives to these."""

from __future__ import annotations

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.engines import ADD_PART, PARTS
from musestudio.ml.generate.request import NEW_TRACK, Options, PartSpec, Request, Take
from tests.ui.kept_takes import BAR, TPB, list_takes, muted_names, tune_and_bass
from tests.ui.ui_helpers import keep_note

PART = "Harmony (Jazz standard)"


def list_added(window, count: int = 3) -> tuple[Take, ...]:
    """List ``count`` takes of an Add a part writing a harmony over both tracks, as Parts lists them (no
    model needed): each writes the new part alone."""
    tracks = window.document.project.tracks
    read = tuple(PartSpec(t.id, t.notes, t.name, "", t.program) for t in tracks)
    request = Request(
        ADD_PART,
        PARTS,
        tuple(n for t in tracks for n in t.notes),
        TPB,
        (TimeSignature(0, 4, 4),),
        Options(style="jazz"),
        track_id=tracks[0].id,
        parts=(*read, PartSpec(NEW_TRACK, (), "", "harmony", 0, True)),
    )
    notes = [tuple(Note(64 - i + k % 3, k * TPB, TPB, 70) for k in range(8)) for i in range(count)]
    return list_takes(window, request, 0, 2 * BAR, notes, [((NEW_TRACK, n),) for n in notes])


def test_a_take_kept_as_a_new_track_mutes_the_part_another_take_was_kept_in_as_one_undo_step(make_window):
    window = make_window(tune_and_bass())
    gen = window.generate
    list_added(window)
    assert gen.keep() and [t.name for t in window.document.project.tracks] == ["Tune", "Bass", PART]
    message = keep_note(window)
    assert (
        f"Keep puts this take in place of take 1, kept before it (Undo brings that back). Keep as New Track "
        f"mutes “{PART}”, where take 1 was kept: only this take plays (Undo unmutes)."
    ) in message
    steps = window.undo_stack.count()
    assert gen.keep(new_track=True)
    assert muted_names(window) == [PART] and window.undo_stack.count() == steps + 1
    assert f"muted “{PART}” (Undo unmutes)" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert not muted_names(window) and len(window.document.project.tracks) == 3


def test_two_takes_kept_as_new_tracks_play_the_latest_alone(make_window):
    window = make_window(tune_and_bass())
    gen = window.generate
    list_added(window)
    assert gen.keep(new_track=True)
    first = window.document.project.tracks[2].name
    assert f"Keep and Keep as New Track mute “{first}”" in keep_note(window)
    assert gen.keep(new_track=True)
    assert muted_names(window) == [first] and not window.document.project.tracks[3].mute
    assert gen.keep()  # take 3 in place: a track of its own (no take was kept in place), the others muted
    tracks = window.document.project.tracks
    assert len(tracks) == 5 and muted_names(window) == [t.name for t in tracks[2:4]]


def test_a_take_kept_in_place_goes_into_the_part_a_keep_muted_and_it_sounds_again(make_window):
    """Take 1 in place, take 2 as a new track (muting take 1's part), take 3 in place: take 3 goes into the
    part's track, in take 1's place, so that track plays again and take 2's is muted."""
    window = make_window(tune_and_bass())
    gen = window.generate
    takes = list_added(window)
    assert gen.keep() and gen.keep(new_track=True)
    part = window.document.project.tracks[2]
    assert muted_names(window) == [PART]
    assert f"Keep unmutes “{part.name}”: this take's new part goes there." in keep_note(window)
    assert gen.keep()
    project = window.document.project
    assert len(project.tracks) == 4 and not project.tracks[2].mute and project.tracks[3].mute
    held = sorted((n.pitch, n.start) for n in project.tracks[2].notes)
    assert held == sorted((n.pitch, n.start) for n in takes[2].notes)
    assert f"unmuted “{part.name}”, which holds the kept take" in window.statusBar().currentMessage()
