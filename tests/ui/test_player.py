"""The live player: no device means a status message and no crash; its callback path makes real sound."""

from __future__ import annotations

import time

import numpy as np
import pytest

from musestudio.audio.player import LivePlayer
from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange
from musestudio.core.track import Track
from tests.audio.audio_checks import dense_fortissimo
from tests.ui.conftest import NO_DEVICE


def one_note_project() -> Project:
    return Project(tracks=(Track(name="Piano", notes=(Note(60, 0, 480, 100), Note(67, 960, 480, 100))),))


def test_no_output_device_runs_the_transport_silently_on_its_clock():
    """No sound card: the player says playback is silent and why, and still plays on the wall clock."""
    player = LivePlayer(device=NO_DEVICE)
    try:
        assert player.open() is True
        assert player.available and player.silent and player.synth is None
        assert player.status == "Playback is silent: there is no audio device"
        ten_seconds = Project(tracks=(Track(notes=(Note(60, 0, 480), Note(67, 9120, 480))),))
        started = time.perf_counter()
        assert player.play(ten_seconds, 0)
        while player.position_tick() < 0.3 * 960 and time.perf_counter() < started + 30:
            time.sleep(0.005)  # it moves (polled with a generous bound: a loaded machine holds threads up)
        assert player.position_tick() >= 0.3 * 960
        # at the wall clock's pace: 960 ticks a second at 120 BPM, between any two moments
        t1 = time.perf_counter()
        a = player.tick_at(t1)
        time.sleep(0.5)
        t2 = time.perf_counter()
        assert (player.tick_at(t2) - a) / (t2 - t1) == pytest.approx(960, rel=0.02)
        player.audition(60, 100, 0, False)  # nothing to hear, nothing breaks
        player.stop()
        assert not player.playing
    finally:
        player.close()


def test_a_stream_the_card_refuses_runs_the_transport_silently_and_says_why(monkeypatch):
    """The card is there but refuses the stream (a sample rate it cannot do): playback went unavailable
    ("Audio device failed"), so nothing played, not even MIDI out. It runs on the wall clock instead."""
    sd = pytest.importorskip("sounddevice")

    def refused(**_kwargs):
        raise sd.PortAudioError("Error opening OutputStream: Invalid sample rate [PaErrorCode -9997]")

    monkeypatch.setattr(sd, "query_devices", lambda device=None, kind=None: {"name": "Fake card"})
    monkeypatch.setattr(sd, "OutputStream", refused)
    player = LivePlayer(device=NO_DEVICE)
    try:
        assert player.open() is True
        assert player.available and player.silent and player.stream is None
        assert player.synth is not None and player.card_away  # kept for Play to try the card again
        assert player.why_silent == (
            "the audio device Fake card failed: Error opening OutputStream: Invalid sample rate "
            "[PaErrorCode -9997]"
        )
        assert player.status == "Playback is silent: " + player.why_silent
        started = time.perf_counter()
        assert player.play(one_note_project(), 0)
        while player.position_tick() < 0.1 * 960 and time.perf_counter() < started + 30:
            time.sleep(0.005)
        assert player.position_tick() >= 0.1 * 960
        player.stop()
    finally:
        player.close()


def test_window_without_audio_keeps_editing_and_says_playback_is_silent(window, qtbot):
    window.player.open()
    assert "silent" in window.status.audio.text()
    window.actions.play.trigger()  # Space with no device: the playhead moves all the same
    assert window.transport.playing
    qtbot.waitUntil(lambda: window.state.playhead > 0, timeout=30_000)
    window.actions.play.trigger()
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


def test_the_playhead_is_never_read_at_the_loop_s_end_between_two_blocks(player):
    """A block rendered right up to the loop's end leaves the scheduler standing there until the next
    block wraps it: the tick heard then is the loop's start, not its end (the playhead flashed at 480)."""
    assert player.play(one_note_project(), start_tick=0)
    player.set_loop((0, 480))
    player.latency = 0.0
    end = player._loop_samples[1]
    player.fill(np.zeros((end - player.scheduler.position, 2), dtype=np.float32))
    assert player.scheduler.position == end  # the block ended on the loop's end, not yet wrapped
    assert player.position_tick() == 0
    player.fill(np.zeros((256, 2), dtype=np.float32))
    assert 0 < player.position_tick() < 480
    player.stop()


