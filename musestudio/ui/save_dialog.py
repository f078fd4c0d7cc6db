"""The file name a user picks to save to, with the suffix its format needs, never replacing a file unasked.

The file dialog confirms replacing only the name as typed. A name typed without its suffix ("song") is
given one afterwards ("song.muse"), and that file may be another piece: so the suffix is added here and
a file already there is replaced only when the user says so. Without the suffix the app would write a
file it cannot open again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from musestudio.io.files import display_name
from musestudio.ui.file_filters import HIDE_PATTERNS, name_filter


def with_suffix(path: Path, suffixes: tuple[str, ...]) -> Path:
    """``path`` as the user named it if it ends in one of ``suffixes``, else with the first added."""
    if path.suffix.lower() in suffixes:
        return path
    return path.with_name(path.name + suffixes[0])


def ask_save_path(parent, title: str, suggested: str, label: str, suffixes: tuple[str, ...]) -> Path | None:
    """The path to save to, or None when the user cancels the dialog or keeps the file already there; the
    dialog lists the files named with ``suffixes`` in any case under ``label`` (``file_filters``)."""
    typed, _ = QFileDialog.getSaveFileName(
        parent, title, suggested, name_filter(label, suffixes), options=HIDE_PATTERNS
    )
    if not typed:
        return None
    path = with_suffix(Path(typed), suffixes)
    if path != Path(typed) and path.exists() and not ask_replace(parent, path):
        return None
    return path


def ask_replace(parent, path: Path) -> bool:
    """``path`` exists and the dialog never asked about it (the suffix was added after): replace it?"""
    return confirm(
        parent,
        QCoreApplication.translate("SaveDialog", "Replace the file?"),
        QCoreApplication.translate(
            "SaveDialog", "\u201c%1\u201d already exists in that folder. Replace it?"
        ).replace("%1", display_name(path)),
    )


def confirm(parent, title: str, text: str) -> bool:
    """Yes or Cancel, Cancel the default: a file is replaced only when the user says so."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
