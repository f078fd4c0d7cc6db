"""Arrange takes listed again after a crash keep as they would have before it: the tune edits the user made
between Generate and the crash (and after the restore) stay made.

A reload gives every note a new id, and Keep knows the tune notes an Arrange take stands for, and the notes
of the piece it replaces, by their ids: the recovery copy writes those links as places and reads them back
onto the restored piece's notes."""

from __future__ import annotations

import pytest

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.io.recovery import find_recoveries
from musestudio.ml.engines import ARRANGE, PARTS, missing_model
from musestudio.ml.generate.arrange_styles import DEFAULT_STRENGTH
from musestudio.ml.generate.request import Options, PartSpec, Request, Take, new_part_id
from musestudio.ui.dialogs.recovery import RecoveryDialog
from tests.ui.test_arrange_ui import BAR, TPB, arrange_in, song, triples
from tests.ui.test_recovery_dialog import crash

no_parts_model = pytest.mark.skipif(
    missing_model(ARRANGE, PARTS) is not None, reason="no shipped parts model"
)


def heard(project: Project) -> list:
    """What a piece plays, track by track (ids left out: they are new after a restore)."""
    return [(t.name, t.program, t.mute, triples(t.notes)) for t in project.tracks]


@no_parts_model
@pytest.mark.parametrize("strength", [0.0, DEFAULT_STRENGTH])
def test_an_arrange_take_restored_after_a_crash_keeps_the_tune_as_the_user_edited_it(
    qtbot, make_window, strength
):
    """The musician arranges a tune, fixes a note (a semitone up), deletes one and moves one out of the
    take's bars; the app crashes; they restore the copy with its takes and press Keep. Before, the restored
    request's tune notes had new ids matching nothing in the piece: Keep put the take's tune back as it was
    drawn, the fixed note wrong again, the deleted one back, the moved one twice. Now Keep gives the piece
    Keep would have given before the crash, and an edit made after the restore stays made too."""
    first = make_window(song())
    arrange_in(qtbot, first, "track", "pop", strength=strength)
    tune = first.document.project.tracks[0]
    fixed, deleted, moved, later = (n for n in tune.notes if n.start in (TPB, 5 * TPB, 8 * TPB, 12 * TPB))
    first.state.set_selection([fixed.id])
    first.editor.transpose_selection(1)
    first.editor.delete_notes([deleted.id])
    first.editor.move_notes([moved], 2 * BAR, 0)  # to bar 5: out of the bars the take was drawn for
    sung = dict(first.generate.current_take().parts)[tune.id]
    fixed_as, deleted_as, moved_as, later_as = (
        [m for m in sung if m.start == n.start] for n in (fixed, deleted, moved, later)
    )
    first.state.set_selection([later.id])
    first.editor.transpose_selection(-1)  # the edit the user makes after the restore, for what Keep gives
    would_have = heard(first.generate.preview_project(first.generate.current_take()))
    first.undo_stack.undo()  # not yet made at the crash
    assert first.autosaver.save_now() is not None
    crash()

    (copy,) = find_recoveries()
    start = make_window(Project())
    assert RecoveryDialog([copy], start).restore()
    (later_now,) = (n for n in start.document.project.tracks[0].notes if n.start == later.start)
    start.state.set_selection([later_now.id])
    start.editor.transpose_selection(-1)  # fixed after the restore: a semitone lower
    assert start.generate.keep()
    assert heard(start.document.project) == would_have
    kept = start.document.project.tracks[0].notes
    after = {(n.pitch, n.start) for n in kept}
    assert [(m.pitch + 1, m.start) in after and (m.pitch, m.start) not in after for m in fixed_as] == [True]
    assert [(m.pitch, m.start) in after for m in deleted_as] == [False]
    assert [(m.pitch, m.start) in after for m in moved_as] == [False]
    assert (moved.pitch, moved.start + 2 * BAR) in after
    assert [(m.pitch - 1, m.start) in after and (m.pitch, m.start) not in after for m in later_as] == [True]
    assert len(kept) == len(after)  # no note twice


def arrange_take(project: Project) -> Take:
    """An Arrange take of the first track of ``project`` as the parts engine lists one (no model needed):
    its tune an octave up, each note carrying the id of the tune note it stands for, over a bass part."""
    tune = project.tracks[0]
    request = Request(
        ARRANGE,
        PARTS,
        tune.notes,
        TPB,
        project.time_signatures,
        Options(style="pop"),
        replaces=frozenset(n.id for n in tune.notes),
        track_id=tune.id,
        parts=(
            PartSpec(tune.id, tune.notes, tune.name, "melody", 0, True),
            PartSpec(new_part_id(0), (), "Bass", "bass", 33, True),
        ),
    )
    sung = tuple(n.moved(0, 12) for n in tune.notes)
    bass = (Note(36, 0, BAR, 80), Note(41, BAR, BAR, 80))
    parts = ((tune.id, sung), (new_part_id(0), bass))
    return Take(1, sung + bass, 0, 2 * BAR, PARTS, "pop", 1, None, None, 0.5, parts=parts, request=request)


def test_a_restored_take_knows_the_tune_notes_it_stands_for_and_the_notes_the_user_deleted(make_window):
    """The links between a take's tune, its request's notes and the piece's notes come back from the copy,
    so Keep of a restored take gives the piece Keep gave before the crash: a note fixed stays fixed (an
    octave up, with the take), a note deleted stays deleted, the notes left alone are the take's."""
    first = make_window(song())
    take = arrange_take(first.document.project)
    first.generate.set_takes((take,))
    fixed, deleted = first.document.project.tracks[0].notes[2:4]
    first.state.set_selection([fixed.id])
    first.editor.transpose_selection(1)
    first.editor.delete_notes([deleted.id])
    would_have = heard(first.generate.preview_project(take))
    assert first.autosaver.save_now() is not None
    crash()

    (copy,) = find_recoveries()
    start = make_window(Project())
    assert RecoveryDialog([copy], start).restore()
    assert start.generate.keep()
    assert heard(start.document.project) == would_have
    tune = start.document.project.tracks[0].notes
    assert (fixed.pitch + 13, fixed.start) in {(n.pitch, n.start) for n in tune}
    assert not any(n.start == deleted.start for n in tune)
    assert len(tune) == len(take.parts[0][1]) - 1
