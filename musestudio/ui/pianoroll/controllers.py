"""A controller lane under the roll: one lane (sustain, modulation, ..., pitch bend, any CC) of the active track.

The value holds from one event to the next, so it is drawn as steps; switches (the sustain pedal and the
other pedals) as on/off bars, pitch bend around a centre line. Tools: draw (freehand), line and erase.
Every gesture is computed from the track as it was when the mouse went down and pushed under one gesture
token, so a stroke is one undo step and a line that shrinks gives back what it had covered.

A drawn pedal stroke is a span: at its end the pedal goes back to what it was before the stroke, so drawing
a bar of "down" does not leave the pedal down to the end of the piece.
"""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from musestudio.core.events import (
    CHANNEL_PRESSURE,
    EXPRESSION,
    MODULATION,
    PAN,
    PITCH_BEND,
    SUSTAIN,
    VOLUME,
    ControlEvent,
    is_switch,
    lane_default,
    lane_range,
)
from musestudio.core.timing import ticks_to_bar_beat
from musestudio.ui.actions import label_without_mnemonic
from musestudio.ui.commands import has_ended, new_gesture
from musestudio.ui.editor import Editor
from musestudio.ui.gm import controller_name
from musestudio.ui.pianoroll.picture import LanePicture
from musestudio.ui.pianoroll.view import PianoRollView

# rows this close to pitch bend's centre line draw no bend (the line is painted on a whole row)
CENTRE_SNAP_PX = 1
MARGIN = 4
BACKGROUND = QColor("#1b1d21")
GRID = QColor("#2f333a")
TOOLS = ("draw", "line", "erase")


def _same_key(a: tuple, b: tuple) -> bool:
    """Cache keys match: the same events tuple (by identity: values are immutable) and the same view."""
    return a[0] is b[0] and a[1:] == b[1:]


