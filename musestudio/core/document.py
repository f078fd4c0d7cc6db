"""The observable document: the current immutable Project plus change events.

Edits replace the whole Project value (cheap: unchanged tracks and notes are shared), so undo is just
"put the previous value back". ``set_project`` works out what changed and tells observers precisely, so a
piano roll redraws only the notes that moved. This mirrors Helio's undoable model methods: undo and redo go
through the same ``set_project`` as the original edit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from musestudio.core.project import Project
from musestudio.core.signals import Signal


@dataclass(frozen=True)
class TrackChange:
    """What changed inside one track: note ids added, removed, or changed in value; its settings; the
    controller lanes whose events differ (CC numbers, PITCH_BEND, ...); its text or kept events."""

    track_id: int
    added: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()
    changed: frozenset[int] = frozenset()
    settings: bool = False
    controllers: frozenset[int] = frozenset()
    texts: bool = False


@dataclass(frozen=True)
class Change:
    """Everything that differs between two Project values."""

    tracks_added: tuple[int, ...] = ()
    tracks_removed: tuple[int, ...] = ()
    tracks_reordered: bool = False
    tracks: tuple[TrackChange, ...] = ()
    timing: bool = False  # tempo map, meter or ticks-per-beat: anything that moves ticks in time or bars
    key: bool = False  # the starting key or any key change
    metadata: bool = False
    tempos: bool = False  # the tempo map (a tempo lane redraws)
    meter: bool = False  # the time signatures
    markers: bool = False
    conductor: bool = False  # the piece's own text and kept-verbatim events
    end: bool = False  # where the piece ends after its last event (``Project.end_of_track``: a loop's rests)

    def track(self, track_id: int) -> TrackChange | None:
        return next((c for c in self.tracks if c.track_id == track_id), None)

    @property
    def empty(self) -> bool:
        return not (
            self.tracks_added
            or self.tracks_removed
            or self.tracks_reordered
            or self.tracks
            or self.timing
            or self.key
            or self.metadata
            or self.markers
            or self.conductor
            or self.end
        )


def diff(old: Project, new: Project) -> Change:
    """The Change that turns ``old`` into ``new``; identity checks keep it cheap for untouched tracks."""
    old_tracks = {t.id: t for t in old.tracks}
    new_tracks = {t.id: t for t in new.tracks}
    added = tuple(i for i in new_tracks if i not in old_tracks)
    removed = tuple(i for i in old_tracks if i not in new_tracks)
    common_old = [t.id for t in old.tracks if t.id in new_tracks]
    common_new = [t.id for t in new.tracks if t.id in old_tracks]
    changes = []
    for tid in common_new:
        a, b = old_tracks[tid], new_tracks[tid]
        if a is b:
            continue
        settings = any(
            getattr(a, f) != getattr(b, f)
            for f in ("name", "program", "channel", "is_drum", "colour", "mute", "solo", "volume")
        )
        na, removed_ids, changed_ids = frozenset(), frozenset(), frozenset()
        if a.notes is not b.notes:
            old_notes = {n.id: n for n in a.notes}
            new_notes = {n.id: n for n in b.notes}
            na = frozenset(new_notes.keys() - old_notes.keys())
            removed_ids = frozenset(old_notes.keys() - new_notes.keys())
            changed_ids = frozenset(
                i
                for i in new_notes.keys() & old_notes.keys()
                if old_notes[i] is not new_notes[i] and old_notes[i] != new_notes[i]
            )
        lanes = _changed_lanes(a, b)
        texts = (a.texts, a.extra_events) != (b.texts, b.extra_events)
        if settings or na or removed_ids or changed_ids or lanes or texts:
            changes.append(TrackChange(tid, na, removed_ids, changed_ids, settings, lanes, texts))
    tempos = not _same(old.tempos, new.tempos)
    meter = old.time_signatures != new.time_signatures
    return Change(
        tracks_added=added,
        tracks_removed=removed,
        tracks_reordered=common_old != common_new,
        tracks=tuple(changes),
        timing=tempos or meter or old.ticks_per_beat != new.ticks_per_beat,
        key=(old.key, old.key_changes) != (new.key, new.key_changes),
        metadata=dict(old.metadata) != dict(new.metadata),
        tempos=tempos,
        meter=meter,
        markers=not _same(old.markers, new.markers),
        conductor=(old.texts, old.extra_events) != (new.texts, new.extra_events),
        end=old.end_of_track != new.end_of_track,
    )


def _same(a: tuple, b: tuple) -> bool:
    """Equal values and the same ids: a view keyed by id must redraw when only an id changed."""
    return a is b or (a == b and [x.id for x in a] == [x.id for x in b])


def _changed_lanes(a, b) -> frozenset[int]:
    """Lanes whose events differ between two versions of a track (by value or by id)."""
    if a.controllers is b.controllers:
        return frozenset()
    old = {e.id: e for e in a.controllers}
    new = {e.id: e for e in b.controllers}
    lanes = {new[i].lane for i in new.keys() - old.keys()} | {old[i].lane for i in old.keys() - new.keys()}
    for i in new.keys() & old.keys():
        if old[i] is not new[i] and old[i] != new[i]:
            lanes.update((old[i].lane, new[i].lane))
    return frozenset(lanes)


class Document:
    """Holds the current Project and tells observers about every change.

    ``changed(change, project)`` fires after each ``set_project`` that changed anything;
    ``modified_changed(bool)`` fires when the unsaved-changes flag flips.
    """

    def __init__(self, project: Project | None = None) -> None:
        self._project = project or Project()
        self._saved = self._project
        self.changed = Signal()
        self.modified_changed = Signal()
        self._batch_depth = 0
        self._batch_start: Project | None = None

    @property
    def project(self) -> Project:
        return self._project

    @property
    def modified(self) -> bool:
        return self._project is not self._saved and self._project != self._saved

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Within the block, ``set_project`` only records the value; at its end observers hear of it once.

        A jump of thousands of steps in the undo history runs every command's undo; each would otherwise
        diff the whole piece and redraw the views. Batched, the views get one change from the state
        before the jump to the state after it: the target state applied once.
        """
        if self._batch_depth == 0:
            self._batch_start = self._project
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                start, self._batch_start = self._batch_start, None
                self._announce(start, start is not self._saved and start != self._saved)

    def set_project(self, project: Project) -> Change:
        if self._batch_depth:
            self._project = project
            return Change()
        was_modified = self.modified
        old, self._project = self._project, project
        return self._announce(old, was_modified)

    def _announce(self, old: Project, was_modified: bool) -> Change:
        project = self._project
        change = diff(old, project)
        if not change.empty:
            self.changed.emit(change, project)
        if self.modified != was_modified:
            self.modified_changed.emit(self.modified)
        return change

    def reset(self, project: Project) -> None:
        """Load a different piece: observers get a full change and the document counts as saved."""
        self._saved = project
        self.set_project(project)
        self.modified_changed.emit(False)

    def mark_saved(self) -> None:
        was = self.modified
        self._saved = self._project
        if was:
            self.modified_changed.emit(False)