def test_a_dense_fortissimo_reaches_the_sound_card_under_full_scale(player):
    """Ten parts of ten-note chords at velocity 127 take FluidSynth to +8 dB: the callback's blocks stay
    within full scale (the card would clip them flat) and near it (turned down to the ceiling, no further);
    a piano line at a normal level reaches the card as FluidSynth renders it."""
    assert player.play(dense_fortissimo(), start_tick=0)
    block = np.zeros((256, 2), dtype=np.float32)
    peaks = []
    for _ in range(44100 // 256):  # one second: two chords
        player.fill(block)
        peaks.append(float(np.abs(block).max()))
    assert 0.8 < max(peaks) <= 1.0
    player.stop()


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


def test_a_piece_ending_in_silent_bars_plays_to_its_end():
    """A loop whose only note is at its start plays its silent bars too, as the file does elsewhere."""
    player = LivePlayer(device=NO_DEVICE)
    try:
        assert player.open()
        piece = Project(tracks=(Track(notes=(Note(60, 0, 120),)),), end_of_track=2400)  # 2.5 s at 120 BPM
        started = time.perf_counter()
        assert player.play(piece, 0)
        while time.perf_counter() < started + 1.6:  # past the note and its 1 s tail
            assert not player.finished()
            time.sleep(0.02)
        while not player.finished() and time.perf_counter() < started + 30:
            time.sleep(0.02)
        assert player.position_tick() >= 2400 - 100
    finally:
        player.close()


def test_go_to_end_goes_to_the_piece_s_end_where_it_ends_in_silent_bars(make_window):
    window = make_window(Project(tracks=(Track(notes=(Note(60, 0, 120),)),), end_of_track=7680))
    window.actions.go_to_end.trigger()
    assert window.state.playhead == 7680


def test_a_tempo_changed_while_playing_goes_on_from_the_same_bar_and_loop(player):
    """The tempo edited (or its edit undone) during playback: the music goes on from the tick it had
    reached, at the new tempo, and a loop still spans its bars; it jumped to where the same second fell
    under the new tempo (bar 2 at 120 BPM became bar 1 at 60), and the loop wrapped halfway through."""
    notes = tuple(Note(60 + i % 12, i * 480, 480, 90) for i in range(32))
    fast = Project(tracks=(Track(notes=notes),), tempos=(TempoChange(0, 120.0),))
    slow = fast.with_(tempos=(TempoChange(0, 60.0),))
    player.latency = 0.0
    block = np.zeros((4410, 2), dtype=np.float32)

    def play_on(seconds: float) -> None:
        for _ in range(round(seconds * 10)):
            player.fill(block)

    player.play(fast, start_tick=0)
    play_on(2.0)  # beat 4
    player.update(slow, metronome=False)
    assert player.position_tick() == pytest.approx(1920, abs=1)
    play_on(1.0)  # one beat at 60 BPM
    assert player.position_tick() == pytest.approx(2400, abs=1)
    player.stop()

    player.play(fast, start_tick=0, loop=(0, 1920))
    play_on(0.5)
    player.update(slow, metronome=False)
    play_on(2.5)  # the bar's last beat at 60 BPM, where it wrapped at 120 BPM's bar length
    assert player.position_tick() == pytest.approx(1680, abs=1)
    play_on(1.0)
    assert player.position_tick() == pytest.approx(240, abs=1)
    player.stop()


def _click_ticks(player) -> list[int]:
    """The ticks the metronome clicks on in what the player plays (one sample a tick at 960 Hz, 120 BPM)."""
    from musestudio.audio.scheduler import METRONOME_CHANNEL

    return [e.sample for e in player.events if e.channel == METRONOME_CHANNEL and e.kind == "on"]


def test_the_metronome_clicks_through_a_loop_s_bars_past_the_last_note():
    """Notes in bar 1 only, a loop over bars 1-3: the loop's silent bars are counted as they play, every
    beat (it stopped at the last note-off, and bars 2 and 3 went round with no click); a loop moved on
    past them while playing takes the clicks along. Without a loop the music ends at its last note."""
    player = LivePlayer(device=NO_DEVICE, sample_rate=960)
    try:
        assert player.open()
        piece = Project(tracks=(Track(notes=(Note(60, 0, 480), Note(64, 960, 480))),))
        assert player.play(piece, 0, loop=(0, 3 * 1920), metronome=True)
        assert _click_ticks(player) == list(range(0, 3 * 1920, 480))
        player.set_loop((1920, 5 * 1920))
        assert _click_ticks(player) == list(range(0, 5 * 1920, 480))
        player.stop()
        assert player.play(piece, 0, metronome=True)
        assert _click_ticks(player) == [0, 480, 960]
    finally:
        player.close()
