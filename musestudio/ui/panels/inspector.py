"""The inspector: the selected notes' pitch, start, length and velocity, editable as numbers.

With one note selected every field edits that note; with several, velocity sets all of them and the other
fields show the range. Edits go through the Editor like any gesture.
"""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QWidget

from musestudio.core.timing import ticks_to_bar_beat
from musestudio.ui.editor import Editor
from musestudio.ui.pianoroll.keyboard import pitch_name


class PitchSpin(QSpinBox):
    """A pitch box that reads and writes note names (C4 = 60) rather than numbers."""

    def textFromValue(self, value: int) -> str:
        return pitch_name(value)

    def valueFromText(self, text: str) -> int:
        for pitch in range(128):
            if pitch_name(pitch).lower() == text.strip().lower():
                return pitch
        return self.value()

    def validate(self, text: str, pos: int):
        return QValidator.State.Acceptable, text, pos


class InspectorPanel(QWidget):
    def __init__(self, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.state = editor.state
        self.summary = QLabel()
        self.position = QLabel()
        self.pitch = self._spin(0, 127, self._set_pitch, PitchSpin())
        self.start = self._spin(0, 10_000_000, self._set_start)
        self.length = self._spin(1, 10_000_000, self._set_length)
        self.velocity = self._spin(1, 127, self._set_velocity)
        form = QFormLayout(self)
        form.addRow(self.tr("Selected:"), self.summary)
        form.addRow(self.tr("Position:"), self.position)
        form.addRow(self.tr("Pitch:"), self.pitch)
        form.addRow(self.tr("Start (ticks):"), self.start)
        form.addRow(self.tr("Length (ticks):"), self.length)
        form.addRow(self.tr("Velocity:"), self.velocity)
        self.state.selection_changed.connect(self.refresh)
        self.state.document.changed.connect(lambda *_: self.refresh())
        self.refresh()

    def _spin(self, lo: int, hi: int, slot, spin: QSpinBox | None = None) -> QSpinBox:
        spin = spin or QSpinBox()
        spin.setRange(lo, hi)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(slot)
        return spin

    def refresh(self) -> None:
        notes = self.state.selected_notes()
        one = len(notes) == 1
        spins = (self.pitch, self.start, self.length, self.velocity)
        for s in spins:
            s.blockSignals(True)
        self.summary.setText(self.tr("%n note(s)", "", len(notes)) if notes else self.tr("nothing"))
        project = self.editor.project
        if notes:
            first = min(n.start for n in notes)
            self.position.setText(
                str(ticks_to_bar_beat(first, project.time_signatures, project.ticks_per_beat))
            )
            self.pitch.setValue(notes[0].pitch)
            self.start.setValue(first)
            self.length.setValue(notes[0].duration)
            self.velocity.setValue(round(sum(n.velocity for n in notes) / len(notes)))
        else:
            self.position.setText("")
        for s in (self.pitch, self.start, self.length):
            s.setEnabled(one)
            if not one:
                s.clear()  # a number here would look like a note that is not selected
        if not notes:
            self.velocity.clear()
        self.velocity.setEnabled(bool(notes))
        for s in spins:
            s.blockSignals(False)

    def _single(self):
        notes = self.state.selected_notes()
        return notes[0] if len(notes) == 1 else None

    def _set_pitch(self, value: int) -> None:
        n = self._single()
        if n is not None:
            self.editor.move_notes((n,), 0, value - n.pitch)

    def _set_start(self, value: int) -> None:
        n = self._single()
        if n is not None:
            self.editor.move_notes((n,), value - n.start, 0)

    def _set_length(self, value: int) -> None:
        n = self._single()
        if n is not None:
            self.editor.resize_notes((n,), value - n.duration, 1)

    def _set_velocity(self, value: int) -> None:
        self.editor.set_velocities({n.id: value for n in self.state.selected_notes()})
