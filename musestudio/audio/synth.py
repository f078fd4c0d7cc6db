"""A thin FluidSynth wrapper: MIDI messages in, float32 stereo frames out, no audio driver.

Nothing here knows about time: the scheduler decides when each message is sent and how many frames to
render between them, so the same code drives offline rendering and the live sound-card callback. Frames
are written straight into numpy memory through ``fluid_synth_write_float``, which keeps FluidSynth's
headroom (int16 output would clip a dense mix before we get to normalise it).

FluidSynth starts voices on its own 64-frame block grid, so a message lands at most 64 frames (1.5 ms at
44.1 kHz) after the frame the scheduler sent it at.

FluidSynth reads an instrument's samples from the soundfont file when a channel first selects it, and
FluidSynth 2.3 plays a preset whose samples failed to load by reading through a null pointer: a soundfont
deleted, moved or damaged while the app runs would crash it at the next Play. So a ``Synth`` holds the
file open and has FluidSynth read it through that descriptor (a deleted or moved file stays readable until
the synth closes), and a preset whose samples still cannot be read (the file changed in place, the disk
failed) is dropped from its channel, which then stays silent, with ``unreadable`` saying why.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import io
import os
import re
import threading
from pathlib import Path

import numpy as np

from musestudio.audio.soundfont import find_soundfont, samples_out_of_range
from musestudio.core.errors import BadInputError
from musestudio.core.events import (
    BANK_SELECT,
)  # CC 0: the bank (GM soundfonts number variations so: FluidR3 bank 8)
from musestudio.io.files import os_reason

#: FluidSynth channels we allocate: enough to give every track its own, plus the metronome's.
CHANNELS = 256
DRUM_BANK = 128
#: (RPN, data entry MSB, LSB) as a channel starts: a 2-semitone bend range, fine and coarse tuning centred
RPN_DEFAULTS = ((0, 2, 0), (1, 64, 0), (2, 64, 0))
RPN_NONE = 127  # RPN 127/127: no parameter selected, so a stray data entry changes nothing

FLUID_ERR = 1  # FluidSynth's log levels: errors, warnings
FLUID_WARN = 2
#: what a RIFF file that FluidSynth can load as a soundfont says it is (SF2 and SF3; DLS, where FluidSynth
#: was built with libinstpatch)
SOUNDFONT_FORMS = (b"sfbk", b"DLS ")
INSTALL_COMMAND = "apt-get install libfluidsynth3"


@functools.cache
def _load_fluidsynth():
    """Import pyfluidsynth, which loads libfluidsynth as a side effect (ImportError/OSError when absent),
    and catch FluidSynth's errors (``_errors_during``)."""
    try:
        # pyfluidsynth prints where it found the library when CI is set: keep stdout for our own output
        with contextlib.redirect_stdout(io.StringIO()):
            import fluidsynth
    except (ImportError, OSError) as e:
        raise BadInputError(
            f"cannot load the FluidSynth library ({e}); install FluidSynth with '{INSTALL_COMMAND}'",
            "no_fluidsynth",
            why=str(e),
            command=INSTALL_COMMAND,
        ) from None
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
        raise BadInputError(
            f"this FluidSynth library cannot render audio; install FluidSynth with '{INSTALL_COMMAND}'",
            "fluidsynth_cannot_render",
            command=INSTALL_COMMAND,
        )
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
    _catch_errors(fluidsynth)
    return fluidsynth, write_float, pressure, key_pressure


_LOG_FUNCTION = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
_errors = threading.local()  # the FluidSynth errors logged in this thread since ``_errors_during`` began


@_LOG_FUNCTION
def _on_error(_level: int, message: bytes, _data) -> None:
    """FluidSynth's error log: printed as FluidSynth prints it, and noted for the thread that caused it."""
    text = message.decode(errors="replace")
    if not getattr(_errors, "quiet", False):
        os.write(2, f"fluidsynth: error: {text}\n".encode())
    if (noted := getattr(_errors, "messages", None)) is not None:
        noted.append(text)


@_LOG_FUNCTION
def _on_warning(_level: int, message: bytes, _data) -> None:
    """FluidSynth's warnings: printed as FluidSynth prints them, except inside ``_warnings_summarised``,
    which holds them to say each kind once."""
    text = message.decode(errors="replace")
    if (held := getattr(_errors, "warnings", None)) is not None:
        held.append(text)
    else:
        os.write(2, f"fluidsynth: warning: {text}\n".encode())


