"""Edit > Insert Bars… and Delete Bars, and the same two on the bar ruler's right-click menu.

The edits themselves are the Editor's (one undo step each, ``core.bars`` doing the work); this wires the
actions, asks how many bars to insert, and builds the ruler's menu for the bar under the pointer.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from musestudio.core.bars import bar_index, bars_covering
from musestudio.core.timing import bar_line_before
from musestudio.ui.dialogs.insert_bars import InsertBarsDialog
from musestudio.ui.shortcuts import set_label


class BarEdits(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        editor, actions = window.editor, window.actions
        actions.insert_bars.triggered.connect(lambda: self.ask_to_insert(editor.bar_to_insert_at()))
        actions.delete_bars.triggered.connect(lambda: self.delete(*editor.bars_to_delete()))
        set_label(actions.delete_bars, self.tr("Delete Bars"))  # the shortcut list names the action
        state = window.state
        for signal in (state.loop_changed, state.selection_changed):
            signal.connect(self.name_the_bars_to_delete)
        state.playhead_changed.connect(self._playhead_moved)
        window.document.changed.connect(self.name_the_bars_to_delete)
        self.name_the_bars_to_delete()
        editor.said.connect(lambda text: window.statusBar().showMessage(text, 8000))
        window.roll.ruler.menu_at = self.ruler_menu

    def _playhead_moved(self, _tick: int) -> None:
        """While playing, the playhead moves many times a second: its bar names the entry only where no
        region (looping on) or selection does."""
        state = self.window.state
        if not state.selection and (state.loop is None or not state.loop_enabled):
            self.name_the_bars_to_delete()

    def name_the_bars_to_delete(self, *_) -> None:
        """Edit > Delete Bars names the bars it will take out ("Delete Bars 3-4"), as they follow the loop
        region, the selection or the playhead (``Editor.bars_to_delete``): nothing it deletes is a
        surprise."""
        editor = self.window.editor
        first, last = editor.bar_numbers(*editor.bars_to_delete())
        if first == last:
            text = self.tr("D&elete Bar %1").replace("%1", str(first))
        else:
            text = self.tr("D&elete Bars %1-%2").replace("%1", str(first)).replace("%2", str(last))
        if text != self.window.actions.delete_bars.text():
            self.window.actions.delete_bars.setText(text)

    def ask_to_insert(self, at: int) -> bool:
        """The Insert Bars dialog, offered at bar line ``at``; True when bars went in."""
        dialog = InsertBarsDialog(self.window.document.project, at, self.window)
        return bool(dialog.exec()) and self.window.editor.insert_bars(dialog.at, dialog.count.value())

    def delete(self, start: int, end: int) -> bool:
        """Take the bars from ``start`` to ``end`` out; where that changes nothing (empty bars after the
        piece's end), the status bar says so rather than nothing happening unexplained."""
        if self.window.editor.delete_bars(start, end):
            return True
        self.window.statusBar().showMessage(
            self.tr("Nothing to delete: those bars lie after the end of the piece."), 8000
        )
        return False

    def ruler_menu(self, tick: int) -> QMenu:
        """The ruler's menu for the bar at ``tick``: insert before it, or delete it (the loop region's bars
        where the pointer is in the region and looping is on), each entry naming the bars it acts on."""
        editor, state = self.window.editor, self.window.state
        project = editor.project
        at = bar_line_before(tick, project.time_signatures, project.ticks_per_beat)
        loop = state.loop
        in_loop = loop is not None and state.loop_enabled and loop[0] <= tick < loop[1]
        start, end = bars_covering(project, *loop) if in_loop else bars_covering(project, tick, tick + 1)
        menu = QMenu(self.window.roll.ruler)
        menu.setObjectName("ruler_menu")
        insert = menu.addAction(
            self.tr("Insert Bars Before Bar %1…").replace("%1", str(bar_index(project, at) + 1))
        )
        insert.triggered.connect(lambda: self.ask_to_insert(at))
        first, last = editor.bar_numbers(start, end)
        if first == last:
            text = self.tr("Delete Bar %1").replace("%1", str(first))
        else:
            text = self.tr("Delete Bars %1-%2").replace("%1", str(first)).replace("%2", str(last))
        delete = menu.addAction(text)
        delete.triggered.connect(lambda: self.delete(start, end))
        return menu
