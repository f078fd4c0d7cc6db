"""Takes of two Generates listed together (a cancelled Generate's early take whose keep is undone lists it
beside the takes before it): both may show "take 1", so each take is told apart by the Generate it was drawn
for, not by its number alone: in which row stays current when new takes come, and in its colour, in the
list and over the roll, which it keeps while it is listed."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt

from musestudio.core.note import Note
from musestudio.ml.engines import CONTINUE
from tests.ui.test_generate_ui import choose, melody_project, needs, press_generate
from tests.ui.ui_helpers import list_takes


def click_row(qtbot, window, row: int) -> None:
    """Click take ``row`` in the Takes list, as the user picks a take."""
    takes_list = window.generate.takes_panel.list
    rect = takes_list.visualItemRect(takes_list.topLevelItem(row))
    qtbot.mouseClick(takes_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def swatch(window, row: int) -> str:
    """The colour of take ``row``'s swatch in the Takes list."""
    icon = window.generate.takes_panel.list.topLevelItem(row).icon(0)
    return icon.pixmap(12, 12).toImage().pixelColor(6, 6).name()


def drawn(window, row: int) -> set[str]:
    """The colours take ``row``'s notes are drawn in over the roll."""
    return {item.brush().color().name() for item in window.generate.overlay.items[row]}


def two_take_ones(window):
    """Takes 1 and 2 of one Generate, and beside them take 1 of another (other notes, its own request)."""
    first = list_takes(window, 2)
    other = dataclasses.replace(
        first[0], notes=(Note(72, 0, 480, 90),), request=dataclasses.replace(first[0].request)
    )
    window.generate.set_takes((*first, other))
    return (*first, other)


def test_two_takes_showing_one_number_have_two_colours_in_the_list_and_over_the_roll(window):
    two_take_ones(window)
    colours = [swatch(window, row) for row in range(3)]
    assert len(set(colours)) == 3  # take 1 of each Generate, and take 2, each its own colour
    assert [drawn(window, row) for row in range(3)] == [{c} for c in colours]  # the list's and the roll's


def test_a_take_keeps_its_colour_while_the_takes_around_it_come_and_go(qtbot, window):
    _one, two, other_one = two_take_ones(window)
    two_colour, other_colour = swatch(window, 1), swatch(window, 2)
    assert swatch(window, 0) != other_colour  # the two takes 1 look apart ...
    click_row(qtbot, window, 0)
    qtbot.mouseClick(window.generate.takes_panel.discard, Qt.MouseButton.LeftButton)  # the first take 1
    assert window.generate.takes == (two, other_one)
    assert [swatch(window, 0), swatch(window, 1)] == [two_colour, other_colour]  # ... and keep their looks
    assert [drawn(window, 0), drawn(window, 1)] == [{two_colour}, {other_colour}]


@needs(CONTINUE, "transformer")
def test_when_new_takes_come_the_best_is_current_not_the_one_numbered_as_the_take_picked_before(
    qtbot, make_window
):
    """Take 3 of the takes listed is picked; the next Generate's takes replace them: its take 3 is another
    take, so the best of them is current, as after any Generate."""
    window = make_window(melody_project())
    gen = window.generate
    list_takes(window, 3)
    click_row(qtbot, window, 2)
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=3)
    press_generate(qtbot, window)
    assert gen.takes[0].number != 3  # the new take 3 is not the best: the row picked must not follow it
    assert gen.takes_panel.current_row() == 0 and gen.overlay.current == 0
