"""MIDI thru: a keyboard on a real JACK port sounds through FluidSynth on the active track's channel."""

from __future__ import annotations

import mido
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


class _SentTo:
    """A synth that keeps what it was sent: the messages thru plays, and those that set a channel back."""

    def __init__(self):
        self.sent: list[tuple] = []

    def __getattr__(self, name):
        return lambda *args: self.sent.append((name, *args))


def _played_off_rest(thru: MidiThru) -> None:
    """A phrase that leaves the keyboard's wheels, pressure and pedals where the hand had them."""
    for message in (
        mido.Message("note_on", note=60, velocity=90),
        mido.Message("pitchwheel", pitch=3000),
        mido.Message("control_change", control=1, value=80),  # modulation
        mido.Message("aftertouch", value=60),
        mido.Message("polytouch", note=60, value=50),
        mido.Message("control_change", control=64, value=127),  # sustain down
        mido.Message("control_change", control=66, value=127),  # sostenuto down
        mido.Message("control_change", control=67, value=127),  # soft pedal down, then up again
        mido.Message("control_change", control=67, value=0),
        mido.Message("control_change", control=7, value=90),  # volume: where it was set, not a rest
    ):
        thru(message)


def test_a_keyboard_that_goes_away_leaves_its_wheels_pressure_and_pedals_at_rest():
    synth = _SentTo()
    thru = MidiThru(synth, channel=2)
    _played_off_rest(thru)
    synth.sent.clear()
    thru.release()
    assert synth.sent[0] == ("note_off", 2, 60)
    assert sorted(synth.sent[1:]) == sorted(
        [
            ("control_change", 2, 64, 0),
            ("control_change", 2, 66, 0),
            ("control_change", 2, 1, 0),
            ("pitch_bend", 2, 0),
            ("channel_pressure", 2, 0),
            ("key_pressure", 2, 60, 0),
        ]
    )
    synth.sent.clear()
    thru.release()  # nothing is held any more: nothing to set back
    assert synth.sent == []


def test_retargeting_sets_the_old_channels_wheels_back_and_not_the_new_ones():
    synth = _SentTo()
    thru = MidiThru(synth, channel=2)
    _played_off_rest(thru)
    synth.sent.clear()
    thru.retarget(5, program=40)
    assert ("pitch_bend", 2, 0) in synth.sent and ("control_change", 2, 1, 0) in synth.sent
    assert not [m for m in synth.sent if m[0] != "program_change" and m[1] == 5]
