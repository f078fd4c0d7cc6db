"""The notes of the takes in a recovery copy come back as they were listed (``Note`` equality compares every
field but the id, which a reload makes new and the links give back): a restored take is the take listed."""

from __future__ import annotations

import json
from dataclasses import replace

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.recovery import find_recoveries
from musestudio.ml.engines import CONTINUE
from musestudio.ml.generate.request import Options, Request, Take
from musestudio.ui.dialogs.recovery import RecoveryDialog
from musestudio.ui.generate.takes_recovery import takes_from_dict, takes_to_dict
from tests.ui.test_recovery_dialog import crash

TPB = 480


def piece() -> Project:
    """A tune read from a MIDI file whose note-offs carry a release velocity (64, as many tools write)."""
    return Project(
        tracks=(Track(name="Tune", notes=(Note(60, 0, 480, 90, release=64), Note(62, 480, 480, 80))),)
    )


def take_of(project: Project) -> Take:
    tune = project.tracks[0]
    request = Request(
        CONTINUE,
        "transformer",
        tune.notes,
        TPB,
        project.time_signatures,
        Options(style="pop"),
        track_id=tune.id,
    )
    notes = (Note(64, 960, 240, 100, release=40), Note(65, 1200, 240, 100))
    parts = ((tune.id, notes),)
    return Take(1, notes, 960, 1920, "transformer", "pop", 7, None, None, 0.5, parts=parts, request=request)


def read_back(project: Project, take: Take) -> Take:
    """``take`` written into a recovery copy (as JSON, as the copy holds it) and read back."""
    block = json.loads(json.dumps(takes_to_dict(project, (take,), [0])))
    (again,) = takes_from_dict(project, block)
    return again


def test_a_restored_take_keeps_its_notes_release_velocities():
    """Before, the takes were written as pitch, start, duration and velocity: a take's note and the tune notes
    its request read came back with no release velocity, so Keep after a restore wrote them without it."""
    project = piece()
    take = take_of(project)
    again = read_back(project, take)
    assert [n.release for n in again.notes] == [40, 0]
    assert again.notes == take.notes and again.parts[0][1] == take.parts[0][1]
    assert again.request.notes == take.request.notes == project.tracks[0].notes


def test_takes_with_no_release_velocity_are_written_as_older_apps_read_them():
    """No note with a release velocity: the block is written in the format before them (2), rows of four, which
    an older MuseStudio still reads; one with a release velocity is written in the format that has them."""
    plain = Project(tracks=(Track(name="Tune", notes=(Note(60, 0, 480, 90),)),))
    take = take_of(plain)
    take = replace(take, notes=(Note(64, 960, 240),), parts=())
    block = takes_to_dict(plain, (take,), [0])
    assert block["format"] == 2 and all(len(row) == 4 for row in block["takes"][0]["notes"])
    assert read_back(plain, take).notes == take.notes
    assert takes_to_dict(piece(), (take_of(piece()),), [0])["format"] == 3


def test_a_copy_written_before_release_velocities_reads_as_before():
    """A format 2 block (rows of four): the notes come back with no release velocity, as they did."""
    project = piece()
    block = json.loads(json.dumps(takes_to_dict(project, (take_of(project),), [0])))
    block["format"] = 2
    for rows in (block["requests"][0]["notes"], block["takes"][0]["notes"], block["takes"][0]["parts"][0][1]):
        rows[:] = [row[:4] for row in rows]
    (again,) = takes_from_dict(project, block)
    assert [(n.pitch, n.start, n.duration, n.velocity, n.release) for n in again.notes] == [
        (64, 960, 240, 100, 0),
        (65, 1200, 240, 100, 0),
    ]
    assert [n.release for n in again.request.notes] == [0, 0]


def test_keep_after_a_restore_writes_the_take_s_release_velocities(make_window):
    """The musician lists a take, MuseStudio stops, they restore the copy and press Keep: the notes kept are
    the take's, release velocities and all, as Keep before the crash would have written them."""
    first = make_window(piece())
    take = take_of(first.document.project)
    first.generate.set_takes((take,))
    would_have = first.generate.preview_project(take).tracks[0].notes
    assert first.autosaver.save_now() is not None
    crash()

    (copy,) = find_recoveries()
    start = make_window(Project())
    assert RecoveryDialog([copy], start).restore()
    assert start.generate.keep()
    kept = start.document.project.tracks[0].notes
    assert kept == would_have and [n.release for n in kept] == [64, 0, 40, 0]
