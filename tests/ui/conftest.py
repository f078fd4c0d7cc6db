"""A real main window on a throwaway settings file and recovery folder, with no audio device (or, where a
test needs the synth loaded as on a real machine, a fake sound card)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt, QTranslator
from PySide6.QtGui import QDrag

from musestudio import paths
from musestudio.audio.player import LivePlayer, PlayerAdapter
from musestudio.core.document import Document
from musestudio.core.project import Project
from musestudio.settings import Settings
from musestudio.ui.error_words import ErrorWords
from musestudio.ui.main_window import MainWindow
from tests.ui.ui_helpers import two_track_project

NO_DEVICE = "no such audio device"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def chinese(qapp):
    """The window's words in Chinese for one test: the longest labels of the two languages."""
    translator = QTranslator()
    assert translator.load("musestudio_zh_CN", str(paths.resource("i18n")))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def drags(monkeypatch):
    """What each drag out of the window carried: (mime formats, the file it names, its MIDI bytes, the
    supported actions). The system's drag loop (QDrag.exec) is the one thing replaced: it would wait for a
    real mouse to let go."""
    seen = []

    def exec_(drag: QDrag, actions=Qt.DropAction.CopyAction, *_):
        mime = drag.mimeData()
        (url,) = mime.urls()
        seen.append((set(mime.formats()), Path(url.toLocalFile()), bytes(mime.data("audio/midi")), actions))
        return Qt.DropAction.CopyAction

    monkeypatch.setattr(QDrag, "exec", exec_)
    return seen


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


class FakeStream:
    """A ``sounddevice.OutputStream`` with no sound card behind it: a thread calls the callback block after
    block as PortAudio would, so the live player loads and drives its synth as on a real machine."""

    def __init__(self, samplerate, blocksize, channels, dtype, latency, device, callback, **_):
        self.callback = callback
        self.blocksize = blocksize or 256
        self.samplerate = samplerate
        self.latency = 0.01
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            out = np.zeros((self.blocksize, 2), dtype=np.float32)
            self.callback(out, self.blocksize, None, None)
            time.sleep(self.blocksize / self.samplerate / 4)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)

    def close(self) -> None:
        pass


@pytest.fixture
def fake_sound_card(monkeypatch):
    import sounddevice as sd

    monkeypatch.setattr(sd, "query_devices", lambda device=None, kind=None: {"name": "Fake card"})
    monkeypatch.setattr(sd, "OutputStream", FakeStream)


@pytest.fixture
def make_window_with_card(qtbot, settings, fake_sound_card):
    """The window as ``app.create_window`` builds it (the Preferences soundfont), on a (fake) sound card,
    its player opened as ``app`` opens it."""
    windows = []

    def make(project: Project | None = None) -> MainWindow:
        player = PlayerAdapter(
            LivePlayer(settings.get("soundfont") or None, blocksize=256, say=ErrorWords().say)
        )
        window = MainWindow(Document(project or two_track_project()), settings, player)
        window.resize(1300, 800)
        window.show()
        qtbot.waitExposed(window)
        player.open()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=30_000)
        window.roll.view.setFocus()
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.close_unasked()
        w.player.close()
        w.deleteLater()


@pytest.fixture
def tiny_home(tmp_path, monkeypatch):
    """A MuseStudio home with tiny models (the learned styles' tests train on them in seconds); torch is
    imported only by the tests that ask for it."""
    from musestudio.ml import engines
    from tests.ml.learn_fixtures import make_models

    make_models(tmp_path / "root" / "models")
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tmp_path / "root"))
    yield tmp_path
    engines.unload()


@pytest.fixture
def models_home(tmp_path, monkeypatch):
    """An empty models folder of the app's own (a test links in the real models it needs, or damaged
    copies of them)."""
    from musestudio.ml import engines
    from musestudio.ml.generate import critic

    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    monkeypatch.setenv("MUSESTUDIO_HOME", str(home))

    def clear():  # models loaded from the real folder by earlier tests must not answer for these
        engines.unload()
        critic._unusable.clear()

    clear()
    yield home / "models"
    clear()
