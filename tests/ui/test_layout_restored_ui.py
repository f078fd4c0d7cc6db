"""The docks come back as the user left them. Placed again just after the window was shown, in the layout's
geometry (still empty then), every dock came out at its narrowest: at each start after the first, the
Generate panel's choices were cut off in a right column 180 pixels wide, with a sideways scroll bar."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt

from musestudio.audio.player import LivePlayer, PlayerAdapter
from musestudio.core.document import Document
from musestudio.ui.main_window import MainWindow
from tests.ui.conftest import NO_DEVICE
from tests.ui.ui_helpers import settle, two_track_project

SIZE = QSize(1400, 860)  # the window's size at its first start


def start(settings, qtbot) -> MainWindow:
    """The window as the app starts it: made, shown at the size it restores, and left to lay itself out."""
    window = MainWindow(Document(two_track_project()), settings, PlayerAdapter(LivePlayer(device=NO_DEVICE)))
    window.resize(SIZE)  # as restored on a desktop: the offscreen platform's small screen holds it smaller
    window.show()
    qtbot.waitExposed(window)
    settle(window)
    return window


def test_the_next_start_gives_the_columns_the_widths_they_had(settings, qtbot):
    first = start(settings, qtbot)
    first.resizeDocks([first.generate.panel_dock], [400], Qt.Orientation.Horizontal)  # the user's own width
    settle(first)
    widths = first.tracks.width(), first.generate.panel_dock.width()
    assert widths[1] > first.generate.panel_dock.minimumSizeHint().width() + 100
    first.close_unasked()  # the layout goes into the settings, as on quitting
    first.deleteLater()

    second = start(settings, qtbot)  # the same settings
    try:
        assert (second.tracks.width(), second.generate.panel_dock.width()) == widths
    finally:
        second.close_unasked()
        second.deleteLater()
