"""The Generate form at 1024x700 shows three of its fields at a time: the mouse wheel scrolls it to the rest
and changes none of the choices made (a box under the pointer took the wheel: scrolling down from Mode set
Restyle, and the form stayed where it was)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QScrollArea, QToolButton

from musestudio.ml.engines import ADD_PART, CONTINUE, REGENERATE, RESTYLE
from tests.ui.test_editor_layout import settle, small_window

NOTCH = QPoint(0, -120)  # one notch of the wheel, towards the user: down the form
FIELD_KINDS = (QComboBox, QAbstractSpinBox, QToolButton, QCheckBox)


def fields(scroll: QScrollArea) -> list:
    """The form's fields the chosen mode shows."""
    form = scroll.widget()
    return [f for kind in FIELD_KINDS for f in form.findChildren(kind) if f.isVisibleTo(form)]


@pytest.mark.parametrize("mode", [CONTINUE, RESTYLE, REGENERATE, ADD_PART])
def test_at_1024x700_the_wheel_brings_every_field_of_the_generate_form_into_view(make_window, mode):
    window = small_window(make_window)
    panel = window.generate.panel
    window.generate.panel_dock.raise_()
    panel.set_mode(mode)
    settle(window)
    scroll = panel.findChild(QScrollArea)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the form is taller than the room it has: this test means something
    chosen = panel.choices()
    # the pointer stays over the form's first box, as a hand on the mouse does; the boxes pass under it
    first = panel.mode
    at = first.mapTo(window, first.rect().center())
    unseen = set(fields(scroll))
    for _ in range(4 * bar.maximum() // bar.singleStep()):
        unseen = {f for f in unseen if f.visibleRegion().isEmpty()}
        if bar.value() == bar.maximum():
            break
        QTest.wheelEvent(window.windowHandle(), at, NOTCH)
        settle(window)
    assert bar.value() == bar.maximum()
    assert panel.choices() == chosen
    assert not {f for f in unseen if f.visibleRegion().isEmpty()}, [type(f).__name__ for f in unseen]


def test_a_box_clicked_into_still_steps_with_the_wheel(make_window, qtbot):
    window = small_window(make_window)
    panel = window.generate.panel
    window.generate.panel_dock.raise_()
    settle(window)
    scroll = panel.findChild(QScrollArea)
    box = panel.variations
    scroll.ensureWidgetVisible(box)
    settle(window)
    before, shown = box.value(), scroll.verticalScrollBar().value()
    qtbot.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)
    assert box.hasFocus()
    QTest.wheelEvent(window.windowHandle(), box.mapTo(window, box.rect().center()), -NOTCH)
    settle(window)
    assert box.value() == before + 1
    assert scroll.verticalScrollBar().value() == shown  # the box took the wheel, not the form
