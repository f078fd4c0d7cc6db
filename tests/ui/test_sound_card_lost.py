"""A sound card that stops while the app runs (unplugged mid-play, its driver ending the stream, the audio
callback failing, or the card simply no longer asking for sound) no longer stops the music: playback went on
into a dead stream, so the playhead froze with no message and MIDI out stopped with it. Now the transport goes
on from where the music was on the silent clock, MIDI out with it, and the status bar says why, once. A card
that is away is tried again at the next Play, quietly, and played through when it is back: before, only
reopening the window tried it again."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from musestudio.audio import player as player_module
from musestudio.audio.player import LivePlayer, PlayerAdapter
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.midi.live import LiveOutput
from musestudio.ui.statusbar import AUDIO_WIDTH

sd = pytest.importorskip("sounddevice")

UNAVAILABLE = "Error opening OutputStream: Device unavailable [PaErrorCode -9985]"


class Card:
    """A USB sound card as sounddevice sees it: listed by ``query_devices`` while plugged in, its streams
    (``CardStream``) asking for sound block after block, in real time, until it is unplugged. ``asked``
    counts the times it was looked for."""

    name = "USB card"

    def __init__(self) -> None:
        self.plugged = True
        self.streams: list[CardStream] = []
        self.asked = 0

    def query_devices(self, device=None, kind=None) -> dict:
        self.asked += 1
        if not self.plugged:
            raise sd.PortAudioError("Error querying device -1")
        return {"name": self.name}

    def stream(self, **kwargs) -> CardStream:
        if not self.plugged:
            raise sd.PortAudioError(UNAVAILABLE)
        self.streams.append(CardStream(self, **kwargs))
        return self.streams[-1]

    def unplug(self, driver_ends_the_stream: bool = True) -> None:
        """Pulled out: its streams ask for no more sound; where the driver notices, it ends them (PortAudio
        then calls their finished callback), else they just fall quiet."""
        self.plugged = False
        for s in self.streams:
            s.halt(finished=driver_ends_the_stream)


class CardStream:
    """A ``sounddevice.OutputStream`` on ``Card``: a thread calls the callback with a block every block's
    time; an exception from the callback ends the stream, as sounddevice's wrapper does (it aborts the
    stream, which then calls the finished callback)."""

    def __init__(self, card, samplerate, blocksize, callback, finished_callback=None, **_) -> None:
        self.card = card
        self.samplerate, self.blocksize = samplerate, blocksize
        self.callback, self.finished_callback = callback, finished_callback
        self.latency = 0.01
        self.blocks = 0
        self.failed: Exception | None = None
        self._halt = threading.Event()
        self._finished = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._halt.wait(self.blocksize / self.samplerate):
            try:
                self.callback(np.zeros((self.blocksize, 2), dtype=np.float32), self.blocksize, None, None)
            except Exception as e:  # noqa: BLE001 - as sounddevice: printed, and the stream is aborted
                self.failed = e
                self.halt(finished=True)
                return
            self.blocks += 1

    def halt(self, finished: bool) -> None:
        self._halt.set()
        if finished and not self._finished and self.finished_callback is not None:
            self._finished = True
            self.finished_callback()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:  # PortAudio calls the finished callback on a stop too
        self.halt(finished=True)
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(2)

    def close(self) -> None:
        pass


@pytest.fixture
def card(fake_sound_card, monkeypatch):
    card = Card()
    monkeypatch.setattr(sd, "query_devices", card.query_devices)
    monkeypatch.setattr(sd, "OutputStream", card.stream)
    return card


def long_piece() -> Project:
    """A minute of music at 120 BPM: it never ends while a test runs."""
    notes = tuple(Note(60 + i % 12, i * 480, 240, 90) for i in range(120))
    return Project(tracks=(Track(name="Keys", notes=notes),))


@pytest.fixture
def card_window(card, make_window_with_card):
    """A window playing through ``card``, its playhead's every position kept in ``window.shown``."""
    window = make_window_with_card(long_piece())
    assert not window.player.player.silent and card.streams
    window.shown = []
    window.state.playhead_changed.connect(window.shown.append)
    yield window
    window.transport.stop()


