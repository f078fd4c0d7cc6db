"""Finding the MIDI system, listing ports, and MIDI in through real JACK ports."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time

import mido
import pytest
import rtmidi
from midi_ports_helpers import (
    STARTS,
    Received,
    cli,
    close_left_unanswered,
    external_output,
    finish,
    restart_if_stalled,
    running_server,
    server_state,
    start_server,
    stop_server,
    wait_until,
)

from musestudio.midi import jack_client, ports
from musestudio.midi.ports import (
    ALSA,
    JACK,
    JackNotAnswering,
    MidiSystem,
    MidiUnavailable,
    PortGone,
    PortNotFound,
    choose_backend,
    match_port,
    release_clients,
    strip_alsa_numbers,
)

NO_SERVER = dict(os.environ, JACK_DEFAULT_SERVER="musestudio-no-such-server", JACK_NO_START_SERVER="1")


def run_cli(*argv, env=None):
    proc = cli(*argv, env=env)
    out, err = finish(proc)
    return proc.returncode, out, err


# -- names and backends, no server needed ---------------------------------------------------------------


def test_alsa_port_numbers_are_ignored_when_a_device_comes_back_elsewhere():
    before = "Keystation 49:Keystation 49 MIDI 1 20:0"
    after = "Keystation 49:Keystation 49 MIDI 1 24:0"
    assert strip_alsa_numbers(before) == "Keystation 49:Keystation 49 MIDI 1"
    assert match_port(before, ["Midi Through:Midi Through Port-0 14:0", after]) == after
    assert match_port(before, [before, after]) == before  # an exact match wins
    assert match_port("Keystation 49:Keystation 49 MIDI 1", [after]) == after
    assert match_port("Synth:in", ["Synth:input"]) is None


def test_our_passing_jack_clients_have_names_no_one_else_has_and_alsa_ones_keep_theirs():
    first, second = (ports._passing_name(ports.LISTER_CLIENT, JACK) for _ in range(2))
    assert first != second and first.startswith("MuseStudio ports ") and f" {os.getpid()}." in first
    assert ports._passing_name(ports.LISTER_CLIENT, ALSA) == "MuseStudio ports"


def test_an_unknown_backend_is_a_plain_error():
    with pytest.raises(Exception, match="unknown MIDI backend 'coreaudio'") as caught:
        choose_backend("coreaudio")
    assert not isinstance(caught.value, MidiUnavailable)


@pytest.mark.skipif(os.path.exists("/dev/snd/seq"), reason="this machine has an ALSA sequencer")
def test_no_midi_system_is_one_clear_line_and_exit_2():
    code, out, err = run_cli("ports", "--json", env=NO_SERVER)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: no MIDI system found")
    assert "JACK" in err and "Traceback" not in err
    code, _, err = run_cli("ports", "--backend", ALSA, env=NO_SERVER)
    assert code == 2 and err.startswith("error: the ALSA sequencer is not available")
    code, _, err = run_cli("ports", "--backend", JACK, env=NO_SERVER)
    assert code == 2 and err == "error: no JACK server is running (server 'musestudio-no-such-server'); " + (
        "start one, e.g. with qjackctl or 'jackd -d alsa', or use ALSA\n"
    )


# -- on the test JACK server ----------------------------------------------------------------------------


def test_ports_json_lists_the_ports_other_programs_create(jack_server):
    keyboard = external_output("Test keyboard", "keys")
    synth = rtmidi_input("Test synth", "in")
    try:
        code, out, err = run_cli("ports", "--json")
        assert (code, err) == (0, "")
        facts = json.loads(out)
        assert facts["backend"] == JACK
        assert "Test keyboard:keys" in facts["inputs"]
        assert "Test synth:in" in facts["outputs"]
        assert "Test synth:in" not in facts["inputs"] and "Test keyboard:keys" not in facts["outputs"]
        code, out, _ = run_cli("ports")
        assert code == 0 and "MIDI backend: JACK" in out and "  Test keyboard:keys" in out
    finally:
        release_clients(keyboard, synth)


LISTINGS = 40
JACK2_ABORT = "terminate called without an active exception"


def test_programs_listing_ports_on_two_servers_at_once_do_not_meet(jack_server, tmp_path):
    """JACK names a client's socket after the client alone, whatever the server: two programs whose
    listing clients shared a name, each on its own server, removed each other's socket, and one was told
    no JACK server was running (in 5 of 6 runs of this test, before the names were made our own).

    A lister's delete may still abort inside JACK's client library on a loaded machine ("terminate called
    without an active exception": it cancels the client's thread), once in sixteen runs of the MIDI tests
    under four CPU burners here. That is jack2's, not a meeting of names, and it ends a run early. So is a
    server whose driver stalls under the listers (``stalled``: a lister left half closed, every open after
    it refused, in CI): the servers are started again and the listers run again, up to ``STARTS`` runs."""
    other = f"{jack_server}-other"
    start_server(other, tmp_path / "other.log")
    try:
        for run in range(1, STARTS + 1):
            listers = [_list_ports(name, LISTINGS) for name in (jack_server, other)]
            listed = [_finished(lister) for lister in listers]
            servers_stalled = [name for name in (jack_server, other) if restart_if_stalled(name)]
            if not servers_stalled:
                break
            assert run < STARTS, f"{servers_stalled} stalled in each of {STARTS} runs\n" + "\n".join(
                server_state(name) for name in servers_stalled
            )
        for (code, out, err), name in zip(listed, (jack_server, other), strict=True):
            said = err[-1500:] + server_state(name)
            assert "no JACK server is running" not in err and "Traceback" not in err, said
            jack2_abort = code == -signal.SIGABRT and JACK2_ABORT in err
            assert jack2_abort or (code, out.count("listed")) == (0, LISTINGS), said
    finally:
        stop_server(running_server(other))


def test_a_server_that_went_away_is_started_again_for_the_next_test(jack_server):
    """What the ``jack_server`` fixture does between tests: a server that exited (or stalled) is started
    again under its name, so one test's lost server is not every later test's failure."""
    running_server(jack_server).kill()
    running_server(jack_server).wait()
    with pytest.raises(MidiUnavailable):
        MidiSystem(JACK).close()
    assert restart_if_stalled(jack_server)
    MidiSystem(JACK).close()
    assert not restart_if_stalled(jack_server)


def _finished(lister: subprocess.Popen) -> tuple[int | None, str, str]:
    """A lister's exit code, output and errors; one that hung (a stalled server holds its client) gives
    no code, and ``finish``'s account of where it hung as its errors."""
    try:
        out, err = finish(lister)
    except AssertionError as hung:
        return None, "", str(hung)
    return lister.returncode, out, err


def _list_ports(server: str, times: int) -> subprocess.Popen:
    """A program on ``server`` listing its ports ``times`` times, each with a client of its own, as
    ``musestudio-cli ports`` does; ``finish`` it for its exit code and what it said."""
    code = (
        "from musestudio.midi.ports import MidiSystem\n"
        f"for _ in range({times}):\n"
        "    with MidiSystem('jack') as system:\n"
        "        system.describe()\n"
        "    print('listed', flush=True)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, JACK_DEFAULT_SERVER=server),
    )


def test_an_unknown_port_says_which_ports_there_are(midi):
    keyboard = external_output("Test keyboard", "keys")
    try:
        with pytest.raises(PortNotFound, match="no MIDI input named 'Nope:x' .*'Test keyboard:keys'"):
            midi.open_input("Nope:x", print)
    finally:
        release_clients(keyboard)


def test_midi_in_delivers_what_a_keyboard_plays_through_the_callback(midi):
    keyboard = external_output("Test keyboard", "keys")
    got = Received()
    try:
        with midi.open_input("Test keyboard:keys", got) as port:
            assert port.connected
            phrase = [
                mido.Message("note_on", channel=0, note=60, velocity=90),
                mido.Message("control_change", channel=0, control=64, value=127),
                mido.Message("pitchwheel", channel=0, pitch=-2000),
                mido.Message("note_off", channel=0, note=60, velocity=0),
                mido.Message("control_change", channel=0, control=64, value=0),
            ]
            for m in phrase:
                keyboard.send_message(m.bytes())
            assert wait_until(lambda: len(got.snapshot()) == len(phrase))
            received = got.snapshot()
            assert [m.bytes() for m in received] == [m.bytes() for m in phrase]
            times = [m.time for m in received]
            assert times == sorted(times) and times[0] > 0
    finally:
        release_clients(keyboard)


def test_a_keyboard_unplugged_and_plugged_in_again_is_picked_up(midi):
    keyboard = external_output("Test keyboard", "keys")
    got = Received()
    port = midi.open_input("Test keyboard:keys", got)
    try:
        unplugged, keyboard = keyboard, None  # let go once only, whatever fails below
        release_clients(unplugged)
        assert wait_until(lambda: not port.ensure_connected(reconnect=True))
        assert not port.connected
        with pytest.raises(PortGone, match="the MIDI input 'Test keyboard:keys' went away"):
            port.ensure_connected(reconnect=False)
        keyboard = external_output("Test keyboard", "keys")  # plugged in again
        assert wait_until(lambda: port.ensure_connected(reconnect=True))
        keyboard.send_message([0x90, 64, 100])
        assert wait_until(lambda: len(got.snapshot()) == 1)
        assert got.snapshot()[0].bytes() == [0x90, 64, 100]
    finally:
        port.close()
        if keyboard is not None:  # not between the unplugging and the new one
            release_clients(keyboard)


def test_a_virtual_output_is_a_port_other_programs_can_read(midi):
    with midi.open_output(virtual=True) as ours:
        other = MidiSystem(JACK)
        try:
            names = [n for n in other.inputs() if n.endswith(":MuseStudio")]
            assert len(names) == 1
            got = Received()
            with other.open_input(names[0], got):
                ours.send(mido.Message("program_change", channel=3, program=40))
                assert wait_until(lambda: len(got.snapshot()) == 1)
                assert got.snapshot()[0].bytes() == [0xC3, 40]
        finally:
            other.close()


def rtmidi_input(client: str, port: str):
    import rtmidi

    rt = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, client)
    rt.open_virtual_port(port)
    return rt


