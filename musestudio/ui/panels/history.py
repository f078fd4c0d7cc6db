"""The undo history: Qt's QUndoView over the editor's stack, one named line per step."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QUndoView


class HistoryPanel(QUndoView):
    def __init__(self, stack: QUndoStack, parent=None) -> None:
        super().__init__(stack, parent)
        self.setEmptyLabel(self.tr("<opened>"))
