"""Other programs on the test JACK server (a keyboard that plays into the app, a synth that listens), and
the server itself (``start_server``: a module imported by its own name, so any test folder's order of
collection finds it).

They are plain rtmidi clients with names of their own, as a real keyboard or DAW would be, so the app's
side sees them only through the system's port list.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import rtmidi

from musestudio.midi import jack_client
from musestudio.midi.ports import JACK, MidiSystem, MidiUnavailable, release_clients, wait_for_jack


def external_output(client: str, port: str = "out"):
    """A program offering an output port "client:port" (a keyboard, as the app sees it)."""
    rt = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, client)
    rt.open_virtual_port(port)
    return rt


def pick(picker, name: str) -> None:
    """Choose ``name`` in a MIDI toolbar picker, as a click on it does."""
    index = picker.findData(name)
    assert index >= 0, [picker.itemData(i) for i in range(picker.count())]
    picker.setCurrentIndex(index)
    picker.activated.emit(index)


#: How long a server stopped at a close (``close_left_unanswered``) stays stopped at most: code that makes a
#: new JACK client behind the close waits in rtmidi with Python's lock held, and no thread of the test can
#: run until the server answers; a process of its own lets the server go on, and the test fails, not hangs.
STOPPED_AT_MOST_S = 15


class UnansweredClose:
    """The server ``close_left_unanswered`` stopped; ``answer()`` lets it go on, and the close returns."""

    def __init__(self, server: subprocess.Popen) -> None:
        self.server = server
        self.stopped = threading.Event()

    def answer(self) -> None:
        os.kill(self.server.pid, signal.SIGCONT)


@contextlib.contextmanager
def close_left_unanswered(server_name: str, client: str, monkeypatch):
    """The real JACK library (a stand-in for ``jack_client._libjack``), but the first close of the client
    ``client`` stops the test server (SIGSTOP) first, as a server that leaves a close unanswered: the close
    waits inside JACK's library, holding what it holds there, until ``answer()`` (at most
    ``STOPPED_AT_MOST_S``). ``CLOSE_TIMEOUT_S`` is half a second meanwhile."""
    unanswered = UnansweredClose(running_server(server_name))
    real = jack_client._libjack()

    class StoppingAtClose:
        def __getattr__(self, name):
            attr = getattr(real, name)
            if name != "jack_client_close":
                return attr

            def close(jack_client_t):
                if (
                    real.jack_get_client_name(jack_client_t) == client.encode()
                    and not unanswered.stopped.is_set()
                ):
                    unanswered.stopped.set()
                    os.kill(unanswered.server.pid, signal.SIGSTOP)
                return attr(jack_client_t)

            return close

    monkeypatch.setattr(jack_client, "_libjack", StoppingAtClose)
    monkeypatch.setattr(jack_client, "CLOSE_TIMEOUT_S", 0.5)
    pid = unanswered.server.pid
    watchdog = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import os, time; time.sleep({STOPPED_AT_MOST_S}); os.kill({pid}, {int(signal.SIGCONT)})",
        ]
    )
    try:
        yield unanswered
    finally:
        unanswered.answer()
        watchdog.kill()
        watchdog.wait()


def wait_until(condition, seconds: float = 30.0) -> bool:
    """True as soon as ``condition()`` holds; False if it still does not after ``seconds``. The default is
    generous: on a loaded machine JACK and our threads can be held up for seconds, and a condition that
    holds returns at once anyway."""
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


def cli(*argv, env: dict | None = None, **popen) -> subprocess.Popen:
    """``musestudio-cli ARGV`` as a script would run it (the test server is in the environment). Python's
    fault handler is on, so ``finish`` can have a command that hangs print where it hangs."""
    return subprocess.Popen(
        [sys.executable, "-m", "musestudio.cli", *map(str, argv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(env if env is not None else os.environ, PYTHONFAULTHANDLER="1"),
        **popen,
    )


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[str, str]:
    """``proc``'s stdout and stderr once it ends. One still running after ``timeout`` s fails the test with
    the stacks of its threads (SIGABRT makes the fault handler print them) and the test server's state: a
    command hung on a JACK call says which call, and whether the server was still there."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        err = err or ""
        stacks = err[err.find("Fatal Python error") :][:6000] if "Fatal Python error" in err else err[-4000:]
        raise AssertionError(
            f"{' '.join(map(str, proc.args[1:]))} was still running after {timeout:.0f} s; "
            f"where it was (most recent call first):\n{stacks}\n{server_state()}"
        ) from None


class JackReceiver:
    """A synth listening on a JACK port of its own, timing what arrives by JACK's clock.

    rtmidi stamps each message in JACK's process cycle (a C thread that never waits for Python), so the
    gaps between messages are what the port delivered, whatever our own threads were doing on a busy
    machine; a Python reader's arrival stamps would add its own scheduling delays to the measurement.
    ``messages`` are mido messages whose ``time`` is seconds since the first one.
    """

    def __init__(self, client: str = "Receiver", port: str = "in") -> None:
        import mido

        self._mido = mido
        self.rt = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, client)
        self.rt.ignore_types(sysex=False, timing=False, active_sense=True)
        self.rt.open_virtual_port(port)
        self.name_suffix = f"{client}:{port}"
        self._clock = 0.0
        self.messages = []

    def drain(self) -> list:
        while (event := self.rt.get_message()) is not None:
            data, delta = event
            self._clock += delta if self.messages else 0.0
            message = self._mido.Message.from_bytes(data)
            message.time = self._clock
            self.messages.append(message)
        return list(self.messages)

    def clear(self) -> None:
        self.drain()
        self.messages = []

    def close(self) -> None:
        release_clients(self.rt)