class _Client:
    """Records what is done to it, in order, in ``log``: an rtmidi client as ``release_clients`` uses it."""

    def __init__(self, name: str, port_open: bool, log: list) -> None:
        self.name, self.port_open, self.log = name, port_open, log

    def is_port_open(self) -> bool:
        return self.port_open

    def close_port(self) -> None:
        self.log.append(("close", self.name))
        self.port_open = False

    def delete(self) -> None:
        self.log.append(("delete", self.name))


def test_release_clients_waits_before_closing_each_open_port_and_deletes_after_every_close(monkeypatch):
    """JACK's latency notice for a change to the graph comes a period or so later, and closing a port while
    its client answers one crashes the process (jack2 issue #216): each open port waits first, every
    port is closed before any client is deleted, and a client with no port open costs no wait."""
    log = []
    monkeypatch.setattr(ports.time, "sleep", lambda s: log.append(("wait", s)))
    keyboard, lister, synth = (
        _Client(n, o, log) for n, o in (("keyboard", True), ("lister", False), ("synth", True))
    )
    release_clients(keyboard, lister, synth)
    wait = ("wait", ports.SETTLE_S)
    assert log == [
        wait,
        ("close", "keyboard"),
        ("close", "lister"),
        wait,
        ("close", "synth"),
        ("delete", "keyboard"),
        ("delete", "lister"),
        ("delete", "synth"),
    ]


