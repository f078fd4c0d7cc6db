"""The MIDI toolbar: the keyboard (input port) and MIDI output pickers, Record, Step Input and Jam.

The pickers list the ports as the system names them and look again each time they are opened (a keyboard
plugged in a moment ago is there), besides ``MidiPorts``'s own look every two seconds. A remembered port
that is not plugged in stays chosen, marked as away, and is used again once it is back; so does one that is
there but could not be opened, with the reason in the picker's tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QStyle, QToolBar

from musestudio.ui.midi import VIRTUAL_OUTPUT, MidiPorts


class PortPicker(QComboBox):
    """A combo box that asks for a fresh port list just before it opens."""

    opening = Signal()

    def showPopup(self) -> None:
        self.opening.emit()
        super().showPopup()


def fill_picker(
    combo: QComboBox, none_text: str, names, chosen: str | None, extra=(), away_text="", closed=False
) -> None:
    """``combo`` lists "None", ``extra`` (data, text) items, then ``names``; ``chosen`` selected (kept,
    marked ``away_text``, when it is not on the system now, or is but is ``closed``: it could not be
    opened)."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(none_text, "")
    for data, text in extra:
        combo.addItem(text, data)
    for name in names:
        combo.addItem(name, name)
    listed = combo.findData(chosen) if chosen else -1
    if chosen and listed < 0:
        combo.addItem(away_text.replace("%1", chosen), chosen)
    elif chosen and closed:
        combo.setItemText(listed, away_text.replace("%1", combo.itemText(listed)))
    combo.setCurrentIndex(max(0, combo.findData(chosen or "")))
    combo.blockSignals(False)


class MidiToolBar(QToolBar):
    def __init__(self, actions, ports: MidiPorts, parent=None) -> None:
        super().__init__(self.tr("MIDI"), parent)
        self.setObjectName("midiToolBar")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.ports = ports
        self.record = actions.record
        self.addWidget(QLabel(self.tr(" MIDI in ")))
        self.input = PortPicker()
        self.input.setMinimumContentsLength(12)
        self.input.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._input_tip = self.tr("The keyboard to play, record and jam with")
        self.input.opening.connect(ports.rescan)
        self.input.activated.connect(lambda i: ports.set_input(self.input.itemData(i) or None))
        self.addWidget(self.input)
        for action, short in (
            (actions.record, self.tr("Record")),
            (actions.step_input, self.tr("Step")),
            (actions.jam, self.tr("Jam")),
            (actions.record_replace, self.tr("Replace")),
            (actions.record_quantize, self.tr("Quantize")),
            (actions.midi_thru, self.tr("Thru")),
            (actions.midi_clock, self.tr("Clock")),
        ):
            action.setIconText(short)  # the toolbar's short label; menus show the full text
        for action in (actions.record, actions.step_input, actions.jam):
            self.addAction(action)
        self.addSeparator()
        for action in (actions.record_replace, actions.record_quantize, actions.midi_thru):
            self.addAction(action)
        self.addSeparator()
        self.addWidget(QLabel(self.tr(" Out ")))
        self.output = PortPicker()
        self.output.setMinimumContentsLength(14)
        self.output.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._output_tip = self.tr("Send playback to a synth or DAW, or to our own port for them to read")
        self.output.opening.connect(ports.rescan)
        self.output.activated.connect(lambda i: ports.set_output(self.output.itemData(i) or None))
        self.addWidget(self.output)
        self.addAction(actions.midi_clock)
        ports.ports_changed.connect(self.refresh)
        self.refresh()

    def width_showing_record(self) -> int:
        """The width at which this toolbar shows the keyboard picker and Record, what follows them going into
        its » menu: what a musician with a keyboard must see. Its full width less the items after Record,
        plus the » button."""
        actions = self.actions()
        spacing = self.layout().spacing()
        after_record = sum(
            self.widgetForAction(a).sizeHint().width() + spacing
            for a in actions[actions.index(self.record) + 1 :]
        )
        extension = self.style().pixelMetric(QStyle.PixelMetric.PM_ToolBarExtensionExtent, None, self)
        return self.sizeHint().width() - after_record + spacing + extension

    def refresh(self) -> None:
        p = self.ports
        away = self.tr("%1 (not connected)")
        fill_picker(
            self.input,
            self.tr("None"),
            p.inputs(),
            p.input_name,
            away_text=away,
            closed=bool(p.input_problem),
        )
        fill_picker(
            self.output,
            self.tr("None"),
            p.outputs(),
            p.output_name,
            extra=((VIRTUAL_OUTPUT, self.tr("MuseStudio (virtual port)")),),
            away_text=away,
            closed=bool(p.output_problem),
        )
        tip = p.unavailable or (
            self.tr("MIDI system: %1").replace("%1", p.backend.upper()) if p.backend else ""
        )
        for combo in (self.input, self.output):
            combo.setEnabled(p.system is not None)
            combo.setStatusTip(tip)
        for combo, what, problem in (
            (self.input, self._input_tip, p.input_problem),
            (self.output, self._output_tip, p.output_problem),
        ):
            why = p.unavailable or problem
            combo.setToolTip(f"{what}\n\n{why}" if why else what)
