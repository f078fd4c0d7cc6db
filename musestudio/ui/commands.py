"""The one undo command: swap the Document's Project for another value, and back.

Projects are immutable, so a command only needs the value before and after the edit; undo and redo both go
through ``Document.set_project`` and the views redraw from the resulting change event. A continuous gesture
(dragging notes, a velocity bar, a volume slider) pushes one command per mouse move with the same gesture
token; ``mergeWith`` folds them into a single history step, as in Qt's undo framework example.
"""

from __future__ import annotations

import itertools

from PySide6.QtGui import QUndoCommand

from musestudio.core.document import Document
from musestudio.core.project import Project

MERGE_ID = 1000
_gestures = itertools.count(1)


def new_gesture() -> int:
    """A token shared by every command of one continuous gesture, so they merge into one step."""
    return next(_gestures)


#: Gestures whose step was undone. Ctrl+Z while the mouse is still down undoes the gesture so far; its next
#: move must not bring it back as a new step (throwing away the redo), so an undone gesture is over.
_undone_gestures: set[int] = set()


def was_undone(gesture: int | None) -> bool:
    return gesture in _undone_gestures


class ProjectCommand(QUndoCommand):
    def __init__(
        self, document: Document, before: Project, after: Project, text: str, gesture: int | None = None
    ) -> None:
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after
        self.gesture = gesture

    def redo(self) -> None:
        self.document.set_project(self.after)

    def undo(self) -> None:
        if self.gesture is not None:
            _undone_gestures.add(self.gesture)
        self.document.set_project(self.before)

    def id(self) -> int:
        return MERGE_ID if self.gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ProjectCommand) or other.gesture != self.gesture:
            return False
        self.after = other.after
        self.setObsolete(self.after == self.before)  # a drag that ends where it began leaves no step
        return True
