"""A JACK server of our own for the MIDI tests: the dummy driver gives real MIDI ports with no sound card.

It runs under a unique name (JACK_DEFAULT_SERVER, set only while one test module runs), so it never meets
a musician's own server, and stops after the module's last test. Every module's server has the same name:
JACK's table of servers (8 at most) frees the place of a server that died only for one of the same name.
(Module scope: pytest keeps a "package" fixture of a folder without __init__.py until the session ends,
and later tests would meet a JACK sound device.) Where jackd is missing or cannot start, the tests that
need it are skipped and say why (scripts/setup.sh installs jackd2). A MIDI test that fails shows the
server's state and the end of its log: in CI the log goes with the machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from midi_ports_helpers import (
    jack_environment,
    restart_if_stalled,
    running_server,
    server_state,
    start_server,
    stop_server,
)

from musestudio.midi.ports import JACK, MidiSystem


@pytest.fixture(scope="module")
def module_jack_server(tmp_path_factory, request):
    """The server's name; JACK_DEFAULT_SERVER points at it for the module's tests and their subprocesses.
    A module's ``JACK_PORT_MAX`` limits how many ports it can hold."""
    name = f"musestudio-test-{os.getpid()}"
    log_path = Path(tmp_path_factory.mktemp("jack")) / "jackd.log"
    started = False
    try:
        with jack_environment(JACK_DEFAULT_SERVER=name, JACK_NO_START_SERVER="1"):
            start_server(name, log_path, getattr(request.module, "JACK_PORT_MAX", None))
            started = True
            yield name
    finally:
        if started:
            stop_server(running_server(name))


@pytest.fixture
def jack_server(module_jack_server):
    """The module's server, started again first where it stalled during an earlier test
    (``restart_if_stalled``): that test fails with the server's log, the next ones do not fail for it."""
    restart_if_stalled(module_jack_server)
    return module_jack_server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A MIDI test that fails or errors shows the test server's state and the end of its log."""
    report = yield
    if report.failed and "jack_server" in item.fixturenames:
        report.sections.append(("test JACK server", server_state()))
    return report


@pytest.fixture
def app_window(qtbot, tmp_path, monkeypatch, jack_server):
    """``make(project, **settings)``: a main window with no sound card on the test server's MIDI."""
    from PySide6.QtCore import QSettings

    from musestudio.audio.player import LivePlayer, PlayerAdapter
    from musestudio.core.document import Document
    from musestudio.settings import Settings
    from musestudio.ui.main_window import MainWindow

    with monkeypatch.context() as m:  # PortAudio must not join our JACK server: it dies before we exit
        m.setenv("JACK_DEFAULT_SERVER", "musestudio-no-such-server")
        import sounddevice  # noqa: F401 - initialises PortAudio now, without JACK
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    windows = []

    def make(project, **settings):
        s = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        for key, value in settings.items():
            s.set(key, value)
        window = MainWindow(Document(project), s, PlayerAdapter(LivePlayer(device="no such audio device")))
        window.show()
        qtbot.waitExposed(window)
        window.player.open()
        qtbot.waitUntil(lambda: window.midi.system is not None, timeout=30_000)
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.close_unasked()
        w.deleteLater()


@pytest.fixture
def midi(jack_server):
    """A MidiSystem on the test server."""
    system = MidiSystem(JACK)
    yield system
    system.close()