def test_jack_clients_are_deactivated_before_their_ports_go_and_a_sender_is_not_held_up(jack_server):
    """A keyboard sending to a synth, both let go as ``release_clients`` does: each client is deactivated
    (so JACK's threads no longer touch its port), its port unregistered and the client closed by us, and
    the ports and clients leave the server. rtmidi's own close of an output port waits up to a second for
    a process cycle that a deactivated client never runs: neither the port nor the client is left for
    rtmidi's delete to close. The app has FluidSynth loaded, and with it the system's libjack beside
    python-rtmidi's own: the calls go to rtmidi's."""
    import fluidsynth  # noqa: F401 - the system's libjack, as in the app

    jack_client._libjack.cache_clear()
    assert sum("/libjack." in line for line in open("/proc/self/maps")) > 0  # the system's is loaded
    synth = rtmidi_input("Deactivated synth", "in")
    keyboard = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "Deactivated keyboard")
    keyboard.open_port(keyboard.get_ports().index("Deactivated synth:in"))
    listers = (
        rtmidi.MidiIn(rtmidi.API_UNIX_JACK, "Deactivation lister in"),
        rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "Deactivation lister out"),
    )
    try:
        keyboard.send_message([0x90, 60, 100])
        assert wait_until(lambda: synth.get_message() is not None)
        assert "Deactivated keyboard:RtMidi output" in listers[0].get_ports()
        releases = [jack_client.Release.start(client) for client in (keyboard, synth)]
        assert all(release is not None and release.in_time() for release in releases)
        assert jack_client._libjack()._name.split("/")[-2].startswith("python_rtmidi")
        ours = [p for lister in listers for p in lister.get_ports() if p.startswith("Deactivated")]
        assert ours == []
        for client in (keyboard, synth):  # rtmidi's own record of the port and the client: none
            data = jack_client._jack_data(client)
            assert (
                jack_client._read_pointer(data),
                jack_client._read_pointer(data + jack_client.POINTER),
            ) == (0, 0)
        assert jack_client.Release.start(keyboard) is None  # a second time: nothing left to touch
    finally:
        keyboard.delete()  # rtmidi finds nothing to close: no second's wait, no double unregister
        synth.delete()
        release_clients(*listers)


