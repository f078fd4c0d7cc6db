"""MIDI backends and ports through python-rtmidi, with messages as ``mido.Message``.

Choosing a backend: the ALSA sequencer when ``/dev/snd/seq`` exists (every desktop Linux), else JACK when a
server is running; the caller (a ``--backend`` flag, a preference, or ``MUSESTUDIO_MIDI_BACKEND``) may name
one. A missing library, sequencer or server is a ``MidiUnavailable`` with a sentence saying what to install
or start, never a traceback, and the C libraries' own complaints on stderr are swallowed while we probe.
Each error is English (the command line's words) with a code and its particulars (``BadInputError``), which
the window words in the user's language (``ui.error_words``).

Ports are opened with rtmidi directly rather than through mido's rtmidi backend: mido's makes every port
with a client name virtual, gives no way to keep one listing client alive (each listing would make a JACK
client appear and vanish in a DAW's patchbay) and drops rtmidi's errors. Messages still go through mido.

Port names are the system's: on JACK "client:port", on ALSA "Client:Port 20:0". ALSA's trailing
client:port numbers change when a keyboard is plugged in again, so a name is matched with them first and,
failing that, without them. Neither backend says when the far end of a connection goes away (a keyboard
unplugged, a synth quit), so ``ensure_connected`` looks the port up again: a player calls it a few times a
second and either stops with ``PortGone`` or, where reconnecting is wanted, opens the port again once it is
back.

A connection JACK has just made carries nothing for a moment (what is sent meanwhile is dropped, not
delayed), so opening a port on JACK returns only once it carries (``_wait_until_connections_carry``).

Every new rtmidi client is made by ``_new_client``. On JACK it waits there for the closes of our clients
under way, and while the server leaves one unanswered it makes none (``jack_client.opening``: JACK's library
would keep the new one waiting for that close with Python's lock held, the whole app stopped): opening or
listing ports is then a ``JackNotAnswering`` that says so, and works again once the close returns.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

import mido

from musestudio.core.errors import BadInputError
from musestudio.midi import jack_client
from musestudio.midi.jack_client import Release

ALSA, JACK = "alsa", "jack"
BACKENDS = (ALSA, JACK)
CLIENT_NAME = "MuseStudio"
#: The client that asks whether a JACK server runs, and whose ports probe new connections
#: (``_wait_until_connections_carry``): they are never listed.
PROBE_CLIENT = f"{CLIENT_NAME} probe"
LISTER_CLIENT = f"{CLIENT_NAME} ports"
VIRTUAL_PORT = "MuseStudio"
BACKEND_ENV = "MUSESTUDIO_MIDI_BACKEND"
ALSA_SEQ_DEVICE = Path("/dev/snd/seq")

_ALSA_NUMBERS = re.compile(r"\s+\d+:\d+$")


class MidiUnavailable(BadInputError):
    """No MIDI system to talk to: library, sequencer or server missing. The message says what to do (in
    English, for the CLI and the self-test); the code names the case and the params its particular (the
    library's error, the backend, the server)."""


class JackNotAnswering(MidiUnavailable):
    """The JACK server has not answered the close of a client of ours in time, and JACK's library lets this
    process make no new client until it does (``jack_client.opening``): nothing can be opened or listed
    afresh meanwhile. The server runs (one that exits lets the close go), so this is no lost system."""


class PortNotFound(BadInputError):
    """The named port is not (or no longer) on the system."""


class PortGone(BadInputError):
    """A port we were using went away (a keyboard unplugged, a synth closed)."""


# -- rtmidi loading and quiet probing ------------------------------------------------------------------


def _rtmidi():
    try:
        import rtmidi
    except (ImportError, OSError) as e:
        raise MidiUnavailable(
            f"cannot load python-rtmidi ({e}); install it with 'pip install python-rtmidi' "
            "(and the ALSA library: 'apt-get install libasound2')",
            "midi_no_library",
            why=str(e),
        ) from None
    return rtmidi


_stderr_lock = threading.Lock()


@contextlib.contextmanager
def _quiet_stderr():
    """Hold back what C libraries print on file descriptor 2 (ALSA's "cannot open /dev/snd/seq", JACK's
    "Cannot connect to server socket") while we probe; our own message says it in plain words."""
    with _stderr_lock, tempfile.TemporaryFile() as sink:
        try:
            saved = os.dup(2)
        except OSError:  # no stderr at all (a frozen GUI app): nothing to hide
            yield
            return
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _api(backend: str) -> int:
    rtmidi = _rtmidi()
    api = {ALSA: rtmidi.API_LINUX_ALSA, JACK: rtmidi.API_UNIX_JACK}[backend]
    if api not in rtmidi.get_compiled_api():
        raise MidiUnavailable(
            f"this python-rtmidi was built without {backend.upper()} support",
            "midi_not_built_for",
            backend=backend.upper(),
        )
    return api


_passing_clients = itertools.count(1)


def _passing_name(base: str, backend: str = JACK) -> str:
    """A name no other client has, for a JACK client of ours that no one connects to (a probe, a lister).

    JACK names the socket it talks to a client through after the client alone, whatever the server
    (``/dev/shm/jack_NAME_UID_0``), and each client removes that file as it closes. Two clients of one name
    made and let go at once, in two processes or on two servers, remove each other's socket: the server
    then cannot reach the new client and refuses it, or its notices go to the wrong one. With our process
    id and a count in the name, no other program's client and none of ours has it. ALSA numbers its
    clients and has no such file: there the name stays as it is."""
    if backend != JACK:
        return base
    return f"{base} {os.getpid()}.{next(_passing_clients)}"


def _new_client(kind: str, backend: str, client_name: str = CLIENT_NAME):
    """A new rtmidi MidiIn/MidiOut client on ``backend``; MidiUnavailable when the system refuses, and
    JackNotAnswering, at once, while the JACK server leaves a close of ours unanswered."""
    rtmidi = _rtmidi()
    cls = rtmidi.MidiIn if kind == "in" else rtmidi.MidiOut
    if backend == ALSA and not ALSA_SEQ_DEVICE.exists():
        raise MidiUnavailable(
            f"the ALSA sequencer is not available ({ALSA_SEQ_DEVICE} is missing; "
            "load it with 'modprobe snd-seq', or use JACK)",
            "midi_no_sequencer",
            device=str(ALSA_SEQ_DEVICE),
        )
    try:
        with jack_client.opening() if backend == JACK else contextlib.nullcontext(), _quiet_stderr():
            return cls(_api(backend), client_name)
    except jack_client.CloseUnanswered as e:
        seconds = round(e.seconds)
        raise JackNotAnswering(
            f"the JACK server has not answered a close for {seconds} s, and nothing can be opened until it "
            "does (or is restarted)",
            "midi_jack_not_answering",
            seconds=seconds,
        ) from None
    except rtmidi.RtMidiError:
        if backend == JACK:
            server = os.environ.get("JACK_DEFAULT_SERVER", "default")
            raise MidiUnavailable(
                f"no JACK server is running (server '{server}'); start one, e.g. with qjackctl or "
                "'jackd -d alsa', or use ALSA",
                "midi_no_jack_server",
                server=server,
            ) from None
        raise MidiUnavailable("the ALSA sequencer refused a connection", "midi_sequencer_refused") from None


#: How long a port waits before it is closed where its client cannot be deactivated first
#: (``release_clients``): JACK's latency notices for a change to the graph come a period or two after it
#: (5 ms periods on the test server; more on a loaded machine)
SETTLE_S = 0.1


def release_clients(*clients) -> None:
    """Let rtmidi clients go: each JACK client is deactivated before its port goes, then closed, on a
    thread of its own (``jack_client.Release``), and every client let go in time is deleted.

    Unregistering a port of an active JACK client races JACK's own threads and crashes the process
    (see ``jack_client``). Where a client cannot be deactivated (the ALSA backend, an unknown
    python-rtmidi), its open port is closed after ``SETTLE_S``, which lets the latency notices our own
    changes caused be answered first: deleting clients with their ports open crashed or hung a process 22
    times in 2,750, closing after the wait not once in 2,000 (``benchmarks/midi_release.py``), yet the
    CI's test run still crashed there once. A client with no port open is deleted at once: deleting stops its
    notification thread first. The JACK clients are let go side by side and waited for
    ``jack_client.CLOSE_TIMEOUT_S`` in all: a server held up keeps any of its calls waiting, and the caller
    is often the GUI thread. A client the server has not let go by then is left to its thread, not deleted
    (rtmidi's delete would make those calls again, holding Python's lock), and the app goes on. Each client
    is let go once: rtmidi's objects are not to be used after."""
    let_go = []  # (client, its Release, or None where it is let go the old way)
    for client in clients:
        release = None
        with contextlib.suppress(Exception):
            release = Release.start(client)
            if release is None:
                if client.is_port_open():
                    time.sleep(SETTLE_S)
                client.close_port()
        let_go.append((client, release))
    for client, release in let_go:
        if release is None or release.in_time():
            client.delete()


def try_realtime(priority: int = 10) -> bool:
    """Ask for real-time scheduling (SCHED_FIFO) for the calling thread, as JACK clients do, so a busy
    machine does not delay the thread that times MIDI; True when granted. Most desktops grant it to the
    "audio" group (rtprio in /etc/security/limits.d); elsewhere the thread simply runs as before."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(priority))  # 0: this thread, on Linux
    except (AttributeError, OSError):
        return False
    return True


# -- choosing a backend --------------------------------------------------------------------------------


def jack_running() -> bool:
    """True when a JACK server answers (the server JACK_DEFAULT_SERVER names, else 'default'); one that has
    not answered a close of ours is ``JackNotAnswering``, neither running as it should nor gone."""
    try:
        client = _new_client("out", JACK, _passing_name(PROBE_CLIENT))
    except JackNotAnswering:
        raise
    except MidiUnavailable:
        return False
    release_clients(client)
    return True


#: A JACK server found alive is taken as alive this long: asking takes a client of its own, and closing the
#: app's ports asks once for each of them.
ALIVE_FOR_S = 1.0


def jack_server_stamp() -> tuple[int, int] | None:
    """What tells one run of the JACK server from the next: its socket (jackd makes it anew each start;
    a server that was killed leaves the old one behind). None where there is none (PipeWire's JACK)."""
    name = os.environ.get("JACK_DEFAULT_SERVER") or "default"
    try:
        st = os.stat(f"/dev/shm/jack_{name}_{os.getuid()}_0")
    except (OSError, AttributeError):
        return None
    return (st.st_ino, st.st_mtime_ns)


def choose_backend(preferred: str | None = None) -> str:
    """The backend to use: ``preferred`` (or $MUSESTUDIO_MIDI_BACKEND) when given, else ALSA when the
    sequencer exists, else JACK when a server runs. Raises MidiUnavailable saying why none can be used."""
    preferred = (preferred or os.environ.get(BACKEND_ENV) or "").strip().lower() or None
    if preferred is not None:
        if preferred not in BACKENDS:
            raise BadInputError(
                f"unknown MIDI backend '{preferred}' (choose from {', '.join(BACKENDS)})",
                "midi_unknown_backend",
                name=preferred,
                known=list(BACKENDS),
            )
        # raises with the reason when it cannot be used
        release_clients(_new_client("out", preferred, _passing_name(PROBE_CLIENT, preferred)))
        return preferred
    _rtmidi()
    if ALSA_SEQ_DEVICE.exists():
        return ALSA
    if jack_running():
        return JACK
    raise MidiUnavailable(
        f"no MIDI system found: no ALSA sequencer ({ALSA_SEQ_DEVICE} is missing) and no JACK server "
        "running; start JACK (e.g. 'jackd -d alsa' or qjackctl) or load the ALSA sequencer ('modprobe snd-seq')",
        "midi_no_system",
        device=str(ALSA_SEQ_DEVICE),
    )


# -- names ---------------------------------------------------------------------------------------------


def strip_alsa_numbers(name: str) -> str:
    """'Keystation 49:Keystation 49 MIDI 1 20:0' -> 'Keystation 49:Keystation 49 MIDI 1'."""
    return _ALSA_NUMBERS.sub("", name)


def match_port(name: str, available: list[str]) -> str | None:
    """The system name of the port called ``name``: exactly, else ignoring ALSA's client:port numbers
    (which change when a device is plugged in again). None when there is no such port."""
    if name in available:
        return name
    bare = strip_alsa_numbers(name)
    for candidate in available:
        if strip_alsa_numbers(candidate) == bare:
            return candidate
    return None


# -- the system ----------------------------------------------------------------------------------------


class MidiSystem:
    """One backend: lists its ports and opens them. Keeps one listing client per direction, so looking
    again (to notice a port going away or coming back) costs a call, not a new client."""

    def __init__(self, backend: str | None = None) -> None:
        self.backend = choose_backend(backend)
        self._lock = threading.Lock()
        self._listers: dict[str, object] = {}
        self._server = jack_server_stamp() if self.backend == JACK else None
        self._answered_at = -ALIVE_FOR_S  # time.monotonic() of the last time the server was found alive

    def _lister(self, kind: str):
        if kind not in self._listers:
            self._listers[kind] = _new_client(kind, self.backend, _passing_name(LISTER_CLIENT, self.backend))
        return self._listers[kind]

    def inputs(self) -> list[str]:
        """Ports we can receive from (keyboards, other programs' outputs), named as the system names them."""
        return self._ports("in")

    def outputs(self) -> list[str]:
        """Ports we can send to (synths, other programs' inputs)."""
        return self._ports("out")

    def _ports(self, kind: str) -> list[str]:
        """The lister's ports, less the probe a port being opened may have for a moment (``PROBE_CLIENT``)."""
        with self._lock:
            return [n for n in self._lister(kind).get_ports() if not n.startswith(PROBE_CLIENT)]

    def describe(self) -> dict:
        """What ``musestudio-cli ports --json`` prints."""
        return {"backend": self.backend, "inputs": self.inputs(), "outputs": self.outputs()}

    def open_output(self, name: str | None = None, virtual: bool = False) -> OutputPort:
        """Open the output called ``name``, or (``virtual``) create our own port that others read from,
        named ``name`` or "MuseStudio"."""
        port = OutputPort(self, (name or VIRTUAL_PORT) if virtual else name, virtual)
        port.open()
        return port

    def open_input(
        self, name: str | None, callback: Callable[[mido.Message], None], virtual: bool = False
    ) -> InputPort:
        """Open the input called ``name`` (or a virtual one others send to); ``callback(message)`` runs on
        a reader thread for every message, with ``message.time`` the ``time.perf_counter()`` of its
        arrival (at most a millisecond late). Active sensing is dropped; clock and SysEx are passed on."""
        port = InputPort(self, (name or VIRTUAL_PORT) if virtual else name, virtual, callback)
        port.open()
        return port

    def alive(self, fresh: bool = False) -> bool:
        """Whether the system our clients were made on still runs. A JACK server that stopped leaves them
        listing the ports it had, and one started again in its place is another server to them: only a
        new client (``jack_running``) and the server's socket (``jack_server_stamp``) can tell. Unless
        ``fresh``, a server found alive within ``ALIVE_FOR_S`` is not asked again.

        A server that leaves a close of ours unanswered (``JackNotAnswering``) still runs: one that exits
        lets the close go. Taking it for gone would let our clients go without a release (``abandon``), and
        rtmidi's delete, once the garbage collector gets to them, would close them with Python's lock held,
        behind that close: the app would stop."""
        if self.backend != JACK:
            return ALSA_SEQ_DEVICE.exists()
        if not fresh and time.monotonic() - self._answered_at < ALIVE_FOR_S:  # closing asks once a port
            return True
        try:
            running = jack_running()
        except JackNotAnswering:
            return True
        if running and jack_server_stamp() == self._server:
            self._answered_at = time.monotonic()
            return True
        return False

    def close(self) -> None:
        """Delete the listing clients; on a system that is gone, only let them go (``abandon``)."""
        if self.backend == JACK and not self.alive():
            self.abandon()
            return
        with self._lock:
            release_clients(*self._listers.values())
            self._listers.clear()

    def abandon(self) -> None:
        """The system is gone: let the listing clients go without a call into them (rtmidi's delete and
        close_port crash the process on a client whose JACK server stopped, even once another runs)."""
        with self._lock:
            self._listers.clear()

    def __enter__(self) -> MidiSystem:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def wait_for_jack(seconds: float, starting: Callable[[], bool] = lambda: True) -> bool:
    """True once a JACK server answers, within ``seconds``; False when none does, or as soon as
    ``starting()`` says the server being started has ended (its process exited)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            MidiSystem(JACK).close()
            return True
        except MidiUnavailable:
            if not starting() or time.monotonic() > deadline:
                return False
            time.sleep(0.1)


#: How long opening a port waits for JACK to carry its connection: a loaded machine can hold JACK up for
#: seconds, and a server that has not got there by then is not waited for (what is sent may be lost).
CARRY_SECONDS = 10.0
PROBE_EVERY_S = 0.002  # JACK's periods are a few milliseconds: a probe sent each one


def _wait_until_connections_carry(seconds: float = CARRY_SECONDS) -> None:
    """Block until the JACK connections made so far carry messages, or for ``seconds`` at most.

    JACK puts a new connection to use at the start of one of its later cycles, and what goes through it
    before then is dropped, not delayed: on a loaded machine a ``play --port`` lost its program change and
    first notes, a keyboard its first keys. JACK says nowhere when that is, but it puts connections to use
    in the order they were made: once a connection between two probe ports of our own, made after, has
    carried a message, the earlier ones carry too."""
    clients = []
    try:
        probe_in = _new_client("in", JACK, _passing_name(PROBE_CLIENT))
        clients.append(probe_in)
        probe_out = _new_client("out", JACK, _passing_name(PROBE_CLIENT))
        clients.append(probe_out)
        name = f"probe {uuid.uuid4().hex[:8]}"
        with _quiet_stderr():
            probe_in.open_virtual_port(name)
            ports = probe_out.get_ports()
            probe_out.open_port(next(i for i, p in enumerate(ports) if p.endswith(f":{name}")))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            probe_out.send_message([0x80, 0, 0])  # a note-off, to our own probe port only
            time.sleep(PROBE_EVERY_S)
            if probe_in.get_message() is not None:
                return
    except (MidiUnavailable, _rtmidi().RtMidiError, StopIteration):  # no probe to be had: do as before
        return
    finally:
        release_clients(*clients)


class _Port:
    """What inputs and outputs share: the rtmidi client, the name, and noticing the far end go away."""

    kind = ""  # "in" / "out"
    label = ""

    def __init__(self, system: MidiSystem, name: str | None, virtual: bool) -> None:
        if not virtual and not name:
            raise BadInputError(f"name the MIDI {self.label} to open")
        self.system = system
        self.name = name or VIRTUAL_PORT
        self.virtual = virtual
        self.connected = False
        self._closed = True
        self._rt = None

    def _available(self) -> list[str]:
        return self.system.inputs() if self.kind == "in" else self.system.outputs()

    def open(self) -> None:
        """Open the port; a JACK server that has not answered a close of ours is said naming the port."""
        try:
            self._open()
        except JackNotAnswering as e:
            raise JackNotAnswering(
                f"cannot open the MIDI {self.label} '{self.name}': {e}",
                f"midi_{self.label}_cannot_open",
                name=self.name,
                why=e.as_json(),
            ) from None

    def _open(self) -> None:
        rt = _new_client(self.kind, self.system.backend)
        try:
            if self.virtual:
                with _quiet_stderr():
                    rt.open_virtual_port(self.name)
            else:
                available = self._available()
                found = match_port(self.name, available)
                if found is None:
                    listed = ", ".join(f"'{n}'" for n in available) or "none"
                    raise PortNotFound(
                        f"no MIDI {self.label} named '{self.name}' (available: {listed})",
                        f"midi_{self.label}_not_found",
                        name=self.name,
                        ports=available,
                    )
                self.name = found
                with _quiet_stderr():
                    rt.open_port(rt.get_ports().index(found), CLIENT_NAME)
                if self.system.backend == JACK:
                    _wait_until_connections_carry()
        except (_rtmidi().RtMidiError, ValueError) as e:
            release_clients(rt)
            raise PortGone(
                f"cannot open the MIDI {self.label} '{self.name}': {e}",
                f"midi_{self.label}_cannot_open",
                name=self.name,
                why=str(e),
            ) from None
        except BaseException:
            release_clients(rt)
            raise
        self._rt = rt
        self._configure(rt)
        self.connected = True
        self._closed = False

    def _configure(self, rt) -> None:
        pass

    def ensure_connected(self, reconnect: bool = False) -> bool:
        """Look the far end up again. While it is there: True. When it has gone: False if ``reconnect``
        (and the port is opened again, True, once it is back), else ``PortGone``."""
        if self.virtual or self._closed:
            return not self._closed
        found = match_port(self.name, self._available())
        if found is not None and self.connected:
            return True
        if found is None:
            if self.connected:
                self.connected = False
                self._drop()
            if reconnect:
                return False
            raise PortGone(f"the MIDI {self.label} '{self.name}' went away")
        self._drop()
        self.open()  # it is back (maybe with new ALSA numbers): connect again
        return True

    def _drop(self, release: bool = True) -> None:
        """Let the client go; ``release``: close its port and delete it first (not on a dead system)."""
        if self._rt is not None:
            if release:
                release_clients(self._rt)
            self._rt = None

    def close(self) -> None:
        self.connected = False
        self._closed = True
        self._drop(release=self.system.backend != JACK or self.system.alive())

    def abandon(self) -> None:
        """Close a port whose system is gone (``MidiSystem.abandon``): nothing is called on the client."""
        self.connected = False
        self._closed = True
        self._drop(release=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class OutputPort(_Port):
    kind, label = "out", "output"
    #: JACK sends what we queued at its next period: give the last messages that long before closing.
    DRAIN_SECONDS = 0.05
    _last_send = 0.0  # time.monotonic() of the last message sent

    def send(self, message: mido.Message) -> None:
        """Send one message. While the far end is away (see ``ensure_connected``) messages are dropped."""
        self.send_bytes(message.bytes())

    def send_bytes(self, data: list[int] | bytes) -> None:
        if self._rt is not None:
            self._rt.send_message(data)
            self._last_send = time.monotonic()

    def _drop(self, release: bool = True) -> None:
        if release and self._rt is not None and self.system.backend == JACK:
            wait = self._last_send + self.DRAIN_SECONDS - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        super()._drop(release)


class InputPort(_Port):
    """An input whose messages reach ``callback`` on a reader thread of ours, not on the backend's.

    rtmidi would call a Python callback from JACK's process thread: that thread would then wait for
    Python's GIL, stalling every JACK client for as long as the GUI holds it, and a port closed while a
    message is on its way could deadlock (the closing thread holds the GIL, JACK waits for the callback).
    rtmidi's own queue takes the messages instead and a thread of ours drains it every millisecond.
    """

    kind, label = "in", "input"
    POLL_SECONDS = 0.001

    def __init__(self, system, name, virtual, callback: Callable[[mido.Message], None]) -> None:
        super().__init__(system, name, virtual)
        self.callback = callback
        self._stop = threading.Event()
        self._reader: threading.Thread | None = None

    def _configure(self, rt) -> None:
        rt.ignore_types(sysex=False, timing=False, active_sense=True)
        self._stop = threading.Event()
        self._reader = threading.Thread(
            target=self._read, args=(rt, self._stop), name=f"MIDI in {self.name}", daemon=True
        )
        self._reader.start()

    def _read(self, rt, stop: threading.Event) -> None:
        while not stop.is_set():
            event = rt.get_message()
            if event is None:
                stop.wait(self.POLL_SECONDS)
                continue
            arrived = time.perf_counter()
            try:
                message = mido.Message.from_bytes(event[0])
            except ValueError:  # a malformed or partial message: nothing a musician played
                continue
            message.time = arrived
            try:
                self.callback(message)
            except Exception:  # noqa: BLE001 - a fault in one handler must not end MIDI in for good
                traceback.print_exc()

    def _drop(self, release: bool = True) -> None:
        self._stop.set()
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join()
        self._reader = None
        super()._drop(release)
