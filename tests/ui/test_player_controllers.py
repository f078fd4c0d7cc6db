"""Live playback sends the lanes too: through the sound card's callback path a bend bends, even when
playback starts after the bend, and the pedal held at the start point holds the notes."""

from __future__ import annotations

import numpy as np
import pytest

from musestudio.audio.player import LivePlayer
from musestudio.core import ControlEvent, Note, Project, Track
from musestudio.core.events import PITCH_BEND, SUSTAIN

SR = 44100


@pytest.fixture
def player():
    p = LivePlayer(blocksize=256)
    if not p.load_synth():
        pytest.skip(p.status)
    yield p
    p.close()


def _play(player: LivePlayer, project: Project, start_tick: int, seconds: float) -> np.ndarray:
    assert player.play(project, start_tick)
    block = np.zeros((256, 2), dtype=np.float32)
    out = []
    for _ in range(int(seconds * SR) // 256):
        player.fill(block)
        out.append(block.copy())
    player.stop()
    return np.concatenate(out).mean(axis=1)


def _pitch_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n=1 << 18))
    freqs = np.fft.rfftfreq(1 << 18, 1 / SR)
    band = (freqs > 300) & (freqs < 700)
    return float(freqs[band][np.argmax(spectrum[band])])


def test_playing_from_after_a_bend_starts_bent(player):
    organ = Track(
        program=19,
        notes=(Note(69, 0, 960, 100), Note(69, 960, 1920, 100)),
        controllers=(ControlEvent(480, PITCH_BEND, 8191),),
    )
    audio = _play(player, Project(tracks=(organ,)), start_tick=960, seconds=1.0)
    assert abs(_pitch_hz(audio[SR // 5 :]) / 440 - 2 ** (2 / 12)) < 0.01


def test_the_pedal_down_at_the_start_point_holds_short_notes(player):
    def project(pedal: bool) -> Project:
        notes = tuple(Note(60 + 4 * i, 960 + i * 480, 60, 100) for i in range(4))
        lanes = (ControlEvent(0, SUSTAIN, 127),) if pedal else ()
        return Project(tracks=(Track(notes=notes, controllers=lanes),))

    def tail_energy(audio: np.ndarray) -> float:  # the second half of each beat, after the short note
        return float(
            sum(np.sum(audio[int((i + 0.5) * SR / 2) : int((i + 1) * SR / 2)] ** 2) for i in range(4))
        )

    held = _play(player, project(True), start_tick=960, seconds=2.0)
    dry = _play(player, project(False), start_tick=960, seconds=2.0)
    assert tail_energy(held) > 4 * tail_energy(dry)


def test_stop_while_the_pedal_holds_strings_silences_them(player):
    """Stop with the sustain pedal down (strings hold while it is): the notes must not ring on after Stop
    until the next Play; Stop lifts the pedal as it releases the keys."""
    strings = Track(
        program=48,
        notes=(Note(60, 0, 240, 100), Note(64, 0, 240, 100)),
        controllers=(ControlEvent(0, SUSTAIN, 127), ControlEvent(7680, SUSTAIN, 0)),
    )
    playing = _play(player, Project(tracks=(strings,)), start_tick=0, seconds=1.0)
    block = np.zeros((256, 2), dtype=np.float32)
    after = []
    for _ in range(3 * SR // 256):
        player.fill(block)
        after.append(block.copy())
    three_seconds_on = np.concatenate(after)[-SR // 10 :]
    assert np.abs(playing[-SR // 10 :]).max() > 1e-3  # the pedal held them while playing
    assert np.abs(three_seconds_on).max() < 1e-4
