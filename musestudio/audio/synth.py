"""A thin FluidSynth wrapper: MIDI messages in, float32 stereo frames out, no audio driver.

Nothing here knows about time: the scheduler decides when each message is sent and how many frames to
render between them, so the same code drives offline rendering and the live sound-card callback. Frames
are written straight into numpy memory through ``fluid_synth_write_float``, which keeps FluidSynth's
headroom (int16 output would clip a dense mix before we get to normalise it).

FluidSynth starts voices on its own 64-frame block grid, so a message lands at most 64 frames (1.5 ms at
44.1 kHz) after the frame the scheduler sent it at.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
from pathlib import Path

import numpy as np

from musestudio.audio.soundfont import find_soundfont
from musestudio.core.errors import BadInputError

#: FluidSynth channels we allocate: enough to give every track its own, plus the metronome's.
CHANNELS = 256
DRUM_BANK = 128
INSTALL_HINT = "install FluidSynth with 'apt-get install libfluidsynth3'"


def _load_fluidsynth():
    """Import pyfluidsynth, which loads libfluidsynth as a side effect (ImportError/OSError when absent)."""
    try:
        # pyfluidsynth prints where it found the library when CI is set: keep stdout for our own output
        with contextlib.redirect_stdout(io.StringIO()):
            import fluidsynth
    except (ImportError, OSError) as e:
        raise BadInputError(f"cannot load the FluidSynth library ({e}); {INSTALL_HINT}") from None
    write_float = fluidsynth.cfunc(
        "fluid_synth_write_float",
        ctypes.c_int,
        ("synth", ctypes.c_void_p, 1),
        ("len", ctypes.c_int, 1),
        ("lout", ctypes.c_void_p, 1),
        ("loff", ctypes.c_int, 1),
        ("lincr", ctypes.c_int, 1),
        ("rout", ctypes.c_void_p, 1),
        ("roff", ctypes.c_int, 1),
        ("rincr", ctypes.c_int, 1),
    )
    if write_float is None:
        raise BadInputError(f"this FluidSynth library cannot render audio; {INSTALL_HINT}")
    pressure = fluidsynth.cfunc(
        "fluid_synth_channel_pressure",
        ctypes.c_int,
        ("synth", ctypes.c_void_p, 1),
        ("chan", ctypes.c_int, 1),
        ("val", ctypes.c_int, 1),
    )
    key_pressure = fluidsynth.cfunc(
        "fluid_synth_key_pressure",
        ctypes.c_int,
        ("synth", ctypes.c_void_p, 1),
        ("chan", ctypes.c_int, 1),
        ("key", ctypes.c_int, 1),
        ("val", ctypes.c_int, 1),
    )
    return fluidsynth, write_float, pressure, key_pressure


class Synth:
    """One FluidSynth instance with one soundfont loaded. Not copyable; call ``close`` when done."""

    def __init__(self, soundfont: str | Path | None = None, sample_rate: int = 44100, gain: float = 0.6):
        fluidsynth, self._write_float, self._pressure, self._key_pressure = _load_fluidsynth()
        self.sample_rate = sample_rate
        self.soundfont = find_soundfont(soundfont)
        # Dynamic loading reads an instrument's samples when it is first selected: loading the whole sf3
        # would decode every sample up front (0.8 s for FluidR3Mono) for the two or three we play.
        # Chorus is off: GM parts rarely send to it (CC93 defaults to 0), yet it costs a fifth of the
        # render time. Reverb stays: it is most of what makes the soundfont sound like a room.
        self._fs = fluidsynth.Synth(
            gain=gain,
            samplerate=float(sample_rate),
            channels=CHANNELS,
            **{"synth.dynamic-sample-loading": 1, "synth.chorus.active": 0},
        )
        # update_midi_preset=1: every channel gets the GM default (piano; drums on channel 10) at once.
        self._sfid = self._fs.sfload(str(self.soundfont), 1)
        if self._sfid < 0:
            self._fs.delete()
            raise BadInputError(f"FluidSynth could not load the soundfont {self.soundfont}")

    # -- MIDI messages ---------------------------------------------------------------------------------
    def program_change(self, channel: int, program: int, is_drum: bool = False) -> None:
        """Pick a GM instrument, or (``is_drum``) a drum kit, on any channel, not only channel 10."""
        if self._fs.program_select(channel, self._sfid, DRUM_BANK if is_drum else 0, program) < 0:
            # A kit or program the soundfont lacks falls back to its first one rather than going silent.
            self._fs.program_select(channel, self._sfid, DRUM_BANK if is_drum else 0, 0)

    def note_on(self, channel: int, pitch: int, velocity: int) -> None:
        self._fs.noteon(channel, pitch, velocity)

    def note_off(self, channel: int, pitch: int) -> None:
        self._fs.noteoff(channel, pitch)

    def control_change(self, channel: int, cc: int, value: int) -> None:
        self._fs.cc(channel, cc, value)

    def pitch_bend(self, channel: int, value: int) -> None:
        """Bend by ``value`` in -8192..8191 (0: none); the range is the channel's RPN 0, 2 semitones unless
        the part sets it."""
        self._fs.pitch_bend(channel, value)

    def channel_pressure(self, channel: int, value: int) -> None:
        if self._pressure is not None:
            self._pressure(self._fs.synth, channel, value)

    def key_pressure(self, channel: int, pitch: int, value: int) -> None:
        if self._key_pressure is not None:  # FluidSynth 2.0 and later
            self._key_pressure(self._fs.synth, channel, pitch, value)

    def reset_controllers(self, channels) -> None:
        """What MIDI's "reset all controllers" resets, on ``channels``: pedals up, no bend, no pressure,
        modulation 0, expression full; volume and pan stay, as the standard asks. (Sent one by one:
        FluidSynth 2.3 can crash on CC 121 sent to a channel with no preset loaded.)"""
        for channel in channels:
            for cc, value in ((64, 0), (66, 0), (67, 0), (1, 0), (11, 127)):
                self.control_change(channel, cc, value)
            self.pitch_bend(channel, 0)
            self.channel_pressure(channel, 0)

    def all_notes_off(self) -> None:
        """Release every sounding note on every channel (voices fade out through their release)."""
        for channel in range(CHANNELS):
            self._fs.cc(channel, 123, 0)

    # -- audio -----------------------------------------------------------------------------------------
    def render_into(self, out: np.ndarray) -> None:
        """Fill ``out`` (C-contiguous float32, shape (frames, 2)) with the next frames."""
        if out.dtype != np.float32 or out.ndim != 2 or out.shape[1] != 2 or not out.flags.c_contiguous:
            raise ValueError("render_into needs a C-contiguous float32 array shaped (frames, 2)")
        if out.shape[0]:
            ptr = out.ctypes.data
            self._write_float(self._fs.synth, out.shape[0], ptr, 0, 2, ptr, 1, 2)

    def render(self, frames: int) -> np.ndarray:
        out = np.zeros((frames, 2), dtype=np.float32)
        self.render_into(out)
        return out

    def close(self) -> None:
        if self._fs is not None:
            self._fs.delete()
            self._fs = None

    def __enter__(self) -> Synth:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
