"""The keyboard column left of the roll: one key per row, aligned with the view; click a key to hear it.

For a drum track the column widens and names each row's GM drum (Bass Drum 1, Closed Hi-Hat, ...) instead,
since a drummer thinks in instruments, not pitches; while a pitched take is drawn over it (a bass added to
the beat) the rows are pitches again (``PianoRollView.drum_rows``).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from musestudio.core.keys import PITCH_NAMES
from musestudio.ui.gm import drum_name
from musestudio.ui.pianoroll.scene import BLACK_KEYS
from musestudio.ui.pianoroll.view import PianoRollView

WIDTH = 56
DRUM_WIDTH = 128


def pitch_name(pitch: int) -> str:
    """Scientific pitch name with middle C (60) as C4."""
    return f"{PITCH_NAMES[pitch % 12]}{pitch // 12 - 1}"


class KeyboardWidget(QWidget):
    key_pressed = Signal(int)  # pitch
    width_changed = Signal(int)

    def __init__(self, view: PianoRollView, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.state = view.state
        self.drums = False
        self.setFixedWidth(WIDTH)
        self._down: int | None = None
        view.view_changed.connect(self.update)
        self.state.active_track_changed.connect(lambda _i: self._follow_track())
        self.state.document.changed.connect(lambda *_: self._follow_track())
        view.rows_changed.connect(self._follow_track)
        self._follow_track()

    def sizeHint(self) -> QSize:
        return QSize(self.width(), 400)

    def _follow_track(self) -> None:
        drums = self.view.drum_rows()
        if drums != self.drums:
            self.drums = drums
            self.setFixedWidth(DRUM_WIDTH if drums else WIDTH)
            self.width_changed.emit(self.width())
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.drums:
            self._paint_drums()
            return
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#16181b"))
        row = self.view.row_px
        top_pitch = self.view.y_to_pitch(0)
        bottom_pitch = self.view.y_to_pitch(self.height())
        font = QFont(self.font())
        font.setPixelSize(max(7, min(11, int(row) - 2)))
        p.setFont(font)
        for pitch in range(bottom_pitch, top_pitch + 1):
            y = self.view.pitch_to_y(pitch)
            black = pitch % 12 in BLACK_KEYS
            pressed = QColor("#f0a040") if pitch == self._down else None
            p.fillRect(QRectF(0, y, WIDTH, row), QColor("#e9e9e6") if black or not pressed else pressed)
            if black:
                p.fillRect(QRectF(0, y, WIDTH * 0.62, row), pressed or QColor("#2a2d31"))
            p.setPen(QColor("#9a9a96"))
            if not black:
                p.drawLine(0, int(y + row), WIDTH, int(y + row))
            if pitch % 12 == 0 and row >= 7:
                p.setPen(QColor("#303236"))
                p.drawText(
                    QRectF(0, y, WIDTH - 4, row),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    pitch_name(pitch),
                )
        p.setPen(QColor("#0c0d0f"))
        p.drawLine(WIDTH - 1, 0, WIDTH - 1, self.height())

    def _paint_drums(self) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#16181b"))
        row = self.view.row_px
        font = QFont(self.font())
        font.setPixelSize(max(7, min(11, int(row) - 2)))
        p.setFont(font)
        width = self.width()
        for pitch in range(self.view.y_to_pitch(self.height()), self.view.y_to_pitch(0) + 1):
            y = self.view.pitch_to_y(pitch)
            name = drum_name(pitch)
            fill = QColor("#f0a040") if pitch == self._down else QColor("#d9d9d5" if name else "#3a3d42")
            p.fillRect(QRectF(0, y, width, row - 1), fill)
            if name and row >= 7:
                p.setPen(QColor("#202226"))
                p.drawText(
                    QRectF(4, y, width - 8, row),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    name,
                )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._down = self.view.y_to_pitch(event.position().y())
            self.key_pressed.emit(self._down)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._down = None
        self.update()