def play_a_while(window, qtbot, ticks: int = 300) -> int:
    window.statusBar().clearMessage()
    window.actions.play.trigger()
    assert window.transport.playing
    qtbot.waitUntil(lambda: window.state.playhead > ticks, timeout=30_000)
    return window.state.playhead


def test_a_card_unplugged_mid_play_plays_on_silently_from_where_it_was_and_says_so_once(
    card_window, card, qtbot
):
    window = card_window
    live = window.player.player
    before = play_a_while(window, qtbot)
    card.unplug()
    qtbot.waitUntil(lambda: live.silent, timeout=30_000)
    assert window.transport.playing and live.events  # what MIDI out follows is still there
    said = window.statusBar().currentMessage()
    assert said.startswith("Nothing is heard: the audio device USB card stopped: its stream ended."), said
    assert "stopped: its stream ended" in window.status.audio.text()
    lost_at = window.state.playhead
    qtbot.waitUntil(lambda: window.state.playhead > lost_at + 480, timeout=30_000)  # it goes on
    steps = np.diff(window.shown)
    assert window.shown[0] <= before and steps.min() > -30  # never back to the start: at most a block back
    window.statusBar().clearMessage()
    qtbot.wait(300)
    assert window.statusBar().currentMessage() == ""  # said once, not at every poll


def test_a_card_that_falls_quiet_without_a_word_from_its_driver_is_noticed(
    card_window, card, qtbot, monkeypatch
):
    """Some drivers end nothing when the card goes: its stream just asks for no more sound."""
    monkeypatch.setattr(player_module, "STALLED_SECONDS", 0.4, raising=False)
    window = card_window
    play_a_while(window, qtbot)
    card.unplug(driver_ends_the_stream=False)
    qtbot.waitUntil(lambda: window.player.player.silent, timeout=30_000)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(
            "Nothing is heard: the audio device USB card stopped: it has asked for no sound for 0.4 s."
        )
    )
    lost_at = window.state.playhead
    qtbot.waitUntil(lambda: window.state.playhead > lost_at + 480, timeout=30_000)


def test_an_audio_callback_that_fails_mid_play_is_said_with_its_error(card_window, card, qtbot, monkeypatch):
    window = card_window
    live = window.player.player
    play_a_while(window, qtbot)

    def broken(_out) -> None:
        raise RuntimeError("fluid_synth_write_float failed")

    monkeypatch.setattr(live.synth, "render_into", broken)
    qtbot.waitUntil(lambda: live.silent, timeout=30_000)
    assert card.streams[0].failed is not None
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Nothing is heard: the audio device USB card stopped: fluid_synth_write_float failed.")
    )
    assert window.transport.playing


def test_play_tries_the_card_again_quietly_and_plays_through_it_once_it_is_back(card_window, card, qtbot):
    window = card_window
    live = window.player.player
    play_a_while(window, qtbot)
    card.unplug()
    qtbot.waitUntil(lambda: live.silent, timeout=30_000)
    window.actions.play.trigger()  # stop
    window.statusBar().clearMessage()
    asked = card.asked
    window.actions.play.trigger()  # still unplugged: tried, quietly
    assert card.asked == asked + 1 and window.transport.playing and live.silent
    assert window.statusBar().currentMessage() == ""
    window.actions.play.trigger()  # stop
    card.plugged = True
    window.actions.play.trigger()
    assert card.asked == asked + 2 and not live.silent and len(card.streams) == 2
    assert window.status.audio.text().startswith("Audio: USB card")
    assert live.synth is not None and window.statusBar().currentMessage() == ""
    blocks = card.streams[1].blocks
    at = window.state.playhead
    qtbot.waitUntil(
        lambda: window.state.playhead > at + 480 and card.streams[1].blocks > blocks, timeout=30_000
    )
    window.actions.play.trigger()  # stop: a card that plays is not tried again
    window.actions.play.trigger()
    assert card.asked == asked + 2 and len(card.streams) == 2
    card.unplug()  # lost once more: news again
    qtbot.waitUntil(lambda: live.silent, timeout=30_000)
    assert (
        window.statusBar().currentMessage().startswith("Nothing is heard: the audio device USB card stopped")
    )


