"""The bar/beat ruler above the roll: click to move the playhead, drag to set the loop region, right-click to
insert or delete bars. It labels the meter and key changes, and marks where a piece that ends in silent
bars ends (a loop's rests)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, bar_ticks, beat_unit_ticks, signature_at, silent_bars
from musestudio.ui.keynames import key_label
from musestudio.ui.pianoroll.scene import PLAYHEAD
from musestudio.ui.pianoroll.view import PianoRollView
from musestudio.ui.state import EditorState

HEIGHT = 26
DRAG_PX = 4  # a press that moves less than this is a click


# The colour of a meter or key change's label on the ruler.
CHANGE = QColor("#e0b85d")
# The colour of the piece's end, where it ends in silent bars.
END = QColor("#e07a6b")
END_GRAB_PX = 6  # how near the end mark the pointer is to be told about it


def conductor_changes(project: Project) -> dict[int, str]:
    """Labels of the meter and key changes after bar 1, by tick ("3/4", "G major", "3/4 · G major")."""
    labels: dict[int, list[str]] = {}
    for sig in project.time_signatures[1:]:
        labels.setdefault(sig.tick, []).append(str(sig))
    for change in project.key_changes:
        labels.setdefault(change.tick, []).append(key_label(change.key))
    return {tick: " · ".join(parts) for tick, parts in labels.items()}


def change_labels(project: Project, bars: list[int], right: float) -> list[tuple[int, str, str]]:
    """(tick, bar number, the change) for each meter or key change up to ``right``, as the ruler names
    them. A key change a file put mid-bar is named too, at its own tick, with no bar number."""
    numbers = {bar: str(i + 1) for i, bar in enumerate(bars)}
    changes = sorted(conductor_changes(project).items())
    return [(tick, numbers.get(tick, ""), text) for tick, text in changes if tick <= right]


class RulerWidget(QWidget):
    def __init__(self, view: PianoRollView, state: EditorState, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.state = state
        self.setFixedHeight(HEIGHT)
        self._press_x: float | None = None
        # Builds the right-click menu for the bar at a tick (Insert Bars, Delete Bars); None: no menu.
        self.menu_at: Callable[[int], QMenu] | None = None
        view.view_changed.connect(self.update)
        state.playhead_changed.connect(lambda _t: self.update())
        state.loop_changed.connect(self.update)
        state.document.changed.connect(lambda *_: self.update())

    def sizeHint(self) -> QSize:
        return QSize(800, HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1b1d21"))
        project = self.state.document.project
        tpb = project.ticks_per_beat
        left, right = self.view.x_to_tick(0), self.view.x_to_tick(self.width())
        loop = self.state.loop
        if loop is not None:
            colour = QColor("#5d8fe0") if self.state.loop_enabled else QColor("#4a4f58")
            x0, x1 = self.view.tick_to_x(loop[0]), self.view.tick_to_x(loop[1])
            p.fillRect(QRectF(x0, HEIGHT - 8, x1 - x0, 8), colour)
        bars = bar_lines(project.time_signatures, tpb, int(right) + 1)
        sx = self.view.px_per_tick
        label_every = 1
        while label_every * bar_ticks(project.time_signatures[0], tpb) * sx < 34:
            label_every *= 2
        metrics = p.fontMetrics()
        labels = [  # (x, bar number, the change) where a meter or key starts: drawn over the bar lines
            (int(self.view.tick_to_x(tick)) + 3, number, text)
            for tick, number, text in change_labels(project, bars, right)
        ]
        spans = [(x, x + metrics.horizontalAdvance(f"{n} {text}".strip()) + 4) for x, n, text in labels]
        for i, bar in enumerate(bars):
            sig = signature_at(project.time_signatures, bar)
            length = bar_ticks(sig, tpb)
            if bar + length < left or bar > right:
                continue
            x = self.view.tick_to_x(bar)
            p.setPen(QColor("#8a919c"))
            p.drawLine(int(x), 8, int(x), HEIGHT)
            under_a_label = any(a - 3 < x < b for a, b in spans)
            if i % label_every == 0 and not under_a_label:
                p.setPen(QColor("#d7dae0"))
                p.drawText(int(x) + 3, 13, str(i + 1))
            beat = beat_unit_ticks(sig, tpb)
            if beat * sx >= 8:
                p.setPen(QColor("#555b65"))
                for t in range(bar + beat, bar + length, beat):
                    bx = int(self.view.tick_to_x(t))
                    p.drawLine(bx, HEIGHT - 6, bx, HEIGHT)
        for (x, number, text), (a, b) in zip(labels, spans, strict=True):
            p.fillRect(QRectF(a - 1, 1, b - a, 15), QColor("#1b1d21"))
            p.setPen(QColor("#d7dae0"))
            p.drawText(x, 13, number)
            p.setPen(CHANGE)
            p.drawText(x + (metrics.horizontalAdvance(f"{number} ") if number else 0), 13, text)
        if silent_bars(project):
            self._paint_end(p, self.view.tick_to_x(project.end_of_track))
        x = self.view.tick_to_x(self.state.playhead)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(PLAYHEAD)
        p.drawPolygon(
            QPolygonF([QPointF(x - 6, HEIGHT - 10), QPointF(x + 6, HEIGHT - 10), QPointF(x, HEIGHT)])
        )
        p.setPen(QColor("#0c0d0f"))
        p.drawLine(0, HEIGHT - 1, self.width(), HEIGHT - 1)

    def _paint_end(self, p: QPainter, x: float) -> None:
        """The piece's end, where it ends in silent bars: a line across the ruler, "End" before it."""
        text = self.tr("End")
        width = p.fontMetrics().horizontalAdvance(text) + 8
        p.fillRect(QRectF(x - width, 1, width, 15), QColor("#1b1d21"))
        p.setPen(END)
        p.drawText(
            QRectF(x - width, 1, width - 4, 15),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
        p.setPen(QPen(END, 2))
        p.drawLine(QPointF(x, 0), QPointF(x, HEIGHT))

    def end_tip(self) -> str:
        """What the ruler says of the piece's end, where it ends in silent bars ("" where it does not)."""
        bars = silent_bars(self.state.document.project)
        if not bars:
            return ""
        return self.tr(
            "The piece ends here, after %n silent bar(s): the MIDI file it came from ends so (a loop's "
            "rests). They play, export and loop with it; Edit > Trim Silent Bars at the End ends the piece "
            "at its last note.",
            "",
            bars,
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            end = self.view.tick_to_x(self.state.document.project.end_of_track)
            tip = self.end_tip() if abs(event.pos().x() - end) <= END_GRAB_PX else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _tick_at(self, x: float) -> int:
        return max(0, self.state.grid().snap(self.view.x_to_tick(x)))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_x = event.position().x()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press_x is not None and abs(event.position().x() - self._press_x) >= DRAG_PX:
            a, b = sorted((self._tick_at(self._press_x), self._tick_at(event.position().x())))
            if b > a:
                self.state.set_loop(a, b)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.menu_at is not None:
            menu = self.menu_at(max(0, int(self.view.x_to_tick(event.pos().x()))))
            menu.exec(event.globalPos())
            menu.deleteLater()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press_x is not None and abs(event.position().x() - self._press_x) < DRAG_PX:
            self.state.set_playhead(self._tick_at(self._press_x))
        self._press_x = None
