"""The tempo lane and the marker row above the bar ruler: the piece's conductor track, edited in place.

Tempo lane: each tempo change is a handle on a step line with its BPM written beside it, in the beat the
meter there is counted in, as the toolbar's box reads it (``tempo_words``: 120 for a 6/8 jig the file holds
at 180 quarters); the line's height is the music's speed, so a meter change alone moves no step. Drag a
handle up or down to change its BPM (1 BPM a pixel, Shift 0.1, in the beat of the meter where it lands) and
sideways to move it (snapped to the grid, Alt off;
dropped on another change, the start of the piece's included, it takes its place); the whole drag is computed
from the project as it was when the mouse went down and lands as one undo step. Double-click adds a change
(the tempo already in force, ready to drag); Del removes the selected one. Clicking a change also puts the
playhead there, so the toolbar's BPM field shows and edits it.

Marker row: double-click an empty place to add a marker, double-click a marker to rename it in place
(Enter keeps, Escape cancels), drag it to move, Del to delete; a click puts the playhead on it.

Both snap to the grid lines the roll draws, counted from each bar line (``EditorState.grid``): after a 3/4
bar in 4/4, a grid counted from tick 0 put a half-note grid's lines mid-bar.
"""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QLineEdit, QToolTip, QWidget

from musestudio.core.project import Project
from musestudio.core.timing import counted_bpm, quarter_bpm, ticks_to_bar_beat
from musestudio.ui.commands import Gesture, has_ended, new_gesture
from musestudio.ui.editor import Editor
from musestudio.ui.pianoroll.picture import LanePicture
from musestudio.ui.pianoroll.view import PianoRollView
from musestudio.ui.tempo_words import tempo_mark

