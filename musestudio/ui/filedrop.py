"""A project or MIDI file dropped anywhere on the window opens, as File > Open would: every name File > Open
reads (``files.OPENABLE``: .muse, and io.midi's MIDI names, RMID's .rmi too), in either case.

Children that take drops of their own (the roll's viewport, text and number fields) would otherwise
swallow a file dragged over them, so the window watches the drags of every child that accepts drops
(an event filter on each: one on the whole application would call into Python for every event).
Children that take no drops pass a drag on to their parents, up to the window, which opens it too. Only drags from outside the app count: a clip being dragged out of the roll
(which carries a .mid file too) must not reopen itself when it is let go over the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from musestudio.ui.files import FileController

DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


class FileDrop(QObject):
    def __init__(self, window: QWidget, open_path: Callable[[str], object]) -> None:
        super().__init__(window)
        self.window = window
        self.open_path = open_path

    def watch(self) -> None:
        """Filter the drags of the window's children that accept drops (again after new ones appear)."""
        for child in self.window.findChildren(QWidget):
            if child.acceptDrops() and child.property("fileDropWatched") is None:
                child.setProperty("fileDropWatched", True)
                child.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in DRAG_EVENTS or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self.window or event.source() is not None:
            return False  # another window, or a drag that started in this app
        path = FileController.droppable(event.mimeData())
        if path is None:
            return False
        event.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            # after the drop returns: the unsaved-changes question is a modal dialog
            QTimer.singleShot(0, lambda: self.open_path(path))
        return True
