"""The inspector: the selected notes' pitch, start, length and velocity, editable as numbers.

With one note selected every field edits that note; with several, velocity (showing their mean) sets all of
them to whatever number is typed, its arrows move each note by the step, and the other fields stay empty.
Edits go through the Editor like any gesture. Start and length read as musicians count: bar:beat:tick for the
start (1-based bar and beat, as the ruler numbers them) and bars:beats:ticks for the length (counted from
zero, in the meter where the note starts); both read what is typed from the left, so "3" is bar 3 in the
start and three bars in the length. ":", "." and spaces separate the fields alike, so "1.2" is a bar and two
beats in the length, not 1.2 bars. The first number counts as far as it likes ("0:6" is six beats); a number
after it stays within the one before it (beats within a bar, ticks within a beat), so "1.5" in 4/4, a typo or
a decimal, is refused with the reading it would have, not taken as two bars and a beat. A start or length
that would end the note more than ``BEYOND_END_BARS`` past the end of the piece is refused too: "480" in
the length is 480 bars, which a musician typing it never means (ticks, or a slip). What is refused, here
or in the pitch (no octave, beyond MIDI's, no pitch name), is said in the status bar (``refused``) and the
box shows the note again; a value the box then takes takes the message back (``answered``). The arrows step
by the snap: the start, and a length's end, to the roll's grid lines, counted from each bar line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Signal
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
from musestudio.ui.placeholders import fill

_LETTERS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_ACCIDENTALS = {"#": 1, "♯": 1, "b": -1, "♭": -1}
_PITCH = re.compile(r"([a-g])([#♯b♭]{0,2})(-?\d+)")
_NO_OCTAVE = re.compile(r"([a-g])([#♯b♭]{0,2})")


# A typed start or length may end its note this many bars past the end of the piece, no more.
BEYOND_END_BARS = 16


@dataclass(frozen=True)
class Reading:
    """What a box makes of the text typed: its value (a pitch, or ticks), or None and why it is not taken,
    in the user's words ("" where nothing was typed, or a Start or Length that is no numbers at all: the
    box's tooltip says how to type one)."""

    value: int | None
    why: str = ""


def read_pitch(text: str, near: int) -> Reading:
    """The MIDI pitch of a name as musicians write it (C#4, Db4, D♭4, Cb4, B#3: middle C is C4) or of a
    MIDI number (61); else refused, saying why: no octave ("C#", which the name alone cannot place: the
    octave nearest ``near``, the note's pitch, is offered), beyond MIDI's 0 to 127 ("128", "G#9"), or no
    pitch name at all. The box shows one spelling of each pitch (``pitch_name``), but a musician reading a
    flat key types flats."""
    typed = text.strip()
    lowered = typed.lower()
    if lowered.isdigit():
        pitch = int(lowered)
    elif match := _PITCH.fullmatch(lowered):
        letter, accidentals, octave = match.groups()
        pitch = _named_pitch(letter, accidentals, int(octave))
    elif match := _NO_OCTAVE.fullmatch(lowered):
        why = QCoreApplication.translate(
            "InspectorPanel",
            "Not taken: %1 needs an octave, as %2, the nearest to the note (C4 is middle C).",
        )
        octave = _nearest_octave(*match.groups(), near)
        return Reading(None, fill(why, typed, f"{typed[0].upper()}{typed[1:]}{octave}"))
    elif not typed:
        return Reading(None)
    else:
        why = QCoreApplication.translate(
            "InspectorPanel",
            "Not taken: %1 names no pitch. Type a note name (C4, Db5, F#3) or a MIDI number (61).",
        )
        return Reading(None, fill(why, typed))
    if 0 <= pitch <= 127:
        return Reading(pitch)
    why = QCoreApplication.translate(
        "InspectorPanel", "Not taken: %1 is beyond MIDI's pitches, C-1 (0) to G9 (127)."
    )
    return Reading(None, fill(why, typed))


def _named_pitch(letter: str, accidentals: str, octave: int) -> int:
    return (octave + 1) * 12 + _LETTERS[letter] + sum(_ACCIDENTALS[a] for a in accidentals)


