"""The main toolbar: tools, snap grid, transport buttons, and the piece's tempo, meter and key.

The tempo/meter/key boxes show the Document's values and ask the Editor to change them, so they are
undoable like any other edit and follow undo/redo back. The BPM box shows and edits the tempo in force at
the playhead (other tempo changes stay), over the whole range MIDI files hold, in the beat the meter there
is counted in and naming it (``tempo_words``: "♩. = 120.0" in a 6/8 the file holds at 180 quarters). From the first key typed
in a box (or the opening of a combo box's list) until it is committed, the boxes stop following the
playhead, and what is typed there changes the tempo, meter or key shown when the typing began: during
playback the playhead has moved on by the time Enter is pressed. Merely keeping the focus (a combo box keeps
it after a pick) does not hold them: a box shows and edits the playhead's tick. Enter or Escape in a box, or
a pick with the mouse in a combo box's list, hands the keyboard back to the roll (``finished``), so the next
key is a shortcut again, not typing.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QSpinBox, QStyle, QToolBar

from musestudio.core.keys import PITCH_NAMES, KeySignature
from musestudio.core.project import TimeSignature
from musestudio.core.timing import GRID_VALUES, counted_bpm, quarter_bpm
from musestudio.ui.actions import Actions, label_without_mnemonic
from musestudio.ui.editor import Editor
from musestudio.ui.tempo_words import mark_around_number

DENOMINATORS = (2, 4, 8, 16)
MAX_BEATS = 255  # beats a bar can hold (a MIDI file's byte, core/project.TimeSignature)


def _key_data(key: KeySignature | None) -> str:
    """Combo-box data for a key ("" for none): plain strings compare reliably in findData."""
    return f"{key.tonic}:{key.mode}" if key is not None else ""


TEMPO_DECIMALS = 1  # the BPM box's and the status bar's
MIN_BPM, MAX_BPM = 1.0, 60_000_000.0  # what a MIDI file can hold (core/project.py); a box never clamps it


TEMPO_SHOWN_WHOLE = 999.9  # the widest tempo the BPM box is sized for; a larger one scrolls in it


def _width_for_tempos_played(box: QDoubleSpinBox) -> int:
    """As wide as the BPM box needs for the tempos music is played at, not for a MIDI file's ceiling of
    60,000,000 BPM: that width pushed the key box off a narrow window's toolbar."""
    metrics = box.fontMetrics()
    ceiling = metrics.horizontalAdvance(box.prefix() + box.textFromValue(box.maximum()) + box.suffix())
    played = metrics.horizontalAdvance(box.prefix() + box.textFromValue(TEMPO_SHOWN_WHOLE) + box.suffix())
    return box.sizeHint().width() - ceiling + played


