"""The keyboard shortcut list (Help > Keyboard Shortcuts, F1), read from the window's own actions.

One source of truth: the list is built from every QAction the window holds (``findChildren``), so an
action added anywhere (a menu, a panel, a controller) with a shortcut is listed without anyone updating a
table, and the list cannot drift from what the keys do. A key that works only where a widget has the focus
(Enter keeps a take in the Takes list) is no window shortcut; its action says so with ``set_scoped_keys``
and the list shows it with the place. A button reached with Tab takes Space and Enter for itself
(``focus.BUTTON_KEYS``): the list, which names them as Play and Play from Start, says so after the
window's keys, and so does Del in the conductor rows, which takes a selected marker or tempo change (no
action either). Mouse gestures, which are no actions, are listed last.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from musestudio.ui.actions import plain_text
from musestudio.ui.focus import BUTTON_KEYS
from musestudio.ui.pianoroll.conductor import DELETE_KEYS

_KEYS, _WHERE, _LABEL = "scoped_keys", "scoped_where", "shortcut_label"


@dataclass(frozen=True)
class Row:
    group: str  # the menu the action is in ("" for none)
    what: str
    keys: str


def set_scoped_keys(action: QAction, keys: str, where: str) -> None:
    """Say that ``keys`` trigger ``action`` only ``where`` (a widget handles them, not the window)."""
    action.setProperty(_KEYS, keys)
    action.setProperty(_WHERE, where)
    action.setToolTip(f"{plain_text(action.text())} ({keys}, {where})")


def set_label(action: QAction, label: str) -> None:
    """The name the list gives an action whose text changes (Undo's says what it undoes)."""
    action.setProperty(_LABEL, label)


def label_of(action: QAction) -> str:
    return action.property(_LABEL) or plain_text(action.text().split("\t")[0])


def keys_of(action: QAction) -> str:
    """The action's keys as the list shows them: its shortcuts, then any keys scoped to a widget."""
    native = QKeySequence.SequenceFormat.NativeText
    keys = [k.toString(native) for k in action.shortcuts() if not k.isEmpty()]
    if scoped := action.property(_KEYS):
        keys.append(f"{scoped} ({action.property(_WHERE)})")
    return ", ".join(keys)


def _group(action: QAction) -> str:
    """The title of the top menu the action is in (a submenu counts as its menu), "" when in none."""
    for obj in action.associatedObjects():
        if isinstance(obj, QMenu):
            menu = obj
            while isinstance(menu.parent(), QMenu):
                menu = menu.parent()
            return plain_text(menu.title())
    return ""


def actions_of(window: QObject) -> list[QAction]:
    """Every action the window holds, once each, in the order they were made."""
    seen: set[int] = set()
    out = []
    for action in window.findChildren(QAction):
        if action.isSeparator() or id(action) in seen:
            continue
        seen.add(id(action))
        out.append(action)
    return out


# (what, how) of each mouse gesture: they are no actions, so they are written out here
MOUSE = (
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Copy the selection"),
        QT_TRANSLATE_NOOP("Shortcuts", "Ctrl+drag a note"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Move a note's start or end (the other stays)"),
        QT_TRANSLATE_NOOP("Shortcuts", "Drag its left or right edge"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Move or resize off the grid"),
        QT_TRANSLATE_NOOP("Shortcuts", "Shift+drag or Alt+drag"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Take the selection out as a .mid file"),
        QT_TRANSLATE_NOOP("Shortcuts", "Drag the arrow grip at its corner"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Drag a take out as a .mid file"),
        QT_TRANSLATE_NOOP("Shortcuts", "Drag its row out of the Takes list"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Add to or remove from the selection"),
        QT_TRANSLATE_NOOP("Shortcuts", "Shift+click"),
    ),
    (QT_TRANSLATE_NOOP("Shortcuts", "Erase a note"), QT_TRANSLATE_NOOP("Shortcuts", "Right-click")),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Zoom time / pitch"),
        QT_TRANSLATE_NOOP("Shortcuts", "Ctrl+wheel / Ctrl+Shift+wheel"),
    ),
    (QT_TRANSLATE_NOOP("Shortcuts", "Scroll sideways"), QT_TRANSLATE_NOOP("Shortcuts", "Shift+wheel")),
)


def mouse_rows() -> list[Row]:
    group = QCoreApplication.translate("Shortcuts", "Mouse")
    return [
        Row(
            group, QCoreApplication.translate("Shortcuts", what), QCoreApplication.translate("Shortcuts", how)
        )
        for what, how in MOUSE
    ]


def focus_rows() -> list[Row]:
    """What keys do where a widget has the focus rather than the window: a button's (``focus.py``), the
    conductor rows' Del, which takes a selected marker or tempo change rather than the notes, and the
    Takes list's Up and Down, which pick a take there rather than transpose the selection."""
    native = QKeySequence.SequenceFormat.NativeText
    group = QCoreApplication.translate("Shortcuts", "Keyboard focus")
    deleting = ", ".join(QKeySequence(key).toString(native) for key in DELETE_KEYS)
    where = QCoreApplication.translate("Shortcuts", "in the marker row or the tempo lane")
    in_takes = QCoreApplication.translate("Shortcuts", "in the Takes list")
    picking = ", ".join(QKeySequence(key).toString(native) for key in (Qt.Key.Key_Up, Qt.Key.Key_Down))
    return [
        Row(
            group,
            QCoreApplication.translate("Shortcuts", "Press the button reached with Tab"),
            ", ".join(QKeySequence(key).toString(native) for key in BUTTON_KEYS),
        ),
        Row(
            group,
            QCoreApplication.translate("Shortcuts", "Delete the selected marker or tempo change"),
            f"{deleting} ({where})",
        ),
        Row(
            group,
            QCoreApplication.translate("Shortcuts", "Pick the take above or below"),
            f"{picking} ({in_takes})",
        ),
    ]


def shortcut_rows(window: QObject) -> list[Row]:
    """One row per action with keys, grouped by menu (menu order of first appearance), then the keys of a
    focused button, then the mouse."""
    rows: list[Row] = []
    for action in actions_of(window):
        if keys := keys_of(action):
            group = _group(action) or QCoreApplication.translate("Shortcuts", "Window")
            rows.append(Row(group, label_of(action), keys))
    bar = window.menuBar() if hasattr(window, "menuBar") else None
    menus = [plain_text(a.text()) for a in bar.actions()] if bar is not None else []
    order = list(dict.fromkeys([*menus, *(r.group for r in rows)]))  # the menu bar's order
    rows.sort(key=lambda r: order.index(r.group))
    return rows + focus_rows() + mouse_rows()


class ShortcutsDialog(QDialog):
    """The list, grouped by menu, in a resizable, scrollable dialog (a message box outgrew the screen)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(QCoreApplication.translate("Shortcuts", "Keyboard Shortcuts"))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                QCoreApplication.translate("Shortcuts", "Action"),
                QCoreApplication.translate("Shortcuts", "Keys"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        groups: dict[str, QTreeWidgetItem] = {}
        for row in shortcut_rows(window):
            if row.group not in groups:
                item = QTreeWidgetItem([row.group])
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                item.setFirstColumnSpanned(False)
                self.tree.addTopLevelItem(item)
                groups[row.group] = item
            groups[row.group].addChild(QTreeWidgetItem([row.what, row.keys]))
        self.tree.expandAll()
        for item in groups.values():
            item.setFirstColumnSpanned(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(560, 640)

    def listed(self) -> list[tuple[str, str]]:
        """(what, keys) of every row shown (for tests and for anyone reading the list back)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            out += [(group.child(j).text(0), group.child(j).text(1)) for j in range(group.childCount())]
        return out