def _nearest_octave(letter: str, accidentals: str, near: int) -> int:
    """The octave that puts the named pitch nearest ``near`` within MIDI's pitches."""
    within = [o for o in range(-1, 10) if 0 <= _named_pitch(letter, accidentals, o) <= 127]
    return min(within, key=lambda o: abs(_named_pitch(letter, accidentals, o) - near))


class ReadingSpin(QSpinBox):
    """A spin box that reads what is typed with ``_read``: what it cannot take it does not take, and says why
    by ``refused`` when the box is left or Enter pressed (the box then shows the note as it was), so a
    musician's typing is never dropped without a word."""

    refused = Signal(str)  # why what was typed is not taken
    answered = Signal(str)  # a refusal said before, now answered by a value the box took

    def __init__(self) -> None:
        super().__init__()
        self._refusal = ""  # the last refusal said, until the box takes a value
        self.valueChanged.connect(self._answer_refusal)

    def _read(self, text: str) -> Reading:
        raise NotImplementedError

    def valueFromText(self, text: str) -> int:
        value = self._read(text).value
        return self.value() if value is None else value

    def validate(self, text: str, pos: int):
        value = self._read(text).value
        ok = value is not None and self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def fixup(self, text: str) -> str:
        """Qt's call when the box is left (or Enter pressed) with text it cannot take: say why."""
        why = self._read(text).why
        if why:
            self._refusal = why
            self.refused.emit(why)
        return text

    def _answer_refusal(self, _value: int) -> None:
        if self._refusal:
            self.answered.emit(self._refusal)
            self._refusal = ""


class PitchSpin(ReadingSpin):
    """A pitch box that reads and writes note names (C4 = 60) rather than numbers; it takes any spelling and
    MIDI numbers (``read_pitch``)."""

    def textFromValue(self, value: int) -> str:
        return pitch_name(value)

    def _read(self, text: str) -> Reading:
        return read_pitch(text, self.value())


def format_position(tick: int, project: Project) -> str:
    """``tick`` as bar:beat:tick, 1-based bar and beat ("1:1:0" is the very start)."""
    pos = ticks_to_bar_beat(tick, project.time_signatures, project.ticks_per_beat)
    return f"{pos.bar}:{pos.beat}:{pos.ticks}"


def read_position(text: str, project: Project) -> Reading:
    """The tick of "bar:beat:tick" ("3", "3:2" and "3.2.120" too): the beat one of its bar's, the tick
    one of its beat's, else refused ("1.5" in 4/4 names no beat)."""
    parts = _numbers(text)
    if parts is None or parts[0] < 1 or (len(parts) > 1 and parts[1] < 1):
        return Reading(None)
    bar, beat, ticks = (*parts, 1, 0)[:3] if len(parts) == 1 else (*parts, 0)[:3]
    tpb, sigs = project.ticks_per_beat, project.time_signatures
    start = _bar_line(bar, sigs, tpb)
    sig = signature_at(sigs, start)
    unit = beat_unit_ticks(sig, tpb)
    if beat > sig.numerator or ticks >= unit:
        why = QCoreApplication.translate(
            "InspectorPanel", "Not taken: bar %1 is in %2, with beats 1 to %3 and ticks 0 to %4 in a beat."
        )
        return Reading(None, fill(why, str(bar), _meter(sig), str(sig.numerator), str(unit - 1)))
    return Reading(start + (beat - 1) * unit + ticks)


def _bar_line(bar: int, sigs, tpb: int) -> int:
    """The tick bar ``bar`` (1-based) starts on: counted on from the last meter change, not listed line by
    line, so a bar number typed in the millions is read at once (listing froze the box for seconds)."""
    lines = bar_lines(sigs, tpb, sigs[-1].tick)
    if bar <= len(lines):
        return lines[bar - 1]
    return lines[-1] + (bar - len(lines)) * bar_ticks(sigs[-1], tpb)


