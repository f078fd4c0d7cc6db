"""The undo history: Qt's QUndoView over the editor's stack, one named line per step.

Clicking a line far back makes QUndoStack undo every step in between, one by one. Each step is cheap on its
own (commands swap immutable Project values), but each would also tell every view what changed: thousands of
redraws for one click (3,437 steps took 92 s). So every user gesture in the list runs inside
``Document.batch``: the steps still run in order, and the views hear once, from the state before the jump to
the state after it.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QUndoView

from musestudio.core.document import Document


class HistoryPanel(QUndoView):
    def __init__(self, stack: QUndoStack, document: Document | None = None, parent=None) -> None:
        super().__init__(stack, parent)
        self.document = document
        self.setEmptyLabel(self.tr("<opened>"))

    def jump_to(self, index: int) -> None:
        """Move the history to ``index`` (0: as opened), as a click on that line does."""
        if self.document is None:
            self.stack().setIndex(index)
            return
        with self.document.batch():
            self.stack().setIndex(index)

    def _batched(self, handler, event) -> None:
        if self.document is None:
            handler(event)
            return
        with self.document.batch():
            handler(event)

    def mousePressEvent(self, event) -> None:
        self._batched(super().mousePressEvent, event)

    def mouseMoveEvent(self, event) -> None:
        self._batched(super().mouseMoveEvent, event)

    def mouseReleaseEvent(self, event) -> None:
        self._batched(super().mouseReleaseEvent, event)

    def keyPressEvent(self, event) -> None:
        self._batched(super().keyPressEvent, event)