def test_a_client_of_an_unknown_layout_is_left_to_close_its_port_the_old_way(jack_server, monkeypatch):
    """Where python-rtmidi is not a release whose objects were read, nothing of the client is touched:
    the caller closes the port itself (``release_clients`` after ``SETTLE_S``)."""
    monkeypatch.setattr(jack_client, "KNOWN_LAYOUTS", {})
    synth = rtmidi_input("Unknown synth", "in")
    lister = external_output("Unknown lister", "out")
    try:
        assert jack_client.Release.start(synth) is None
        assert synth.is_port_open() and "Unknown synth:in" in lister.get_ports()
    finally:
        release_clients(synth, lister)  # the old way: each port after SETTLE_S


def held_up(call: str, server_answers: threading.Event, called: threading.Event | None = None):
    """The real JACK library but for ``call``, which waits for ``server_answers`` as a held-up server keeps
    it waiting (a stand-in for ``jack_client._libjack``: called, it gives the library); ``called``, where
    given, is set once ``call`` is made."""
    real = jack_client._libjack()

    class HeldUp:
        def __getattr__(self, name):
            attr = getattr(real, name)
            if name != call:
                return attr

            def waiting(*args):
                if called is not None:
                    called.set()
                server_answers.wait()
                return attr(*args)

            return waiting

    return HeldUp


def test_a_jack_client_the_server_does_not_close_in_time_holds_nothing_up(jack_server, monkeypatch, caplog):
    """Under heavy load a JACK client's close once never returned, and a test's window stayed open for ten
    minutes: rtmidi's delete holds Python's lock while it waits, so every thread waited. The JACK library
    here is the real one but for its close, held up as that server held it: the release goes on after
    ``CLOSE_TIMEOUT_S``, says so in the log, and leaves the client to the thread closing it, which marks it
    closed in rtmidi's data once the close returns (rtmidi's delete then closes nothing a second time)."""
    synth = rtmidi_input("Stuck synth", "in")
    lister = external_output("Stuck lister", "out")
    server_answers = threading.Event()
    monkeypatch.setattr(jack_client, "_libjack", held_up("jack_client_close", server_answers))
    monkeypatch.setattr(jack_client, "CLOSE_TIMEOUT_S", 0.5)
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger=jack_client.__name__):
            release_clients(synth)
        assert time.monotonic() - started < 5
        assert "has not closed the client 'Stuck synth' in 0.5 s" in caplog.text
        assert "Stuck synth:in" not in lister.get_ports()  # deactivated and its port gone all the same
        assert jack_client._read_pointer(jack_client._jack_data(synth)) != 0  # still the thread's to close
        server_answers.set()
        assert wait_until(lambda: jack_client._read_pointer(jack_client._jack_data(synth)) == 0, 10)
        synth.delete()
    finally:
        server_answers.set()
        release_clients(lister)