def _catch_errors(fluidsynth) -> None:
    set_log_function = fluidsynth.cfunc(
        "fluid_set_log_function",
        ctypes.c_void_p,
        ("level", ctypes.c_int, 1),
        ("fun", _LOG_FUNCTION, 1),
        ("data", ctypes.c_void_p, 1),
    )
    if set_log_function is not None:
        set_log_function(FLUID_ERR, _on_error, None)
        set_log_function(FLUID_WARN, _on_warning, None)


@contextlib.contextmanager
def _warnings_summarised():
    """FluidSynth's warnings inside the ``with`` block said once per kind on stderr, with how many more
    came (``summarised``): loading a damaged soundfont warns once per sample, hundreds of lines, which
    buried whatever else stderr said; the app says what the damage means in its own words (``damaged``)."""
    held: list[str] = []
    _errors.warnings = held
    try:
        yield
    finally:
        _errors.warnings = None
        for line in summarised(held):
            os.write(2, f"fluidsynth: warning: {line}\n".encode())


def summarised(warnings: list[str]) -> list[str]:
    """Each kind of ``warnings`` once, in the order first met: the first of a kind as it came, and how many
    more of that kind followed. A kind is the text with its quoted names (a sample's, a preset's) left out,
    as "Sample 'Bird': invalid start/end file positions" and the same for every other damaged sample."""
    kinds: dict[str, list[str]] = {}
    for text in warnings:
        kinds.setdefault(re.sub(r"'[^']*'", "''", text), []).append(text)
    return [
        texts[0] + (f" (and {len(texts) - 1} more like it)" if len(texts) > 1 else "")
        for texts in kinds.values()
    ]


@contextlib.contextmanager
def _errors_during(quiet: bool = False):
    """The list of FluidSynth errors logged by this thread inside the ``with`` block (FluidSynth reports a
    failed sample load only in its log: the program change itself succeeds); ``quiet``: not printed, as
    the caller says what failed in its own words (a soundfont it could not load, read by an internal
    name such as /proc/self/fd/3)."""
    noted: list[str] = []
    _errors.messages, _errors.quiet = noted, quiet
    try:
        yield noted
    finally:
        _errors.messages, _errors.quiet = None, False


