"""Whole-project edits the editor applies as one step (File > Import MIDI rescales a file to the project's
resolution). Note-level edits live on the values themselves (``Note.moved``, ``Note.with_*``) and in
``ui.editor``, which clamps a moved selection as a whole so its intervals survive. Inputs are never changed."""

from __future__ import annotations

import math
from dataclasses import replace

from musestudio.core.project import Project
from musestudio.core.track import Track


def rescale(project: Project, ticks_per_beat: int) -> Project:
    """The same piece at another resolution: every note, controller, text, tempo, meter, key and marker,
    and the piece's end, moved to the nearest tick of the new grid (a note keeps at least one tick: one
    shorter than a tick of the new grid takes the tick it starts in, so a sixteenth on the last beat of a
    bar stays in that bar at one tick a beat rather than start the next). Ids are kept."""
    if ticks_per_beat == project.ticks_per_beat:
        return project
    scale = ticks_per_beat / project.ticks_per_beat

    def at(tick: int) -> int:
        return round(tick * scale)

    def note(n):
        start, end = at(n.start), at(n.end)
        if end <= start:  # nothing left of it on the new grid: the tick it starts in
            start = math.floor(n.start * scale)
            end = start + 1
        return replace(n, start=start, duration=end - start)

    def track(t: Track) -> Track:
        return t.with_(
            notes=tuple(note(n) for n in t.notes),
            controllers=tuple(replace(e, tick=at(e.tick)) for e in t.controllers),
            texts=tuple(replace(e, tick=at(e.tick)) for e in t.texts),
            extra_events=tuple(replace(e, tick=at(e.tick)) for e in t.extra_events),
        )

    def moved(items):
        return tuple(replace(e, tick=at(e.tick)) for e in items)

    return replace(
        project,
        ticks_per_beat=ticks_per_beat,
        tracks=tuple(track(t) for t in project.tracks),
        tempos=moved(project.tempos),
        time_signatures=moved(project.time_signatures),
        key_changes=moved(project.key_changes),
        markers=moved(project.markers),
        texts=moved(project.texts),
        extra_events=moved(project.extra_events),
        end_of_track=at(project.end_of_track),
    )
