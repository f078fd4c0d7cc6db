"""The mouse wheel scrolls a scrolled form; a box in it takes the wheel only once the user has clicked or
tabbed into it.

At 1024x700 the Generate form shows three fields at a time and its boxes fill the column's width, so the
pointer nearly always rests on one: the wheel meant to scroll down to the seed turned the Mode box from
Continue to Restyle, then on to Add a part, and the form itself never moved. A box the user has put the focus
in still steps with the wheel, as the track list's volume sliders do (``panels/tracks.VolumeSlider``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

BOXES = (QComboBox, QAbstractSpinBox)  # the controls whose value the wheel steps


class _WheelToTheForm(QObject):
    """Hands a wheel turned over an unfocused box to the form around it (which scrolls)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and not watched.hasFocus():
            event.ignore()  # Qt passes an ignored wheel on to the parents: the scroll area takes it
            return True
        return super().eventFilter(watched, event)


def scroll_past_boxes(form: QWidget) -> None:
    """Let the wheel scroll ``form`` over its boxes (those in it now): a box no longer takes the focus from
    the wheel (a click or Tab gives it), and steps with the wheel only while it has the focus."""
    wheel_to_the_form = _WheelToTheForm(form)
    for kind in BOXES:
        for box in form.findChildren(kind):
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            box.installEventFilter(wheel_to_the_form)
