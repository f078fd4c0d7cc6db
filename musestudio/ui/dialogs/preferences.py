"""Preferences: language, soundfont, audio buffer, autosave interval and MIDI, stored through Settings.

The MIDI section names the keyboard (input), where playback is sent (output, or our virtual port), MIDI
thru and clock, the backend, and jam mode's trigger; the window applies it on OK, without a restart.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from musestudio.audio.soundfont import SOUNDFONT_SUFFIXES
from musestudio.core.errors import BadInputError
from musestudio.settings import Settings
from musestudio.ui.error_words import ErrorWords
from musestudio.ui.file_filters import HIDE_PATTERNS, name_filter

LANGUAGES = (("system", None), ("en", "English"), ("zh_CN", "简体中文"))
BLOCK_SIZES = (64, 128, 256, 512, 1024, 2048)


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, parent=None, midi=None) -> None:
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
        form.addRow(self._midi_section(midi))
        form.addRow(buttons)

    def _midi_section(self, midi) -> QGroupBox:
        from musestudio.ui.midi import VIRTUAL_OUTPUT
        from musestudio.ui.midi_toolbar import fill_picker

        s = self.settings
        box = QGroupBox(self.tr("MIDI"))
        form = QFormLayout(box)
        self.midi_input = QComboBox()
        self.midi_output = QComboBox()
        away = self.tr("%1 (not connected)")
        inputs = midi.inputs() if midi is not None else []
        outputs = midi.outputs() if midi is not None else []
        fill_picker(self.midi_input, self.tr("None"), inputs, s.get("midi_input"), away_text=away)
        fill_picker(
            self.midi_output,
            self.tr("None"),
            outputs,
            s.get("midi_output"),
            extra=((VIRTUAL_OUTPUT, self.tr("MuseStudio (virtual port)")),),
            away_text=away,
        )
        self.midi_thru = QCheckBox(self.tr("Hear the keyboard through the app's synth (MIDI thru)"))
        self.midi_thru.setChecked(s.get("midi_thru"))
        self.midi_clock = QCheckBox(self.tr("Send MIDI clock, start and stop to the output"))
        self.midi_clock.setChecked(s.get("midi_clock"))
        self.midi_backend = QComboBox()
        for code, text in (
            ("auto", self.tr("Automatic (ALSA, else JACK)")),
            ("alsa", "ALSA"),
            ("jack", "JACK"),
        ):
            self.midi_backend.addItem(text, code)
        self.midi_backend.setCurrentIndex(max(0, self.midi_backend.findData(s.get("midi_backend"))))
        self.jam_trigger = QComboBox()
        for code, text in (
            ("", self.tr("A bar's pause only")),
            ("cc:67", self.tr("Soft pedal (CC 67)")),
            ("cc:66", self.tr("Sostenuto pedal (CC 66)")),
            ("cc:64", self.tr("Sustain pedal (CC 64)")),
            ("note:21", self.tr("Lowest key (A0)")),
            ("note:108", self.tr("Highest key (C8)")),
        ):
            self.jam_trigger.addItem(text, code)
        self.jam_trigger.setCurrentIndex(max(0, self.jam_trigger.findData(s.get("jam_trigger"))))
        if midi is not None and midi.unavailable:
            self.midi_input.setToolTip(midi.unavailable)
            self.midi_output.setToolTip(midi.unavailable)
        form.addRow(self.tr("Keyboard (input):"), self.midi_input)
        form.addRow(self.tr("Output:"), self.midi_output)
        form.addRow("", self.midi_thru)
        form.addRow("", self.midi_clock)
        form.addRow(self.tr("Backend:"), self.midi_backend)
        form.addRow(self.tr("Jam answers on:"), self.jam_trigger)
        return box

    def _soundfont_usable(self) -> bool:
        """Whether the soundfont typed or picked loads (unchanged or Automatic: nothing to check); if not,
        say so here, where it was chosen, rather than at the next Play or Export WAV. One that loads with
        some samples that cannot sound is usable, with a warning: the instruments using them are silent."""
        from musestudio.audio.synth import check_soundfont

        path = self.soundfont.text().strip()
        if not path or path == self.settings.get("soundfont"):
            return True
        try:
            bad, total = check_soundfont(path)
        except BadInputError as e:
            QMessageBox.warning(
                self,
                self.tr("Soundfont"),
                self.tr(
                    "The soundfont %1 cannot be used: %2\n\nChoose another file, or empty the field to "
                    "use the automatic one."
                )
                .replace("%1", Path(path).name)
                .replace("%2", ErrorWords().say(e)),
            )
            self.soundfont.setFocus()
            return False
        if bad:
            QMessageBox.warning(
                self,
                self.tr("Soundfont"),
                self.tr(
                    "The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so "
                    "the instruments using them will be silent.",
                    "",
                    bad,
                )
                .replace("%1", Path(path).name)
                .replace("%2", str(total)),
            )
        return True

    def _browse(self) -> None:
        soundfonts = name_filter(self.tr("Soundfonts (*.sf2 *.sf3)"), SOUNDFONT_SUFFIXES)
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Soundfont"), self.soundfont.text(), soundfonts, options=HIDE_PATTERNS
        )
        if path:
            self.soundfont.setText(path)

    def accept(self) -> None:
        """Store the choices; ``restart_wanted`` says the user asked to reopen the window now to apply them.
        A new soundfont that cannot be used keeps the dialog open, saying why."""
        if not self._soundfont_usable():
            return
        before = {
            k: self.settings.get(k) for k in ("language", "soundfont", "audio_blocksize", "autosave_seconds")
        }
        self.settings.set("language", self.language.currentData())
        self.settings.set("soundfont", self.soundfont.text().strip())
        self.settings.set("audio_blocksize", self.blocksize.currentData())
        self.settings.set("autosave_seconds", self.autosave.value())
        self.settings.set("midi_input", self.midi_input.currentData() or "")
        self.settings.set("midi_output", self.midi_output.currentData() or "")
        self.settings.set("midi_thru", self.midi_thru.isChecked())
        self.settings.set("midi_clock", self.midi_clock.isChecked())
        self.settings.set("midi_backend", self.midi_backend.currentData())
        self.settings.set("jam_trigger", self.jam_trigger.currentData())
        after = {k: self.settings.get(k) for k in before}
        self.restart_wanted = (
            before != after
            and QMessageBox.question(
                self,
                self.tr("Preferences"),
                self.tr(
                    "Reopen the window now to apply the new settings? Your piece stays open, with its "
                    "unsaved changes and the takes listed; only the undo history starts afresh."
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            == QMessageBox.StandardButton.Yes
        )
        super().accept()
