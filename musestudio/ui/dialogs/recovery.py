"""After a crash: offer the newest recovery copy back, or throw the copies away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from musestudio.core.errors import BadInputError
from musestudio.io.project_file import SUFFIX, find_recoveries, load_project


def offer_recovery(window, folder: Path | None = None) -> bool:
    """Ask whether to restore unsaved work left by a run that did not close; True when restored."""
    found = find_recoveries(folder)
    if not found:
        return False
    newest = found[0]
    name = (
        newest.source.name if newest.source else QCoreApplication.translate("Recovery", "an untitled piece")
    )
    when = newest.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
    answer = QMessageBox.question(
        window,
        QCoreApplication.translate("Recovery", "Restore unsaved work?"),
        QCoreApplication.translate(
            "Recovery", "MuseStudio did not close normally. Restore the unsaved changes to %1 from %2?"
        )
        .replace("%1", name)
        .replace("%2", when),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    restored = False
    if answer == QMessageBox.StandardButton.Yes:
        try:
            project = load_project(newest.path)
        except BadInputError as e:
            QMessageBox.warning(window, QCoreApplication.translate("Recovery", "Cannot restore"), str(e))
        else:
            source = newest.source if newest.source and newest.source.suffix == SUFFIX else None
            window.files.load(project, source, name, modified=True)
            restored = True
    for r in found:
        if not (restored and r is newest):
            r.path.unlink(missing_ok=True)
    return restored
