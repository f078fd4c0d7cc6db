"""A word-wrapped label that is as tall as its text needs at the width it is given.

A wrapped QLabel in a form inside a scroll area (the Generate panel) is laid out at the height of its size
hint, which Qt works out for a width of its own choosing, not the column's: a longer text (a learned
style's description with what Rewrite does with it) was cut off at its top and bottom. Its minimum
height follows the text at its real width instead.
"""

from __future__ import annotations

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