def test_a_jack_client_the_server_does_not_deactivate_in_time_holds_nothing_up(
    jack_server, monkeypatch, caplog
):
    """A server held up can keep ``jack_deactivate`` waiting as it once kept a close, and the caller is
    often the GUI thread (a port closed, a device switched, the app quitting). With deactivation held up
    as that server held the close, ``release_clients`` goes on after ``CLOSE_TIMEOUT_S`` all the same,
    says so in the log, leaves the ports of the clients still active where they are (unregistering one
    crashes the process) and deletes neither client: each is its thread's, which lets it go in order once
    the server answers (rtmidi's delete then closes nothing a second time)."""
    synth = rtmidi_input("Held synth", "in")
    keyboard = external_output("Held keyboard", "keys")
    listers = (
        rtmidi.MidiIn(rtmidi.API_UNIX_JACK, "Held lister in"),
        rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "Held lister out"),
    )

    def held_ports():
        return [p for lister in listers for p in lister.get_ports() if p.startswith("Held ")]

    server_answers = threading.Event()
    monkeypatch.setattr(jack_client, "_libjack", held_up("jack_deactivate", server_answers))
    monkeypatch.setattr(jack_client, "CLOSE_TIMEOUT_S", 0.5)
    releasing = threading.Thread(target=release_clients, args=(synth, keyboard), daemon=True)
    try:
        with caplog.at_level(logging.WARNING, logger=jack_client.__name__):
            releasing.start()
            releasing.join(5)
            assert not releasing.is_alive(), "release_clients waited on the server with no end"
        for name in ("Held synth", "Held keyboard"):
            assert f"has not deactivated the client '{name}' in 0.5 s; going on without it" in caplog.text
        assert sorted(held_ports()) == ["Held keyboard:keys", "Held synth:in"]
        for client in (synth, keyboard):  # not deleted: still the thread's to let go
            assert jack_client._read_pointer(jack_client._jack_data(client)) != 0
        server_answers.set()
        for client in (synth, keyboard):
            assert wait_until(lambda c=client: jack_client._read_pointer(jack_client._jack_data(c)) == 0, 10)
        assert held_ports() == []
        synth.delete()
        keyboard.delete()
    finally:
        server_answers.set()
        releasing.join()
        release_clients(*listers)


def test_a_close_waiting_behind_a_stuck_one_holds_its_caller_up_no_longer(jack_server, monkeypatch, caplog):
    """JACK's library closes one client at a time: behind a close the server left unanswered, every other
    close waits as long. Letting a second client go then (a device switched, the app quitting, often on the
    GUI thread) waits for its deactivate and unregister, which the server answers, and not its close: the
    caller goes on as soon as that close is queued behind the stuck one, not after ``CLOSE_TIMEOUT_S``;
    each thread lets its client go once the server answers."""
    first, second = rtmidi_input("Stuck first", "in"), rtmidi_input("Queued second", "in")
    lister = external_output("Queue lister", "out")
    server_answers = threading.Event()
    monkeypatch.setattr(jack_client, "_libjack", held_up("jack_client_close", server_answers))
    monkeypatch.setattr(jack_client, "CLOSE_TIMEOUT_S", 0.5)
    try:
        release_clients(first)
        monkeypatch.setattr(jack_client, "CLOSE_TIMEOUT_S", 10.0)
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger=jack_client.__name__):
            release_clients(second)
        took = time.monotonic() - started
        assert took < 5, f"letting the second client go waited {took:.0f} s behind the stuck close"
        assert re.search(
            r"the JACK client 'Queued second' waits to close behind the client 'Stuck first', which the server "
            r"has not closed for \d+ s; going on without it",
            caplog.text,
        ), caplog.text
        assert "Queued second:in" not in lister.get_ports()  # deactivated and its port gone all the same
        server_answers.set()
        for client in (first, second):
            assert wait_until(lambda c=client: jack_client._read_pointer(jack_client._jack_data(c)) == 0, 10)
            client.delete()
    finally:
        server_answers.set()
        release_clients(lister)


