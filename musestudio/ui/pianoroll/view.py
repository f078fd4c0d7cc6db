"""The piano-roll view: turns mouse gestures into Editor calls and owns zoom and scrolling.

A gesture records the notes as they were when the mouse went down and, on every move, asks the Editor for
"those notes offset by the total drag so far" under one gesture token, so the document is always computed
from one origin and the whole drag is one undo step. Snapping works like a magnet on the grabbed note: its
start (or end, when resizing by the right edge) lands on the nearest line the roll draws; Shift (or Alt, which
many Linux window managers keep for moving windows) held during the drag turns snapping off for it.

Over the roll the view paints what helps reading it: note names on the active track's notes once they are
wide and tall enough to hold them, a hint of what to do in an empty piece, and the drag-out grip at the
selection's top right corner (drag it to a DAW or file manager to take the selection out as a .mid file).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QTransform, QWheelEvent
from PySide6.QtWidgets import QApplication, QFrame, QGraphicsView, QRubberBand

from musestudio.core.keys import PITCH_NAMES
from musestudio.core.note import Note
from musestudio.core.timing import bar_ticks, grid_line
from musestudio.ui.commands import Gesture, new_gesture
from musestudio.ui.editor import Editor
from musestudio.ui.pianoroll.scene import MIN_NOTE_PX, ROWS, RollScene
from musestudio.ui.state import Tool

RESIZE_HANDLE_PX = 6
MIN_PX_PER_TICK, MAX_PX_PER_TICK = 0.005, 2.0
MIN_ROW_PX, MAX_ROW_PX = 4.0, 40.0
FIT_MAX_BARS = 8
OVERVIEW_PX_PER_TICK = 0.03  # below this a 16th note is under 4 px: draw notes in batches, not as items
MAX_MIN_NOTE_TICKS = 60  # zoomed far out, short notes are not widened further (a 32nd note at 480)
MIN_FIT_PX_PER_TICK, MAX_FIT_PX_PER_TICK = 0.04, 0.25
NAME_MIN_ROW_PX = 11  # note names are drawn on notes at least this tall ...
NAME_MIN_NOTE_PX = 22  # ... and this wide
GRIP_PX = 16  # the selection's drag-out grip
SHIFT_DRAG_PX = 3  # a Shift press that moves further is a drag, not a click
FIT_MARGIN_ROWS = 2  # zoom to fit leaves this many rows above and below the notes
EDGE_SCROLL_PX, EDGE_SCROLL_MS = 40, 30  # a drag past the edge scrolls up to this far, this often


@dataclass
class _Gesture:
    # "draw", "move", "copy", "resize" (the end), "trim" (the start), "band", "erase", "grip" (drag-out),
    # "shift" (click or drag)
    kind: str
    press: QPointF  # scene position where the mouse went down
    anchor: Note | None = None
    originals: tuple[Note, ...] = ()
    token: Gesture = field(default_factory=new_gesture)
    last: tuple[int, int] = (0, 0)
    sources: tuple[int, ...] = ()  # for a copy: the ids of the notes copied
    controllers: tuple = ()  # controller events that move with the notes ("move controllers with notes")


class PianoRollView(QGraphicsView):
    view_changed = Signal()  # scroll or zoom: the ruler, keyboard and velocity lane repaint
    audition = Signal(int, int)  # pitch, velocity: "let me hear this note"
    drag_out_selection = Signal()  # the drag-out grip was pressed: the window runs the drag
    rows_changed = Signal()  # the takes drawn over the roll came or went: its rows may be named anew

    def __init__(self, scene: RollScene, editor: Editor, parent=None) -> None:
        super().__init__(scene, parent)
        self.roll = scene
        self.editor = editor
        self.state = editor.state
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._sx = 0.12  # pixels per tick: a 4/4 bar at 480 tpb is 230 px
        self._sy = 14.0  # pixels per row
        self._gesture: _Gesture | None = None
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self.viewport())
        self._held: tuple[QPoint, bool] | None = None  # where a drag's mouse is, and whether it snaps
        self._edge_timer = QTimer(self)  # scrolls on while a drag is held past the edge
        self._edge_timer.setInterval(EDGE_SCROLL_MS)
        self._edge_timer.timeout.connect(self._scroll_at_edge)
        self._apply_zoom()
        self.horizontalScrollBar().valueChanged.connect(self.view_changed)
        self.verticalScrollBar().valueChanged.connect(self.view_changed)
        self.state.tool_changed.connect(lambda _t: self._update_cursor(None))
        self._shown_piece = False
        self._name_index: tuple | None = None  # (track, note starts, longest note) for the note names
        self._selection_box: tuple | None = None  # (project, selection, box in ticks and rows)
        self._takes_shown = False  # a Generate's takes are drawn over the roll (``set_takes_shown``)
        self._pitched_takes = False  # ... and some of them are pitched parts (``drum_rows``)
        self.hint = self.tr(
            "Empty piece. Draw notes with the Draw tool (D) and a click, import a MIDI file (Ctrl+I), "
            "drop a .mid or .muse file here, or let the app write some: Generate (Ctrl+G)."
        )
        self.state.selection_changed.connect(self.viewport().update)
        self.state.document.changed.connect(lambda *_: self.viewport().update())

    def sizeHint(self) -> QSize:
        return QSize(900, 500)

    # -- geometry --------------------------------------------------------------------------------------
    @property
    def px_per_tick(self) -> float:
        return self._sx

    @property
    def row_px(self) -> float:
        return self._sy

    def tick_to_x(self, tick: float) -> float:
        return self.viewportTransform().map(QPointF(tick, 0)).x()

    def x_to_tick(self, x: float) -> float:
        return self.viewportTransform().inverted()[0].map(QPointF(x, 0)).x()

    def pitch_to_y(self, pitch: int) -> float:
        """Viewport y of the top edge of ``pitch``'s row."""
        return self.viewportTransform().map(QPointF(0, ROWS - 1 - pitch)).y()

    def y_to_pitch(self, y: float) -> int:
        row = self.viewportTransform().inverted()[0].map(QPointF(0, y)).y()
        return max(0, min(127, ROWS - 1 - int(row // 1)))

    def visible_ticks(self) -> tuple[float, float]:
        return self.x_to_tick(0), self.x_to_tick(self.viewport().width())

    # -- zoom and scroll ------------------------------------------------------------------------------
    def _apply_zoom(self) -> None:
        self.setTransform(QTransform.fromScale(self._sx, self._sy))
        self.roll.set_overview(self._sx < OVERVIEW_PX_PER_TICK)
        self.roll.set_min_note_ticks(min(MAX_MIN_NOTE_TICKS, MIN_NOTE_PX / self._sx))
        self.view_changed.emit()

    def zoom_time(self, factor: float, anchor: QPoint | None = None) -> None:
        self._zoom(factor, 1.0, anchor)

    def zoom_pitch(self, factor: float, anchor: QPoint | None = None) -> None:
        self._zoom(1.0, factor, anchor)

    def _zoom(self, fx: float, fy: float, anchor: QPoint | None) -> None:
        anchor = anchor or self.viewport().rect().center()
        scene_at = self.mapToScene(anchor)
        self._sx = min(MAX_PX_PER_TICK, max(MIN_PX_PER_TICK, self._sx * fx))
        self._sy = min(MAX_ROW_PX, max(MIN_ROW_PX, self._sy * fy))
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setTransform(QTransform.fromScale(self._sx, self._sy))
        self.roll.set_overview(self._sx < OVERVIEW_PX_PER_TICK)
        self.roll.set_min_note_ticks(min(MAX_MIN_NOTE_TICKS, MIN_NOTE_PX / self._sx))
        # keep the scene point under the anchor where it was
        moved = self.mapFromScene(scene_at) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        self.view_changed.emit()

    def center_on_pitch(self, pitch: float) -> None:
        bar = self.verticalScrollBar()
        y = self.viewportTransform().map(QPointF(0, ROWS - 1 - pitch + 0.5)).y()
        bar.setValue(bar.value() + int(y - self.viewport().height() / 2))

    def show_piece(self) -> None:
        """Scroll to the start and centre the rows on the active track's notes (middle C when empty)."""
        track = self.state.active_track()
        pitches = sorted(n.pitch for n in track.notes) if track is not None else []
        project = self.state.document.project
        bar = bar_ticks(project.time_signature, project.ticks_per_beat)
        span = min(
            max(project.length, 4 * bar), FIT_MAX_BARS * bar
        )  # short pieces fit whole, long ones 8 bars
        fit = (self.viewport().width() - 8) / span
        self._zoom(max(MIN_FIT_PX_PER_TICK, min(MAX_FIT_PX_PER_TICK, fit)) / self._sx, 1.0, None)
        self.horizontalScrollBar().setValue(0)
        self.center_on_pitch((pitches[0] + pitches[-1]) / 2 if pitches else 60)

    def zoom_to_fit(self) -> None:
        """The whole piece in view: its time span (to the end of a loop's silent bars) across the width, its
        notes' pitch range down the height."""
        project = self.state.document.project
        notes = [n for t in project.tracks for n in t.notes]
        if not notes:
            self.show_piece()
            return
        bar = bar_ticks(project.time_signature, project.ticks_per_beat)
        span = max(project.length, bar)
        fx = (self.viewport().width() - 8) / span
        low = min(n.pitch for n in notes) - FIT_MARGIN_ROWS
        high = max(n.pitch for n in notes) + FIT_MARGIN_ROWS
        fy = self.viewport().height() / max(1, high - low + 1)
        self._sx = min(MAX_PX_PER_TICK, max(MIN_PX_PER_TICK, fx))
        self._sy = min(MAX_ROW_PX, max(MIN_ROW_PX, fy))
        self._apply_zoom()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
        self.center_on_pitch((low + high) / 2)

    def go_to_start(self) -> None:
        """Home: the view back at bar 1 (the window puts the playhead there)."""
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())

    def scroll_by_page(self, direction: int) -> None:
        """Ctrl+Left/Right: scroll the view by most of its width, leaving the notes alone."""
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + direction * int(self.viewport().width() * 0.8))

    def scroll_to_tick(self, tick: int) -> None:
        """Scroll so ``tick`` is in view (the view follows the playhead like a page turn)."""
        left, right = self.visible_ticks()
        if not left <= tick <= right - (right - left) * 0.05:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() + int(self.tick_to_x(tick) - self.viewport().width() * 0.1))

    def show_span(self, start: int, end: int) -> None:
        """Scroll the least that brings ``start`` to ``end`` into view; a span wider than the view is shown
        from its start (with ``scroll_to_tick``'s margin). What an edit just put past the view's edge (a
        Paste at a playhead that has moved on) is then seen, not put out of sight with nothing seen to happen."""
        left, right = self.visible_ticks()
        if left <= start and end <= right:
            return
        width = right - left
        if start < left or end - start > width * 0.9:
            new_left = start - width * 0.1
        else:
            new_left = end + width * 0.05 - width
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + round(self.tick_to_x(new_left) - self.tick_to_x(left)))

    def wheelEvent(self, event: QWheelEvent) -> None:
        mods = event.modifiers()
        steps = event.angleDelta().y() / 120 or event.angleDelta().x() / 120
        factor = 1.15**steps
        pos = event.position().toPoint()
        if mods & Qt.KeyboardModifier.ControlModifier and mods & Qt.KeyboardModifier.ShiftModifier:
            self.zoom_pitch(factor, pos)
        elif mods & Qt.KeyboardModifier.ControlModifier:
            self.zoom_time(factor, pos)
        elif mods & Qt.KeyboardModifier.ShiftModifier:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - int(steps * bar.singleStep() * 3))
        else:
            super().wheelEvent(event)

    # -- gestures --------------------------------------------------------------------------------------
    def _snap_on(self, event: QMouseEvent) -> bool:
        """Shift or Alt held: this drag ignores the grid (Shift because window managers often take Alt)."""
        off = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
        return not event.modifiers() & off

    def _grab(self, note: Note, pos: QPoint) -> str:
        """What a drag from ``pos`` on ``note`` does: "trim" its start (its left edge, with the tools other
        than Move: the end stays where it is), "resize" its end (its right edge, or anywhere with the Resize
        tool) or "move" it."""
        tool = self.state.tool
        if tool is Tool.MOVE:
            return "move"
        if self._on_right_edge(note, pos):
            return "resize"
        if self._on_left_edge(note, pos):
            return "trim"
        return "resize" if tool is Tool.RESIZE else "move"

    def _handle_px(self, note: Note) -> float:
        """How far in from an edge grabs it: a third of a short note each, its middle third moves it."""
        drawn = max(note.duration, self.roll.min_ticks)  # a 1-tick note is drawn (and grabbed) wider
        return min(RESIZE_HANDLE_PX, drawn * self._sx / 3)

    def _on_right_edge(self, note: Note, pos: QPoint) -> bool:
        right = self.tick_to_x(note.start + max(note.duration, self.roll.min_ticks))
        return right - pos.x() <= self._handle_px(note)

    def _on_left_edge(self, note: Note, pos: QPoint) -> bool:
        return pos.x() - self.tick_to_x(note.start) <= self._handle_px(note)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if event.button() == Qt.MouseButton.LeftButton and self.grip_rect().contains(pos):
            self._gesture = _Gesture("grip", self.mapToScene(pos))  # the drag starts when the mouse moves
            return
        sp = self.mapToScene(pos)
        note = self.roll.active_note_at(sp)
        tool = self.state.tool
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if event.button() == Qt.MouseButton.RightButton or (
            event.button() == Qt.MouseButton.LeftButton and tool is Tool.ERASE
        ):
            self._gesture = _Gesture("erase", sp)
            if note is not None:
                self._erase(note)
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        if note is not None:
            if shift:
                # with every tool (F1 says Shift+click, no tool named; with Draw it is the way to build a
                # selection), a Shift-click toggles the note in the selection; a Shift-drag moves or
                # resizes off the grid
                self._gesture = _Gesture("shift", sp, note)
                return
            if note.id not in self.state.selection:
                self.state.set_selection({note.id})
            kind = self._grab(note, pos)
            if kind == "move" and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._start_copy_drag(sp, note)
            else:
                self._start_drag(kind, sp, note)
            self.audition.emit(note.pitch, note.velocity)
            return
        if tool is Tool.DRAW:
            start = self.state.grid().floor(sp.x()) if self._snap_on(event) else int(sp.x())
            pitch = self.y_to_pitch(pos.y())
            gesture = new_gesture()
            note = self.editor.add_note(pitch, start, self.state.note_length, gesture=gesture)
            self._gesture = _Gesture("draw", sp, note, (note,), token=gesture)
            self.audition.emit(pitch, note.velocity)
            return
        if not shift:
            self.state.set_selection(())
        self._gesture = _Gesture("band", sp, originals=tuple(self.state.selected_notes()))
        self._band.setGeometry(QRect(pos, QSize()))
        self._band.show()

    def _start_drag(self, kind: str, sp: QPointF, anchor: Note) -> None:
        notes = tuple(self.state.selected_notes())
        controllers = self.editor.controllers_moving_with(notes) if kind == "move" else ()
        self._gesture = _Gesture(kind, sp, anchor, notes, controllers=controllers)

    def _start_copy_drag(self, sp: QPointF, anchor: Note) -> None:
        """Ctrl-drag: copies of the selection appear under the mouse and move; the originals stay."""
        gesture = new_gesture()
        selected = self.state.selected_notes()
        copies = self.editor.copy_notes(selected, gesture=gesture)
        grabbed = copies[[n.id for n in selected].index(anchor.id)]
        self._gesture = _Gesture(
            "copy", sp, grabbed, copies, token=gesture, sources=tuple(n.id for n in selected)
        )

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        g = self._gesture
        if g is None:
            self._update_cursor(pos)
            return super().mouseMoveEvent(event)
        if g.kind == "grip":
            if (self.mapFromScene(g.press) - pos).manhattanLength() >= QApplication.startDragDistance():
                self._gesture = None
                self.drag_out_selection.emit()
            return
        if g.kind == "shift":
            if (self.mapFromScene(g.press) - pos).manhattanLength() < SHIFT_DRAG_PX:
                return
            self.state.set_selection(self.state.selection | {g.anchor.id})
            self._start_drag(self._grab(g.anchor, self.mapFromScene(g.press)), g.press, g.anchor)
        self._held = (pos, self._snap_on(event))
        self._scroll_at_edge()

    def _scroll_at_edge(self) -> None:
        """A drag held past the roll's edge scrolls it that way, on every move and, while the mouse stays
        there, on a timer, and the gesture follows: a note can be dragged, a band drawn or a note stretched
        to bars out of view."""
        g = self._gesture
        if g is None or self._held is None:
            self._edge_timer.stop()
            return
        pos, snapping = self._held
        area = self.viewport().rect()
        dx = max(0, pos.x() - area.right()) - max(0, area.left() - pos.x())
        dy = max(0, pos.y() - area.bottom()) - max(0, area.top() - pos.y())
        if dx or dy:
            for bar, delta in ((self.horizontalScrollBar(), dx), (self.verticalScrollBar(), dy)):
                bar.setValue(bar.value() + max(-EDGE_SCROLL_PX, min(EDGE_SCROLL_PX, delta)))
            if not self._edge_timer.isActive():
                self._edge_timer.start()
        else:
            self._edge_timer.stop()
        self._follow(g, pos, snapping)

    def _follow(self, g: _Gesture, pos: QPoint, snapping: bool) -> None:
        """The gesture to the mouse at viewport ``pos``."""
        sp = self.mapToScene(pos)
        if g.kind == "band":
            self._band.setGeometry(QRect(self.mapFromScene(g.press), pos).normalized())
        elif g.kind == "erase":
            note = self.roll.active_note_at(sp)
            if note is not None:
                self._erase(note)
        elif g.kind in ("move", "copy"):
            self._drag_move(g, sp, snapping)
        elif g.kind == "resize":
            self._drag_resize(g, sp, snapping)
        elif g.kind == "trim":
            self._drag_trim(g, sp, snapping)
        elif g.kind == "draw":
            self._drag_draw(g, sp, snapping)

    def _drag_move(self, g: _Gesture, sp: QPointF, snapping: bool) -> None:
        raw = sp.x() - g.press.x()
        ticks = self.state.grid().snap(g.anchor.start + raw) - g.anchor.start if snapping else round(raw)
        semis = int(g.press.y() // 1) - int(sp.y() // 1)  # rows grow downwards, pitches upwards
        # stopped at the start of the piece once, for the notes and the controllers moving with them
        # together (each stopping on its own would part a pedal from its notes)
        earliest = min([n.start for n in g.originals] + [c.tick for c in g.controllers or ()])
        ticks = max(ticks, -earliest)
        if (ticks, semis) == g.last:
            return
        pitch_moved = semis != g.last[1]
        g.last = (ticks, semis)
        self.editor.move_notes(g.originals, ticks, semis, gesture=g.token, controllers=g.controllers or ())
        if pitch_moved:
            self.audition.emit(max(0, min(127, g.anchor.pitch + semis)), g.anchor.velocity)

    def _drag_resize(self, g: _Gesture, sp: QPointF, snapping: bool) -> None:
        """The grabbed end follows the mouse to the nearest line the roll draws (counted from each bar
        line, not from the note's start: a note played early still ends on a line), never before the first
        line after its start; the selection's ends move with it, each stopping at the first line after its
        own start (a tick, off the grid), and a note already shorter than that is not shortened."""
        raw = sp.x() - g.press.x()
        if snapping:
            grid = self.state.grid()
            end = max(grid.snap(g.anchor.end + raw), grid.next_line(g.anchor.start))
            delta = end - g.anchor.end

            def shortest(note: Note) -> int:
                return grid.next_line(note.start) - note.start
        else:
            delta, shortest = round(raw), 1
        if (delta, 0) == g.last:
            return
        g.last = (delta, 0)
        self.editor.resize_notes(g.originals, delta, shortest, gesture=g.token)

    def _drag_trim(self, g: _Gesture, sp: QPointF, snapping: bool) -> None:
        """The grabbed start follows the mouse to the nearest grid line, and the selection's starts move
        with it; every end stays, and no note gets shorter than a grid step (a tick, off the grid)."""
        raw = sp.x() - g.press.x()
        delta = self.state.grid().snap(g.anchor.start + raw) - g.anchor.start if snapping else round(raw)
        if (delta, 0) == g.last:
            return
        g.last = (delta, 0)
        shortest = grid_line(1, self.state.snap_step()) if snapping else 1
        self.editor.trim_starts(g.originals, delta, shortest, gesture=g.token)

    def _drag_draw(self, g: _Gesture, sp: QPointF, snapping: bool) -> None:
        """While drawing, the new note's end follows the mouse (to the nearest grid line), at least to the
        first grid line after its start."""
        grid = self.state.grid()
        shortest = grid.move(g.anchor.start, 1) if snapping else 1
        end = grid.snap(sp.x()) if snapping else round(sp.x())
        delta = max(shortest, end - g.anchor.start) - g.anchor.duration
        if (delta, 0) == g.last:
            return
        g.last = (delta, 0)
        self.editor.resize_notes(g.originals, delta, shortest, gesture=g.token)

    def _erase(self, note: Note) -> None:
        self.editor.delete_notes({note.id}, gesture=self._gesture.token)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        g, self._gesture = self._gesture, None
        self._held = None
        self._edge_timer.stop()
        if g is None:
            return super().mouseReleaseEvent(event)
        if g.kind == "shift":  # no drag: a Shift-click
            self.state.set_selection(self.state.selection ^ {g.anchor.id})
        elif g.kind == "band":
            self._band.hide()
            rect = QRectF(g.press, self.mapToScene(event.position().toPoint())).normalized()
            hits = {n.id for n in self.roll.active_notes_in(rect)}
            self.state.set_selection(hits | {n.id for n in g.originals})
        elif g.kind == "copy" and g.last == (0, 0):  # copies dropped where they were taken: no copy at all
            self.editor.delete_notes({n.id for n in g.originals}, gesture=g.token)
            self.state.set_selection(g.sources)
        elif g.kind in ("resize", "trim", "draw"):
            track = self.state.active_track()
            note = track.note_by_id(g.anchor.id) if track else None
            if note is not None:
                self.state.note_length = note.duration  # the draw tool remembers the last length

    def _update_cursor(self, pos: QPoint | None) -> None:
        tool = self.state.tool
        shape = {
            Tool.DRAW: Qt.CursorShape.CrossCursor,
            Tool.ERASE: Qt.CursorShape.ForbiddenCursor,
            Tool.MOVE: Qt.CursorShape.SizeAllCursor,
            Tool.RESIZE: Qt.CursorShape.SizeHorCursor,
        }.get(tool, Qt.CursorShape.ArrowCursor)
        if pos is not None and self.grip_rect().contains(pos):
            self.viewport().setCursor(Qt.CursorShape.DragCopyCursor)
            return
        if pos is not None and tool in (Tool.DRAW, Tool.SELECT):
            note = self.roll.active_note_at(self.mapToScene(pos))
            if note is not None:
                shape = (
                    Qt.CursorShape.OpenHandCursor
                    if self._grab(note, pos) == "move"
                    else Qt.CursorShape.SizeHorCursor
                )
        self.viewport().setCursor(shape)

    # -- what is painted over the notes ---------------------------------------------------------------
    def selection_box(self) -> QRectF | None:
        """The selected notes' bounding box in viewport pixels (None when nothing is selected)."""
        selection = self.state.selection
        if not selection:
            return None
        project = self.state.document.project
        cached = self._selection_box
        if cached is None or cached[0] is not project or cached[1] != selection:
            notes = self.state.selected_notes()
            scene = (
                QRectF(
                    QPointF(min(n.start for n in notes), ROWS - 1 - max(n.pitch for n in notes)),
                    QPointF(max(n.start + n.duration for n in notes), ROWS - min(n.pitch for n in notes)),
                )
                if notes
                else None
            )
            self._selection_box = cached = (project, selection, scene)
        scene = cached[2]
        if scene is None:
            return None
        box = self.viewportTransform().mapRect(scene)
        return box.adjusted(0, 0, max(0.0, MIN_NOTE_PX - box.width()), 0)

    def grip_rect(self) -> QRect:
        """Where the drag-out grip is: just outside the selection's top right corner, kept inside the view."""
        box = self.selection_box()
        if box is None:
            return QRect()
        vw, vh = self.viewport().width(), self.viewport().height()
        x = int(min(max(box.right() + 2, 0), vw - GRIP_PX))
        y = int(min(max(box.top() - GRIP_PX - 2, 0), vh - GRIP_PX))
        return QRect(x, y, GRIP_PX, GRIP_PX)

    def shows_note_names(self) -> bool:
        return self._sy >= NAME_MIN_ROW_PX

    def shows_hint(self) -> bool:
        """The empty piece's hint, while nothing is drawn: over the takes of a Generate on the empty piece
        it was written across their notes, and it told the musician to Generate when they had."""
        return not self._takes_shown and not any(t.notes for t in self.state.document.project.tracks)

    def set_takes_shown(self, shown: bool, pitched: bool) -> None:
        """Whether a Generate's takes are drawn over the roll, and whether any of them is a pitched part (the
        Generate controller says): the rows are then pitches (``drum_rows``)."""
        self._takes_shown = shown
        self._pitched_takes = shown and pitched
        self.rows_changed.emit()
        self.viewport().update()

    def drum_rows(self) -> bool:
        """Whether the rows are a drum kit's, named for its drums at the keyboard (Bass Drum 1, Acoustic
        Snare, ...): the active track is drums and no pitched take is drawn over it. Before, Add a part over
        a beat drew its bass on rows named for drums, its notes read as hits; a pitched take is read on
        pitch rows, as its track shows it once kept (Keep makes that track active)."""
        track = self.state.active_track()
        return bool(track and track.is_drum) and not self._pitched_takes

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)
        painter.save()
        painter.resetTransform()  # from here on, viewport pixels
        if self.shows_note_names():
            self._draw_note_names(painter)
        if self.shows_hint():
            self._draw_hint(painter)
        grip = self.grip_rect()
        if not grip.isEmpty():
            painter.setPen(QColor("#0c0d0f"))
            painter.setBrush(QColor("#8fb4ff"))
            painter.drawRoundedRect(grip.adjusted(0, 0, -1, -1), 3, 3)
            painter.setPen(QColor("#0c0d0f"))
            painter.drawText(grip, Qt.AlignmentFlag.AlignCenter, "\u2197")  # an arrow out of the roll
        painter.restore()

    def visible_named_notes(self) -> list[tuple[Note, QRectF]]:
        """The active track's notes wide enough for their name, with their rectangles in viewport pixels.

        Found by bisecting the track's note starts (the track is immutable: the index is kept until the
        track changes) and placed with the transform's numbers, as this runs on every repaint.
        """
        track = self.state.active_track()
        if track is None or not self.shows_note_names():
            return []
        if self._name_index is None or self._name_index[0] is not track:
            longest = max((n.duration for n in track.notes), default=0)
            self._name_index = (track, [n.start for n in track.notes], longest)
        _track, starts, longest = self._name_index
        t = self.viewportTransform()
        sx, dx, sy, dy = t.m11(), t.dx(), t.m22(), t.dy()
        vw, vh = self.viewport().width(), self.viewport().height()
        left, right = -dx / sx, (vw - dx) / sx
        out = []
        notes = track.notes
        for n in notes[bisect_left(starts, left - longest) : bisect_right(starts, right)]:
            width = n.duration * sx
            if width < NAME_MIN_NOTE_PX or n.end < left:
                continue
            y = (ROWS - 1 - n.pitch) * sy + dy
            if -sy < y < vh:
                out.append((n, QRectF(n.start * sx + dx, y, width, sy)))
        return out

    def _draw_note_names(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPixelSize(max(8, min(12, int(self._sy) - 3)))
        painter.setFont(font)
        painter.setPen(QColor("#101216"))
        metrics = QFontMetricsF(font)
        lift = (metrics.ascent() - metrics.descent()) / 2
        for note, box in self.visible_named_notes():
            name = f"{PITCH_NAMES[note.pitch % 12]}{note.pitch // 12 - 1}"  # C4 is middle C, as on the keys
            painter.drawText(QPointF(box.left() + 3, box.center().y() + lift), name)

    def _draw_hint(self, painter: QPainter) -> None:
        area = QRectF(self.viewport().rect()).adjusted(40, 0, -40, 0)
        box = QRectF(area.left(), area.center().y() - 50, area.width(), 100)
        painter.setPen(QColor("#9aa3af"))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.hint)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._shown_piece:  # the first real size is when centring makes sense
            self._shown_piece = True
            self.show_piece()
        self.view_changed.emit()
