"""The JACK server going away under the app: it says so, lets go of its ports without a crash, and takes up
the remembered keyboard again once a server runs; a server restarted before the app noticed, then the
keyboard picked again, and the app quits cleanly.

This module runs its own server (killed and started again here), not the shared one of the other modules.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from midi_ports_helpers import external_output, start_server, stop_server

from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.midi.ports import release_clients
from musestudio.ui.midi import LIFE_CHECK_RESCANS

KEYBOARD = ("Lost keyboard", "keys")
NAME = f"{KEYBOARD[0]}:{KEYBOARD[1]}"


class Server:
    """A JACK server that a test can kill (as a crash does) and start again under the same name."""

    def __init__(self, name: str, log: Path) -> None:
        self.name, self.log = name, log
        self.proc = start_server(name, log)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def start(self) -> None:
        self.proc = start_server(self.name, self.log)


@pytest.fixture
def jack_server(tmp_path, monkeypatch):
    """This module's server (it overrides the shared one, which other modules' tests still need)."""
    name = f"musestudio-lost-{os.getpid()}"
    monkeypatch.setenv("JACK_DEFAULT_SERVER", name)
    monkeypatch.setenv("JACK_NO_START_SERVER", "1")
    server = Server(name, tmp_path / "jackd.log")
    yield server
    stop_server(server.proc)  # a server started again under a killed one's name frees its slot too


def life_check(window) -> None:
    """As many rescans as the app waits between asking whether the MIDI system is still there."""
    for _ in range(LIFE_CHECK_RESCANS):
        window.midi.rescan()


def listening(app_window, qtbot):
    """A keyboard, and a window on it; the status messages it shows are collected."""
    keyboard = external_output(*KEYBOARD)
    window = app_window(Project(tracks=(Track(name="Piano"),)), midi_input=NAME)
    window.said = []
    window.statusBar().messageChanged.connect(window.said.append)
    qtbot.waitUntil(lambda: window.midi.input is not None, timeout=30_000)
    return window, keyboard


def heard(qtbot, window, keyboard, pitch: int) -> None:
    """The keyboard plays ``pitch`` until the window hears it."""
    got = []
    window.midi.message.connect(got.append)
    qtbot.waitUntil(
        lambda: (keyboard.send_message([0x90, pitch, 90]), qtbot.wait(50), bool(got))[-1], timeout=30_000
    )
    assert got[-1].note == pitch


def test_a_server_that_stops_is_reported_and_the_keyboard_is_used_again_when_one_runs(
    app_window, jack_server, qtbot
):
    window, keyboard = listening(app_window, qtbot)
    jack_server.kill()
    del keyboard  # its server is gone: let it go, as the app must (no call into it)
    life_check(window)
    assert window.midi.system is None and window.midi.input is None
    assert any(m.startswith("MIDI system lost: the JACK MIDI system stopped") for m in window.said)
    assert "stopped" in window.midi.unavailable and not window.midi_toolbar.input.isEnabled()
    jack_server.start()
    keyboard = external_output(*KEYBOARD)
    life_check(window)
    assert window.midi.system is not None and window.midi.input is not None
    assert "MIDI system found (JACK)" in window.said
    assert window.settings.get("midi_input") == NAME  # still the user's choice
    heard(qtbot, window, keyboard, 64)
    release_clients(keyboard)


def test_a_keyboard_picked_again_after_a_quick_restart_and_quitting_do_not_crash(
    app_window, jack_server, qtbot
):
    """Killed and started again between two life checks: the app's clients belong to a server that is
    gone. Closing them would crash the process (rtmidi); picking the keyboard again and quitting must not."""
    window, keyboard = listening(app_window, qtbot)
    jack_server.kill()
    del keyboard
    jack_server.start()
    keyboard = external_output(*KEYBOARD)
    window.midi.rescan()
    assert window.midi.set_input(NAME)
    heard(qtbot, window, keyboard, 65)
    window.midi.close()  # what quitting does: a crash here ends the test run
    assert window.midi.system is None
    release_clients(keyboard)


def test_a_server_started_again_between_two_looks_is_noticed_and_the_keyboard_taken_up(
    app_window, jack_server, qtbot
):
    window, keyboard = listening(app_window, qtbot)
    jack_server.kill()
    del keyboard
    jack_server.start()  # back before the app looked: its clients still belong to the old server
    keyboard = external_output(*KEYBOARD)
    life_check(window)
    assert any(m.startswith("MIDI system lost") for m in window.said)
    life_check(window)
    assert "MIDI system found (JACK)" in window.said and window.midi.input is not None
    heard(qtbot, window, keyboard, 67)
    release_clients(keyboard)