def format_length(ticks: int, start: int, project: Project) -> str:
    """``ticks`` as bars:beats:ticks counted from zero, in the meter in force at ``start``."""
    sig = signature_at(project.time_signatures, start)
    bar, beat = bar_ticks(sig, project.ticks_per_beat), beat_unit_ticks(sig, project.ticks_per_beat)
    return f"{ticks // bar}:{ticks % bar // beat}:{ticks % beat}"


def read_length(text: str, start: int, project: Project) -> Reading:
    """The ticks of "bars:beats:ticks", read from the left as the start box and a DAW's length field read
    it: "2" is two bars, "0:2" two beats, "1:2" a bar and two beats, "0:0:240" 240 ticks. Bars and beats are
    those of the meter in force at ``start`` (a 3/4 bar is three beats, a 6/8 beat an eighth), the meter the
    box shows the length in, so what it shows typed back is the same length. The first number counts as
    far as it likes ("0:6" is six beats), those after it stay within the one before: "1.5" in 4/4 (a bar
    and five beats, or 1.5 bars meant) is refused, saying how to type either."""
    parts = _numbers(text)
    if parts is None:
        return Reading(None)
    sig = signature_at(project.time_signatures, start)
    tpb = project.ticks_per_beat
    bar, unit = bar_ticks(sig, tpb), beat_unit_ticks(sig, tpb)
    bars, beats, ticks = (*parts, 0, 0)[:3]
    total = bars * bar + beats * unit + ticks
    shown = format_length(total, start, project)
    if bars and beats >= sig.numerator:
        if re.fullmatch(r"\s*\d+\.\d+\s*", text):  # 1.5 bars meant, perhaps
            why = QCoreApplication.translate(
                "InspectorPanel",
                "Not taken: a bar of %1 has %2 beats. Type %3 for that length, or %4 for %5 bars.",
            )
            decimal = format_length(round(float(text) * bar), start, project)
            return Reading(None, fill(why, _meter(sig), str(sig.numerator), shown, decimal, text.strip()))
        why = QCoreApplication.translate(
            "InspectorPanel", "Not taken: a bar of %1 has %2 beats. Type %3 for that length."
        )
        return Reading(None, fill(why, _meter(sig), str(sig.numerator), shown))
    if (bars or beats) and ticks >= unit:
        why = QCoreApplication.translate(
            "InspectorPanel", "Not taken: a beat of %1 has %2 ticks. Type %3 for that length."
        )
        return Reading(None, fill(why, _meter(sig), str(unit), shown))
    return Reading(total)


def latest_end(project: Project) -> int:
    """The latest tick a typed start or length may end a note at: ``BEYOND_END_BARS`` past the piece's end."""
    sig = signature_at(project.time_signatures, project.length)
    return project.length + BEYOND_END_BARS * bar_ticks(sig, project.ticks_per_beat)


def too_far(end: int, project: Project, bars_alone: int | None) -> str:
    """Why a typed value that would end its note at ``end`` (past ``latest_end``) is not taken; for a length
    typed as one number (``bars_alone``), the ticks it may have meant first: what to type is what is read."""
    if bars_alone is not None:
        why = QCoreApplication.translate(
            "InspectorPanel",
            "Not taken: %1 bars would end the note far past the piece. For %1 ticks type 0:0:%1.",
        )
        return fill(why, str(bars_alone))
    sigs, tpb = project.time_signatures, project.ticks_per_beat
    why = QCoreApplication.translate(
        "InspectorPanel",
        "Not taken: the note would end in bar %1, over %2 bars past the piece's end (bar %3).",
    )
    end_bar = ticks_to_bar_beat(end - 1, sigs, tpb).bar
    last_bar = ticks_to_bar_beat(max(0, project.length - 1), sigs, tpb).bar
    return fill(why, str(end_bar), str(BEYOND_END_BARS), str(last_bar))


def _meter(sig) -> str:
    return f"{sig.numerator}/{sig.denominator}"


def _numbers(text: str) -> list[int] | None:
    parts = [p for p in re.split(r"[:.\s]+", text.strip()) if p]
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


