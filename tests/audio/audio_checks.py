"""An onset detector for rendered audio, so tests can check that notes sound where the score says; and
soundfonts of the tests' own."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from musestudio.audio.soundfont import _pretty_midi_soundfont

SR = 44100
#: pretty_midi's small GM soundfont (6 MB): tests that need a soundfont of their own start from a copy.
TIMGM = _pretty_midi_soundfont()
FLUTE = 73


def with_variation_bank(src: Path, dst: Path, program: int, bank: int = 8) -> Path:
    """A copy of ``src`` with its preset (bank 0, ``program``) moved to (``bank``, program 0), where GM
    soundfonts keep their variations (FluidR3_GM's bank 8, GS soundfonts)."""
    data = bytearray(src.read_bytes())
    phdr = data.find(b"phdr")
    for k in range(struct.unpack_from("<I", data, phdr + 4)[0] // 38):
        at = phdr + 8 + k * 38 + 20  # a preset header: 20-byte name, then preset and bank numbers
        if struct.unpack_from("<HH", data, at) == (program, 0):
            struct.pack_into("<HH", data, at, 0, bank)
    dst.write_bytes(data)
    return dst


def onsets(audio: np.ndarray, sample_rate: int = SR, gap_s: float = 0.05, rel: float = 0.05) -> list[int]:
    """Frames where the envelope rises over ``rel`` x peak after at least ``gap_s`` below it."""
    env = np.abs(audio.astype(np.float64)).max(axis=1)
    above = np.flatnonzero(env >= rel * env.max())
    if above.size == 0:
        return []
    starts = np.concatenate(([0], np.flatnonzero(np.diff(above) > gap_s * sample_rate) + 1))
    return [int(above[i]) for i in starts]


#: Ten notes from C2 to C5, the chord of ``dense_fortissimo``.
WIDE_CHORD = (36, 40, 43, 48, 52, 55, 60, 64, 67, 72)


def dense_fortissimo(beats: int = 4):
    """Ten parts (piano, strings, brass, organ, ...) each striking a ten-note chord at velocity 127 on every
    beat: FluidSynth's mix peaks at about 2.6 (+8 dB over full scale)."""
    from musestudio.core.note import Note
    from musestudio.core.project import Project
    from musestudio.core.track import Track

    programs = (0, 48, 61, 19, 30, 56, 16, 50, 62, 81)
    chords = tuple(Note(p, b * 480, 440, 127) for b in range(beats) for p in WIDE_CHORD)
    return Project(
        tracks=tuple(
            Track(name=f"ff {i}", program=p, channel=i, notes=chords) for i, p in enumerate(programs)
        )
    )


def with_samples_out_of_range(src: Path, dst: Path, spared: int = 0) -> Path:
    """A copy of ``src`` (an .sf2) whose sample headers point past the end of its sample data, as a
    truncated or badly written file's do, all but the last ``spared``: FluidSynth loads it, warns, and
    plays those samples as silence."""
    data = bytearray(src.read_bytes())
    smpl = data.find(b"smpl")
    past_the_end = struct.unpack_from("<I", data, smpl + 4)[0]  # in bytes: twice the sample count
    shdr = data.find(b"shdr")
    for k in range(struct.unpack_from("<I", data, shdr + 4)[0] // 46 - 1 - spared):  # not the terminal one
        at = shdr + 8 + k * 46 + 20
        struct.pack_into(
            "<IIII", data, at, *(v + past_the_end for v in struct.unpack_from("<IIII", data, at))
        )
    dst.write_bytes(data)
    return dst
