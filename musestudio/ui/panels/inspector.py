"""The inspector: the selected notes' pitch, start, length and velocity, editable as numbers.

With one note selected every field edits that note; with several, velocity (showing their mean) sets all of
them to whatever number is typed, its arrows move each note by the step, and the other fields stay empty.
Edits go through the Editor like any gesture. Start and length read as musicians count: bar:beat:tick for the
start (1-based bar and beat, as the ruler numbers them) and bars:beats:ticks for the length (counted from
zero, in the meter where the note starts); both read what is typed from the left, so "3" is bar 3 in the
start and three bars in the length. The arrows step by the snap: the start, and a length's end, to the
roll's grid lines, counted from each bar line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QWidget

from musestudio.core.project import Project
from musestudio.core.timing import (
    BarGrid,
    bar_lines,
    bar_ticks,
    beat_unit_ticks,
    signature_at,
    ticks_to_bar_beat,
)
from musestudio.ui.editor import Editor
from musestudio.ui.pianoroll.keyboard import pitch_name

_LETTERS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_ACCIDENTALS = {"#": 1, "♯": 1, "b": -1, "♭": -1}
_PITCH = re.compile(r"([a-g])([#♯b♭]{0,2})(-?\d+)")


def parse_pitch(text: str) -> int | None:
    """The MIDI pitch of a name as musicians write it (C#4, Db4, D♭4, Cb4, B#3: middle C is C4) or of a
    MIDI number (61); None when it names no pitch MIDI has. The box shows one spelling of each pitch
    (``pitch_name``), but a musician reading a flat key types flats."""
    text = text.strip().lower()
    if text.isdigit():
        pitch = int(text)
    elif match := _PITCH.fullmatch(text):
        letter, accidentals, octave = match.groups()
        pitch = (int(octave) + 1) * 12 + _LETTERS[letter] + sum(_ACCIDENTALS[a] for a in accidentals)
    else:
        return None
    return pitch if 0 <= pitch <= 127 else None


class PitchSpin(QSpinBox):
    """A pitch box that reads and writes note names (C4 = 60) rather than numbers; it takes any spelling and
    MIDI numbers (``parse_pitch``), and what names no pitch is not taken: the box shows the note's pitch
    again when left."""

    def textFromValue(self, value: int) -> str:
        return pitch_name(value)

    def valueFromText(self, text: str) -> int:
        pitch = parse_pitch(text)
        return self.value() if pitch is None else pitch

    def validate(self, text: str, pos: int):
        ok = parse_pitch(text) is not None
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


def format_position(tick: int, project: Project) -> str:
    """``tick`` as bar:beat:tick, 1-based bar and beat ("1:1:0" is the very start)."""
    pos = ticks_to_bar_beat(tick, project.time_signatures, project.ticks_per_beat)
    return f"{pos.bar}:{pos.beat}:{pos.ticks}"


def parse_position(text: str, project: Project) -> int | None:
    """The tick of "bar:beat:tick" ("3", "3:2" and "3.2.120" too); None when it cannot be read."""
    parts = _numbers(text)
    if parts is None or parts[0] < 1 or (len(parts) > 1 and parts[1] < 1):
        return None
    bar, beat, ticks = (*parts, 1, 0)[:3] if len(parts) == 1 else (*parts, 0)[:3]
    tpb, sigs = project.ticks_per_beat, project.time_signatures
    end = sigs[-1].tick + bar * max(bar_ticks(s, tpb) for s in sigs) + 1
    lines = bar_lines(sigs, tpb, end)
    if bar > len(lines):
        return None
    start = lines[bar - 1]
    return start + (beat - 1) * beat_unit_ticks(signature_at(sigs, start), tpb) + ticks


def format_length(ticks: int, start: int, project: Project) -> str:
    """``ticks`` as bars:beats:ticks counted from zero, in the meter in force at ``start``."""
    sig = signature_at(project.time_signatures, start)
    bar, beat = bar_ticks(sig, project.ticks_per_beat), beat_unit_ticks(sig, project.ticks_per_beat)
    return f"{ticks // bar}:{ticks % bar // beat}:{ticks % beat}"


def parse_length(text: str, start: int, project: Project) -> int | None:
    """The ticks of "bars:beats:ticks", read from the left as the start box and a DAW's length field read
    it: "2" is two bars, "0:2" two beats, "1:2" a bar and two beats, "0:0:240" 240 ticks. Bars and beats are
    those of the meter in force at ``start`` (a 3/4 bar is three beats, a 6/8 beat an eighth), the meter the
    box shows the length in, so what it shows typed back is the same length. None when it cannot be read."""
    parts = _numbers(text)
    if parts is None:
        return None
    sig = signature_at(project.time_signatures, start)
    bars, beats, ticks = (*parts, 0, 0)[:3]
    tpb = project.ticks_per_beat
    return bars * bar_ticks(sig, tpb) + beats * beat_unit_ticks(sig, tpb) + ticks


def _numbers(text: str) -> list[int] | None:
    parts = [p for p in re.split(r"[:.\s]+", text.strip()) if p]
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


class TimeSpin(QSpinBox):
    """A tick value shown and typed as bar:beat:tick (a start) or bars:beats:ticks (a length); its arrows
    step to the next line of the snap grid (``grid``), which at an odd resolution is not a whole number of
    ticks away. A start steps along the lines the roll draws, counted from each bar line: after a 3/4 bar
    the half-note grid's lines are its beats 1 and 3, not a line counted from tick 0 mid-bar. A length
    steps its note's end along those lines."""

    def __init__(
        self,
        project: Callable[[], Project],
        grid: Callable[[], BarGrid],
        length_from: Callable[[], int] | None = None,
    ) -> None:
        super().__init__()
        self._project = project
        self._grid = grid
        self._length_from = length_from  # a length: the start whose meter counts it

    def stepBy(self, steps: int) -> None:
        grid = self._grid()
        if self._length_from is not None:
            self.setValue(self._end_stepped(grid, steps) - self._length_from())
        else:
            self.setValue(self.value() + grid.move(self.value(), steps))
        self.selectAll()  # as a plain spin box: what is typed next replaces the stepped value

    def _end_stepped(self, grid: BarGrid, steps: int) -> int:
        """Where ``steps`` arrow steps put the note's end: on the lines the roll draws, as dragging its right
        edge does (an end off them goes to the next line, or the one before), never before the first
        line after its start (shorter, the note could not end on a line)."""
        start = self._length_from()
        end, shortest = start + self.value(), grid.next_line(start)
        for _ in range(abs(steps)):
            end = grid.next_line(end) if steps > 0 else min(end, max(shortest, grid.previous_line(end)))
        return end

    def textFromValue(self, value: int) -> str:
        if self._length_from is not None:
            return format_length(value, self._length_from(), self._project())
        return format_position(value, self._project())

    def _parse(self, text: str) -> int | None:
        if self._length_from is not None:
            return parse_length(text, self._length_from(), self._project())
        return parse_position(text, self._project())

    def valueFromText(self, text: str) -> int:
        value = self._parse(text)
        return self.value() if value is None else value

    def validate(self, text: str, pos: int):
        value = self._parse(text)
        ok = value is not None and self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


class VelocitySpin(QSpinBox):
    """The velocity box: its arrows, the wheel and Page Up/Down move every selected note by the step
    (``step_each``), so a phrase's accents stay as they were played, only louder or softer; a number typed
    sets every note to it (and an arrow pressed after typing steps from that number)."""

    def __init__(self, step_each: Callable[[int], bool]) -> None:
        super().__init__()
        self._step_each = step_each  # False: nothing to step each note of, the box steps as a plain one

    def stepBy(self, steps: int) -> None:
        if self._step_each(steps):
            self.selectAll()  # as a plain spin box: what is typed next replaces the stepped value
        else:
            super().stepBy(steps)


class InspectorPanel(QWidget):
    def __init__(self, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.state = editor.state
        self.summary = QLabel()
        self.position = QLabel()
        self.pitch = self._spin(0, 127, self._set_pitch, PitchSpin())
        project = lambda: self.editor.project  # noqa: E731
        grid = self.state.grid
        self.start = self._spin(0, 10_000_000, self._set_start, TimeSpin(project, grid))
        self.length = self._spin(1, 10_000_000, self._set_length, TimeSpin(project, grid, self.start.value))
        self.start.setToolTip(self.tr("Start as bar:beat:tick (type 5:3:0 for bar 5, beat 3)"))
        self.length.setToolTip(
            self.tr(
                "Length as bars:beats:ticks in the meter where the note starts: type 2 for two bars, "
                "0:2 for two beats, 1:2 for a bar and two beats, 0:0:240 for 240 ticks"
            )
        )
        self.pitch.setToolTip(
            self.tr("Pitch as a note name (C4 is middle C; C#4 or Db4) or a MIDI number (61)")
        )
        self.velocity = self._spin(1, 127, self._set_velocity, VelocitySpin(self._step_velocities))
        self._velocity_typed = False  # typed into since the box last showed the notes (``_commit_velocity``)
        self.velocity.lineEdit().textEdited.connect(self._on_velocity_typed)
        self.velocity.editingFinished.connect(self._commit_velocity)
        form = QFormLayout(self)
        form.addRow(self.tr("Selected:"), self.summary)
        form.addRow(self.tr("Position:"), self.position)
        form.addRow(self.tr("Pitch:"), self.pitch)
        form.addRow(self.tr("Start:"), self.start)
        form.addRow(self.tr("Length:"), self.length)
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
        self._velocity_typed = False
        self.summary.setText(self.tr("%n note(s)", "", len(notes)) if notes else self.tr("nothing"))
        project = self.editor.project
        if notes:
            first = min(n.start for n in notes)
            self.position.setText(format_position(first, project))
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
            controllers = self.editor.controllers_moving_with((n,))
            self.editor.move_notes((n,), 0, value - n.pitch, controllers=controllers)

    def _set_start(self, value: int) -> None:
        n = self._single()
        if n is not None:
            controllers = self.editor.controllers_moving_with((n,))
            self.editor.move_notes((n,), value - n.start, 0, controllers=controllers)

    def _set_length(self, value: int) -> None:
        n = self._single()
        if n is not None:
            self.editor.resize_notes((n,), value - n.duration, 1)

    def _set_velocity(self, value: int) -> None:
        self.editor.set_velocities({n.id: value for n in self.state.selected_notes()})

    def _step_velocities(self, steps: int) -> bool:
        """Every selected note ``steps`` louder (softer when negative), each from its own velocity, as far as
        MIDI's 1-127 lets it go; False where a typed number is waiting (Qt sets it first, then steps)."""
        notes = self.state.selected_notes()
        if not notes or self._velocity_typed:
            return False
        self.editor.set_velocities({n.id: n.velocity + steps for n in notes})
        return True

    def _on_velocity_typed(self, _text: str) -> None:
        self._velocity_typed = True

    def _commit_velocity(self) -> None:
        """A velocity typed over several notes sets them all, even the number the box showed: their mean,
        which none of them may have (90 over 80, 90 and 100), and which the box, its number unchanged, would
        otherwise let go without a word. Leaving the box untyped changes nothing."""
        if self._velocity_typed:
            self._velocity_typed = False
            self._set_velocity(self.velocity.value())