class MainToolBar(QToolBar):
    finished = Signal()  # Enter or Escape in a box, a mouse pick in a combo: the roll takes the keyboard back
    resized = Signal()  # the BPM box took the width of a new beat's mark ("二分音符 = " is wider than "♩ = ")

    def __init__(self, actions: Actions, editor: Editor, parent=None) -> None:
        super().__init__(self.tr("Main"), parent)
        self.setObjectName("mainToolBar")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.editor = editor
        self.state = editor.state
        self._shown_at = self.state.playhead  # the tick whose tempo, meter and key the boxes show
        self._picking_with_mouse = False  # the last input to a combo box was the mouse (see eventFilter)
        for action in actions.tools.values():
            label_without_mnemonic(action)
            self.addAction(action)
        self.addSeparator()
        snap_label = QLabel(self.tr("Snap"))  # the toolbar's spacing sets it apart: no spaces to pad it
        snap_label.setContentsMargins(4, 0, 0, 0)
        self.addWidget(snap_label)
        self.snap = QComboBox()
        for name in GRID_VALUES:
            label = name[:-1] + " " + self.tr("triplet") if name.endswith("T") else name
            self.snap.addItem(label, name)
        self.snap.setToolTip(
            self.tr("Grid for drawing, moving and quantizing (Shift or Alt while dragging: off)")
        )
        self.snap.currentIndexChanged.connect(lambda i: self.state.set_snap(self.snap.itemData(i)))
        self.state.snap_changed.connect(self._show_snap)
        self.addWidget(self.snap)
        self.addSeparator()
        style = self.style()
        for action, icon in (
            (actions.play_from_start, QStyle.StandardPixmap.SP_MediaSkipBackward),
            (actions.play, QStyle.StandardPixmap.SP_MediaPlay),
            (actions.loop, QStyle.StandardPixmap.SP_BrowserReload),
            (actions.metronome, None),
        ):
            if icon is not None:
                action.setIcon(style.standardIcon(icon))
            label_without_mnemonic(action)
            self.addAction(action)
        self.addSeparator()

        self.tempo = QDoubleSpinBox()
        self.tempo.setDecimals(TEMPO_DECIMALS)
        self.tempo.setKeyboardTracking(False)
        self.tempo.setToolTip(
            self.tr(
                "Tempo at the playhead in beats a minute, counted in the meter's beat (♩. in 6/8, 9/8 and "
                "12/8; the file keeps quarter notes); the other tempo changes stay"
            )
        )
        self.tempo.valueChanged.connect(self._set_tempo)
        self.addWidget(self.tempo)

        self.numerator = QSpinBox()
        self.numerator.setRange(1, MAX_BEATS)
        self.numerator.setKeyboardTracking(False)
        self.numerator.setToolTip(self.tr("Beats per bar"))
        self.denominator = QComboBox()
        for d in DENOMINATORS:
            self.denominator.addItem(str(d), d)
        self.denominator.setToolTip(self.tr("Beat unit"))
        self.numerator.valueChanged.connect(self._set_meter)
        self.denominator.currentIndexChanged.connect(self._set_meter)
        self.addWidget(self.numerator)
        self.addWidget(QLabel("/"))
        self.addWidget(self.denominator)

        self.key = QComboBox()
        self.key.setToolTip(self.tr("Key (shades the in-key rows)"))
        self.key.addItem(self.tr("No key"), "")
        for mode, label in (("major", self.tr("major")), ("minor", self.tr("minor"))):
            for tonic, name in enumerate(PITCH_NAMES):
                self.key.addItem(f"{name} {label}", _key_data(KeySignature(tonic, mode)))
        self.key.currentIndexChanged.connect(self._set_key)
        self.addWidget(self.key)

        for field in (self.tempo, self.numerator, self.denominator, self.key, self.snap):
            field.installEventFilter(self)
        for combo in (self.snap, self.denominator, self.key):
            combo.activated.connect(self._picked)
        self.state.document.changed.connect(lambda *_: self.refresh())
        self.state.playhead_changed.connect(lambda _t: self._show_at_playhead())
        self._show_snap(self.state.snap)
        self.refresh()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            self._picking_with_mouse = True
        elif event.type() == QEvent.Type.KeyPress:
            self._picking_with_mouse = False
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in keys:
            event.accept()  # Enter here commits the number; it does not "play from start"
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() in keys:
            if event.key() == Qt.Key.Key_Escape:
                self.refresh()  # what was typed is dropped: the box shows the document again
            elif hasattr(obj, "interpretText"):
                obj.interpretText()  # Enter commits what was typed
            self.finished.emit()
            return True
        return super().eventFilter(obj, event)

    def _picked(self) -> None:
        """A combo box's choice made with the mouse hands the keyboard back to the roll, as Enter does, so
        Delete and the arrows edit the notes again; stepping through the choices with the arrow keys keeps
        the focus in the box for the next step."""
        if self._picking_with_mouse:
            self.finished.emit()

    def _editing(self) -> bool:
        """The user is typing in a spin box (text not yet committed) or has a combo box's list open."""
        typing = any(
            box.text() != box.prefix() + box.textFromValue(box.value()) + box.suffix()
            for box in (self.tempo, self.numerator)
        )
        return typing or any(combo.view().isVisible() for combo in (self.denominator, self.key))

    def _show_at_playhead(self) -> None:
        """Tempo, meter and key follow the playhead (a file can change each), but never overwrite what the
        user is typing in a box."""
        if not self._editing():
            self.refresh()

    def show_playhead(self) -> None:
        """Drop any typing not yet committed: the boxes show and edit the playhead's tick (after Meter or
        Key Change at This Bar, the box sets the change just made there)."""
        self._shown_at = self.state.playhead
        self.refresh()

    def _show_snap(self, name: str) -> None:
        self.snap.blockSignals(True)
        self.snap.setCurrentIndex(self.snap.findData(name))
        self.snap.blockSignals(False)

    def _set_key(self, index: int) -> None:
        data = self.key.itemData(index)
        if data:
            tonic, mode = data.split(":")
            self.editor.set_key(KeySignature(int(tonic), mode), self._shown_at)
        else:
            self.editor.set_key(None, self._shown_at)

    def _set_tempo(self, counted: float) -> None:
        """The box's beats a minute, in the meter it showed, as the quarter notes the piece holds."""
        meter = self._shown_meter()
        self.editor.set_tempo(quarter_bpm(counted, meter), self._shown_at)

    def _shown_meter(self) -> TimeSignature:
        return self.state.document.project.meter_at(self._shown_at)

    def _show_tempo(self, bpm: float, meter: TimeSignature) -> None:
        """``bpm`` (quarter notes) in ``meter``'s counted beat, the box's range and unit following it."""
        prefix, suffix = mark_around_number(meter)
        if (prefix, suffix) != (self.tempo.prefix(), self.tempo.suffix()):
            self.tempo.setPrefix(prefix)
            self.tempo.setSuffix(suffix)
            # as wide as the mark needs, never squeezed narrower by a crowded toolbar: in the narrowest
            # Chinese window "二分音符 = 60.0" was cut short to "二分音符 = 6"
            width = _width_for_tempos_played(self.tempo)
            if width != self.tempo.minimumWidth():
                self.tempo.setFixedWidth(width)
                self.resized.emit()
        step = 10**TEMPO_DECIMALS  # the box rounds its range to its decimals: outward, so no tempo is cut
        low, high = counted_bpm(MIN_BPM, meter), counted_bpm(MAX_BPM, meter)
        self.tempo.setRange(math.floor(low * step) / step, math.ceil(high * step) / step)
        self.tempo.setValue(counted_bpm(bpm, meter))

    def _set_meter(self) -> None:
        self.editor.set_time_signature(self.numerator.value(), self.denominator.currentData(), self._shown_at)

    def refresh(self) -> None:
        """Show the piece's tempo, meter and key at the playhead; while a box is being edited, still at the
        tick it showed, so the typed value goes to the change it showed when the typing began."""
        project = self.state.document.project
        widgets = (self.tempo, self.numerator, self.denominator, self.key)
        for w in widgets:
            w.blockSignals(True)
        if not self._editing():
            self._shown_at = self.state.playhead
        at = self._shown_at
        sig = project.meter_at(at)
        self._show_tempo(project.tempo_at(at).bpm, sig)
        self.numerator.setValue(sig.numerator)
        index = self.denominator.findData(sig.denominator)
        if index < 0:
            self.denominator.addItem(str(sig.denominator), sig.denominator)
            index = self.denominator.count() - 1
        self.denominator.setCurrentIndex(index)
        self.key.setCurrentIndex(max(0, self.key.findData(_key_data(project.key_at(at)))))
        for w in widgets:
            w.blockSignals(False)
