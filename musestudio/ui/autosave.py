"""Autosave: a recovery copy every minute, and soon after a burst of edits, so a crash loses little.

Each document has its own copy (``io.recovery``: named by the piece and a random id, so two windows never
share one), written atomically (temp file, fsync, rename): killing the app in the middle of an autosave
leaves the previous copy intact. The copy is deleted only once the document was saved, or the user decided
to throw the changes away; finding one on the next start means the app did not close cleanly. The takes
listed and not kept go into the copy too (``takes_block``), even with no edit unsaved: they are in no file.

A failing autosave (a full disk, an unwritable data folder, a name that cannot be encoded) is never silent:
``failed`` carries the cause and a message, ``AutosaveStatus`` shows it in the status bar and opens one
dialog per cause, and the copy is retried every ``RETRY_MS`` until it works again (``recovered``).
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox

from musestudio import paths
from musestudio.core.document import Document
from musestudio.core.errors import BadInputError
from musestudio.io.files import display_path, os_reason
from musestudio.io.recovery import RecoverySession, discard_copy, write_recovery
from musestudio.settings import Settings
from musestudio.ui.error_words import ErrorWords

BURST_EDITS = 20  # this many edits since the last copy count as a burst...
BURST_IDLE_MS = 2000  # ...saved once the editing pauses this long
RETRY_MS = 15_000  # a failed copy is tried again this often until it works

_sessions: dict[Path, RecoverySession] = {}


def process_session() -> RecoverySession:
    """This run's recovery session (its lock marks the copies of every window in it as in use)."""
    folder = paths.recovery_dir()  # looked up each time: tests point the data folder elsewhere
    if folder not in _sessions:
        _sessions[folder] = RecoverySession(folder)
    return _sessions[folder]


def end_sessions() -> None:
    """Release this run's recovery locks as it ends cleanly. The process's end frees the lock too, but its
    file would stay in the recovery folder until a later start cleared it, a minute on."""
    for session in _sessions.values():
        session.close()
    _sessions.clear()


