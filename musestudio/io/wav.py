"""16-bit PCM WAV files through the standard library, written atomically."""

from __future__ import annotations

import wave
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from musestudio.core.errors import BadInputError
from musestudio.io.atomic import atomic_writer
from musestudio.io.files import save_error


def write_wav(path: str | Path, audio_int16: np.ndarray, sample_rate: int = 44100) -> None:
    """Write ``audio_int16`` (frames, channels) as a PCM WAV; the old file stays intact if this fails."""
    audio = np.asarray(audio_int16)
    if audio.dtype != np.int16:
        raise TypeError(f"write_wav wants int16 samples, got {audio.dtype}")
    if audio.ndim == 1:
        audio = audio[:, None]
    write_wav_blocks(path, [audio], sample_rate, channels=audio.shape[1])


def write_wav_blocks(
    path: str | Path, blocks: Iterable[np.ndarray], sample_rate: int = 44100, channels: int = 2
) -> None:
    """Write int16 ``blocks`` (each (frames, channels)) one after another as one PCM WAV, so a long render
    is never held whole; the old file stays intact if this fails."""
    try:
        with atomic_writer(path) as f, wave.open(f, "wb") as w:
            w.setnchannels(channels)
            w.setsampwidth(2)
            w.setframerate(sample_rate)
            for block in blocks:
                w.writeframes(np.ascontiguousarray(block).astype("<i2", copy=False).tobytes())
    except (OSError, ValueError) as e:  # a full disk, a read-only folder, a name that cannot be encoded
        raise save_error(path, e) from None


def read_wav(path: str | Path) -> tuple[np.ndarray, int]:
    """(int16 samples shaped (frames, channels), sample rate); for tests and tools."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2:
                raise BadInputError(f"{path} is not a 16-bit WAV file")
            data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
            return data.reshape(-1, w.getnchannels()).astype(np.int16), w.getframerate()
    except (OSError, EOFError, wave.Error) as e:
        raise BadInputError(f"cannot read the WAV file {path}: {e}") from None
