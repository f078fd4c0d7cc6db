"""Autosave: a recovery copy every minute, and soon after a burst of edits, so a crash loses little.

The copy goes through ``io.project_file.write_recovery``, which writes atomically (temp file, fsync,
rename): killing the app in the middle of an autosave leaves the previous copy intact. A normal save or
close discards the copy, so finding one on the next start means the app did not close cleanly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from musestudio.core.document import Document
from musestudio.io.project_file import discard_recovery, write_recovery
from musestudio.settings import Settings

BURST_EDITS = 20  # this many edits since the last copy count as a burst...
BURST_IDLE_MS = 2000  # ...saved once the editing pauses this long


class Autosaver(QObject):
    saved = Signal(object)  # the recovery file's Path

    def __init__(
        self,
        document: Document,
        settings: Settings,
        parent: QObject | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.folder = folder
        self.source: Path | None = None
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
        document.changed.connect(self._on_changed)

    def _on_changed(self, *_args) -> None:
        self._edits += 1
        if self._edits >= BURST_EDITS:
            self._burst.start()  # restarted by every edit: fires when the burst pauses

    def set_source(self, path: Path | None) -> None:
        """The document now belongs to ``path``: its recovery copy is named after that file."""
        self.source = path
        self._written = self.document.project
        self._edits = 0

    def save_now(self) -> Path | None:
        """Write the recovery copy if the document has unsaved changes not yet in it."""
        project = self.document.project
        if not self.document.modified or project is self._written:
            return None
        path = write_recovery(project, self.source, self.folder)
        self._written = project
        self._edits = 0
        self.saved.emit(path)
        return path

    def discard(self) -> None:
        discard_recovery(self.source, self.folder)
        self._written = self.document.project
        self._edits = 0
