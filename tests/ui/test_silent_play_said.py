"""Play with no sound (no sound card, or FluidSynth could not start) says why nothing is heard, once: the
playhead moved in silence while only the audio status at the far right of the status bar said anything
(Audition said "Cannot audition", Play said nothing). Playback itself goes on: MIDI out may be sounding."""

from __future__ import annotations

import pytest

from musestudio.audio.player import LivePlayer


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
