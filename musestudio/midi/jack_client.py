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
calls the library's ``jack_deactivate`` and ``jack_port_unregister`` itself, marking the port closed in
rtmidi's data so that rtmidi does not unregister it again. Where anything is not as checked (another
python-rtmidi build, no JACK library loaded, the ALSA backend), ``deactivated_release`` says so and the
caller closes the port the old way.

Closing the client asks the server too, and under heavy load a close once never returned: a test's window
stayed open for ten minutes. rtmidi holds Python's lock through all its calls, so a close stuck in rtmidi's
delete stops every thread of the app. ``closed_in_time`` closes the client itself, through ctypes (which
lets the lock go), on a thread of its own, and marks it closed in rtmidi's data, so rtmidi's delete then
only frees memory; a close that does not return in time is left to its thread, and the app goes on.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import re
import threading
from pathlib import Path

#: How long closing a JACK client is waited for before the app goes on without it (a close takes a few
#: milliseconds; a server held up by a loaded machine, a second or two)
CLOSE_TIMEOUT_S = 10.0

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


def deactivated_release(client) -> bool:
    """Deactivate the JACK client behind the python-rtmidi ``client``, then unregister its port; True
    once done (the caller then deletes the client), False where it could not be done safely and nothing
    was touched: the client is not a JACK one of a known python-rtmidi, or its client and port are not
    the ones the server names (the caller then closes the port itself)."""
    data = _jack_data(client)
    lib = _libjack() if data else None
    jack_client = _read_pointer(data) if lib is not None else 0
    if not jack_client:
        return False
    name = lib.jack_get_client_name(jack_client)
    port = _read_pointer(data + POINTER)
    if not name or (port and not (lib.jack_port_name(port) or b"").startswith(name + b":")):
        return False
    lib.jack_deactivate(jack_client)
    if port:
        lib.jack_port_unregister(jack_client, port)
        ctypes.c_void_p.from_address(data + POINTER).value = None  # rtmidi: no port to close
    return True


def closed_in_time(client) -> bool:
    """Close the JACK client behind ``client``, one ``deactivated_release`` has let go, on a thread of its
    own, then mark it closed in rtmidi's data (rtmidi's delete then only frees memory); True once that is
    done within ``CLOSE_TIMEOUT_S``.

    False when the close has not returned by then, said in the log: the caller must not delete ``client``,
    which the thread holds until the close returns (a delete, or the garbage collector's, would close the
    client again inside rtmidi, with Python's lock held: every thread of the app would wait)."""
    data = _jack_data(client)
    jack_client = _read_pointer(data) if data else 0
    if not jack_client:
        return True  # closed already: rtmidi has nothing to close either
    name = (_libjack().jack_get_client_name(jack_client) or b"?").decode(errors="replace")
    thread = threading.Thread(
        target=_close, args=(_libjack(), client, data, jack_client), name="JACK client close", daemon=True
    )
    thread.start()
    thread.join(CLOSE_TIMEOUT_S)
    if thread.is_alive():
        log.warning(
            "the JACK server has not closed the client '%s' in %g s; going on without it",
            name,
            CLOSE_TIMEOUT_S,
        )
        return False
    return True


def _close(lib: ctypes.CDLL, client, data: int, jack_client: int) -> None:
    """The close itself, holding ``client`` (whose rtmidi data is at ``data``) until it returns."""
    lib.jack_client_close(jack_client)
    ctypes.c_void_p.from_address(data).value = None  # rtmidi: no client to close