class ControllerLane(QWidget):
    lane_changed = Signal(int)  # the lane shown

    def __init__(self, view: PianoRollView, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.editor = editor
        self.state = editor.state
        self.lane = SUSTAIN
        self.tool = "draw"
        self.setMinimumHeight(48)
        self.setMouseTracking(True)
        self._cache: tuple[object, int, tuple[ControlEvent, ...], list[int]] | None = None
        self._drag: dict | None = None
        self._picture = LanePicture(_same_key)
        view.view_changed.connect(self.update)
        self.state.active_track_changed.connect(lambda _i: self.update())
        self.state.document.changed.connect(lambda *_: self.update())
        self.state.playhead_changed.connect(lambda _t: self.update())

    def sizeHint(self) -> QSize:
        return QSize(800, 90)

    def set_lane(self, lane: int) -> None:
        if lane != self.lane:
            self.lane = lane
            self.update()
            self.lane_changed.emit(lane)

    def set_tool(self, tool: str) -> None:
        self.tool = tool
        self.setCursor(Qt.CursorShape.ForbiddenCursor if tool == "erase" else Qt.CursorShape.CrossCursor)

    # -- geometry --------------------------------------------------------------------------------------
    def _value_y(self, value: float) -> float:
        lo, hi = lane_range(self.lane)
        span = self.height() - 2 * MARGIN
        return MARGIN + span * (1 - (value - lo) / (hi - lo))

    def _value_at(self, y: float) -> int:
        """The value drawn at row ``y``. Pitch bend's centre line gives no bend at all, whatever the
        lane's height: where the height is odd no row maps to exactly 0, and a bend drawn back to the line
        would leave everything after it a few cents out of tune."""
        lo, hi = lane_range(self.lane)
        if self.lane == PITCH_BEND and abs(y - self._value_y(0)) <= CENTRE_SNAP_PX:
            return 0
        span = max(1, self.height() - 2 * MARGIN)
        value = round(lo + (hi - lo) * (1 - (y - MARGIN) / span))
        if is_switch(self.lane):
            return hi if value >= (lo + hi + 1) / 2 else lo
        return max(lo, min(hi, value))

    def _events(self):
        """The active track's events of this lane, and their ticks (cached per track value and lane)."""
        track = self.state.active_track()
        if track is None:
            return None, (), []
        key = track.controllers
        if self._cache is None or self._cache[0] is not key or self._cache[1] != self.lane:
            events = track.lane(self.lane)
            self._cache = (key, self.lane, events, [e.tick for e in events])
        return track, self._cache[2], self._cache[3]

    # -- painting --------------------------------------------------------------------------------------
    def _segments(self, events, ticks) -> list[tuple[float, float, int, bool]]:
        """(x0, x1, value, has_event) runs of one value across the visible width.

        Sparse lanes give one run per event; where there are more events than pixels, each pixel column
        takes the value in force at its right edge (found by bisection), so painting costs the width of
        the lane, not the number of events (a dense expression lane over a whole piece)."""
        left, right = self.view.visible_ticks()
        width = self.width()
        lo = max(0, bisect_right(ticks, left) - 1)
        hi = bisect_right(ticks, right)
        t = self.view.viewportTransform()
        scale, offset = t.m11(), t.dx()
        runs: list[tuple[float, float, int, bool]] = []
        if hi - lo <= width // 2:
            for j in range(lo, hi):
                x0 = max(-2.0, ticks[j] * scale + offset)
                x1 = ticks[j + 1] * scale + offset if j + 1 < len(ticks) else width + 2.0
                runs.append((x0, min(x1, width + 2.0), events[j].value, True))
            return runs
        for col in range(width + 1):
            j = bisect_right(ticks, (col + 1 - offset) / scale, lo, hi) - 1
            if j < 0:
                continue
            value = events[j].value
            if runs and runs[-1][2] == value and runs[-1][1] == col:
                runs[-1] = (runs[-1][0], col + 1.0, value, False)
            else:
                runs.append((float(col), col + 1.0, value, False))
        return runs

    def paintEvent(self, event: QPaintEvent) -> None:
        """The lane from a cached picture (it changes only with the events, the lane and the horizontal
        view: a vertical scroll or the moving playhead costs one blit), then the playhead over it."""
        track, events, ticks = self._events()
        t = self.view.viewportTransform()
        key = (
            track.controllers if track is not None else None,
            track.colour if track is not None else None,
            self.lane,
            t.m11(),
            t.dx(),
            self.width(),
            self.height(),
        )
        self._picture.paint(
            self,
            key,
            lambda p: self._paint_lane(p, track, events, ticks),
            self.view.tick_to_x(self.state.playhead),
        )

    def _paint_lane(self, p: QPainter, track, events, ticks) -> None:
        p.fillRect(QRectF(0, 0, self.width(), self.height()), BACKGROUND)
        lo, hi = lane_range(self.lane)
        p.setPen(GRID)
        for frac in (0.25, 0.5, 0.75):
            y = int(self._value_y(lo + (hi - lo) * frac))
            p.drawLine(0, y, self.width(), y)
        bend = self.lane == PITCH_BEND
        base_y = self._value_y(0 if bend else lo)
        if bend:
            p.setPen(QColor("#5d6572"))
            p.drawLine(0, int(base_y), self.width(), int(base_y))
        if track is not None and events:
            self._paint_values(p, QColor(track.colour), self._segments(events, ticks), base_y)

    def _paint_values(self, p: QPainter, colour: QColor, runs, base_y: float) -> None:
        fill = QColor(colour)
        if is_switch(self.lane):  # pedals: a bar wherever the pedal is down
            fill.setAlpha(90)
            bars = [
                QRectF(x0, MARGIN + 2, max(2.0, x1 - x0), self.height() - 2 * MARGIN - 4)
                for x0, x1, v, _e in runs
                if v >= 64
            ]
            p.setPen(QPen(colour.lighter(140)))
            p.setBrush(fill)
            p.drawRects(bars)
            return
        fill.setAlpha(60)
        # the value curve as one step polyline over filled runs (two calls into Qt however many events;
        # y = top - k * (value - lo))
        lo, hi = lane_range(self.lane)
        k = (self.height() - 2 * MARGIN) / (hi - lo)
        top = MARGIN + (self.height() - 2 * MARGIN)
        outline, dots, rects = [], [], []
        for x0, x1, v, has_event in runs:
            y = top - k * (v - lo)
            outline.append(QPointF(x0, y))
            outline.append(QPointF(x1, y))
            rects.append(QRectF(x0, min(y, base_y), x1 - x0, abs(base_y - y)))
            if has_event and x1 - x0 >= 4:
                dots.append(QRectF(x0 - 1.5, y - 1.5, 3, 3))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRects(rects)
        p.setPen(QPen(colour.lighter(130), 0))  # a cosmetic 1-px line: the raster fast path
        p.drawPolyline(QPolygonF(outline))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour.lighter(150))
        p.drawRects(dots)

    # -- gestures --------------------------------------------------------------------------------------
    def _tick(self, x: float) -> int:
        return max(0, round(self.view.x_to_tick(x)))

    def _step(self) -> int:
        """Freehand and line resolution: a 64th note (30 ticks at 480 per beat)."""
        return max(1, self.state.document.project.ticks_per_beat // 16)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        track = self.state.active_track()
        if track is None or event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return
        tool = "erase" if event.button() == Qt.MouseButton.RightButton else self.tool
        pos = event.position()
        tick, value = self._tick(pos.x()), self._value_at(pos.y())
        self._drag = {
            "tool": tool,
            "gesture": new_gesture(),
            "track": track,
            "start": (tick, value),
            "stroke": {tick: value},
            "sweep": (tick, tick),
        }
        self._apply(tick, value)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None and has_ended(self._drag["gesture"]):
            self._drag = None  # an undo or redo while the mouse was down ended the stroke
        if self._drag is None:
            self._show_readout(event)
            return
        pos = event.position()
        self._apply(self._tick(pos.x()), self._value_at(pos.y()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None

    def _show_readout(self, event: QMouseEvent) -> None:
        """Hovering says the value in force under the mouse ("64 at 3:1"; pedals say down or up)."""
        track, events, ticks = self._events()
        if track is None:
            return
        project = self.state.document.project
        tick = self._tick(event.position().x())
        i = bisect_right(ticks, tick) - 1
        value = events[i].value if i >= 0 else None
        if value is None:
            text = self.tr("No events yet (default %1)").replace("%1", str(lane_default(self.lane)))
        elif is_switch(self.lane):
            text = self.tr("down") if value >= 64 else self.tr("up")
        else:
            text = str(value)
        where = ticks_to_bar_beat(tick, project.time_signatures, project.ticks_per_beat)
        QToolTip.showText(event.globalPosition().toPoint(), f"{text} @ {where}", self)

    def _apply(self, tick: int, value: int) -> None:
        d = self._drag
        step = self._step()
        lane, track = self.lane, d["track"]
        if d["tool"] == "erase":
            a, b = d["sweep"]
            a, b = min(a, tick), max(b, tick)
            d["sweep"] = (a, b)
            half = max(1, round(3 / self.view.px_per_tick))  # the eraser is 6 px wide
            changed = track.replace_lane_range(lane, max(0, a - half), b + half + 1, ())
            return self._push(changed, self.tr("Erase controllers"))
        if d["tool"] == "line" or is_switch(lane):
            t0, v0 = d["start"]
            if is_switch(lane):
                value = v0  # a pedal stroke is a span of one state
            a, b = sorted((t0, tick))
            va, vb = (v0, value) if t0 <= tick else (value, v0)
            points = {}
            for t in range(a, b + 1, step):
                points[t] = round(va + (vb - va) * ((t - a) / (b - a) if b > a else 0))
            points[b] = vb
            stroke = points
        else:
            stroke = d["stroke"]
            prev = d.get("last", (tick, value))
            # fill the gap a fast mouse leaves, one event every step
            (t0, v0), (t1, v1) = prev, (tick, value)
            if abs(t1 - t0) > step:
                for t in range(min(t0, t1) + step, max(t0, t1), step):
                    stroke[t - t % step] = round(v0 + (v1 - v0) * (t - t0) / (t1 - t0))
            stroke[tick - tick % step if stroke else tick] = value
            d["last"] = (tick, value)
        a, b = min(stroke), max(stroke)
        events, previous = [], None
        for t in sorted(stroke):
            if stroke[t] != previous:
                events.append(ControlEvent(t, lane, stroke[t]))
                previous = stroke[t]
        if is_switch(lane):
            before = track.value_at(lane, b + 1, lane_default(lane))
            end = b + step
            if before != events[-1].value and not track.controllers_in(b + 1, end + 1, lane):
                events.append(ControlEvent(end, lane, before))  # the pedal goes back as it was
                b = end
        changed = track.replace_lane_range(lane, a, b + 1, events)
        text = self.tr("Draw line") if d["tool"] == "line" else self.tr("Draw controller")
        self._push(changed, text)

    def _push(self, changed, text: str) -> None:
        """Lay the stroke's lane (worked out from the lane as it was at mouse-down, so a stroke drawn back
        gives back what it had covered) into the piece as it is now: a take recorded or kept while the
        mouse is down stays, with its notes and its other lanes."""
        d = self._drag
        project = self.state.document.project
        current = project.track_by_id(changed.id)
        if current is None:
            return
        others = tuple(e for e in current.controllers if e.lane != self.lane)
        if others == tuple(e for e in changed.controllers if e.lane != self.lane):
            merged = current.with_controllers(changed.controllers)  # the order at a tick kept (bank, program)
        else:
            merged = current.with_controllers([*others, *changed.lane(self.lane)])
        if [(e.tick, e.lane, e.value) for e in merged.controllers] == [
            (e.tick, e.lane, e.value) for e in current.controllers
        ] and d.get("pushed"):
            return
        if changed.controllers == d["track"].controllers and not d.get("pushed"):
            return
        self.editor.push(project.replace_track(merged), text, d["gesture"])
        d["pushed"] = True


def cc_choices() -> list[tuple[str, int]]:
    """Every CC number, with its General MIDI name where it has one (in the user's language)."""
    return [(f"CC {n} · {name}" if (name := controller_name(n)) else f"CC {n}", n) for n in range(128)]


class ControllerPanel(QWidget):
    """The lane chooser and tools above a ControllerLane."""

    def __init__(self, view: PianoRollView, editor: Editor, move_with_notes: QAction, parent=None) -> None:
        super().__init__(parent)
        self.lane = ControllerLane(view, editor)
        self.state = editor.state
        self.choose = QComboBox()
        self.choose.setObjectName("controllerLane")
        self.choose.setToolTip(self.tr("Controller lane shown below (● = this track has events in it)"))
        self._choices = [
            (self.tr("Sustain pedal"), SUSTAIN),
            (self.tr("Modulation"), MODULATION),
            (self.tr("Expression"), EXPRESSION),
            (self.tr("Volume"), VOLUME),
            (self.tr("Pan"), PAN),
            (self.tr("Pitch bend"), PITCH_BEND),
            (self.tr("Channel pressure"), CHANNEL_PRESSURE),
        ] + cc_choices()
        for text, lane in self._choices:
            self.choose.addItem(text, lane)
        self.choose.setMaxVisibleItems(20)
        # as wide as its longest name when there is room, down to a short one in a small window
        self.choose.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choose.setMinimumContentsLength(10)
        self.choose.currentIndexChanged.connect(lambda i: self.lane.set_lane(self.choose.itemData(i)))
        self.tools = QActionGroup(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 1, 4, 1)
        bar.setSpacing(3)
        bar.addWidget(self.choose)  # no caption: the lane's name is written left of it, where the keys are
        self.tool_buttons: dict[str, QToolButton] = {}
        for tool, text, tip in (
            ("draw", self.tr("Draw"), self.tr("Draw values freehand (right button erases)")),
            ("line", self.tr("Line"), self.tr("Draw a straight line: a ramp or a held value")),
            ("erase", self.tr("Erase"), self.tr("Erase the events you sweep over")),
        ):
            action = QAction(text, self)
            action.setCheckable(True)
            action.setToolTip(tip)
            action.setChecked(tool == "draw")
            action.triggered.connect(lambda _=False, t=tool: self.lane.set_tool(t))
            self.tools.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setObjectName(f"lane_{tool}")
            bar.addWidget(button)
            self.tool_buttons[tool] = button
        with_notes = QToolButton()
        label_without_mnemonic(move_with_notes)
        with_notes.setDefaultAction(move_with_notes)
        with_notes.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addSpacing(8)
        bar.addWidget(with_notes)
        bar.addStretch(1)
        header = QWidget()
        header.setLayout(bar)
        header.setObjectName("laneHeader")
        header.setStyleSheet("#laneHeader { background:#16181b; }")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.lane, 1)
        self.lane.set_tool("draw")
        self.state.active_track_changed.connect(lambda _i: self._mark_used(choose=True))
        self.state.document.changed.connect(lambda *_: self._mark_used())
        self._used: tuple[int, ...] | None = None
        self._mark_used(choose=True)

    def select_lane(self, lane: int) -> None:
        self.choose.setCurrentIndex(self.choose.findData(lane))

    def _mark_used(self, choose: bool = False) -> None:
        """Mark the lanes that hold events; a new track shows its first used lane."""
        track = self.state.active_track()
        used = track.lanes() if track is not None else ()
        if used == self._used and not choose:
            return
        self._used = used
        for i, (text, lane) in enumerate(self._choices):
            self.choose.setItemText(i, f"{text} ●" if lane in used else text)
        if choose and used and self.lane.lane not in used:
            preferred = [lane for _t, lane in self._choices if lane in used]
            if preferred:
                self.select_lane(preferred[0])
