"""MIDI thru: what you play on a keyboard, heard at once through the app's own FluidSynth.

``MidiThru`` is an input port's callback. It plays every channel message on one synth channel (the active
track's, with its instrument) whatever channel the keyboard sends on, so a keyboard left on channel 1
still sounds like the track you are about to record into. Clock, start/stop and SysEx are not sound and
are left alone. FluidSynth's API is thread-safe, so calling it from the MIDI thread while the audio
callback renders is fine; the note is heard from the next audio block on (benchmarks/midi_timing.py
measures the path: JACK's delivery plus at most one block, before the sound card's own latency).
"""

from __future__ import annotations

import threading

import mido


class MidiThru:
    """Forwards incoming messages to ``synth`` on ``channel``; ``retarget`` follows the active track."""

    def __init__(self, synth, channel: int, program: int | None = None, is_drum: bool = False) -> None:
        self.synth = synth
        self._lock = threading.Lock()
        self._held: set[int] = set()
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
            elif kind == "pitchwheel":
                synth.pitch_bend(channel, message.pitch)
            elif kind == "aftertouch":
                synth.channel_pressure(channel, message.value)
            elif kind == "polytouch":
                synth.key_pressure(channel, message.note, message.value)
            elif kind == "program_change":
                synth.program_change(channel, message.program)

    def release(self) -> None:
        """Let go of every note still held (the keyboard went away, or thru is switched off)."""
        with self._lock:
            self._release()

    def _release(self) -> None:
        for pitch in sorted(self._held):
            self.synth.note_off(self.channel, pitch)
        self._held.clear()
        self.synth.control_change(self.channel, 64, 0)  # a pedal held when the keyboard went away
