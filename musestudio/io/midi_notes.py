"""What a MIDI file written from a piece changes from the piece as the app plays it, in the command line's
words: every command that writes MIDI (convert, restyle, the takes of continue, add-part and infill) says
it through ``export_notes``, as Export MIDI says it in the window.

MIDI cannot hold everything a piece holds: tracks sharing a channel while setting it differently go out
on channels of their own (``midi.export_plan``), text with no Latin-1 form goes out as UTF-8, two notes of
one pitch where one sounds inside the other come back with each other's ends, and mute and solo are lost.
"""

from __future__ import annotations

from musestudio.core.project import Project
from musestudio.core.track import DRUM_CHANNEL
from musestudio.io.midi import (
    ExportPlan,
    export_plan,
    mute_and_solo_midi_cannot_keep,
    notes_midi_cannot_keep,
)


def export_notes(project: Project, where: str) -> list[str]:
    """The notes to say after writing ``project`` as MIDI into ``where`` (a file's name, "the takes")."""
    notes = _plan_notes(project, export_plan(project))
    if changed := notes_midi_cannot_keep(project):
        notes.append(
            f"{changed} notes sound inside a longer note of the same pitch; MIDI cannot tell such notes "
            "apart, so the file gives them each other's ends"
        )
    if muted := mute_and_solo_midi_cannot_keep(project):
        notes.append(f"MIDI has no mute or solo: {', '.join(muted)} play as every other track in {where}")
    return notes


def _plan_notes(project: Project, plan: ExportPlan) -> list[str]:
    """What ``plan`` changed from the piece as the app plays it: its channels and its text, in words."""
    tracks = project.tracks
    notes = [
        f"{tracks[i].name} goes out on channel {plan.channels[i] + 1}, as it shares its channel with a track "
        "that sets it otherwise (at its start or later); so it keeps its own instrument and settings"
        for i in plan.moved
    ]
    for group in plan.shared:
        channel = plan.channels[group[0]]
        where = (
            "the drum channel (10)"
            if channel == DRUM_CHANNEL
            else f"channel {channel + 1}, as no channel is left free"
        )
        notes.append(
            f"{', '.join(tracks[i].name for i in group)} share {where}: in the file they play one instrument "
            "at one volume"
        )
    whose = (["the piece's title and markers"] if plan.piece_utf8 else []) + [
        tracks[i].name for i in plan.utf8
    ]
    if whose:
        notes.append(
            f"the text of {', '.join(whose)} goes out as UTF-8, not Latin-1: some of it has no Latin-1 form"
        )
    return notes
