"""MIDI thru: a keyboard on a real JACK port sounds through FluidSynth on the active track's channel."""

from __future__ import annotations

import numpy as np
from midi_ports_helpers import external_output, wait_until

from musestudio.audio.synth import Synth
from musestudio.midi.ports import release_clients
from musestudio.midi.thru import MidiThru


def loudness(synth: Synth, frames: int = 4410) -> float:
    return float(np.abs(synth.render(frames)).max())


def test_what_the_keyboard_plays_is_heard_on_the_tracks_channel_and_released(midi):
    keyboard = external_output("Test keyboard", "keys")
    with Synth(sample_rate=44100) as synth:
        thru = MidiThru(synth, channel=3, program=0)
        seen = []

        def on_message(message):
            thru(message)
            seen.append(message)

        try:
            with midi.open_input("Test keyboard:keys", on_message):
                assert loudness(synth) < 1e-4
                keyboard.send_message([0x90, 60, 110])  # channel 1, as most keyboards send
                assert wait_until(lambda: len(seen) == 1)
                assert loudness(synth) > 0.01
                assert 60 in thru._held
                keyboard.send_message([0xB0, 64, 127])  # pedal down
                keyboard.send_message([0x80, 60, 0])
                assert wait_until(lambda: len(seen) == 3)
                assert not thru._held
                thru.release()  # the keyboard went away with the pedal down: nothing may hang
                synth.render(44100 * 3)
                assert loudness(synth) < 1e-3
        finally:
            release_clients(keyboard)


def test_retarget_releases_held_notes_and_switches_instrument():
    with Synth(sample_rate=44100) as synth:
        thru = MidiThru(synth, channel=0, program=0)
        import mido

        thru(mido.Message("note_on", note=64, velocity=100))
        assert loudness(synth) > 0.01
        thru.retarget(5, program=40)
        assert not thru._held and thru.channel == 5
        synth.render(44100 * 3)
        assert loudness(synth) < 1e-3
        thru(mido.Message("note_on", channel=9, note=67, velocity=100))
        assert loudness(synth) > 0.01
