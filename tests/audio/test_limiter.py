"""The live output's safety limiter: transparent at normal levels, no hard clip on a dense fortissimo."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from audio_checks import SR, dense_fortissimo

from musestudio.audio.limiter import CEILING, SafetyLimiter
from musestudio.audio.playback import play_to_device
from musestudio.audio.scheduler import Scheduler, events_for
from musestudio.audio.synth import Synth
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track

BLOCK = 256  # the live player's block


def synth_blocks(project: Project, seconds: float) -> list[np.ndarray]:
    """What FluidSynth hands the player's callback for the first ``seconds`` of ``project``."""
    with Synth(sample_rate=SR) as synth:
        scheduler = Scheduler(synth)
        scheduler.set_events(events_for(project, SR))
        return [scheduler.pull(BLOCK) for _ in range(round(seconds * SR / BLOCK))]


def limited(blocks: list[np.ndarray], limiter: SafetyLimiter | None = None) -> np.ndarray:
    limiter = limiter or SafetyLimiter(SR)
    return np.concatenate([limiter.process(b.copy()) for b in blocks])


def test_a_dense_fortissimo_stays_under_full_scale_and_keeps_its_shape():
    blocks = synth_blocks(dense_fortissimo(), 1.0)
    raw = np.concatenate(blocks)
    assert np.abs(raw).max() > 1.5  # FluidSynth itself goes well over: the sound card would clip it flat
    out = limited(blocks)
    assert np.abs(out).max() <= 1.0
    assert np.abs(out).max() > 0.8  # turned down to the ceiling, not far below it
    # the gain only scales: the waveform is the synth's, not squared off (correlation with the original)
    corr = np.corrcoef(raw[:, 0], out[:, 0])[0, 1]
    assert corr > 0.98


def test_ordinary_music_passes_bit_for_bit():
    piano = Project(
        tracks=(Track(notes=tuple(Note(p, i * 240, 480, 100) for i, p in enumerate((60, 64, 67, 72)))),)
    )
    blocks = synth_blocks(piano, 1.5)
    raw = np.concatenate(blocks)
    assert 0.05 < np.abs(raw).max() < CEILING
    assert np.array_equal(limited(blocks), raw)


def test_the_gain_never_steps_and_comes_back_to_one_after_a_climax():
    """A loud burst then a quiet tone: no jump in gain between samples (a click), and once the release has
    run the quiet tone plays at its own level again, untouched."""
    t = np.arange(SR * 3) / SR
    tone = np.sin(2 * np.pi * 220 * t).astype(np.float32)
    level = np.where(t < 0.5, 3.0, 0.25).astype(np.float32)
    audio = np.repeat((tone * level)[:, None], 2, axis=1)
    limiter = SafetyLimiter(SR)
    out = limited([audio[i : i + BLOCK] for i in range(0, len(audio), BLOCK)], limiter)
    assert np.abs(out).max() <= 1.0
    # the gain applied to each sample, where it can be read (not near a zero crossing, not on the knee)
    readable = (np.abs(audio[:, 0]) > 0.1) & (np.abs(out[:, 0]) < CEILING)
    gain = np.where(readable, out[:, 0] / np.where(readable, audio[:, 0], 1), np.nan)
    assert np.nanmax(np.abs(np.diff(gain))) < 0.03  # it glides: a little from one sample to the next
    assert limiter.gain == 1.0
    assert np.array_equal(out[-SR // 2 :], audio[-SR // 2 :])


def test_an_over_in_the_first_frame_of_a_block_is_bent_not_clipped():
    """Look-ahead inside the block cannot help where the block starts over: the soft knee catches it."""
    block = np.full((BLOCK, 2), 0.1, dtype=np.float32)
    block[0] = (4.0, -4.0)
    out = SafetyLimiter(SR).process(block.copy())
    assert np.all(np.abs(out) <= 1.0)
    assert out[0, 0] > CEILING and out[0, 1] < -CEILING  # still the loudest, with its sign


class FakeStream:
    """A sound card for ``play_to_device``: pulls 256-frame blocks from its callback, as fast as it can,
    until the player leaves the ``with`` block, and keeps what it was given."""

    heard: list[np.ndarray] = []

    def __init__(self, callback, **_settings) -> None:
        self.callback = callback
        self.stop = threading.Event()

    def _run(self) -> None:
        while not self.stop.is_set():
            out = np.zeros((BLOCK, 2), dtype=np.float32)
            self.callback(out, BLOCK, None, None)
            FakeStream.heard.append(out)

    def __enter__(self):
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def test_the_command_line_s_play_keeps_a_dense_fortissimo_under_full_scale(monkeypatch):
    """``musestudio-cli play``: its callback, given the sound card's buffer, stays within full scale."""
    sd = pytest.importorskip("sounddevice")
    monkeypatch.setattr(sd, "query_devices", lambda *a, **k: {"name": "test card"})
    monkeypatch.setattr(sd, "OutputStream", FakeStream)
    FakeStream.heard = []
    play_to_device(dense_fortissimo(beats=2), sample_rate=SR)
    heard = np.concatenate(FakeStream.heard)
    assert len(heard) >= SR  # the two chords and the tail were played
    assert 0.8 < np.abs(heard).max() <= 1.0
