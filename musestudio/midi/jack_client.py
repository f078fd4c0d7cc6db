"""Letting a JACK client of python-rtmidi go without the races of JACK's client library.

JACK's client library (jack2, as python-rtmidi's wheel carries it) crashes the process when a port is
unregistered while the client is active:
- its notification thread walks the client's list of ports to answer the server's latency notices, and
  unregistering a port takes it off that list meanwhile (jack2 issues #216 and #340);
- its process thread reads the port's buffer in every cycle.
The server sends a latency notice to every client after any change to its graph, by any program, so no
wait makes closing a port safe. Deactivating the client first does: the server stops its process thread,
answers any notice it is in the middle of before it takes the request, and an inactive client ignores
the notices that follow. Then its port can go, and the client can be closed.

rtmidi has no call to deactivate a client, and its own close of an output port waits up to a second for a
process cycle that a deactivated client never runs. So this module reaches the ``jack_client_t`` and the
port through python-rtmidi's objects, checks both against what the server says they are called, and
calls the library's ``jack_deactivate``, ``jack_port_unregister`` and ``jack_client_close`` itself,
marking the port and the client closed in rtmidi's data so that rtmidi's delete then only frees memory.
Where anything is not as checked (another python-rtmidi build, no JACK library loaded, the ALSA
backend), ``Release.start`` says so and the caller closes the port the old way.

Each of the three calls waits for the server, and a server held up (a loaded machine, a stuck server) can
keep any of them waiting: under heavy load a close once never returned, and a test's window stayed open
for ten minutes. The caller is often the GUI thread (a port closed, a device switched, the app quitting),
and rtmidi holds Python's lock through all its calls, so a call stuck in rtmidi stops every thread of the
app. A ``Release`` makes the three calls through ctypes (which lets the lock go), in that order, on a
thread of its own: the port is unregistered only once the deactivate has returned, however long that
takes. The caller waits ``CLOSE_TIMEOUT_S`` for it (``Release.in_time``); a release the server has not
answered by then is said in the log and left to its thread, which holds the client until it is done, and
the app goes on.

A close the server leaves unanswered holds more than its own client: jack2's ``jack_client_close`` keeps a
lock of the library's own until it returns, and ``jack_client_open`` takes the same lock, so the next new
client of this process waits for that close, inside rtmidi's constructor, with Python's lock held: the
whole app, the GUI thread included, would stop for as long as the server keeps the close waiting, perhaps
for ever (a stuck deactivate or unregister takes no such lock). So a new JACK client is made only within
``opening()``: it waits for the closes under way, as a close takes milliseconds, and refuses with
``CloseUnanswered`` while one is stuck (``Release.stuck_at``: its release past ``CLOSE_TIMEOUT_S``, as
``in_time`` counts it, and the close itself past ``CLOSE_GRACE_S``); no close begins while a client is being
made. Once the stuck close returns, clients are made again. Every other close waits behind the stuck one
too, so ``in_time`` gives up on a release as soon as its close is queued there. Only releases take part: a
client of the ALSA backend or of an unknown python-rtmidi is closed by rtmidi in the caller's thread, as
before.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import re
import threading
import time
from pathlib import Path

#: How long letting a JACK client go (deactivating it, unregistering its port, closing it) is waited for
#: before the app goes on without it (it takes a few milliseconds; a server held up by a loaded machine, a
#: second or two)
CLOSE_TIMEOUT_S = 10.0
#: How long a close has itself run, at least, before a new client is refused for it (``opening``): the close
#: of a release whose deactivate took all of ``CLOSE_TIMEOUT_S`` may have begun a moment ago
CLOSE_GRACE_S = 1.0

#: The python-rtmidi releases whose object layout the offsets below were read from (``__basicsize__``
#: of its MidiIn and MidiOut, and where their ``RtMidi*`` is): the Cython object holds the RtMidi object
#: after its base fields, RtMidi holds its MidiApi after the vtable, MidiApi its ``JackMidiData`` after
#: the vtable, and that struct starts with the client and the port.
KNOWN_LAYOUTS = {"1.5.8": {"MidiIn": (64, 48), "MidiOut": (56, 48)}}
POINTER = ctypes.sizeof(ctypes.c_void_p)

log = logging.getLogger(__name__)

#: A JACK client library among the files this process has mapped (not the server's libjackserver)
LIBJACK = re.compile(r"/libjack[-.][^/]*$")
#: The folder python-rtmidi's wheel keeps its own libjack in ("python_rtmidi." or "python_rtmidi.libs",
#: beside the package, in the app bundle too), as against the system's, which FluidSynth loads
RTMIDI_LIBS = "python_rtmidi"


class CloseUnanswered(Exception):
    """No new JACK client can be made now: the server has not answered the close of our client ``client``
    for ``seconds`` (see the module's docstring)."""

    def __init__(self, client: str, seconds: float) -> None:
        super().__init__(f"the JACK server has not closed the client '{client}' for {seconds:.1f} s")
        self.client, self.seconds = client, seconds


_closes = threading.Condition()  # guards the two below; notified when a close or an opening ends
_closing: dict[Release, float] = {}  # the releases whose close is under way: when it began (monotonic)
_opening = 0  # the new clients being made (``opening``): no close begins meanwhile


@contextlib.contextmanager
def opening():
    """Around making a new JACK client: waits while a close of ours is under way and not yet stuck
    (``Release.stuck_at``), raises ``CloseUnanswered`` for one that is, and lets no close begin until the
    client is made."""
    global _opening
    with _closes:
        while _closing:
            now = time.monotonic()
            for release, began in _closing.items():
                if now >= release.stuck_at(began):
                    raise CloseUnanswered(release.name, now - began)
            _closes.wait(min(release.stuck_at(began) for release, began in _closing.items()) - now)
        _opening += 1
    try:
        yield
    finally:
        with _closes:
            _opening -= 1
            _closes.notify_all()


def _read_pointer(address: int) -> int:
    return ctypes.c_void_p.from_address(address).value or 0


@functools.cache
def _libjack() -> ctypes.CDLL | None:
    """The JACK library python-rtmidi's extension loaded (the client pointers belong to it, not to the
    system's libjack that FluidSynth loads beside it): the one in python-rtmidi's own folder, else the
    only one loaded; None where neither is to be had. Called once an rtmidi client exists, so the
    library is loaded by then."""
    try:
        maps = Path("/proc/self/maps").read_text().splitlines()
    except OSError:
        return None
    paths = {Path(line.split()[-1]) for line in maps if LIBJACK.search(line)}
    own = {p for p in paths if p.parent.name.startswith(RTMIDI_LIBS)}
    paths = own or paths
    if len(paths) != 1:
        return None
    lib = ctypes.CDLL(str(paths.pop()))
    lib.jack_get_client_name.restype = ctypes.c_char_p
    lib.jack_get_client_name.argtypes = [ctypes.c_void_p]
    lib.jack_port_name.restype = ctypes.c_char_p
    lib.jack_port_name.argtypes = [ctypes.c_void_p]
    lib.jack_deactivate.argtypes = [ctypes.c_void_p]
    lib.jack_port_unregister.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.jack_client_close.argtypes = [ctypes.c_void_p]
    return lib


def _jack_data(client) -> int:
    """The address of rtmidi's ``JackMidiData`` for ``client`` (0 where the layout is not a known one)."""
    import rtmidi

    layout = KNOWN_LAYOUTS.get(getattr(rtmidi, "__version__", ""), {}).get(type(client).__name__)
    if layout is None or type(client).__basicsize__ != layout[0]:
        return 0
    if client.get_current_api() != rtmidi.API_UNIX_JACK:
        return 0
    rtmidi_object = _read_pointer(id(client) + layout[1])
    api = _read_pointer(rtmidi_object + POINTER) if rtmidi_object else 0
    return _read_pointer(api + POINTER) if api else 0


class Release:
    """A JACK client of python-rtmidi being let go on a thread of its own (``Release.start``): deactivated,
    then its port unregistered, then closed, each marked in rtmidi's data once done; ``in_time`` waits for
    it. The thread holds the rtmidi client until the last call returns."""

    def __init__(self, lib: ctypes.CDLL, client, data: int, jack_client: int, port: int, name: str) -> None:
        self.name = name
        self._client = client  # held until the calls return: the garbage collector's delete would redo them
        self._lib, self._data, self._jack_client, self._port = lib, data, jack_client, port
        self._waiting_for = "deactivated"  # what the server has not done yet, for the log
        self._closed = False  # set with ``_closes`` held once the close has returned
        self._deadline = time.monotonic() + CLOSE_TIMEOUT_S
        self._thread = threading.Thread(target=self._let_go, name=f"JACK release {name}", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, client) -> Release | None:
        """Start letting go of the JACK client behind the python-rtmidi ``client``; None where it could not
        be done safely and nothing was touched: the client is not a JACK one of a known python-rtmidi (or
        is closed already), or its client and port are not the ones the server names (the caller then
        closes the port itself). The checks read only the JACK library's own memory, so they cannot
        wait for the server; the calls that do wait are the thread's."""
        data = _jack_data(client)
        lib = _libjack() if data else None
        jack_client = _read_pointer(data) if lib is not None else 0
        if not jack_client:
            return None
        name = lib.jack_get_client_name(jack_client)
        port = _read_pointer(data + POINTER)
        if not name or (port and not (lib.jack_port_name(port) or b"").startswith(name + b":")):
            return None
        return cls(lib, client, data, jack_client, port, name.decode(errors="replace"))

    def _let_go(self) -> None:
        """Deactivate, unregister, close: a port of an active client is never unregistered (see the module's
        docstring), whatever the server keeps waiting."""
        self._lib.jack_deactivate(self._jack_client)
        if self._port:
            self._waiting_for = "unregistered the port of"
            self._lib.jack_port_unregister(self._jack_client, self._port)
            ctypes.c_void_p.from_address(self._data + POINTER).value = None  # rtmidi: no port to close
        self._waiting_for = "closed"
        with _closes:
            _closes.wait_for(lambda: not _opening)
            _closing[self] = time.monotonic()
            _closes.notify_all()  # ``in_time`` looks whether this close waits behind a stuck one
        try:
            self._lib.jack_client_close(self._jack_client)
            ctypes.c_void_p.from_address(self._data).value = None  # rtmidi: no client to close
        finally:
            with _closes:
                del _closing[self]
                self._closed = True
                _closes.notify_all()

    def stuck_at(self, began: float) -> float:
        """When a close that ``began`` then counts as stuck: once the release is past ``CLOSE_TIMEOUT_S``
        (``in_time`` has given up on it) and the close has itself run ``CLOSE_GRACE_S``."""
        return max(self._deadline, began + CLOSE_GRACE_S)

    def in_time(self) -> bool:
        """True once the client is let go, within ``CLOSE_TIMEOUT_S`` of the start (the caller then
        deletes it; rtmidi's delete only frees memory).

        False when the server has not answered by then, said in the log: the caller must not delete the
        client, which the thread holds until its calls return (a delete, or the garbage collector's, would
        unregister the port of a client perhaps still active and close the client inside rtmidi, with
        Python's lock held: every thread of the app would wait, or the process crash). False at once, too,
        once its close waits behind a stuck one (JACK's library closes one client at a time): it returns
        only after that one, which is waited for no longer (the caller is often the GUI thread)."""
        with _closes:
            while not self._closed:
                now = time.monotonic()
                ahead = self._stuck_ahead(now)
                if ahead is not None:
                    log.warning(
                        "the JACK client '%s' waits to close behind the client '%s', which the server has not "
                        "closed for %.0f s; going on without it",
                        self.name,
                        ahead.name,
                        now - _closing[ahead],
                    )
                    return False
                if now >= self._deadline:
                    break
                wake = [self._deadline]  # or when a close ahead of this one's would count as stuck
                if self in _closing:
                    wake += [r.stuck_at(began) for r, began in _closing.items() if r is not self]
                _closes.wait(min(wake) - now)
        if self._closed:
            self._thread.join()  # its last line has run: the thread is ending
            return True
        log.warning(
            "the JACK server has not %s the client '%s' in %g s; going on without it",
            self._waiting_for,
            self.name,
            CLOSE_TIMEOUT_S,
        )
        return False

    def _stuck_ahead(self, now: float) -> Release | None:
        """The release whose stuck close this one's close waits behind (both under way), if any; called
        with ``_closes`` held."""
        if self not in _closing:
            return None
        return next((r for r, began in _closing.items() if r is not self and now >= r.stuck_at(began)), None)