SAMPLE_RATE = 48000
PERIOD = 256  # 5.3 ms: JACK hands MIDI over once a period
# Synchronous mode (-S): the server waits for every client each period, so on a busy machine a late client
# delays a period instead of losing its MIDI; a long client timeout (-t, ms) keeps a starved client in.
SERVER_OPTIONS = ("-S", "-t", "10000", "--no-realtime")


#: What jackd writes when its driver has stopped cycling: a client's open or close waited for the next cycle
#: in vain. A fresh server did so now and then on a loaded machine (a client's close waited 20 s, then
#: every open was refused), and took the first test of a module down with it.
STALLED = ("wait error", "Driver is not running")
STARTS = 3
START_MARK = "-- start "  # begins the line each start of a server writes in its log


def start_server(name: str, log_path: Path, port_max: int | None = None) -> subprocess.Popen:
    """Start jackd (dummy driver) as ``name`` and wait until it answers; skips the test where it cannot.
    A server whose driver stalls at once (it says ``STALLED`` while a first client comes and goes) is
    stopped and started again, up to ``STARTS`` times, each start marked in its log. The caller points
    JACK_DEFAULT_SERVER at ``name``. ``port_max``: how many ports the server can hold (the dummy driver's
    own audio ports count), for tests of a port the server cannot make."""
    jackd = shutil.which("jackd")
    if jackd is None:
        pytest.skip("jackd is not installed (scripts/setup.sh installs jackd2)")
    env = dict(os.environ, JACK_NO_AUDIO_RESERVATION="1", JACK_NO_START_SERVER="1")
    command = (
        [jackd, "-n", name, *SERVER_OPTIONS]
        + (["--port-max", str(port_max)] if port_max is not None else [])
        + ["-d", "dummy", "-r", str(SAMPLE_RATE), "-p", str(PERIOD)]
    )
    for attempt in range(1, STARTS + 1):
        with open(log_path, "a") as log:
            log.write(f"{START_MARK}{attempt} of at most {STARTS}\n")
            log.flush()
            said_before = log.tell()
            proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        answered = _answers(name, _comes_and_goes, proc)
        said = log_path.read_bytes()[said_before:].decode(errors="replace")
        stalled = any(m in said for m in STALLED)
        if answered and not stalled:
            _servers[name] = Started(proc, log_path, port_max)
            return proc
        stop_server(proc)
        if not stalled:
            break  # it did not start at all: starting it again would not help
    pytest.skip(f"jackd did not start: {log_path.read_text()[-500:]}")


def _comes_and_goes(proc: subprocess.Popen) -> bool:
    """Whether the server ``proc`` answers, and then lets one more client come and go: a driver that
    stalls at once shows here, not in a test."""
    if not wait_for_jack(15, lambda: proc.poll() is None):
        return False
    try:
        MidiSystem(JACK).close()
    except MidiUnavailable:
        return False
    return True


def _answers(name: str, check, *args) -> bool:
    """``check(*args)`` asked of the server called ``name``, whichever server the caller's tests use (a
    second server beside the module's must itself answer: jackd refuses to start with "Too many servers
    already active" once JACK's table of servers is full)."""
    with jack_environment(JACK_DEFAULT_SERVER=name):
        return check(*args)


@contextlib.contextmanager
def jack_environment(**values: str):
    """This process's environment with ``values`` set (``JACK_DEFAULT_SERVER``: the server its clients
    join), as it was again afterwards."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass(frozen=True)
class Started:
    """A server ``start_server`` started: enough to report on it and to start it again as it was."""

    proc: subprocess.Popen
    log_path: Path
    port_max: int | None


#: every server ``start_server`` started, by name, for ``server_state`` and ``restart_if_stalled``
_servers: dict[str, Started] = {}


def running_server(name: str) -> subprocess.Popen:
    """The process of the server ``name`` as last started (``restart_if_stalled`` may have replaced it)."""
    return _servers[name].proc


def stalled(name: str) -> bool:
    """Whether the server ``name`` has exited, or its driver has stalled (``STALLED``) since it last
    started: either way no client can join it any more."""
    server = _servers[name]
    said = server.log_path.read_text(errors="replace")
    return server.proc.poll() is not None or any(m in said[said.rfind(START_MARK) :] for m in STALLED)


def restart_if_stalled(name: str) -> bool:
    """Start the server ``name`` again, as it was started, where it has ``stalled``; whether it had. jack2's
    dummy driver stops cycling now and then on a loaded machine (a client that answered its notifications
    late is left half closed, then every open is refused): the test it happened in fails with the server's
    log, and the tests after it get a server that works instead of failing one after another."""
    if not stalled(name):
        return False
    server = _servers[name]
    stop_server(server.proc)
    with open(server.log_path, "a") as log:
        log.write("-- it stalled or exited: stopped, to be started again\n")
    start_server(name, server.log_path, server.port_max)
    return True


def server_state(name: str | None = None, lines: int = 40) -> str:
    """Whether the test server ``name`` (default: JACK_DEFAULT_SERVER's) still runs, and the end of its log
    (its own errors, such as a client it could not reach): what a failed MIDI test prints, so a failure in
    CI, where the server's log goes with the machine, can still be told from a fault of ours."""
    name = name or os.environ.get("JACK_DEFAULT_SERVER", "")
    if name not in _servers:
        return f"the test JACK server {name!r} was not started by these tests"
    proc, log_path = _servers[name].proc, _servers[name].log_path
    code = proc.poll()
    life = "running" if code is None else f"exited with {code}"
    try:
        tail = log_path.read_text(errors="replace").splitlines()[-lines:]
    except OSError as err:
        tail = [f"(its log cannot be read: {err})"]
    return "\n".join([f"test JACK server {name!r} (pid {proc.pid}): {life}; the end of its log:", *tail])


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
