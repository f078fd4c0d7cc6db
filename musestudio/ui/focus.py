"""Undo and redo reach the document whatever widget has the keyboard focus; the keys a box, slider, list or
button uses for itself stay with it.

A spin box or line edit takes Ctrl+Z for itself (its own text undo) before the window's Undo action sees
it: after typing 100 in the BPM field and pressing Enter, Ctrl+Z did nothing. This filter is installed on
each text-taking widget as it gains the focus and hands Undo/Redo back to the window: for a spin box once
what it shows is committed (a committed number is a document edit; typing not yet committed with Enter is
the box's own to undo), and for a plain line edit only when it has no typing of its own to undo, so
renaming a track still undoes letter by letter first.

The other way round: the arrows, Delete and Backspace are the piano roll's (Transpose, Nudge, Delete),
window-wide so they work from the lanes and the keyboard too. A box, slider or list the user has clicked
into takes the ones it really uses: Up in the Velocity box raises the velocity, Down in the History panel
steps forward, and the selected notes stay where they are. The rest stay the roll's: a choice box (the Snap
grid, Generate's Mode) has no text to erase and no sideways to move in, so after picking a grid with the
mouse, which leaves the focus there, Delete still deletes the notes and Right still nudges them.

Return and Enter are the window's Play from Start. In a box the user types into they are the box's: Enter
commits what was typed there (the Inspector's velocity, the Generate panel's bars) and playback neither
starts nor sends the playhead to bar 1, where "Continue after the playhead" would then start. A choice box
has nothing typed to commit and leaves Enter to the window. The Takes list keeps its own Enter (Keep,
``takes_panel``); in the roll and the other lists Enter still plays from the start.

Space is the window's Play/Stop. On a button the user reached with Tab (Generate, the dice, Lock, a
track's Mute, Keep) it is the button's and presses it: it played the piece instead, and no key pressed the
button. Enter on a push or tool button presses it too, as in any dialog (a checkable one toggles): it
played from the start, since Qt's buttons take Enter only in a dialog, so this filter presses the button
itself. So that Space and Enter still play after a click, a click on a panel's button leaves the focus
where it was (``focus_by_tab_only``; a tool button is so by Qt's default): after clicking Generate the
roll keeps it. The F1 list shows these keys (``shortcuts.focus_rows``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

UNDO_KEYS = (
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
)

# Keys that step a value or a current row: a spin box, combo box, slider or list uses them.
STEP_KEYS = frozenset((Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown))
# Keys that move along a slider, a list's columns or a line of text.
SIDEWAYS_KEYS = frozenset((Qt.Key.Key_Left, Qt.Key.Key_Right))
# Keys to the first and the last value, row or character: every control uses them.
END_KEYS = frozenset((Qt.Key.Key_Home, Qt.Key.Key_End))
# Keys that erase typing: only a box the user types into uses them.
ERASE_KEYS = frozenset((Qt.Key.Key_Delete, Qt.Key.Key_Backspace))
TEXT_KEYS = SIDEWAYS_KEYS | END_KEYS | ERASE_KEYS
# Keys a box commits what was typed with.
COMMIT_KEYS = frozenset((Qt.Key.Key_Return, Qt.Key.Key_Enter))
# The key a button, check box or tool button with the focus is pressed with.
PRESS_KEYS = frozenset((Qt.Key.Key_Space,))
# The buttons Enter presses as well (a check box is not pressed by Enter in a dialog either), and all the
# keys that press one of them, in the order the F1 list shows them.
ENTER_PRESSES = (QPushButton, QToolButton)
BUTTON_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
CONTROLS = (QAbstractSpinBox, QLineEdit, QComboBox, QAbstractSlider, QAbstractItemView, QAbstractButton)


def focus_by_tab_only(*buttons: QAbstractButton) -> None:
    """Tab reaches ``buttons`` but a click does not take the focus to them: it stays in the roll or the
    list, whose keys (Space plays, the arrows, Enter) still work after the click. A button that took the
    focus from a click would take Space and Enter for itself (``BUTTON_KEYS``), and Space after clicking
    Generate would generate again instead of playing."""
    for button in buttons:
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)


def _takes_typing(obj: QObject) -> bool:
    """A line edit, a spin box or an editable combo box: the boxes whose text the user types."""
    if isinstance(obj, QComboBox):
        return obj.isEditable()
    return isinstance(obj, (QAbstractSpinBox, QLineEdit))


def _keys_used_by(obj: QObject) -> frozenset[Qt.Key]:
    """The keys ``obj`` really does something with; any other key stays the window's shortcut. A combo box
    the user picked a grid in keeps the focus, yet Delete still deletes the notes and Right still nudges:
    a choice box has no text to erase and no sideways to move in."""
    if isinstance(obj, QLineEdit):
        return TEXT_KEYS
    if _takes_typing(obj):
        return STEP_KEYS | TEXT_KEYS
    if isinstance(obj, QComboBox):
        return STEP_KEYS | END_KEYS
    if isinstance(obj, (QAbstractSlider, QAbstractItemView)):
        return STEP_KEYS | SIDEWAYS_KEYS | END_KEYS
    if isinstance(obj, QAbstractButton):
        return PRESS_KEYS
    return frozenset()


def _is_control_key(obj: QObject, event: QKeyEvent) -> bool:
    """A key ``obj`` uses, bare or with Shift (which extends a list's selection)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in _keys_used_by(obj) and modifiers in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.ShiftModifier,
    )


def _is_commit_key(obj: QObject, event: QKeyEvent) -> bool:
    """Bare Enter in a box the user types into (Ctrl+Enter and the like stay the window's; Enter in a
    choice box, with nothing typed to commit, stays the window's Play from Start)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return _takes_typing(obj) and event.key() in COMMIT_KEYS and modifiers == Qt.KeyboardModifier.NoModifier


def _is_enter_on_button(obj: QObject, event: QKeyEvent) -> bool:
    """Bare Enter on a push or tool button, which Qt's buttons leave to the window outside a dialog."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (
        isinstance(obj, ENTER_PRESSES)
        and event.key() in COMMIT_KEYS
        and modifiers == Qt.KeyboardModifier.NoModifier
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
        if event.type() == QEvent.Type.KeyPress and _is_enter_on_button(obj, event):
            if not event.isAutoRepeat():  # held down, Enter presses once, as Space does
                obj.click()  # a checkable button toggles
            return True
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        if _is_undo_key(event) and self._document_undo(obj):
            event.ignore()  # not the widget's: the window's Undo/Redo shortcut fires
            return True
        claimed = _is_control_key(obj, event) or _is_commit_key(obj, event) or _is_enter_on_button(obj, event)
        if claimed and obj.isEnabled():
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
