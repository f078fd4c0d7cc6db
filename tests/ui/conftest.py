"""A real main window on a throwaway settings file and recovery folder, with no audio device."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from sample_projects import two_track_project

from musestudio.audio.player import LivePlayer, PlayerAdapter
from musestudio.core.document import Document
from musestudio.core.project import Project
from musestudio.settings import Settings
from musestudio.ui.main_window import MainWindow

NO_DEVICE = "no such audio device"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(qtbot, settings):
    windows = []

    def make(project: Project | None = None) -> MainWindow:
        player = PlayerAdapter(LivePlayer(device=NO_DEVICE))
        window = MainWindow(Document(project or two_track_project()), settings, player)
        window.resize(1300, 800)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=3000)  # shortcuts only reach the active window
        window.roll.view.setFocus()
        windows.append(window)
        return window

    yield make
    for w in windows:  # closed here, not by qtbot.addWidget, so the document can be marked saved first
        w.document.mark_saved()  # no unsaved-changes prompt while the test closes the window
        w.close()
        w.deleteLater()


@pytest.fixture
def window(make_window):
    return make_window()


# -- real mouse events ------------------------------------------------------------------------------------
def note_point(view, tick: float, pitch: int) -> QPoint:
    """Viewport point inside ``pitch``'s row at ``tick``."""
    return QPoint(round(view.tick_to_x(tick)), round(view.pitch_to_y(pitch) + view.row_px / 2))


def send_mouse(
    widget, kind, pos: QPoint, button=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier
) -> None:
    held = Qt.MouseButton.NoButton if kind == QMouseEvent.Type.MouseButtonRelease else button
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        Qt.MouseButton.NoButton if kind == QMouseEvent.Type.MouseMove else button,
        held,
        modifiers,
    )
    QApplication.sendEvent(widget, event)


def drag(
    widget,
    start: QPoint,
    end: QPoint,
    steps: int = 6,
    button=Qt.MouseButton.LeftButton,
    modifiers=Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press at ``start``, move in ``steps`` to ``end``, release: the events a real drag sends."""
    send_mouse(widget, QMouseEvent.Type.MouseButtonPress, start, button, modifiers)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        send_mouse(widget, QMouseEvent.Type.MouseMove, QPoint(round(p.x()), round(p.y())), button, modifiers)
    send_mouse(widget, QMouseEvent.Type.MouseButtonRelease, end, button, modifiers)


def click(widget, pos: QPoint, button=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier):
    send_mouse(widget, QMouseEvent.Type.MouseButtonPress, pos, button, modifiers)
    send_mouse(widget, QMouseEvent.Type.MouseButtonRelease, pos, button, modifiers)
