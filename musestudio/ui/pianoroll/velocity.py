"""The velocity lane under the roll: one bar per note of the active track; drag a bar to change velocity.

Dragging a selected note's bar moves every selected note's velocity by the same amount (clamped to 1..127),
so a phrase keeps its shape; the whole drag is one undo step.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from musestudio.core.note import Note
from musestudio.ui.commands import Gesture, new_gesture
from musestudio.ui.editor import Editor
from musestudio.ui.pianoroll.view import PianoRollView

PICK_PX = 6
MARGIN = 4


class VelocityLane(QWidget):
    def __init__(self, view: PianoRollView, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.editor = editor
        self.state = editor.state
        self.setMinimumHeight(48)
        # the drag: its gesture, the velocities before it, the note grabbed
        self._drag: tuple[Gesture, dict[int, int], Note] | None = None
        self._starts_of: tuple[Note, ...] | None = None
        self._starts: list[int] = []
        view.view_changed.connect(self.update)
        self.state.selection_changed.connect(self.update)
        self.state.active_track_changed.connect(lambda _i: self.update())
        self.state.document.changed.connect(lambda *_: self.update())

    def sizeHint(self) -> QSize:
        return QSize(800, 90)

    def _velocity_y(self, velocity: float) -> float:
        return MARGIN + (self.height() - 2 * MARGIN) * (1 - velocity / 127)

    def _velocity_at(self, y: float) -> int:
        span = max(1, self.height() - 2 * MARGIN)
        return max(1, min(127, round(127 * (1 - (y - MARGIN) / span))))

    def _visible_notes(self):
        """Notes of the active track that start in view (notes are sorted by start: bisect, not scan)."""
        track = self.state.active_track()
        if track is None:
            return [], QColor("#888")
        if self._starts_of is not track.notes:
            self._starts_of, self._starts = track.notes, [n.start for n in track.notes]
        left, right = self.view.visible_ticks()
        lo, hi = bisect_left(self._starts, left - 1), bisect_right(self._starts, right + 1)
        return track.notes[lo:hi], QColor(track.colour)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1b1d21"))
        p.setPen(QColor("#2f333a"))
        for v in (32, 64, 96, 127):
            y = int(self._velocity_y(v))
            p.drawLine(0, y, self.width(), y)
        notes, colour = self._visible_notes()
        selection = self.state.selection
        # One stem per pixel column and state, the loudest note winning: a whole piece in view costs
        # at most a few thousand stems however many notes there are.
        stems: dict[tuple[int, bool], int] = {}
        column = self._stem_column()
        for n in notes:
            key = (column(n), n.id in selection)
            if stems.get(key, 0) < n.velocity:
                stems[key] = n.velocity
        bottom = self.height() - MARGIN
        for selected, c in ((False, colour), (True, QColor("#ffffff"))):
            bars = [
                QRectF(x, y, 3, bottom - y)
                for (x, sel), v in stems.items()
                if sel == selected
                for y in (self._velocity_y(v),)
            ]
            heads = [QRectF(r.x() - 2, r.y() - 1, 7, 3) for r in bars]
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(c)
            p.drawRects(bars)
            p.setBrush(c.lighter(130))
            p.drawRects(heads)

    def _stem_column(self):
        """note -> the pixel column its bar is drawn in."""
        t = self.view.viewportTransform()
        scale, offset = t.m11(), t.dx()
        return lambda n: int(n.start * scale + offset)

    def _note_at(self, x: float) -> Note | None:
        """The note whose bar is nearest ``x``. Where bars share a column (a chord) it is the one drawn on
        top, what the user sees and grabs: a selected note's (drawn over the others), then the loudest."""
        notes, _ = self._visible_notes()
        column, selection = self._stem_column(), self.state.selection

        def rank(n: Note) -> tuple[float, bool, int]:
            return abs(column(n) + 1 - x), n.id not in selection, -n.velocity

        best = min(notes, key=rank, default=None)
        return best if best is not None and rank(best)[0] < PICK_PX + 1 else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        note = self._note_at(event.position().x())
        if note is None:
            return
        if note.id in self.state.selection:
            targets = self.state.selected_notes()
        else:
            targets = (note,)
        self._drag = (new_gesture(), {n.id: n.velocity for n in targets}, note)
        self._drag_to(event.position().y())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag_to(event.position().y())

    def _drag_to(self, y: float) -> None:
        gesture, originals, grabbed = self._drag
        delta = self._velocity_at(y) - originals[grabbed.id]
        self.editor.set_velocities({i: v + delta for i, v in originals.items()}, gesture=gesture)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None
