"""A real main window on a throwaway settings file and recovery folder, with no audio device."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from musestudio.audio.player import LivePlayer, PlayerAdapter
from musestudio.core.document import Document
from musestudio.core.project import Project
from musestudio.settings import Settings
from musestudio.ui.main_window import MainWindow
from tests.ui.ui_helpers import two_track_project

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
        qtbot.waitUntil(window.isActiveWindow, timeout=30_000)  # shortcuts only reach the active window
        window.roll.view.setFocus()
        windows.append(window)
        return window

    yield make
    for w in windows:  # closed here, not by qtbot.addWidget, so the document can be marked saved first
        w.close_unasked()
        w.deleteLater()


@pytest.fixture
def window(make_window):
    return make_window()