TEMPO_HEIGHT = 48
MARKER_HEIGHT = 18
PICK_PX = 6
DRAG_PX = 3
BACKGROUND = QColor("#17191c")
TEMPO_COLOUR = QColor("#e8b44a")
MARKER_COLOUR = QColor("#5fc3a4")
SELECTED = QColor("#ffffff")
LABEL_COLOUR = QColor("#f3d9a4")
DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def is_delete_key(event: QKeyEvent) -> bool:
    """Bare Del or Backspace: with Ctrl+Shift it is the window's Delete Bars, not the selected item's."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in DELETE_KEYS and modifiers == Qt.KeyboardModifier.NoModifier


def format_bpm(bpm: float) -> str:
    return f"{bpm:.0f}" if abs(bpm - round(bpm)) < 0.05 else f"{bpm:.1f}"


class _ConductorRow(QWidget):
    """What both rows share: the view's time axis, a selected item, Del, and the grid."""

    def __init__(self, view: PianoRollView, editor: Editor, height: int, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.editor = editor
        self.state = editor.state
        self.selected: int | None = None  # id of the selected tempo change or marker
        self.setFixedHeight(height)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(True)
        self._time_axis: tuple[float, float] | None = None
        self._picture = LanePicture(
            lambda old, new: all(a is b for a, b in zip(old[0], new[0], strict=True)) and old[1:] == new[1:]
        )
        view.view_changed.connect(self._view_changed)
        self.state.playhead_changed.connect(lambda _t: self.update())
        self.state.document.changed.connect(lambda *_: self.update())

    def _drag_going_on(self) -> dict | None:
        """The drag in progress, or None: one that an undo or redo ended while the mouse was down is over,
        as the item it drags may be gone with the edit undone (a marker just added)."""
        if self._drag is not None and has_ended(self._drag["gesture"]):
            self._drag = None
        return self._drag

    def sizeHint(self) -> QSize:
        return QSize(800, self.height())

    def _view_changed(self) -> None:
        """Repaint for a horizontal scroll or zoom only: scrolling through the pitches changes nothing here."""
        t = self.view.viewportTransform()
        axis = (t.m11(), t.dx())
        if axis != self._time_axis:
            self._time_axis = axis
            self.update()

    def _tick_at(self, x: float, snapping: bool = True) -> int:
        tick = self.view.x_to_tick(x)
        return max(0, self.state.grid().snap(tick) if snapping else round(tick))

    def _delete_selected(self) -> bool:
        raise NotImplementedError

    def _content(self) -> tuple:
        """What the row shows (compared by identity: project values are immutable)."""
        raise NotImplementedError

    def _paint_content(self, p: QPainter) -> None:
        raise NotImplementedError

    def paintEvent(self, event: QPaintEvent) -> None:
        """The row from a cached picture, redrawn only when its events, selection or time axis change;
        the moving playhead (every frame while playing) costs one blit and a line."""
        t = self.view.viewportTransform()
        key = (self._content(), self.selected, t.m11(), t.dx(), self.width(), self.height())
        self._picture.paint(self, key, self._paint_content, self.view.tick_to_x(self.state.playhead))

    def event(self, event: QEvent) -> bool:
        # Del is the window's "delete notes" shortcut: while an item here is selected, it is ours
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and is_delete_key(event)
            and self.selected is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_delete_key(event) and self.selected is not None and self._delete_selected():
            self.selected = None
            self.update()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.selected = None
            self.update()
            self.view.setFocus()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.update()


class TempoLane(_ConductorRow):
    def __init__(self, view: PianoRollView, editor: Editor, parent=None) -> None:
        super().__init__(view, editor, TEMPO_HEIGHT, parent)
        self.setToolTip(
            self.tr(
                "Tempo: drag a change up/down for BPM (Shift: fine), sideways to move it; "
                "double-click to add one, Del to remove it"
            )
        )
        # drag: (gesture, project at press, change id, press point, tick, bpm, range, moved)
        self._drag: dict | None = None

    # -- geometry --------------------------------------------------------------------------------------
    def _range(self, project: Project | None = None) -> tuple[float, float]:
        """BPM shown at the bottom and top: the map's span with a little room (frozen during a drag)."""
        bpms = [t.bpm for t in (project or self.state.document.project).tempos]
        lo, hi = min(bpms), max(bpms)
        pad = max(5.0, (hi - lo) * 0.1)
        return max(0.0, lo - pad), hi + pad

    def _bpm_y(self, bpm: float, span: tuple[float, float]) -> float:
        lo, hi = span
        top, bottom = 15.0, self.height() - 4.0  # room above the fastest tempo for its label
        return bottom - (bottom - top) * (bpm - lo) / (hi - lo)

    def _change_at(self, pos: QPointF):
        best, best_d = None, PICK_PX + 1.0
        left, right = self.view.visible_ticks()
        for t in self.state.document.project.tempos:
            if t.tick < left - 1000 or t.tick > right:
                continue
            d = abs(self.view.tick_to_x(t.tick) - pos.x())
            if d < best_d:
                best, best_d = t, d
        return best

    # -- painting --------------------------------------------------------------------------------------
    def _content(self) -> tuple:
        project = self.state.document.project  # the meters too: each label reads in its meter's beat
        return (project.tempos, project.time_signatures, self._drag["range"] if self._drag else None)

    def _paint_content(self, p: QPainter) -> None:
        p.fillRect(self.rect(), BACKGROUND)
        project = self.state.document.project
        span = self._drag["range"] if self._drag else self._range()
        tempos = project.tempos
        left, right = self.view.visible_ticks()
        width = self.width()
        fm = QFontMetrics(p.font())
        line_pen = QPen(TEMPO_COLOUR)
        line_pen.setWidthF(1.5)
        fill = QColor(TEMPO_COLOUR)
        fill.setAlpha(40)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        bottom = self.height()
        labels_until = -1e9  # x where the last label ended: labels never overlap
        t = self.view.viewportTransform()
        scale, offset = t.m11(), t.dx()  # tick -> x without a call into Qt per change
        ticks = [c.tick for c in tempos]
        first = max(0, bisect_right(ticks, left) - 1)
        fills, steps, handles, selected_handle, labels = [], [], [], [], []
        for i in range(first, len(tempos)):
            c = tempos[i]
            if c.tick > right:
                break
            end = tempos[i + 1].tick if i + 1 < len(tempos) else None
            hx = c.tick * scale + offset
            x0 = max(-2.0, hx)
            x1 = width + 2.0 if end is None else min(width + 2.0, end * scale + offset)
            y = self._bpm_y(c.bpm, span)
            fills.append(QRectF(x0, y, x1 - x0, bottom - y))
            steps.append(QLineF(x0, y, x1, y))
            if end is not None:  # the step to the next tempo
                steps.append(QLineF(x1, y, x1, self._bpm_y(tempos[i + 1].bpm, span)))
            handle = QRectF(hx - 3, y - 3, 7, 7)
            (selected_handle if c.id == self.selected else handles).append(handle)
            label = format_bpm(counted_bpm(c.bpm, project.meter_at(c.tick)))
            lx = hx + 6
            if lx > labels_until and hx >= -40:
                labels.append((QPointF(lx, y - 4), label, c.id == self.selected))
                labels_until = lx + fm.horizontalAdvance(label) + 4
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRects(fills)
        p.setPen(line_pen)
        p.drawLines(steps)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(TEMPO_COLOUR)
        p.drawRects(handles)
        p.setBrush(SELECTED)
        p.drawRects(selected_handle)
        for point, label, selected in labels:
            p.setPen(SELECTED if selected else LABEL_COLOUR)
            p.drawText(point, label)
        p.setPen(QColor("#0c0d0f"))
        p.drawLine(0, bottom - 1, width, bottom - 1)

    # -- gestures --------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        change = self._change_at(event.position())
        self.selected = change.id if change is not None else None
        self.update()
        if change is None:
            return
        project = self.state.document.project
        self._drag = {
            "gesture": new_gesture(),
            "origin": project,
            "id": change.id,
            "press": event.position(),
            "tick": change.tick,
            "bpm": change.bpm,
            "range": self._range(project),
            "moved": False,
        }

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        d = self._drag_going_on()
        if d is None:
            change = self._change_at(event.position())
            self.setCursor(Qt.CursorShape.SizeAllCursor if change else Qt.CursorShape.ArrowCursor)
            self._show_readout(event, change)
            return
        delta = event.position() - d["press"]
        if not d["moved"] and abs(delta.x()) < DRAG_PX and abs(delta.y()) < DRAG_PX:
            return
        d["moved"] = True
        fine = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        snapping = not event.modifiers() & Qt.KeyboardModifier.AltModifier
        tick = d["tick"]
        if d["tick"] > 0 and abs(delta.x()) >= DRAG_PX:  # the first tempo starts the piece: it stays
            raw = d["tick"] + delta.x() / self.view.px_per_tick
            tick = max(0, self.state.grid().snap(raw) if snapping else round(raw))
        bpm = d["bpm"]  # moved sideways only, the music keeps its speed (the label follows the meter)
        if abs(delta.y()) >= DRAG_PX:
            meter = d["origin"].meter_at(tick)
            counted = counted_bpm(d["bpm"], meter) - delta.y() * (0.1 if fine else 1.0)
            bpm = quarter_bpm(round(max(1.0, counted), 1 if fine else 0), meter)
        self.editor.move_tempo_change(d["id"], tick, gesture=d["gesture"], origin=d["origin"])
        self.editor.set_tempo_change(d["id"], bpm, gesture=d["gesture"])
        self._show_readout(event, self.state.document.project.tempo_change_by_id(d["id"]))

    def _show_readout(self, event: QMouseEvent, change) -> None:
        """Hovering a change says exactly what it is: "♩. = 112.5 at 3:2" (the lane is too small for
        decimals and units)."""
        if change is None:
            QToolTip.hideText()
            return
        project = self.state.document.project
        where = ticks_to_bar_beat(change.tick, project.time_signatures, project.ticks_per_beat)
        meter = project.meter_at(change.tick)
        tempo = tempo_mark(format_bpm(counted_bpm(change.bpm, meter)), meter)
        text = self.tr("%1 at %2").replace("%1", tempo).replace("%2", str(where))
        QToolTip.showText(event.globalPosition().toPoint(), text, self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        d, self._drag = self._drag_going_on(), None
        if d is not None:
            project = self.state.document.project
            change = project.tempo_change_by_id(d["id"])
            self.state.set_playhead(change.tick)  # the BPM field now shows (and edits) this change
            if len(project.tempos) < len(d["origin"].tempos) and hasattr(self.window(), "statusBar"):
                self.window().statusBar().showMessage(
                    self.tr(
                        "The tempo change took the place of the one it was moved onto (Undo brings it back)"
                    ),
                    8000,
                )
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._change_at(event.position()) is not None:
            return
        snapping = not event.modifiers() & Qt.KeyboardModifier.AltModifier
        tick = self._tick_at(event.position().x(), snapping)
        change = self.editor.add_tempo_change(tick)
        self.selected = change.id
        self.state.set_playhead(tick)
        self.update()

    def _delete_selected(self) -> bool:
        project = self.state.document.project
        if len(project.tempos) < 2 or self.selected not in {t.id for t in project.tempos}:
            return False
        self.editor.remove_tempo_change(self.selected)
        return True


class MarkerRow(_ConductorRow):
    renamed = Signal(int)  # marker id: a rename was committed

    def __init__(self, view: PianoRollView, editor: Editor, parent=None) -> None:
        super().__init__(view, editor, MARKER_HEIGHT, parent)
        self.setToolTip(
            self.tr(
                "Markers: double-click to add or rename, drag to move, Del to delete; "
                "Alt+Left/Alt+Right jump between them"
            )
        )
        self._drag: dict | None = None
        self.editing: QLineEdit | None = None
        self._naming: Gesture | None = None  # the add of the marker being named (``start_rename``)

    def _flag_rect(self, marker, fm: QFontMetrics) -> QRectF:
        x = self.view.tick_to_x(marker.tick)
        return QRectF(x, 1, min(160, fm.horizontalAdvance(marker.text) + 10), self.height() - 3)

    def _marker_at(self, pos: QPointF):
        fm = QFontMetrics(self.font())
        for m in reversed(self.state.document.project.markers):  # the later flag is drawn on top
            r = self._flag_rect(m, fm)
            if r.adjusted(-PICK_PX, 0, 0, 0).contains(pos):
                return m
        return None

    def _content(self) -> tuple:
        return (self.state.document.project.markers,)

    def _paint_content(self, p: QPainter) -> None:
        p.fillRect(self.rect(), BACKGROUND)
        fm = QFontMetrics(p.font())
        left, right = self.view.visible_ticks()
        for m in self.state.document.project.markers:
            if m.tick > right:
                break
            r = self._flag_rect(m, fm)
            if r.right() < 0:
                continue
            selected = m.id == self.selected
            colour = SELECTED if selected else MARKER_COLOUR
            p.setPen(Qt.PenStyle.NoPen)
            back = QColor(colour)
            back.setAlpha(70 if not selected else 110)
            p.fillRect(r, back)
            p.fillRect(QRectF(r.x(), 0, 2, self.height()), colour)
            p.setPen(QColor("#e9f7f2"))
            p.drawText(
                r.adjusted(5, 0, -2, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                fm.elidedText(m.text, Qt.TextElideMode.ElideRight, int(r.width()) - 7),
            )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        marker = self._marker_at(event.position())
        self.selected = marker.id if marker is not None else None
        self.update()
        if marker is not None:
            self._drag = {
                "gesture": new_gesture(),
                "id": marker.id,
                "tick": marker.tick,
                "press": event.position(),
                "moved": False,
            }

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        d = self._drag_going_on()
        if d is None:
            over = self._marker_at(event.position()) is not None
            self.setCursor(Qt.CursorShape.OpenHandCursor if over else Qt.CursorShape.ArrowCursor)
            return
        dx = event.position().x() - d["press"].x()
        if not d["moved"] and abs(dx) < DRAG_PX:
            return
        d["moved"] = True
        raw = d["tick"] + dx / self.view.px_per_tick
        snapping = not event.modifiers() & Qt.KeyboardModifier.AltModifier
        tick = max(0, self.state.grid().snap(raw) if snapping else round(raw))
        if tick != self.state.document.project.marker_by_id(d["id"]).tick:
            self.editor.move_marker(d["id"], tick, gesture=d["gesture"])

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        d, self._drag = self._drag_going_on(), None
        if d is not None:
            self.state.set_playhead(self.state.document.project.marker_by_id(d["id"]).tick)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        marker = self._marker_at(event.position())
        naming = None
        if marker is None:
            snapping = not event.modifiers() & Qt.KeyboardModifier.AltModifier
            naming = new_gesture()
            marker = self.editor.add_marker(self._tick_at(event.position().x(), snapping), gesture=naming)
            self.selected = marker.id
        self.start_rename(marker.id, naming)

    def start_rename(self, marker_id: int, naming: Gesture | None = None) -> QLineEdit:
        """Edit a marker's name in place: Enter keeps it, Escape (or an empty name) cancels. ``naming``: the
        gesture of the marker's add, just made by a double-click, so adding and naming it are one undo
        step (Undo takes the named marker away, not just its name)."""
        self.finish_rename(False)
        self._naming = naming
        marker = self.state.document.project.marker_by_id(marker_id)
        edit = QLineEdit(marker.text, self)
        edit.setObjectName("markerName")
        edit.setFrame(False)
        edit.setStyleSheet("background:#0f2e26; color:#ffffff; padding:0 3px;")
        x = max(0, int(self.view.tick_to_x(marker.tick)))
        edit.setGeometry(x, 0, 180, self.height())
        edit.selectAll()
        edit.setProperty("marker_id", marker_id)
        edit.returnPressed.connect(lambda: self.finish_rename(True))
        edit.installEventFilter(self)
        edit.show()
        edit.setFocus()
        self.editing = edit
        return edit

    def finish_rename(self, keep: bool) -> None:
        edit, self.editing = self.editing, None
        if edit is None:
            return
        marker_id = edit.property("marker_id")
        text = edit.text()
        edit.removeEventFilter(self)
        edit.hide()
        edit.deleteLater()
        naming, self._naming = self._naming, None
        if has_ended(naming):  # an undo or redo came meanwhile: the name is a step of its own
            naming = None
        if keep and marker_id in {m.id for m in self.state.document.project.markers}:
            self.editor.rename_marker(marker_id, text, naming)
            self.renamed.emit(marker_id)
        self.view.setFocus()

    def eventFilter(self, obj, event: QEvent) -> bool:
        if obj is self.editing:
            if event.type() == QEvent.Type.ShortcutOverride and event.key() in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
                Qt.Key.Key_Escape,
            ):
                event.accept()  # Enter keeps the name here; it does not "play from start"
                return True
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.finish_rename(False)
                return True
            if event.type() == QEvent.Type.FocusOut:
                self.finish_rename(True)  # clicking elsewhere keeps what was typed, as in a file manager
        return super().eventFilter(obj, event)

    def _delete_selected(self) -> bool:
        if self.selected not in {m.id for m in self.state.document.project.markers}:
            return False
        self.editor.remove_marker(self.selected)
        return True
