"""Undo and redo reach the document whatever widget has the keyboard focus; the keys a box, slider or list
uses for itself stay with it.

A spin box or line edit takes Ctrl+Z for itself (its own text undo) before the window's Undo action sees
it: after typing 100 in the BPM field and pressing Enter, Ctrl+Z did nothing. This filter is installed on
each text-taking widget as it gains the focus and hands Undo/Redo back to the window: for a spin box once
what it shows is committed (a committed number is a document edit; typing not yet committed with Enter is
the box's own to undo), and for a plain line edit only when it has no typing of its own to undo, so
renaming a track still undoes letter by letter first.

The other way round: the arrows, Delete and Backspace are the piano roll's (Transpose, Nudge, Delete),
window-wide so they work from the lanes and the keyboard too. In a box, slider or list the user has clicked
into they are that control's: Up in the Velocity box raises the velocity, Down in the History panel steps
forward, and the selected notes stay where they are.

Return and Enter are the window's Play from Start. In a number, text or choice box they are the box's: Enter
commits what was typed there (the Inspector's velocity, the Generate panel's bars) and playback neither
starts nor sends the playhead to bar 1, where "Continue after the playhead" would then start. The Takes
list keeps its own Enter (Keep, ``takes_panel``); in the roll and the lists Enter still plays from the start.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

UNDO_KEYS = (
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
)

#: Keys a control moves or edits with, bare or with Shift (which extends a list's selection).
CONTROL_KEYS = frozenset(
    (
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_Delete,
        Qt.Key.Key_Backspace,
    )
)
#: Keys a box commits what was typed with.
COMMIT_KEYS = frozenset((Qt.Key.Key_Return, Qt.Key.Key_Enter))
BOXES = (QAbstractSpinBox, QLineEdit, QComboBox)
CONTROLS = (QAbstractSpinBox, QLineEdit, QComboBox, QAbstractSlider, QAbstractItemView)


def _is_control_key(event: QKeyEvent) -> bool:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in CONTROL_KEYS and modifiers in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.ShiftModifier,
    )


def _is_commit_key(obj: QObject, event: QKeyEvent) -> bool:
    """Bare Enter in a box (Ctrl+Enter and the like stay the window's)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (
        isinstance(obj, BOXES) and event.key() in COMMIT_KEYS and modifiers == Qt.KeyboardModifier.NoModifier
    )


def _is_undo_key(event: QKeyEvent) -> bool:
    if any(event.matches(k) for k in UNDO_KEYS):
        return True
    combo = event.keyCombination().toCombined()
    return combo in (QKeySequence("Ctrl+Shift+Z")[0].toCombined(), QKeySequence("Ctrl+Y")[0].toCombined())


class UndoEverywhere(QObject):
    """Installed on widgets as they take the focus (see ``install``)."""

    def install(self, app: QApplication) -> None:
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or new.property("undoEverywhere"):
            return
        if isinstance(new, CONTROLS):
            new.setProperty("undoEverywhere", True)  # installed once per widget
            new.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        if _is_undo_key(event) and self._document_undo(obj):
            event.ignore()  # not the widget's: the window's Undo/Redo shortcut fires
            return True
        if (_is_control_key(event) or _is_commit_key(obj, event)) and obj.isEnabled():
            event.accept()  # the control's: no window shortcut takes it, the key press comes to it
            return True
        return False

    @staticmethod
    def _document_undo(obj: QObject) -> bool:
        if isinstance(obj, (QSpinBox, QDoubleSpinBox)):
            shown = obj.prefix() + obj.textFromValue(obj.value()) + obj.suffix()
            return obj.text() == shown  # typing not yet committed is the box's own to undo
        if isinstance(obj, (QAbstractSpinBox, QComboBox)):
            return True
        if isinstance(obj, QLineEdit):
            parent = obj.parent()
            if isinstance(parent, (QAbstractSpinBox, QComboBox)):
                return True
            return not (obj.isUndoAvailable() or obj.isRedoAvailable())
        return False