class Autosaver(QObject):
    saved = Signal(object)  # the recovery file's Path
    failed = Signal(str, str)  # cause (a stable key: "ENOSPC", "name"...), message in words
    recovered = Signal()  # the copy was written again after a failure

    def __init__(
        self,
        document: Document,
        settings: Settings,
        parent: QObject | None = None,
        folder: Path | None = None,
        session: RecoverySession | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.session = session or (RecoverySession(folder) if folder else process_session())
        self.source: Path | None = None
        self.source_stamp: tuple[int, ...] | None = None
        self.name = ""
        self.copy_path: Path | None = None  # this document's recovery copy, once written or adopted
        # the takes listed and not kept, as the copy holds them (the Generate controller's block), or None
        self.takes_block: Callable[[], dict | None] | None = None
        self._takes_dirty = False
        self.failing: str | None = None  # the cause of the last failure, None while autosave works
        self._edits = 0
        self._written = document.project
        self._timer = QTimer(self)
        self._timer.setInterval(max(5, settings.get("autosave_seconds")) * 1000)
        self._timer.timeout.connect(self.save_now)
        self._timer.start()
        self._burst = QTimer(self)
        self._burst.setSingleShot(True)
        self._burst.setInterval(BURST_IDLE_MS)
        self._burst.timeout.connect(self.save_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.save_now)
        document.changed.connect(self._on_changed)
        document.modified_changed.connect(self._on_modified_changed)

    def _on_changed(self, *_args) -> None:
        self._edits += 1
        if self._edits >= BURST_EDITS:
            self._burst.start()  # restarted by every edit: fires when the burst pauses

    def _on_modified_changed(self, modified: bool) -> None:
        """Undone back to the saved piece: the copy goes (or keeps only the takes) at the next pause, not at
        the next minute. Until then a crash offered back the edits the user had undone. The warning of an
        autosave that failed (before any copy was written too) goes at that pause as well: nothing is
        unprotected now (with takes listed, the pause copies them, and the warning stays if that fails)."""
        if not modified and (self.copy_path is not None or self.failing is not None):
            self._burst.start()

    def set_source(self, path: Path | None, name: str = "", stamp: tuple[int, ...] | None = None) -> None:
        """The document now comes from ``path`` (None: never saved; a MIDI file it was opened from), as
        it was at ``stamp``, and is called ``name`` in the window."""
        self.source, self.source_stamp = path, stamp
        self.name = name or (path.name if path else "")
        self._written = self.document.project
        self._edits = 0

    def adopt(self, copy: Path | None) -> None:
        """Carry on with an existing recovery copy (a restored one): it is this document's copy now (None: a
        new copy of its own, the restored one being another window's)."""
        self.copy_path = copy
        self._written = None
        self.save_now()  # rewritten at once under this run's session, so no other start offers it

    def takes_changed(self) -> None:
        """The takes listed changed: they go into the copy too (at the next pause, as an edit's would)."""
        self._takes_dirty = True
        self._burst.start()

    def save_now(self) -> Path | None:
        """Write the recovery copy if the document has unsaved changes, or takes listed, not yet in it; with
        neither, delete it. A copy holds what the user would lose in a crash, and nothing else: the piece
        undone back to its saved state with takes listed is written as that state, with the takes."""
        project = self.document.project
        if project is self._written and not self._takes_dirty:
            # what a crash would lose is on disk already (in the copy, or in the file): a failure since (of an
            # edit undone) leaves nothing unprotected, so its warning ends here (before, it stayed, and the
            # retries went on, until the next edit)
            self._works_again()
            return None
        takes = self.takes_block() if self.takes_block is not None else None
        if not self.document.modified and not takes:
            # nothing the file lacks: undone back to the saved piece, or the takes kept or discarded since
            self.discard()
            return None
        path = self.copy_path or self.session.new_copy_path(self.name or "untitled")
        try:
            write_recovery(
                project,
                path,
                source=self.source,
                name=self.name,
                session=self.session,
                source_stamp=self.source_stamp,
                takes=takes,
            )
        except (OSError, ValueError, BadInputError) as e:
            self._fail(e)
            return None
        self.copy_path = path
        self._written = project
        self._takes_dirty = False
        self._edits = 0
        self._works_again()
        self.saved.emit(path)
        return path

    def _works_again(self) -> None:
        """Nothing is unprotected now: a failure said before is over (``recovered``)."""
        if self.failing is not None:
            self.failing = None
            self._retry.stop()
            self.recovered.emit()

    def _fail(self, e: Exception) -> None:
        if isinstance(e, OSError):
            cause = errno.errorcode.get(e.errno, "OSError") if e.errno else type(e).__name__
            words = ErrorWords().say(os_reason(e))  # the OS's reason in the user's language
        else:
            cause, words = type(e).__name__, ErrorWords().say(e)
        folder = display_path(self.session.folder)
        message = self.tr(
            "Autosave failed: %1. Your latest changes are NOT protected by a recovery copy "
            "(in %2). MuseStudio keeps trying; save the piece to keep it safe."
        )
        message = message.replace("%1", words).replace("%2", folder)
        self.failing = cause
        self._retry.start()
        self.failed.emit(cause, message)

    def discard(self) -> None:
        """The copy is no longer needed: the document was saved, or the user chose to drop the changes."""
        discard_copy(self.copy_path)
        self.copy_path = None
        self._written = self.document.project
        self._takes_dirty = False  # the takes went with it (a save copies them again: ``takes_changed``)
        self._burst.stop()
        self._edits = 0
        self._works_again()

    def keep_for_later(self) -> Path | None:
        """Closing for a restart: write what is unsaved now and hand the copy on (it is not deleted)."""
        self.save_now()
        return self.copy_path


class AutosaveStatus(QObject):
    """Shows autosave trouble: a warning in the status bar while it lasts, and one dialog per cause."""

    def __init__(self, window, autosaver: Autosaver) -> None:
        super().__init__(window)
        self.window = window
        self.label = QLabel()
        self.label.setStyleSheet("color: #c0392b; font-weight: bold;")
        self.label.hide()
        window.statusBar().addWidget(self.label)
        self.causes_shown: set[str] = set()
        self.dialog: QMessageBox | None = None
        autosaver.failed.connect(self._failed)
        autosaver.recovered.connect(self._recovered)

    def _failed(self, cause: str, message: str) -> None:
        self.label.setText(self.tr("⚠ Autosave failed: changes not protected"))
        self.label.setToolTip(message)
        self.label.show()
        if cause in self.causes_shown:
            return
        self.causes_shown.add(cause)
        # Not modal-blocking (open, not exec): autosave runs from a timer and must not stall the editor.
        self.dialog = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Autosave failed"),
            message,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        self.dialog.open()

    def _recovered(self) -> None:
        self.label.hide()
        self.window.statusBar().showMessage(
            self.tr("Autosave works again: your changes are protected."), 5000
        )