def test_a_card_unplugged_while_stopped_is_tried_at_play_and_said_when_still_away(card_window, card, qtbot):
    window = card_window
    card.unplug()
    asked = card.asked
    window.actions.play.trigger()
    assert window.transport.playing and window.player.player.silent and card.asked == asked + 1
    assert (
        window.statusBar().currentMessage().startswith("Nothing is heard: the audio device USB card stopped")
    )
    qtbot.waitUntil(lambda: window.state.playhead > 240, timeout=30_000)


def test_a_card_away_when_the_window_opened_is_played_through_once_plugged_in(card, make_window_with_card):
    card.plugged = False
    window = make_window_with_card(long_piece())
    live = window.player.player
    assert live.silent and live.why_silent == "there is no audio device" and live.synth is None
    card.plugged = True
    window.actions.play.trigger()
    assert window.transport.playing and not live.silent and live.synth is not None and card.streams
    assert window.status.audio.text().startswith("Audio: USB card")
    window.transport.stop()


class KeptPort:
    """A MIDI out port that keeps what it is sent."""

    def __init__(self) -> None:
        self.sent = []

    def send(self, message) -> None:
        self.sent.append(message)

    def close(self) -> None:
        pass


def test_midi_out_plays_every_note_once_in_order_through_the_card_going(card, qtbot):
    """Sixteenths over two seconds, the card unplugged half a second in: MIDI out sends each note once, in
    order, on through the rest of the piece, and lets each go once."""
    sixteenths = tuple(Note(60 + i, i * 120, 60, 90) for i in range(16))
    project = Project(tracks=(Track(notes=sixteenths),))
    adapter = PlayerAdapter(LivePlayer(blocksize=256))
    assert adapter.open() and not adapter.player.silent
    port = KeptPort()
    out = LiveOutput(port, adapter.player)
    out.set_project(project)
    try:
        assert adapter.play(project, 0, None, False)
        time.sleep(0.5)
        card.unplug()
        qtbot.waitUntil(lambda: adapter.player.silent, timeout=30_000)  # the adapter's own poll saw it
        last = sixteenths[-1].pitch
        qtbot.waitUntil(
            lambda: any(m.type == "note_off" and m.note == last for m in port.sent), timeout=60_000
        )
    finally:
        out.close()
        adapter.close()
    sent = [(m.type, m.note) for m in port.sent if m.type in ("note_on", "note_off")]
    assert [m.note for m in port.sent if m.type == "note_on"] == [n.pitch for n in sixteenths], sent
    assert [m.note for m in port.sent if m.type == "note_off"] == [n.pitch for n in sixteenths], sent


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_card_lost_mid_play_is_said_in_chinese_too(language, card_window, card, qtbot):
    window = card_window
    play_a_while(window, qtbot)
    card.unplug()
    qtbot.waitUntil(lambda: window.player.player.silent, timeout=30_000)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("听不到声音：音频设备 USB card 已停止工作：音频流已中断")
    )


def test_at_1024_pixels_the_lost_card_is_said_in_full_beside_a_shortened_audio_status(
    card_window, card, qtbot
):
    """The audio status said the whole reason for silence too, and at 1024 pixels wide left the message
    "Nothing is heard: the audio device USB car": it is cut short now, whole in its tooltip."""
    window = card_window
    window.resize(1024, 768)
    play_a_while(window, qtbot)
    card.unplug()
    qtbot.waitUntil(lambda: window.player.player.silent, timeout=30_000)
    qtbot.wait(50)  # the bar lays itself out again for the new status
    audio, bar = window.status.audio, window.statusBar()
    assert audio.width() <= AUDIO_WIDTH and audio.toolTip() == audio.text() == window.player.player.status
    first = bar.currentMessage().split(". ")[0] + "."
    assert first == "Nothing is heard: the audio device USB card stopped: its stream ended."
    assert bar.fontMetrics().horizontalAdvance(first) < window.status.position.geometry().x()
