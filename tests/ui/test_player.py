"""The live player: no device means a status message and no crash; its callback path makes real sound."""

from __future__ import annotations

import numpy as np
import pytest

from musestudio.audio.player import LivePlayer
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from tests.ui.conftest import NO_DEVICE


def one_note_project() -> Project:
    return Project(tracks=(Track(name="Piano", notes=(Note(60, 0, 480, 100), Note(67, 960, 480, 100))),))


def test_no_output_device_is_reported_not_raised():
    player = LivePlayer(device=NO_DEVICE)
    assert player.open() is False
    assert not player.available
    assert "No audio output device" in player.status
    assert player.play(one_note_project(), 0) is False  # no synth loaded: nothing plays, nothing breaks
    player.stop()
    player.close()


def test_window_without_audio_keeps_editing_and_says_so(window):
    window.player.open()
    assert "No audio output device" in window.status.audio.text()
    window.actions.play.trigger()  # Space with no device
    assert not window.transport.playing
    window.editor.add_note(70, 0, 240)
    assert len(window.document.project.tracks[0].notes) == 4


@pytest.fixture
def player():
    p = LivePlayer(blocksize=256)
    if not p.load_synth():
        pytest.skip(p.status)
    yield p
    p.close()


def test_callback_path_plays_the_notes_in_time(player):
    """What the sound card's callback gets: silence until the first note, sound at its onset, the playhead
    following the samples rendered (at 120 BPM one beat is 0.5 s)."""
    project = one_note_project()
    assert player.play(project, start_tick=0)
    block = np.zeros((256, 2), dtype=np.float32)
    blocks = []
    for _ in range(44100 // 256):  # one second
        player.fill(block)
        blocks.append(block.copy())
    audio = np.concatenate(blocks)
    assert np.abs(audio[:2048]).max() > 1e-3  # the first note sounds at once
    assert player.position_tick() == pytest.approx(len(audio) / 44100 * 960, abs=1)
    player.stop()
    player.fill(block)
    player.fill(block)
    assert not player.playing


def test_play_from_a_later_tick_and_audition(player):
    project = one_note_project()
    player.play(project, start_tick=960)
    assert player.position_tick() == pytest.approx(960, abs=1)
    player.stop()
    player.audition(72, 100, program=0, is_drum=False)
    block = np.zeros((4096, 2), dtype=np.float32)
    player.fill(block)
    assert np.abs(block).max() > 1e-3
    player.release_audition(72)


def test_seek_while_playing_jumps(player):
    project = one_note_project()
    player.play(project, start_tick=0)
    block = np.zeros((512, 2), dtype=np.float32)
    player.fill(block)
    player.seek(1920)
    assert player.position_tick() == pytest.approx(1920, abs=1)
    player.fill(block)
    assert player.position_tick() == pytest.approx(1920 + 512 / 44100 * 960, abs=1)
