"""Play with no sound (no sound card, one whose stream will not start, or FluidSynth could not start) says
why nothing is heard, once: the playhead moved in silence while only the audio status at the far right of the
status bar said anything (Audition said "Cannot audition", Play said nothing). Playback itself goes on: MIDI
out may be sounding. Auditioning a take says it too, once with Play."""

from __future__ import annotations

import pytest

from musestudio.audio.player import LivePlayer
from tests.ui.ui_helpers import list_takes


class StubOutput:
    """A MIDI out port chosen in the MIDI toolbar."""

    clock = False

    def set_project(self, _project) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def silent(window):
    window.player.open()  # no audio device: the transport runs on the wall clock
    assert window.player.player.silent
    window.statusBar().clearMessage()
    yield window
    window.transport.stop()


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_the_first_silent_play_says_why_nothing_is_heard_and_plays_all_the_same(language, silent, qtbot):
    silent.actions.play.trigger()
    said = silent.statusBar().currentMessage()
    assert said.startswith("Nothing is heard: there is no audio device.") and "MIDI toolbar" in said
    assert silent.transport.playing
    qtbot.waitUntil(lambda: silent.state.playhead > 0, timeout=30_000)  # the playhead runs on regardless
    silent.actions.play.trigger()  # stop
    silent.statusBar().clearMessage()
    silent.actions.play.trigger()  # again: said once is enough
    assert silent.transport.playing and silent.statusBar().currentMessage() == ""
    silent.transport.stop()
    silent.actions.play_from_start.trigger()
    assert silent.transport.playing and silent.statusBar().currentMessage() == ""


def test_with_midi_out_chosen_it_says_the_music_plays_there_only(silent, monkeypatch):
    monkeypatch.setattr(silent.midi, "output", StubOutput())
    silent.actions.play_from_start.trigger()
    said = silent.statusBar().currentMessage()
    assert (
        said == "This computer plays no sound (there is no audio device): the music plays on MIDI out only."
    )
    assert silent.transport.playing


def test_a_synth_that_could_not_start_is_named_as_the_reason(make_window, monkeypatch):
    monkeypatch.setattr(LivePlayer, "load_synth", lambda self: setattr(self, "_no_synth", "no soundfont"))
    monkeypatch.setattr(
        "sounddevice.query_devices", lambda device=None, kind=None: {"name": "Fake card"}, raising=False
    )
    window = make_window()
    window.player.open()
    window.actions.play.trigger()
    assert window.statusBar().currentMessage().startswith("Nothing is heard: no soundfont.")
    assert window.transport.playing
    window.transport.stop()


def test_play_that_cannot_start_says_why_each_time(window):
    assert not window.player.player.available  # never opened: "Audio not started"
    for _ in range(2):
        window.statusBar().clearMessage()
        window.actions.play.trigger()
        assert not window.transport.playing
        assert window.statusBar().currentMessage() == "Cannot play: Audio not started"


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_in_chinese_too(language, silent):
    silent.actions.play.trigger()
    assert silent.statusBar().currentMessage().startswith("听不到声音：没有音频设备。")


class FailingStream:
    """A sound card's output stream that PortAudio makes but cannot start (the card busy, say)."""

    made: list[FailingStream] = []

    def __init__(self, **_kwargs) -> None:
        self.closed = False
        FailingStream.made.append(self)

    def start(self) -> None:
        import sounddevice as sd

        raise sd.PortAudioError("Error starting stream: Device unavailable [PaErrorCode -9985]")

    def stop(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def failing_card(monkeypatch):
    sd = pytest.importorskip("sounddevice")
    monkeypatch.setattr(sd, "query_devices", lambda device=None, kind=None: {"name": "Fake card"})
    monkeypatch.setattr(sd, "OutputStream", FailingStream)
    FailingStream.made.clear()


def test_a_sound_card_that_fails_to_start_plays_silently_and_says_so_once(failing_card, make_window, qtbot):
    """A card is found but its stream will not start: Play said "Cannot play: Audio device failed: …" and
    nothing moved, so a MIDI synth on a port stayed silent too. Now it plays on the silent clock."""
    window = make_window()
    window.player.open()
    live = window.player.player
    assert live.silent and live.stream is None and FailingStream.made[0].closed  # nothing is left half open
    assert "Device unavailable" in window.status.audio.text()
    window.actions.play.trigger()
    assert window.transport.playing and live.events  # what MIDI out follows
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(
            "Nothing is heard: the audio device Fake card failed: Error starting stream: Device unavailable"
        )
    )
    qtbot.waitUntil(lambda: window.state.playhead > 0, timeout=30_000)
    window.actions.play.trigger()  # stop
    window.statusBar().clearMessage()
    window.actions.play.trigger()
    assert window.transport.playing and window.statusBar().currentMessage() == ""
    window.transport.stop()


def test_a_failed_sound_card_with_midi_out_chosen_plays_there(failing_card, make_window, monkeypatch):
    window = make_window()
    window.player.open()
    monkeypatch.setattr(window.midi, "output", StubOutput())
    window.actions.play.trigger()
    assert window.statusBar().currentMessage() == (
        "This computer plays no sound (the audio device Fake card failed: Error starting stream: Device "
        "unavailable [PaErrorCode -9985]): the music plays on MIDI out only."
    )
    assert window.transport.playing
    window.transport.stop()


def test_auditioning_a_take_silently_says_why_once_as_play_does(silent):
    """A take auditioned with no sound played in silence and said nothing, as if the take were empty."""
    gen = silent.generate
    list_takes(silent, 2)
    gen.audition(0)
    assert gen.auditioning
    assert silent.statusBar().currentMessage().startswith("Nothing is heard: there is no audio device.")
    gen.stop_audition()
    silent.statusBar().clearMessage()
    gen.audition(1)  # said once is enough, for auditions and Play alike
    assert gen.auditioning and silent.statusBar().currentMessage() == ""
    gen.stop_audition()
    silent.actions.play.trigger()
    assert silent.transport.playing and silent.statusBar().currentMessage() == ""


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_failed_sound_card_is_named_in_chinese_too(language, failing_card, make_window):
    window = make_window()
    window.player.open()
    window.actions.play.trigger()
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("听不到声音：音频设备 Fake card 出错：Error starting stream")
    )
    window.transport.stop()
