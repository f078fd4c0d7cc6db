"""Preferences: language, soundfont, audio buffer and autosave interval, stored through Settings."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from musestudio.settings import Settings

LANGUAGES = (("system", None), ("en", "English"), ("zh_CN", "简体中文"))
BLOCK_SIZES = (64, 128, 256, 512, 1024, 2048)


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, parent=None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.restart_wanted = False
        self.setWindowTitle(self.tr("Preferences"))
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name or self.tr("System default"), code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.get("language"))))

        self.soundfont = QLineEdit(settings.get("soundfont"))
        self.soundfont.setPlaceholderText(self.tr("Automatic (system FluidR3, else TimGM6mb)"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        sf_row = QWidget()
        sf_layout = QHBoxLayout(sf_row)
        sf_layout.setContentsMargins(0, 0, 0, 0)
        sf_layout.addWidget(self.soundfont, 1)
        sf_layout.addWidget(browse)

        self.blocksize = QComboBox()
        for size in BLOCK_SIZES:
            self.blocksize.addItem(
                self.tr("%1 frames (%2 ms)").replace("%1", str(size)).replace("%2", f"{size / 44.1:.1f}"),
                size,
            )
        self.blocksize.setCurrentIndex(max(0, self.blocksize.findData(settings.get("audio_blocksize"))))

        self.autosave = QSpinBox()
        self.autosave.setRange(10, 3600)
        self.autosave.setSuffix(self.tr(" s"))
        self.autosave.setValue(settings.get("autosave_seconds"))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Language:"), self.language)
        form.addRow(self.tr("Soundfont:"), sf_row)
        form.addRow(self.tr("Audio buffer:"), self.blocksize)
        form.addRow(self.tr("Autosave every:"), self.autosave)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Soundfont"), self.soundfont.text(), self.tr("Soundfonts (*.sf2 *.sf3)")
        )
        if path:
            self.soundfont.setText(path)

    def accept(self) -> None:
        """Store the choices; ``restart_wanted`` says the user asked to reopen the window now to apply them."""
        before = {
            k: self.settings.get(k) for k in ("language", "soundfont", "audio_blocksize", "autosave_seconds")
        }
        self.settings.set("language", self.language.currentData())
        self.settings.set("soundfont", self.soundfont.text().strip())
        self.settings.set("audio_blocksize", self.blocksize.currentData())
        self.settings.set("autosave_seconds", self.autosave.value())
        after = {k: self.settings.get(k) for k in before}
        self.restart_wanted = (
            before != after
            and QMessageBox.question(
                self,
                self.tr("Preferences"),
                self.tr(
                    "Reopen the window now to apply the new settings? Your piece stays open, with its "
                    "unsaved changes; only the undo history starts afresh."
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            == QMessageBox.StandardButton.Yes
        )
        super().accept()
