"""The piano-roll view: turns mouse gestures into Editor calls and owns zoom and scrolling.

A gesture records the notes as they were when the mouse went down and, on every move, asks the Editor for
"those notes offset by the total drag so far" under one gesture token, so the document is always computed
from one origin and the whole drag is one undo step. Snapping works like a magnet on the grabbed note: its
start (or end, when resizing) lands on the nearest grid line; Alt turns snapping off for the drag.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QTransform, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QRubberBand

from musestudio.core.note import Note
from musestudio.core.timing import bar_ticks, snap, snap_floor
from musestudio.ui.commands import new_gesture
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


@dataclass
class _Gesture:
    kind: str  # "draw", "move", "copy", "resize", "band", "erase"
    press: QPointF  # scene position where the mouse went down
    anchor: Note | None = None
    originals: tuple[Note, ...] = ()
    token: int = field(default_factory=new_gesture)
    last: tuple[int, int] = (0, 0)
    sources: tuple[int, ...] = ()  # for a copy: the ids of the notes copied
    controllers: tuple = ()  # controller events that move with the notes ("move controllers with notes")


class PianoRollView(QGraphicsView):
    view_changed = Signal()  # scroll or zoom: the ruler, keyboard and velocity lane repaint
    audition = Signal(int, int)  # pitch, velocity: "let me hear this note"

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
        self._apply_zoom()
        self.horizontalScrollBar().valueChanged.connect(self.view_changed)
        self.verticalScrollBar().valueChanged.connect(self.view_changed)
        self.state.tool_changed.connect(lambda _t: self._update_cursor(None))
        self._shown_piece = False
        self.move_controllers_with_notes = False  # the "Move Controllers with Notes" option

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
        span = min(max(project.end, 4 * bar), FIT_MAX_BARS * bar)  # short pieces fit whole, long ones 8 bars
        fit = (self.viewport().width() - 8) / span
        self._zoom(max(MIN_FIT_PX_PER_TICK, min(MAX_FIT_PX_PER_TICK, fit)) / self._sx, 1.0, None)
        self.horizontalScrollBar().setValue(0)
        self.center_on_pitch((pitches[0] + pitches[-1]) / 2 if pitches else 60)

    def scroll_to_tick(self, tick: int) -> None:
        """Scroll so ``tick`` is in view (the view follows the playhead like a page turn)."""
        left, right = self.visible_ticks()
        if not left <= tick <= right - (right - left) * 0.05:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() + int(self.tick_to_x(tick) - self.viewport().width() * 0.1))

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
        return not event.modifiers() & Qt.KeyboardModifier.AltModifier  # Alt: this drag ignores the grid

    def _on_right_edge(self, note: Note, pos: QPoint) -> bool:
        drawn = max(note.duration, self.roll.min_ticks)  # a 1-tick note is drawn (and grabbed) wider
        right = self.tick_to_x(note.start + drawn)
        width = drawn * self._sx
        return right - pos.x() <= min(RESIZE_HANDLE_PX, width / 3)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
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
            if shift and tool is not Tool.DRAW:
                self.state.set_selection(self.state.selection ^ {note.id})
                return
            if note.id not in self.state.selection:
                self.state.set_selection({note.id})
            resize = tool is Tool.RESIZE or (tool is not Tool.MOVE and self._on_right_edge(note, pos))
            if not resize and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._start_copy_drag(sp, note)
            else:
                self._start_drag("resize" if resize else "move", sp, note)
            self.audition.emit(note.pitch, note.velocity)
            return
        if tool is Tool.DRAW:
            step = self.state.snap_ticks()
            start = snap_floor(sp.x(), step) if self._snap_on(event) else int(sp.x())
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
        controllers = ()
        track = self.state.active_track()
        if kind == "move" and self.move_controllers_with_notes and notes and track is not None:
            # the controllers under the selection's span travel with it (a pedalled bar keeps its pedal)
            controllers = track.controllers_in(min(n.start for n in notes), max(n.end for n in notes))
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
        sp = self.mapToScene(pos)
        if g.kind == "band":
            self._band.setGeometry(QRect(self.mapFromScene(g.press), pos).normalized())
        elif g.kind == "erase":
            note = self.roll.active_note_at(sp)
            if note is not None:
                self._erase(note)
        elif g.kind in ("move", "copy"):
            self._drag_move(g, sp, self._snap_on(event))
        elif g.kind == "resize":
            self._drag_resize(g, sp, self._snap_on(event))
        elif g.kind == "draw":
            self._drag_draw(g, sp, self._snap_on(event))

    def _drag_move(self, g: _Gesture, sp: QPointF, snapping: bool) -> None:
        raw = sp.x() - g.press.x()
        ticks = (
            snap(g.anchor.start + raw, self.state.snap_ticks()) - g.anchor.start if snapping else round(raw)
        )
        semis = int(g.press.y() // 1) - int(sp.y() // 1)  # rows grow downwards, pitches upwards
        if (ticks, semis) == g.last:
            return
        pitch_moved = semis != g.last[1]
        g.last = (ticks, semis)
        self.editor.move_notes(g.originals, ticks, semis, gesture=g.token)
        if g.controllers:
            self.editor.move_controllers(self.state.active_track_id, g.controllers, ticks, gesture=g.token)
        if pitch_moved:
            self.audition.emit(max(0, min(127, g.anchor.pitch + semis)), g.anchor.velocity)

    def _drag_resize(self, g: _Gesture, sp: QPointF, snapping: bool) -> None:
        step = self.state.snap_ticks()
        raw = sp.x() - g.press.x()
        if snapping:
            delta = snap(g.anchor.end + raw, step, offset=g.anchor.start) - g.anchor.end
        else:
            delta = round(raw)
        if (delta, 0) == g.last:
            return
        g.last = (delta, 0)
        self.editor.resize_notes(g.originals, delta, step if snapping else 1, gesture=g.token)

    def _drag_draw(self, g: _Gesture, sp: QPointF, snapping: bool) -> None:
        """While drawing, the new note's end follows the mouse (to the nearest grid line)."""
        step = self.state.snap_ticks() if snapping else 1
        end = snap(sp.x(), step) if snapping else round(sp.x())
        delta = max(step, end - g.anchor.start) - g.anchor.duration
        if (delta, 0) == g.last:
            return
        g.last = (delta, 0)
        self.editor.resize_notes(g.originals, delta, step, gesture=g.token)

    def _erase(self, note: Note) -> None:
        self.editor.delete_notes({note.id}, gesture=self._gesture.token)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        g, self._gesture = self._gesture, None
        if g is None:
            return super().mouseReleaseEvent(event)
        if g.kind == "band":
            self._band.hide()
            rect = QRectF(g.press, self.mapToScene(event.position().toPoint())).normalized()
            hits = {n.id for n in self.roll.active_notes_in(rect)}
            self.state.set_selection(hits | {n.id for n in g.originals})
        elif g.kind == "copy" and g.last == (0, 0):  # copies dropped where they were taken: no copy at all
            self.editor.delete_notes({n.id for n in g.originals}, gesture=g.token)
            self.state.set_selection(g.sources)
        elif g.kind in ("resize", "draw"):
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
        if pos is not None and tool in (Tool.DRAW, Tool.SELECT):
            note = self.roll.active_note_at(self.mapToScene(pos))
            if note is not None:
                shape = (
                    Qt.CursorShape.SizeHorCursor
                    if self._on_right_edge(note, pos)
                    else Qt.CursorShape.OpenHandCursor
                )
        self.viewport().setCursor(shape)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._shown_piece:  # the first real size is when centring makes sense
            self._shown_piece = True
            self.show_piece()
        self.view_changed.emit()
