"""After a crash: every recovery copy listed, and each one restored, saved elsewhere or discarded.

The dialog lists the copies left by runs that are gone (``io.recovery.find_recoveries``) with the piece's
name, when it was last autosaved, its size and number of notes, and the file it belongs to. Nothing is
deleted unless the user says so:

- **Restore** opens the copy in a window (the empty start-up window, else a new one). That window adopts the
  copy as its own recovery file, so the offer ends: saving the piece or discarding its changes on close
  deletes it, and a second crash offers it again, as it should.
- **Save As…** writes the copy to a project file the user picks and then deletes it. Only a project: the
  copy holds what a MIDI file cannot (mute, solo, colours); the restored piece can be exported. A copy
  with takes listed and not kept (in no file) opens the saved piece with its takes listed, instead.
- **Discard…** deletes it, after asking (the question counts the takes that go with it). A copy another
  start after the same crash restored meanwhile is that start's window's now: it is left, and the user told.
  One that start discarded (or saved as a project) meanwhile is gone: Restore and Save As say so.

A copy whose file changed on disk since its piece was read (saved from another window, changed by another
program, moved) says so in its row and under the list: restored and saved, it would replace that version.
- **Decide Later** closes the dialog; the copies left are offered again on the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from musestudio.core.errors import BadInputError
from musestudio.io.files import display_name, display_path, file_stamp
from musestudio.io.project_file import SUFFIX, save_project
from musestudio.io.recovery import (
    RecoveredWork,
    Recovery,
    discard_left_over,
    find_recoveries,
    read_recovery,
    session_alive,
    source_changed_since,
)
from musestudio.ui.error_words import ErrorWords
from musestudio.ui.save_dialog import ask_save_path, with_suffix


def _free(copy: Recovery, work: RecoveredWork) -> Path | None:
    """The copy, for the window restoring it to go on with; None (a new copy of its own) when another start
    after the same crash restored it meanwhile: two windows sharing one, either's save or discard deleted
    the copy protecting the other's unsaved piece."""
    return None if session_alive(work.session, copy.path.parent) else copy.path


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"


