"""A lane's drawing kept as a pixmap, so the playhead moving every frame costs one blit and a line.

The rows over and under the roll (markers and tempo, controller lanes) draw many items; redrawing them
60 times a second while playing would cost more than the roll itself. Each keeps a ``LanePicture`` keyed by
what it shows (its events by identity, since they are immutable, and the view's transform and size).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

PLAYHEAD = QColor(255, 90, 79, 160)


class LanePicture:
    def __init__(self, same: Callable[[tuple, tuple], bool]) -> None:
        self._same = same  # whether two keys show the same picture
        self._pixmap: QPixmap | None = None
        self._key: tuple | None = None

    def paint(self, widget: QWidget, key: tuple, draw: Callable[[QPainter], None], playhead_x: float) -> None:
        """Draw ``widget`` from the picture (made anew by ``draw`` when ``key`` changed), then the playhead."""
        if self._pixmap is None or self._key is None or not self._same(self._key, key):
            ratio = widget.devicePixelRatioF()
            self._pixmap = QPixmap(widget.size() * ratio)
            self._pixmap.setDevicePixelRatio(ratio)  # sharp on a high-DPI screen
            painter = QPainter(self._pixmap)
            painter.setFont(widget.font())
            draw(painter)
            painter.end()
            self._key = key
        p = QPainter(widget)
        p.drawPixmap(0, 0, self._pixmap)
        p.setPen(PLAYHEAD)
        p.drawLine(int(playhead_x), 0, int(playhead_x), widget.height())
