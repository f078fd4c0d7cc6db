"""MIDI thru: what you play on a keyboard, heard at once through the app's own FluidSynth.

``MidiThru`` is an input port's callback. It plays every channel message on one synth channel (the active
track's, with its instrument) whatever channel the keyboard sends on, so a keyboard left on channel 1
still sounds like the track you are about to record into. Clock, start/stop and SysEx are not sound and
are left alone. FluidSynth's API is thread-safe, so calling it from the MIDI thread while the audio
callback renders is fine; the note is heard from the next audio block on (benchmarks/midi_timing.py
measures the path: JACK's delivery plus at most one block, before the sound card's own latency).

When the keyboard goes away (or thru moves to another track) its note-offs, pedal-ups and the wheels'
spring back will never come: ``release`` lets go of the keys and sets back every pedal it left down and
every wheel or pressure it left off rest, as the recorded take does (``recording.off_rest``), so the
channel's later notes are not held, bent, vibrato'd or pressed.
"""

from __future__ import annotations

import threading

import mido

from musestudio.core.events import (
    CHANNEL_PRESSURE,
    PITCH_BEND,
    is_cc,
    is_poly_pressure,
    poly_pressure_lane,
    poly_pressure_pitch,
)
from musestudio.midi.recording import AT_REST, off_rest


class MidiThru:
    """Forwards incoming messages to ``synth`` on ``channel``; ``retarget`` follows the active track."""

    def __init__(self, synth, channel: int, program: int | None = None, is_drum: bool = False) -> None:
        self.synth = synth
        self._lock = threading.Lock()
        self._held: set[int] = set()
        self._off_rest: set[int] = set()  # lanes (see core.events) the keyboard left down or off rest
        self.channel = channel
        if program is not None:
            synth.program_change(channel, program, is_drum)

    def retarget(self, channel: int, program: int, is_drum: bool = False) -> None:
        """Play on another channel/instrument from now on; notes held on the old one are released."""
        with self._lock:
            self._release()
            self.channel = channel
            self.synth.program_change(channel, program, is_drum)

    def __call__(self, message: mido.Message) -> None:
        with self._lock:
            synth, channel, kind = self.synth, self.channel, message.type
            if kind == "note_on" and message.velocity > 0:
                synth.note_on(channel, message.note, message.velocity)
                self._held.add(message.note)
            elif kind in ("note_on", "note_off"):
                synth.note_off(channel, message.note)
                self._held.discard(message.note)
            elif kind == "control_change":
                synth.control_change(channel, message.control, message.value)
                self._moved(message.control, message.value)
            elif kind == "pitchwheel":
                synth.pitch_bend(channel, message.pitch)
                self._moved(PITCH_BEND, message.pitch)
            elif kind == "aftertouch":
                synth.channel_pressure(channel, message.value)
                self._moved(CHANNEL_PRESSURE, message.value)
            elif kind == "polytouch":
                synth.key_pressure(channel, message.note, message.value)
                self._moved(poly_pressure_lane(message.note), message.value)
            elif kind == "program_change":
                synth.program_change(channel, message.program)

    def release(self) -> None:
        """Let go of every note still held and set back every pedal, wheel and pressure left off rest (the
        keyboard went away, or thru is switched off)."""
        with self._lock:
            self._release()

    def _moved(self, lane: int, value: int) -> None:
        if off_rest(lane, value):
            self._off_rest.add(lane)
        else:
            self._off_rest.discard(lane)

    def _release(self) -> None:
        synth, channel = self.synth, self.channel
        for pitch in sorted(self._held):
            synth.note_off(channel, pitch)
        self._held.clear()
        for lane in sorted(self._off_rest):
            if is_cc(lane):
                synth.control_change(channel, lane, AT_REST)
            elif lane == PITCH_BEND:
                synth.pitch_bend(channel, AT_REST)
            elif lane == CHANNEL_PRESSURE:
                synth.channel_pressure(channel, AT_REST)
            elif is_poly_pressure(lane):
                synth.key_pressure(channel, poly_pressure_pitch(lane), AT_REST)
        self._off_rest.clear()