class RecoveryDialog(QDialog):
    """The list of recovery copies and what to do with each."""

    def __init__(
        self,
        copies: list[Recovery],
        window,
        open_window: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.open_window = open_window
        self.restored: list[object] = []  # the windows that got a restored copy
        self.setWindowTitle(self.tr("Recover Unsaved Work"))
        self.resize(760, 340)

        intro = QLabel(
            self.tr(
                "MuseStudio did not close normally last time. These recovery copies hold work that was "
                "not saved. Restore, save or discard each one; those you leave are kept and offered "
                "again next time."
            )
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(
            [self.tr("Piece"), self.tr("Last autosaved"), self.tr("Size"), self.tr("Notes"), self.tr("File")]
        )
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for copy in copies:
            self._add_row(copy)
        self.source_warning = QLabel()  # the selected copy's file changed on disk since: what that means
        self.source_warning.setWordWrap(True)
        self.source_warning.setStyleSheet("color: #c0392b;")
        self.source_warning.hide()
        self.list.currentItemChanged.connect(self._show_source_warning)
        self.list.setCurrentItem(self.list.topLevelItem(0))
        self.list.itemDoubleClicked.connect(lambda *_: self.restore())

        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(self.tr("&Restore"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(self.tr("&Save As…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.discard_button = buttons.addButton(self.tr("&Discard…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.later_button: QPushButton = buttons.addButton(
            self.tr("Decide &Later"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.restore_button.clicked.connect(lambda: self.restore())
        self.save_button.clicked.connect(lambda: self.save_elsewhere())
        self.discard_button.clicked.connect(lambda: self.discard())
        self.later_button.clicked.connect(self.reject)
        self.restore_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.source_warning)
        layout.addWidget(buttons)

    # -- the list ------------------------------------------------------------------------------------------
    def _notes_text(self, copy: Recovery) -> str:
        """The piece's notes, and the takes listed and not kept that come back with it: "12 (+ 1 take)"
        (a counted message, so the English reads "1 take", not "1 takes")."""
        if not copy.takes:
            return str(copy.notes)
        return self.tr("%1 (+ %n take(s))", "", copy.takes).replace("%1", str(copy.notes))

    def _add_row(self, copy: Recovery) -> None:
        name = copy.name or (copy.source.name if copy.source else self.tr("Untitled"))
        where = display_path(copy.source) if copy.source else self.tr("never saved")
        if copy.damaged:
            where = self.tr("damaged: it cannot be read (its path is in the tooltip)")
        mark, warning = self._source_words(copy)
        if mark:
            where = f"{where} {mark}"
        item = QTreeWidgetItem(
            [
                name,
                _when(copy.saved_at),
                _size(copy.size),
                "?" if copy.damaged else self._notes_text(copy),
                where,
            ]
        )
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(4, display_path(copy.path))
        item.setData(0, Qt.ItemDataRole.UserRole, copy)
        item.setData(4, Qt.ItemDataRole.UserRole, warning)
        self.list.addTopLevelItem(item)

    def _source_words(self, copy: Recovery) -> tuple[str, str]:
        """(what the File column adds, the warning under the list) where the copy's file on disk is no longer
        the version its piece came from; empty where it is, or where that is not known."""
        if copy.damaged or not source_changed_since(copy):
            return "", ""
        name = display_name(copy.source)
        now = file_stamp(copy.source)
        if now is None:
            return self.tr("(no longer there)"), self.tr(
                "⚠ “%1” is no longer there: it was moved, renamed or deleted after the piece in "
                "this copy was opened or saved. Restored and saved, the piece is written there again."
            ).replace("%1", name)
        changed_at = _when(datetime.fromtimestamp(now[3] / 1e9).astimezone())
        return self.tr("(changed on disk since)"), (
            self.tr(
                "⚠ “%1” was changed on disk at %2, after the piece in this copy was opened or "
                "saved (saved from another window, or changed by another program). Restoring leaves the file "
                "as it is, and saving the restored piece asks before replacing that version; Save As… "
                "keeps both."
            )
            .replace("%1", name)
            .replace("%2", changed_at)
        )

    def _show_source_warning(self, item: QTreeWidgetItem | None) -> None:
        warning = item.data(4, Qt.ItemDataRole.UserRole) if item is not None else ""
        self.source_warning.setText(warning or "")
        self.source_warning.setVisible(bool(warning))

    def copies(self) -> list[Recovery]:
        return [
            self.list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
            for i in range(self.list.topLevelItemCount())
        ]

    def select(self, row: int) -> None:
        self.list.setCurrentItem(self.list.topLevelItem(row))

    def _current(self) -> tuple[QTreeWidgetItem, Recovery] | None:
        item = self.list.currentItem()
        return (item, item.data(0, Qt.ItemDataRole.UserRole)) if item else None

    def _done_with(self, item: QTreeWidgetItem) -> None:
        self.list.takeTopLevelItem(self.list.indexOfTopLevelItem(item))
        if self.list.topLevelItemCount() == 0:
            self.accept()
        else:
            self.list.setCurrentItem(self.list.topLevelItem(0))

    # -- the decisions -------------------------------------------------------------------------------------
    def _load(self, item: QTreeWidgetItem, copy: Recovery) -> RecoveredWork | None:
        """The piece and takes in ``copy``, read once (None, after a warning in the user's language, when it
        cannot be read). A copy gone since it was listed was decided about in another start after the same
        crash (Discard, or Save As there, deletes it): that is said, not "cannot read", which sent the
        user looking for a damaged disk, and its row goes, as nothing is left here to decide."""
        try:
            return read_recovery(copy.path)
        except BadInputError as e:
            if not copy.path.exists():
                QMessageBox.information(
                    self,
                    self.tr("Discarded in another window"),
                    self.tr(
                        "The recovery copy of \u201c%1\u201d was discarded in another MuseStudio window "
                        "meanwhile (or saved there as a project): there is nothing left to restore."
                    ).replace("%1", item.text(0)),
                )
                self._done_with(item)
            else:
                QMessageBox.warning(self, self.tr("Cannot read the recovery copy"), ErrorWords().say(e))
            return None

    def _target_window(self):
        """The start-up window while it is untouched (no file, no edits, no takes listed), else a new window."""
        w = self.window
        untouched = w.files.path is None and not w.document.modified and w.undo_stack.count() == 0
        if untouched and not w.files.unkept_takes():
            return w
        if self.open_window is not None:
            return self.open_window()
        return w if w.files.maybe_save() else None

    def restore(self) -> bool:
        current = self._current()
        if current is None:
            return False
        item, copy = current
        work = self._load(item, copy)
        target = self._target_window() if work is not None else None
        if target is None:
            return False
        source = copy.source if copy.source and copy.source.suffix.lower() == SUFFIX else None
        name = copy.name or (copy.source.name if copy.source else self.tr("Untitled"))
        stamp = copy.source_stamp if source else None
        target.files.load(work.project, source, name, modified=True, stamp=stamp)
        if work.takes is not None:
            target.generate.restore_takes(work.takes)
        target.autosaver.adopt(_free(copy, work))  # the window's own copy from now on: the offer ends here
        self.restored.append(target)
        self._done_with(item)
        return True

    def save_elsewhere(self, path: str | Path | None = None) -> bool:
        current = self._current()
        if current is None:
            return False
        item, copy = current
        work = self._load(item, copy)
        if work is None:
            return False
        if path is None:
            suggested = (
                copy.source.with_suffix(SUFFIX)
                if copy.source
                else Path(self.window.settings.get("last_dir") or Path.home())
                / ((copy.name or "untitled") + SUFFIX)
            )
            path = ask_save_path(
                self,
                self.tr("Save the Recovered Piece As"),
                display_path(suggested),
                self.tr("MuseStudio projects (*.muse)"),
                (SUFFIX,),
            )
        if not path:
            return False
        path = with_suffix(Path(path), (SUFFIX,))
        try:
            save_project(work.project, path)
        except (BadInputError, OSError, ValueError) as e:
            QMessageBox.warning(
                self,
                self.tr("Cannot save"),
                self.tr("%1.\n\nThe recovery copy is kept.").replace("%1", ErrorWords().say(e)),
            )
            return False
        if work.takes is None:
            discard_left_over(copy.path)  # not if another start restored it meanwhile: that one's now
        elif not self._list_takes_of_saved(work, path, copy):
            return False
        self._done_with(item)
        return True

    def _list_takes_of_saved(self, work: RecoveredWork, path: Path, copy: Recovery) -> bool:
        """The piece just saved to ``path`` opened in a window with the copy's takes listed again, the copy
        going on as that window's: the takes are in no project file, and deleting the copy lost them
        unasked. False (the copy kept and offered again) where no window could take them."""
        target = self._target_window()
        if target is None:
            return False
        target.files.load(work.project, path, display_name(path))
        target.generate.restore_takes(work.takes)
        # rewritten at once: the takes, and the file they now belong to
        target.autosaver.adopt(_free(copy, work))
        self.restored.append(target)
        return True

    def discard(self, ask: bool = True) -> bool:
        current = self._current()
        if current is None:
            return False
        item, copy = current
        if ask:
            answer = QMessageBox.question(
                self,
                self.tr("Discard the recovery copy?"),
                self._what_discard_loses(copy, item.text(0)),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return False
        discarded = discard_left_over(copy.path)
        if not discarded:
            QMessageBox.information(
                self,
                self.tr("Restored in another window"),
                self.tr(
                    "\u201c%1\u201d was restored in another MuseStudio window meanwhile, and its recovery "
                    "copy now protects the piece there: nothing was discarded. Save or close it in that window."
                ).replace("%1", item.text(0)),
            )
        self._done_with(item)  # either way no longer left over: nothing more to decide about it here
        return discarded

    def _what_discard_loses(self, copy: Recovery, name: str) -> str:
        """The question before a discard: the piece's changes, and the takes not kept that go with them (they
        are in no file either)."""
        if not copy.takes:
            return self.tr("The unsaved changes to \u201c%1\u201d will be lost for good.").replace("%1", name)
        return self.tr(
            "The unsaved changes to \u201c%1\u201d will be lost for good, and so will the %n generated "
            "take(s) listed with it and not kept.",
            "",
            copy.takes,
        ).replace("%1", name)


def offer_recovery(
    window, folder: Path | None = None, open_window: Callable[[], object] | None = None
) -> bool:
    """List the recovery copies left by runs that did not close; True when at least one was restored."""
    found = find_recoveries(folder)
    if not found:
        return False
    dialog = RecoveryDialog(found, window, open_window)
    dialog.exec()
    return bool(dialog.restored)