class TimeSpin(ReadingSpin):
    """A tick value shown and typed as bar:beat:tick (a start) or bars:beats:ticks (a length); its arrows
    step to the next line of the snap grid (``grid``), which at an odd resolution is not a whole number of
    ticks away. A start steps along the lines the roll draws, counted from each bar line: after a 3/4 bar
    the half-note grid's lines are its beats 1 and 3, not a line counted from tick 0 mid-bar. A length
    steps its note's end along those lines.

    What is typed and refused (``read_position``, ``read_length``, a note ending far past the piece) is
    said by ``refused`` (``ReadingSpin``)."""

    def __init__(
        self,
        project: Callable[[], Project],
        grid: Callable[[], BarGrid],
        end_of: Callable[[int], int],
        length_from: Callable[[], int] | None = None,
    ) -> None:
        super().__init__()
        self._project = project
        self._grid = grid
        self._end_of = end_of  # where a value typed would end the note
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

    def _read(self, text: str) -> Reading:
        project = self._project()
        if self._length_from is not None:
            reading = read_length(text, self._length_from(), project)
        else:
            reading = read_position(text, project)
        if reading.value is None or self._end_of(reading.value) <= latest_end(project):
            return reading
        alone = _numbers(text)
        bars_alone = alone[0] if self._length_from is not None and len(alone) == 1 else None
        return Reading(None, too_far(self._end_of(reading.value), project, bars_alone))


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
    refused = Signal(str)  # why a pitch, start or length typed is not taken, for the status bar
    answered = Signal(str)  # such a refusal, the box having since taken a value: the status bar takes it back

    def __init__(self, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.state = editor.state
        self.summary = QLabel()
        self.position = QLabel()
        self.pitch = self._spin(0, 127, self._set_pitch, PitchSpin())
        project = lambda: self.editor.project  # noqa: E731
        grid = self.state.grid
        start_end = lambda start: start + self.length.value()  # noqa: E731
        length_end = lambda length: self.start.value() + length  # noqa: E731
        self.start = self._spin(0, 10_000_000, self._set_start, TimeSpin(project, grid, start_end))
        self.length = self._spin(
            1, 10_000_000, self._set_length, TimeSpin(project, grid, length_end, self.start.value)
        )
        self.start.setToolTip(
            self.tr(
                "Start as bar:beat:tick: 5:3:0 or 5.3 is bar 5, beat 3 (a beat of that bar, a tick of that "
                "beat)"
            )
        )
        self.length.setToolTip(
            self.tr(
                "Length as bars:beats:ticks in the meter where the note starts: 2 is two bars, 0:2 two beats, "
                "1:2 or 1.2 (as in Start; not 1.2 bars) a bar and two beats, 0:0:240 240 ticks. The first "
                "number may run on (0:6 is six beats), the others stay within a bar and a beat. A note may end "
                "up to %1 bars after the piece ends"
            ).replace("%1", str(BEYOND_END_BARS))
        )
        self.pitch.setToolTip(
            self.tr(
                "Pitch as a note name or a MIDI number: C4 (middle C), Db5, F#3 or 61; sharps and flats as "
                "# and b"
            )
        )
        for box in (self.pitch, self.start, self.length):
            box.refused.connect(self.refused)
            box.answered.connect(self.answered)
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

    # each edit named for what the user changed, in Edit > Undo and the History ("Move notes" before, for
    # a pitch typed as for a drag across the roll)
    def _set_pitch(self, value: int) -> None:
        n = self._single()
        if n is not None:
            controllers = self.editor.controllers_moving_with((n,))
            text = self.tr("Change pitch")
            self.editor.move_notes((n,), 0, value - n.pitch, text=text, controllers=controllers)

    def _set_start(self, value: int) -> None:
        n = self._single()
        if n is not None:
            controllers = self.editor.controllers_moving_with((n,))
            text = self.tr("Change start")
            self.editor.move_notes((n,), value - n.start, 0, text=text, controllers=controllers)

    def _set_length(self, value: int) -> None:
        n = self._single()
        if n is not None:
            self.editor.resize_notes((n,), value - n.duration, 1, text=self.tr("Change length"))

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
