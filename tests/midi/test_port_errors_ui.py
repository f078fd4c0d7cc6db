"""In a Chinese window, why a MIDI port cannot be opened is said in Chinese, naming the port: a keyboard or a
synth picked when the JACK server has no room for one more port, and a keyboard picked again while it is
unplugged, showed ``midi.ports``'s English as it came. It is now raised with a code and its particulars,
which the window words; the backend's own reason stays as it came. Without a translation the words are the
English they were.

The failures are real: this module's server holds few ports, and programs of the test's fill them up, so
JACK itself refuses the port the app asks for.
"""

from __future__ import annotations

import re

import pytest
import rtmidi
from midi_ports_helpers import JackReceiver, external_output, pick

from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.midi.ports import release_clients

JACK_PORT_MAX = 8  # the server's port table (the dummy driver's audio ports take some): read by conftest
KEYBOARD = "Test keyboard:keys"
SYNTH = "Receiver:in"


def fill_the_port_table() -> list:
    """Programs holding a port each until the server has room for no more."""
    held = []
    for i in range(JACK_PORT_MAX):
        program = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, f"Busy {i}")
        try:
            program.open_virtual_port("out")
        except rtmidi.RtMidiError:
            release_clients(program)
            return held
        held.append(program)
    raise AssertionError(f"a server of {JACK_PORT_MAX} ports made every port asked for")


def said_when_ports_cannot_be_opened(app_window) -> list[str]:
    """The status bar's words when the keyboard and the synth are picked on a full server, then the keyboard
    again once it is unplugged (and the server has room again); the system's inputs left by then."""
    keyboard, synth = external_output(*KEYBOARD.split(":")), JackReceiver(*SYNTH.split(":"))
    window = app_window(Project(tracks=(Track(name="Piano"),)))
    said: list[str] = []
    window.midi.status.connect(said.append)
    held = fill_the_port_table()
    try:
        window.midi.rescan()  # the pickers list the keyboard and the synth
        pick(window.midi_toolbar.input, KEYBOARD)
        pick(window.midi_toolbar.output, SYNTH)
        assert window.midi.input is None and window.midi.output is None
    finally:
        for program in held:
            release_clients(program)
    release_clients(keyboard)  # unplugged
    synth.close()
    window.midi.rescan()
    pick(window.midi_toolbar.input, KEYBOARD)  # listed as not connected: picked again
    assert window.midi.input is None
    return said + [", ".join(f"'{n}'" for n in window.midi.system.inputs())]


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_midi_port_that_cannot_be_opened_is_said_in_the_user_s_language(language, app_window):
    *said, left = said_when_ports_cannot_be_opened(app_window)
    assert len(said) == 3, said
    assert re.fullmatch(rf"无法打开 MIDI 输入 '{KEYBOARD}'：MidiInJack::\w+: JACK .+", said[0]), said[0]
    assert re.fullmatch(rf"无法打开 MIDI 输出 '{SYNTH}'：MidiOutJack::\w+: JACK .+", said[1]), said[1]
    assert said[2] == f"没有名为 '{KEYBOARD}' 的 MIDI 输入（可用的：{left or '无'}）"


def test_without_a_translation_a_midi_port_that_cannot_be_opened_is_said_as_before(app_window):
    *said, left = said_when_ports_cannot_be_opened(app_window)
    assert len(said) == 3, said
    assert re.fullmatch(rf"cannot open the MIDI input '{KEYBOARD}': MidiInJack::\w+: JACK .+", said[0])
    assert re.fullmatch(rf"cannot open the MIDI output '{SYNTH}': MidiOutJack::\w+: JACK .+", said[1])
    assert said[2] == f"no MIDI input named '{KEYBOARD}' (available: {left or 'none'})"
