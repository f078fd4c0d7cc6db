"""Takes listed and not kept come back from a crash (Restore, or Preferences' reopened window) in the
colours the user knew them by: a take showing a spare colour, beside another Generate's take with its
number, does not come back in that number's colour while the other takes the spare. What the colours were
cannot be worked out from the takes and their order (which take got the spare depends on which was listed
first), so the recovery copy writes each take's colour; a copy written before it did still lists its takes."""

from __future__ import annotations

import dataclasses

import pytest

from musestudio.core.note import Note
from musestudio.io.recovery import find_recoveries
from musestudio.ui.dialogs.recovery import RecoveryDialog
from musestudio.ui.generate.takes_panel import NUMBER_COLOURS
from tests.ui.test_recovery_dialog import crash
from tests.ui.test_takes_of_two_generates_ui import drawn, swatch
from tests.ui.ui_helpers import list_takes


def list_a_later_take_one_first(window):
    """Takes 1 and 2 of one Generate, then take 1 of another listed above them (an undone keep goes back
    to its row): the take 1 listed first keeps its number's colour, the one listed later gets a spare."""
    earlier = list_takes(window, 2)
    later = dataclasses.replace(
        earlier[0], notes=(Note(72, 0, 480, 90),), request=dataclasses.replace(earlier[0].request)
    )
    window.generate.set_takes((later, *earlier))
    colours = [swatch(window, row) for row in range(3)]
    assert colours[1] == NUMBER_COLOURS[0] and colours[0] not in NUMBER_COLOURS
    return colours


def test_takes_come_back_from_a_crash_in_the_colours_they_were_listed_in(make_window):
    first = make_window()
    before = list_a_later_take_one_first(first)
    assert first.autosaver.save_now() is not None
    crash()
    (copy,) = find_recoveries()
    start = make_window()
    assert RecoveryDialog([copy], start).restore()
    assert len(start.generate.takes) == 3
    assert [swatch(start, row) for row in range(3)] == before  # in the list ...
    assert [drawn(start, row) for row in range(3)] == [{c} for c in before]  # ... and over the roll


@pytest.mark.parametrize("written", [None, 99, "green"], ids=["none", "out of range", "not a number"])
def test_a_copy_without_readable_colours_lists_its_takes_each_in_a_colour_of_its_own(make_window, written):
    """A copy written before takes carried their colour (or a damaged one) lists its takes, coloured as
    if they were listed now: each its own, numbers in their own colours where they can."""
    first = make_window()
    list_a_later_take_one_first(first)
    block = first.generate.recovery_takes()
    for take in block["takes"]:
        take.pop("colour", None)
        if written is not None:
            take["colour"] = written
    start = make_window()
    start.generate.restore_takes(block)
    assert len(start.generate.takes) == 3
    colours = [swatch(start, row) for row in range(3)]
    assert colours[0] == NUMBER_COLOURS[0] and colours[2] == NUMBER_COLOURS[1] and len(set(colours)) == 3
