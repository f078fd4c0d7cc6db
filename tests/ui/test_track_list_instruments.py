"""The instrument in each track row reads whole on a 1024x768 screen, in English and Chinese: cut to
"Acoust… Piano" it could be the grand piano or the bass. Where the name does not fit beside the volume,
every row gives the instrument a line of its own; where it does, the rows stay two lines high."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track

LOOK_ALIKES = (
    Track(name="Piano", program=0, notes=(Note(60, 0, 480, 90),)),
    Track(name="Bass", program=32, channel=1),
    Track(name="Nylon", program=24, channel=2),
    Track(name="Steel", program=25, channel=3),
    Track(name="Finger", program=33, channel=4),
    Track(name="Drums", is_drum=True, channel=9),
)


def rows_at(make_window, qtbot, tracks, width: int, height: int):
    window = make_window(Project(tracks=tracks))
    window.resize(width, height)
    qtbot.wait(100)
    return window, list(window.tracks.widget().rows.values())


def shows_whole(row) -> bool:
    return row.instrument.width() >= row.instrument.sizeHint().width()


def beside(row) -> bool:
    """Whether the volume slider is on the instrument's line."""
    instrument = row.instrument.mapTo(row, QPoint(0, row.instrument.height() // 2)).y()
    return row.volume.geometry().top() <= instrument <= row.volume.geometry().bottom()


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
@pytest.mark.parametrize("size", [(1024, 768), (1300, 800)])
def test_every_instrument_name_reads_whole_and_the_volumes_line_up(language, make_window, qtbot, size):
    window, rows = rows_at(make_window, qtbot, LOOK_ALIKES, *size)
    for row in rows:
        assert shows_whole(row), f"{row.instrument.text()!r} is cut to {row.instrument.width()}px"
    assert len({row.volume.geometry().left() for row in rows}) == 1  # lined up as a mixer's faders
    assert len({beside(row) for row in rows}) == 1  # all rows laid out alike


def test_at_1024_the_english_names_get_a_line_of_their_own_and_short_ones_share_it(make_window, qtbot):
    _window, rows = rows_at(make_window, qtbot, LOOK_ALIKES, 1024, 768)
    assert not any(beside(row) for row in rows)
    short = (Track(name="Lead", program=40), Track(name="Drums", is_drum=True, channel=9))
    _window, rows = rows_at(make_window, qtbot, short, 1024, 768)
    assert all(beside(row) for row in rows)  # "Violin", "Drum Kit": no row made taller than it need be


def test_picking_a_longer_instrument_gives_it_the_room_it_needs(make_window, qtbot):
    short = (Track(name="Lead", program=40), Track(name="Drums", is_drum=True, channel=9))
    window, rows = rows_at(make_window, qtbot, short, 1024, 768)
    assert all(beside(row) for row in rows)
    lead = window.document.project.tracks[0]
    window.editor.set_track(lead.id, "Change instrument", program=24)  # Acoustic Guitar (nylon)
    qtbot.wait(50)
    rows = list(window.tracks.widget().rows.values())
    assert all(shows_whole(row) for row in rows) and not any(beside(row) for row in rows)
    window.undo_stack.undo()  # Violin again: the rows close up
    qtbot.wait(50)
    assert all(beside(row) for row in window.tracks.widget().rows.values())
