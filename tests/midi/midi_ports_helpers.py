"""Other programs on the test JACK server: a keyboard that plays into the app, a synth that listens.

They are plain rtmidi clients with names of their own, as a real keyboard or DAW would be, so the app's
side sees them only through the system's port list.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import rtmidi


def external_output(client: str, port: str = "out"):
    """A program offering an output port "client:port" (a keyboard, as the app sees it)."""
    rt = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, client)
    rt.open_virtual_port(port)
    return rt


def wait_until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


class Received:
    """Messages an input callback got, with their arrival times; thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages = []

    def __call__(self, message) -> None:
        with self.lock:
            self.messages.append(message)

    def snapshot(self) -> list:
        with self.lock:
            return list(self.messages)


def cli(*argv, timeout: float = 120, **popen) -> subprocess.Popen:
    """``musestudio-cli ARGV`` as a script would run it (the test server is in the environment)."""
    return subprocess.Popen(
        [sys.executable, "-m", "musestudio.cli", *map(str, argv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
        **popen,
    )
