"""Edit > Insert Bars…: how many bars, and before which bar, with the meter the new bars will be in."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QWidget

from musestudio.core.bars import bar_index, bar_line
from musestudio.core.project import Project

MAX_BARS = 999


class InsertBarsDialog(QDialog):
    """Asks for a count (1 by default) and the bar to insert before (the one Insert Bars was offered at),
    up to the bar after the piece's last. The note under them says the meter the new bars take: that of
    the bar they go before, which a musician with changing meters wants to see before saying OK."""

    def __init__(self, project: Project, at: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insert_bars_dialog")
        self.setWindowTitle(self.tr("Insert Bars"))
        self.project = project
        self.count = QSpinBox()
        self.count.setRange(1, MAX_BARS)
        self.count.setValue(1)
        self.before = QSpinBox()
        last = bar_index(project, max(project.length, project.last_event_tick)) + 2
        self.before.setRange(1, max(last, bar_index(project, at) + 1))
        self.before.setValue(bar_index(project, at) + 1)
        self.meter = QLabel()
        self.meter.setWordWrap(True)
        self.before.valueChanged.connect(self._say_the_meter)
        self._say_the_meter()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Bars to insert:"), self.count)
        form.addRow(self.tr("Before bar:"), self.before)
        form.addRow(self.meter)
        form.addRow(buttons)
        self.count.setFocus()  # the count first, selected: type a number and press Enter
        self.count.selectAll()

    @property
    def at(self) -> int:
        """The tick of the bar line the new bars go in at."""
        return bar_line(self.project.time_signatures, self.project.ticks_per_beat, self.before.value() - 1)

    def _say_the_meter(self) -> None:
        meter = str(self.project.meter_at(self.at))
        self.meter.setText(
            self.tr(
                "The new bars are in %1, the meter of the bar they go before; everything from that bar on "
                "moves later on every track."
            ).replace("%1", meter)
        )