def _held_open(path: Path) -> tuple[int, str]:
    """Open ``path`` and return the descriptor and the name FluidSynth should read it by: the descriptor's
    own /proc entry (Linux), which reaches the file even after it is deleted or moved, else the path."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # O_NONBLOCK: a FIFO must not hang us
    through_fd = f"/proc/self/fd/{fd}"
    return fd, through_fd if os.path.exists(through_fd) else str(path)


def _is_riff_soundfont(fd: int) -> bool:
    """Whether the open file ``fd`` starts as a soundfont does (a RIFF file of a ``SOUNDFONT_FORMS`` form).
    FluidSynth hands a file that is not SF2 to libinstpatch, which prints a GLib CRITICAL on stderr for
    one that is no RIFF file at all (random bytes) before refusing it: such a file is refused here, as
    FluidSynth would refuse it, without the noise."""
    try:
        head = os.pread(fd, 12, 0)
    except OSError:
        return True  # FluidSynth's own read says why, as for any other file it cannot read
    return head[:4] == b"RIFF" and head[8:12] in SOUNDFONT_FORMS


def check_soundfont(path: str | Path) -> tuple[int, int]:
    """BadInputError saying why, unless FluidSynth loads ``path`` as a soundfont (Preferences checks a new
    choice there, not at the next Play or export); else its samples that cannot sound, as ``Synth.damaged``
    (a partly damaged file loads, and its instruments using those are silent). Without the FluidSynth
    library there is nothing to try the file with: playback says that on its own."""
    found = find_soundfont(path)
    try:
        _load_fluidsynth()
    except BadInputError:
        return samples_out_of_range(found)
    with Synth(path) as synth:
        return synth.damaged


class Synth:
    """One FluidSynth instance with one soundfont loaded. Not copyable; call ``close`` when done.

    ``unreadable`` is None until an instrument's samples could not be read from the soundfont; then it is
    the error saying so (that instrument is silent), for the player and the renderer to report.
    ``damaged`` is (how many of the soundfont's samples point outside its sample data, how many it has):
    FluidSynth loads such a file with a warning on stderr and plays those samples as silence, so the
    instruments using them go missing unless someone says so (one with none that can sound is refused)."""

    def __init__(self, soundfont: str | Path | None = None, sample_rate: int = 44100, gain: float = 0.6):
        fluidsynth, self._write_float, self._pressure, self._key_pressure = _load_fluidsynth()
        self.sample_rate = sample_rate
        self.soundfont = find_soundfont(soundfont)
        self.unreadable: BadInputError | None = None
        self.damaged = (0, 0)
        self._fs = self._fd = None
        self._banks = [0] * CHANNELS  # each channel's last bank select
        try:
            self._fd, readable_name = _held_open(self.soundfont)
        except OSError as e:
            why = os_reason(e, reading=True)  # the window words the reason
            raise BadInputError(
                f"cannot read the soundfont {self.soundfont}: {why['message']}",
                "soundfont_unreadable",
                where=str(self.soundfont),
                why=why,
            ) from None
        # Dynamic loading reads an instrument's samples when it is first selected: loading the whole sf3
        # would decode every sample up front (1.7 s and 130 MB more for FluidR3Mono, against 0.2 s and
        # 25 MB) for the two or three we play.
        # Chorus is off: GM parts rarely send to it (CC93 defaults to 0), yet it costs a fifth of the
        # render time. Reverb stays: it is most of what makes the soundfont sound like a room.
        self._fs = fluidsynth.Synth(
            gain=gain,
            samplerate=float(sample_rate),
            channels=CHANNELS,
            **{"synth.dynamic-sample-loading": 1, "synth.chorus.active": 0},
        )
        # update_midi_preset=1: every channel gets the GM default (piano; drums on channel 10) at once.
        with _errors_during(quiet=True), _warnings_summarised():
            self._sfid = self._fs.sfload(readable_name, 1) if _is_riff_soundfont(self._fd) else -1
        if self._sfid < 0:
            self.close()
            raise BadInputError(
                f"FluidSynth could not load the soundfont {self.soundfont}",
                "soundfont_not_loaded",
                where=str(self.soundfont),
            )
        # FluidSynth loads a soundfont whose sample headers all point outside its data with only a warning
        # per sample, and plays it as silence: Preferences, Play and Export WAV say so instead
        self.damaged = bad, total = samples_out_of_range(readable_name)
        if total and bad == total:
            self.close()
            raise BadInputError(
                f"the soundfont {self.soundfont} looks damaged: none of its {total} samples lies inside its "
                "sample data, so it cannot sound",
                "soundfont_damaged",
                where=str(self.soundfont),
                samples=total,
            )

    # -- MIDI messages ---------------------------------------------------------------------------------
    def program_change(self, channel: int, program: int, is_drum: bool = False) -> None:
        """Pick a GM instrument from the channel's bank (bank select, CC 0), or (``is_drum``) a drum kit,
        on any channel, not only channel 10.

        A preset the soundfont lacks falls back as GM synths do, rather than going silent: to the program
        in bank 0, then to bank 0's first program (a kit: to the first kit)."""
        bank = DRUM_BANK if is_drum else self._banks[channel]
        fallbacks = ((bank, program), (DRUM_BANK, 0)) if is_drum else ((bank, program), (0, program), (0, 0))
        for try_bank, try_program in dict.fromkeys(fallbacks):  # each once: bank 0's program is tried once
            if self._select(channel, try_bank, try_program):
                return

    def _select(self, channel: int, bank: int, program: int) -> bool:
        """Select a preset; False when the soundfont has none there. A preset whose samples cannot be read
        is taken off the channel (left there, its notes would crash FluidSynth)."""
        with _errors_during() as errors:
            if self._fs.program_select(channel, self._sfid, bank, program) < 0:
                return False
        if errors:
            self._fs.program_unset(channel)
            self.unreadable = BadInputError(
                f"the soundfont {self.soundfont} could not be read ({errors[-1]})",
                "soundfont_samples_unreadable",
                where=str(self.soundfont),
                why=errors[-1],
            )
        return True

    def note_on(self, channel: int, pitch: int, velocity: int) -> None:
        self._fs.noteon(channel, pitch, velocity)

    def note_off(self, channel: int, pitch: int) -> None:
        self._fs.noteoff(channel, pitch)

    def control_change(self, channel: int, cc: int, value: int) -> None:
        """Send a controller; a bank select takes effect at the channel's next program change."""
        if cc == BANK_SELECT:
            self._banks[channel] = value
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
        FluidSynth 2.3 can crash on CC 121 sent to a channel with no preset loaded.) The bank goes back to
        0 too, and so do the bend range and tuning (RPNs 0-2): the scheduler resets before it chases the
        settings in force at a new position, and a bank or a bend range chosen later in the piece (or by the
        piece played before) must not play the bars before it."""
        for channel in channels:
            self._banks[channel] = 0
            for cc, value in ((64, 0), (66, 0), (67, 0), (1, 0), (11, 127)):
                self.control_change(channel, cc, value)
            for rpn, msb, lsb in RPN_DEFAULTS:
                for cc, value in ((101, 0), (100, rpn), (6, msb), (38, lsb)):
                    self.control_change(channel, cc, value)
            self.control_change(channel, 101, RPN_NONE)
            self.control_change(channel, 100, RPN_NONE)
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
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Synth:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
