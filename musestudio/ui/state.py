"""Editor state that is not part of the score: active track, selection, tool, snap, playhead, loop.

It lives beside the Document rather than in it, because none of it is saved or undone. Every view reads it
from here and listens to its signals, so the piano roll, velocity lane, inspector and status bar agree.
"""

from __future__ import annotations

from enum import Enum
from fractions import Fraction

from PySide6.QtCore import QObject, Signal

from musestudio.core.document import Change, Document
from musestudio.core.project import Project
from musestudio.core.timing import GRID_VALUES, BarGrid


class Tool(Enum):
    DRAW = "draw"
    SELECT = "select"
    MOVE = "move"
    RESIZE = "resize"
    ERASE = "erase"


class EditorState(QObject):
    active_track_changed = Signal(int)  # track id, or -1 when the project has no tracks
    selection_changed = Signal()
    tool_changed = Signal(object)  # Tool
    snap_changed = Signal(str)
    playhead_changed = Signal(int)  # tick
    loop_changed = Signal()

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._active = -1
        self._selection: frozenset[int] = frozenset()
        self._tool = Tool.DRAW
        self._snap = "1/16"
        self.note_length = document.project.ticks_per_beat // 2
        self._tpb = document.project.ticks_per_beat
        self._playhead = 0
        self._loop: tuple[int, int] | None = None
        self.loop_enabled = False
        self.move_controllers_with_notes = False  # Edit > Move Controllers with Notes
        document.changed.connect(self._on_document_changed)
        self._ensure_active(document.project)

    # -- active track ----------------------------------------------------------------------------------
    @property
    def active_track_id(self) -> int:
        return self._active

    def active_track(self):
        project = self.document.project
        return project.track_by_id(self._active) if self._active >= 0 else None

    def set_active_track(self, track_id: int) -> None:
        if track_id != self._active:
            self._active = track_id
            self.set_selection(())
            self.active_track_changed.emit(track_id)

    def _ensure_active(self, project: Project) -> None:
        ids = [t.id for t in project.tracks]
        if self._active not in ids:
            self.set_active_track(ids[0] if ids else -1)

    def _on_document_changed(self, change: Change, project: Project) -> None:
        # the active track first: the playhead and loop moved next are heard by views that read it
        self._ensure_active(project)
        if project.ticks_per_beat != self._tpb:
            self._keep_places_at(project.ticks_per_beat)
        track = self.active_track()
        if track is not None and self._selection:
            alive = self._selection & {n.id for n in track.notes}
            if alive != self._selection:
                self.set_selection(alive)

    def _keep_places_at(self, ticks_per_beat: int) -> None:
        """The piece is at another resolution (an import into an empty piece takes the file's, its undo
        gives the piece's back): the note length, the playhead and the loop keep their length and place
        in beats, not their ticks (bar 3 at 480 ticks a beat is bar 2 at 960)."""
        scale = ticks_per_beat / self._tpb
        self._tpb = ticks_per_beat
        self.note_length = max(1, round(self.note_length * scale))
        if self._loop is not None:
            start = round(self._loop[0] * scale)
            self._loop = (start, max(start + 1, round(self._loop[1] * scale)))
            self.loop_changed.emit()
        self.set_playhead(round(self._playhead * scale))

    # -- selection (ids of notes in the active track) -------------------------------------------------
    @property
    def selection(self) -> frozenset[int]:
        return self._selection

    def set_selection(self, ids) -> None:
        ids = frozenset(ids)
        if ids != self._selection:
            self._selection = ids
            self.selection_changed.emit()

    def selected_notes(self):
        track = self.active_track()
        if track is None:
            return ()
        return tuple(n for n in track.notes if n.id in self._selection)

    # -- tool, snap --------------------------------------------------------------------------------------
    @property
    def tool(self) -> Tool:
        return self._tool

    def set_tool(self, tool: Tool) -> None:
        if tool is not self._tool:
            self._tool = tool
            self.tool_changed.emit(tool)

    @property
    def snap(self) -> str:
        return self._snap

    def set_snap(self, name: str) -> None:
        if name not in GRID_VALUES:
            raise ValueError(f"unknown grid {name!r}")
        if name != self._snap:
            self._snap = name
            self.snap_changed.emit(name)

    def snap_step(self) -> Fraction:
        """The grid step exactly, for finding grid lines (``timing.snap``): at 100 ticks per beat a 32nd
        is 12.5 ticks, and rounding it to 12 would pull notes on the beat (100) off it (to 96)."""
        return GRID_VALUES[self._snap] * 4 * self.document.project.ticks_per_beat

    def grid(self) -> BarGrid:
        """The snap grid with its lines counted from each bar line, as the roll draws them: what drawing,
        dragging, nudging and quantizing land on, in a 3/4 or 6/8 bar too."""
        project = self.document.project
        return BarGrid(self.snap_step(), project.time_signatures, project.ticks_per_beat)

    # -- playhead, loop ------------------------------------------------------------------------------
    @property
    def playhead(self) -> int:
        return self._playhead

    def set_playhead(self, tick: int) -> None:
        tick = max(0, int(tick))
        if tick != self._playhead:
            self._playhead = tick
            self.playhead_changed.emit(tick)

    @property
    def loop(self) -> tuple[int, int] | None:
        return self._loop

    def set_loop(self, start: int | None, end: int | None = None) -> None:
        loop = None if start is None or end is None or end <= start else (int(start), int(end))
        if loop != self._loop:
            self._loop = loop
            if loop is not None:
                self.loop_enabled = True
            self.loop_changed.emit()

    def move_loop(self, loop: tuple[int, int] | None) -> None:
        """The region moved with the bars under it (Insert or Delete Bars, and their undo), on or off as it
        was: moving it is no reason to start looping."""
        loop = None if loop is None or loop[1] <= loop[0] else (int(loop[0]), int(loop[1]))
        if loop != self._loop:
            self._loop = loop
            self.loop_changed.emit()

    def set_loop_enabled(self, on: bool) -> None:
        if on != self.loop_enabled:
            self.loop_enabled = on
            self.loop_changed.emit()
