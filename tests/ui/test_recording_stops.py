"""Stopping a take with the keys or pedal still down: what was held goes into the piece as long as it was
held, however the take is stopped (Record again, or Space, which stops the music); a keyboard that goes
away with them down lets them go where it went. Jam mode's pedal is let up at its stop too, however many
phrases it was held over."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from musestudio.core.events import SUSTAIN
from tests.ui.test_midi_ui import play_note, send, time_of


@pytest.fixture
def live(window, monkeypatch):
    """The window playing silently from bar 2 of its first track. Its clock runs on for a moment after each
    stop before the window hears of it, as on a busy machine (the clock is a thread of its own)."""
    window.player.open()
    player = window.player.player
    stop = player.stop

    def stop_then_a_moment_passes() -> None:
        stop()
        time.sleep(0.02)

    monkeypatch.setattr(player, "stop", stop_then_a_moment_passes)
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(1920)
    yield window
    window.jam.stop()
    window.recording.stop()


def wait_past(qtbot, window, tick: int) -> None:
    qtbot.waitUntil(lambda: window.transport.tick_at(time.perf_counter()) > tick, timeout=30_000)


def recorded(window, pitch):
    return [n for n in window.document.project.tracks[0].notes if n.pitch == pitch]


def test_a_chord_held_when_space_stops_the_take_keeps_its_length(live, qtbot):
    live.actions.record.trigger()
    for pitch in (60, 64, 67):
        send(live, "note_on", 1920 + 120, note=pitch, velocity=90)
    wait_past(qtbot, live, 1920 + 960)
    qtbot.keyClick(live.roll.view, Qt.Key.Key_Space)
    assert not live.recording.recording
    chord = [n for p in (60, 64, 67) for n in recorded(live, p)]
    chord = [n for n in chord if n.start >= 1920]
    assert len(chord) == 3
    assert all(n.start == 2040 and n.duration >= 840 for n in chord), chord


def test_a_note_held_when_space_stops_jam_mode_goes_in_as_long_as_it_was_held(live, qtbot):
    assert live.jam.start()
    send(live, "note_on", 1920 + 240, note=72, velocity=80)
    wait_past(qtbot, live, 1920 + 1200)
    qtbot.keyClick(live.roll.view, Qt.Key.Key_Space)
    assert not live.jam.active
    (note,) = [n for n in recorded(live, 72) if n.start >= 1920]
    assert note.start == 2160 and note.duration >= 960, note


def test_a_pedal_still_down_when_the_take_stops_is_let_up_where_the_take_ends(live):
    """The notes held at the stop end there; the pedal held with them is let up there too, or every note
    of the track after the take (overdub keeps them) would ring on under it for the rest of the piece."""
    live.actions.record.trigger()
    send(live, "control_change", 1920 + 100, control=SUSTAIN, value=127)
    send(live, "note_on", 1920 + 120, note=72, velocity=90)
    live.actions.record.trigger()
    (note,) = [n for n in recorded(live, 72) if n.start >= 1920]
    pedal = [(c.tick, c.value) for c in live.document.project.tracks[0].controllers if c.lane == SUSTAIN]
    assert pedal[0] == (2020, 127)
    assert pedal[-1] == (note.end, 0), pedal
    live.undo_stack.undo()
    assert not [c for c in live.document.project.tracks[0].controllers if c.lane == SUSTAIN]


class Keyboard:
    """A MIDI system with one keyboard on it that can be unplugged: what ``MidiPorts`` rescans."""

    backend = "jack"

    def __init__(self, name: str = "Keys:out") -> None:
        self.name = name
        self.plugged_in = True

    def inputs(self) -> list[str]:
        return [self.name] if self.plugged_in else []

    def outputs(self) -> list[str]:
        return []

    def open_input(self, name, callback):
        return SimpleNamespace(name=name, close=lambda: None)

    def alive(self, fresh: bool = False) -> bool:
        return True

    def close(self) -> None:
        pass


def unplugged_while_held(window, qtbot) -> float:
    """The keyboard, listened to, goes away with its keys and pedal down; the tick where it went."""
    keyboard = Keyboard()
    window.midi.system = keyboard
    assert window.midi.set_input(keyboard.name)
    send(window, "control_change", 1920 + 100, control=SUSTAIN, value=127)
    send(window, "note_on", 1920 + 120, note=72, velocity=90)
    wait_past(qtbot, window, 1920 + 480)
    keyboard.plugged_in = False
    window.midi.rescan()
    gone = window.transport.tick_at(time.perf_counter())
    assert window.midi.input is None and "went away" in window.statusBar().currentMessage()
    wait_past(qtbot, window, gone + 960)  # the musician plugs it in again, or stops, a while later
    return gone


def test_a_keyboard_unplugged_mid_take_ends_its_held_keys_and_pedal_where_it_went(live, qtbot):
    live.actions.record.trigger()
    gone = unplugged_while_held(live, qtbot)
    live.actions.record.trigger()
    (note,) = [n for n in recorded(live, 72) if n.start >= 1920]
    pedal = [(c.tick, c.value) for c in live.document.project.tracks[0].controllers if c.lane == SUSTAIN]
    assert note.start == 2040 and 2400 <= note.end <= gone + 1, note  # not on to the stop, a bar later
    assert pedal == [(2020, 127), (note.end, 0)]


@pytest.fixture
def jam(live, monkeypatch):
    """Jam mode asks for no answer: the phrases laid into the piece are what is looked at."""
    monkeypatch.setattr(live.jam, "_ask", lambda phrase, now_tick: None)
    assert live.jam.start()
    return live


def test_a_phrase_held_when_the_keyboard_went_away_is_over_a_bar_later(jam, qtbot):
    live = jam
    gone = unplugged_while_held(live, qtbot)
    assert live.jam.poll(time_of(live, gone + 1920 + 10))  # the phrase was over: a bar with no key down
    (note,) = [n for n in recorded(live, 72) if n.start >= 1920]
    assert 2400 <= note.end <= gone + 1, note


def test_a_pedal_let_up_after_the_last_jam_phrase_goes_in_when_jam_mode_stops(jam):
    """The last phrase's chord rings under the pedal through the bar of silence that ends it; the pedal
    comes up while the answer plays, and jam mode stops: that pedal-up goes in, or the pedal would stay
    down for the rest of the track."""
    live = jam
    send(live, "control_change", 1920 + 10, control=SUSTAIN, value=127)
    play_note(live, 67, 1920 + 60, 1920 + 300)
    assert live.jam.poll(time_of(live, 1920 + 300 + 1920))
    send(live, "control_change", 1920 + 2400, control=SUSTAIN, value=0)
    steps = live.undo_stack.count()
    live.jam.stop()
    assert live.undo_stack.count() == steps + 1
    pedal = [(c.tick, c.value) for c in live.document.project.tracks[0].controllers if c.lane == SUSTAIN]
    assert pedal == [(1930, 127), (4320, 0)]


def test_a_pedal_held_from_an_earlier_jam_phrase_to_the_stop_is_let_up_there(jam):
    live = jam
    send(live, "control_change", 1920 + 10, control=SUSTAIN, value=127)
    play_note(live, 67, 1920 + 60, 1920 + 300)
    assert live.jam.poll(time_of(live, 1920 + 300 + 1920))
    play_note(live, 69, 4400, 4600)
    live.jam.stop()
    (note,) = recorded(live, 69)
    pedal = [(c.tick, c.value) for c in live.document.project.tracks[0].controllers if c.lane == SUSTAIN]
    assert pedal == [(1930, 127), (note.end, 0)]
