"""A JACK server of our own for the MIDI tests: the dummy driver gives real MIDI ports with no sound card.

It runs under a unique name (JACK_DEFAULT_SERVER, set only while one test module runs), so it never meets
a musician's own server, and stops after the module's last test. (Module scope: pytest keeps a "package"
fixture of a folder without __init__.py until the session ends, and later tests would meet a JACK sound
device.) Where jackd is missing or cannot start, the tests that need it are skipped and say why
(scripts/setup.sh installs jackd2)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from musestudio.midi.ports import JACK, MidiSystem, wait_for_jack

SAMPLE_RATE = 48000
PERIOD = 256  # 5.3 ms: JACK hands MIDI over once a period
# Synchronous mode (-S): the server waits for every client each period, so on a busy machine a late client
# delays a period instead of losing its MIDI; a long client timeout (-t, ms) keeps a starved client in.
SERVER_OPTIONS = ("-S", "-t", "10000", "--no-realtime")


def start_server(name: str, log_path: Path) -> subprocess.Popen:
    """Start jackd (dummy driver) as ``name`` and wait until it answers; skips the test where it cannot.
    The caller points JACK_DEFAULT_SERVER at ``name``."""
    jackd = shutil.which("jackd")
    if jackd is None:
        pytest.skip("jackd is not installed (scripts/setup.sh installs jackd2)")
    env = dict(os.environ, JACK_NO_AUDIO_RESERVATION="1", JACK_NO_START_SERVER="1")
    with open(log_path, "a") as log:
        proc = subprocess.Popen(
            [jackd, "-n", name, *SERVER_OPTIONS, "-d", "dummy", "-r", str(SAMPLE_RATE), "-p", str(PERIOD)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    if not wait_for_jack(15, lambda: proc.poll() is None):
        stop_server(proc)
        pytest.skip(f"jackd did not start: {log_path.read_text()[-500:]}")
    return proc


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def jack_server(tmp_path_factory):
    """The server's name; JACK_DEFAULT_SERVER points at it for the module's tests and their subprocesses."""
    name = f"musestudio-test-{os.getpid()}"
    log_path = Path(tmp_path_factory.mktemp("jack")) / "jackd.log"
    saved = {k: os.environ.get(k) for k in ("JACK_DEFAULT_SERVER", "JACK_NO_START_SERVER")}
    os.environ["JACK_DEFAULT_SERVER"] = name
    os.environ["JACK_NO_START_SERVER"] = "1"
    proc = None
    try:
        proc = start_server(name, log_path)
        yield name
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if proc is not None:
            stop_server(proc)


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
