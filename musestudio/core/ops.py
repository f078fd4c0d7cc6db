"""Pure edits on notes, tracks and projects: transpose, slice a time range, merge, rescale. Inputs are never
changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track


def transpose(notes: Iterable[Note], semitones: int) -> tuple[Note, ...]:
    """Shift pitches, clamping to MIDI's range so an octave jump at the edge never loses a note."""
    return tuple(n.with_pitch(min(127, max(0, n.pitch + semitones))) for n in notes)


def shift(notes: Iterable[Note], ticks: int) -> tuple[Note, ...]:
    """Move notes in time; a note pushed before zero starts at zero."""
    return tuple(n.with_start(max(0, n.start + ticks)) for n in notes)


def slice_range(notes: Iterable[Note], start: int, end: int, clip: bool = True) -> tuple[Note, ...]:
    """The notes sounding in [start, end). With ``clip``, notes crossing the edges are cut to fit."""
    out = []
    for n in notes:
        if n.end <= start or n.start >= end:
            continue
        if clip and (n.start < start or n.end > end):
            s, e = max(n.start, start), min(n.end, end)
            n = Note(n.pitch, s, e - s, n.velocity, n.id)
        out.append(n)
    return tuple(out)


def remove_range(notes: Iterable[Note], start: int, end: int) -> tuple[Note, ...]:
    """The notes that start outside [start, end) (what stays when that range is regenerated)."""
    return tuple(n for n in notes if not start <= n.start < end)


def relative_to(notes: Iterable[Note], origin: int) -> tuple[Note, ...]:
    """Notes re-timed so ``origin`` becomes tick 0 (for clipboards and model inputs)."""
    return tuple(n.with_start(n.start - origin) for n in notes if n.start >= origin)


def merge(*tracks: Track, name: str | None = None) -> Track:
    """One track holding every note of ``tracks`` (exact duplicates kept once); settings of the first."""
    if not tracks:
        raise ValueError("merge needs at least one track")
    seen: set[tuple[int, int, int, int]] = set()
    notes = []
    for t in tracks:
        for n in t.notes:
            k = (n.pitch, n.start, n.duration, n.velocity)
            if k not in seen:
                seen.add(k)
                notes.append(n)
    return tracks[0].with_(name=name or tracks[0].name, notes=tuple(notes))


def pitch_range(notes: Iterable[Note]) -> tuple[int, int] | None:
    pitches = [n.pitch for n in notes]
    return (min(pitches), max(pitches)) if pitches else None


def rescale(project: Project, ticks_per_beat: int) -> Project:
    """The same piece at another resolution: every note, controller, text, tempo, meter, key and marker
    moved to the nearest tick of the new grid (a note keeps at least one tick). Ids are kept."""
    if ticks_per_beat == project.ticks_per_beat:
        return project
    scale = ticks_per_beat / project.ticks_per_beat

    def at(tick: int) -> int:
        return round(tick * scale)

    def track(t: Track) -> Track:
        return t.with_(
            notes=tuple(
                Note(n.pitch, at(n.start), max(1, at(n.end) - at(n.start)), n.velocity, n.id) for n in t.notes
            ),
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
    )