def test_a_new_jack_client_waits_for_a_close_under_way_and_is_made_once_it_returns(jack_server, monkeypatch):
    """A close takes milliseconds (a second on a loaded machine): a client made meanwhile would wait for it
    inside JACK's library with Python's lock held, so it waits for it outside, and is then made, not
    refused. The close here is held up for a moment as a loaded server holds it."""
    synth = rtmidi_input("Closing synth", "in")
    server_answers, closing = threading.Event(), threading.Event()
    monkeypatch.setattr(jack_client, "_libjack", held_up("jack_client_close", server_answers, closing))
    releasing = threading.Thread(target=release_clients, args=(synth,))
    releasing.start()
    made = None
    try:
        assert closing.wait(10), "the release never began its close"
        threading.Timer(0.3, server_answers.set).start()
        started = time.monotonic()
        made = ports._new_client("out", JACK, ports._passing_name(ports.PROBE_CLIENT))
        took = time.monotonic() - started
        assert 0.2 < took < 5, f"the new client was made {took:.2f} s after the close began"
        assert server_answers.is_set()
    finally:
        server_answers.set()
        releasing.join()
        if made is not None:
            release_clients(made)


def test_while_the_server_leaves_a_close_unanswered_no_client_is_made_and_then_ports_open_again(
    midi, jack_server, monkeypatch
):
    """jack2's ``jack_client_close`` holds a lock of its library that ``jack_client_open`` takes too: behind a
    close the server left unanswered, the next new client waited in rtmidi with Python's lock held, and the
    whole app with it, for as long as the server kept the close. Here the server stops at a port's close,
    which then waits inside the real library as it would: opening a port, making a system and asking whether
    the server runs are refused at once, saying why (the system is not taken for gone, and what is listed
    still lists); once the server answers, the close returns and the port opens and hears the keyboard."""
    keyboard = external_output("Unanswered keyboard", "keys")
    got = Received()
    port = midi.open_input("Unanswered keyboard:keys", got)
    closing = port._rt
    try:
        with close_left_unanswered(jack_server, ports.CLIENT_NAME, monkeypatch) as close:
            port.close()
            assert close.stopped.is_set()
            started = time.monotonic()
            refused = refusal(lambda: midi.open_input("Unanswered keyboard:keys", got))
            took = time.monotonic() - started
            assert took < 5, f"opening a port waited {took:.0f} s behind the close, with Python's lock held"
            assert isinstance(refused, JackNotAnswering), refused
            assert re.fullmatch(
                r"cannot open the MIDI input 'Unanswered keyboard:keys': the JACK server has not answered a "
                r"close for [1-4] s, and nothing can be opened until it does \(or is restarted\)",
                str(refused),
            )
            with pytest.raises(JackNotAnswering, match="the JACK server has not answered a close for "):
                MidiSystem(JACK)
            assert midi.alive(fresh=True)
            assert "Unanswered keyboard:keys" in midi.inputs()
            assert time.monotonic() - started < 10
            close.answer()
            assert wait_until(lambda: jack_client._read_pointer(jack_client._jack_data(closing)) == 0, 10)
        with midi.open_input("Unanswered keyboard:keys", got) as again:
            assert again.connected
            keyboard.send_message([0x90, 60, 100])
            assert wait_until(lambda: len(got.snapshot()) == 1)
    finally:
        release_clients(keyboard)


def refusal(call) -> Exception | None:
    """What ``call()`` raised; None where it went through (what it opened is closed again)."""
    try:
        opened = call()
    except Exception as e:  # noqa: BLE001 - the test looks at what it is
        return e
    opened.close()
    return None
