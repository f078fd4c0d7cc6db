"""Labels that fit their text to the room they are given: a word-wrapped one as tall as its text needs at its
width, and one cut short with "…" where it is narrower than its text.

A wrapped QLabel in a form inside a scroll area (the Generate panel) is laid out at the height of its size
hint, which Qt works out for a width of its own choosing, not the column's: a longer text (a learned
style's description with what Rewrite does with it) was cut off at its top and bottom. Its minimum
height follows the text at its real width instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QWidget


class WrappingLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The minimum height the text needs at the label's width (a new width or text can change it)."""
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)


class ElidedLabel(QLabel):
    """A one-line label cut short with "…" where it is given less room than its text (its ``text()`` stays
    whole, for the tooltip and for anyone reading it)."""

    def paintEvent(self, event) -> None:
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        with QPainter(self) as painter:
            self.style().drawItemText(
                painter,
                rect,
                self.alignment(),
                self.palette(),
                self.isEnabled(),
                shown,
                self.foregroundRole(),
            )
