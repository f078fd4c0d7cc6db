"""Auditioning a take (keys 1-8, the Takes panel's Audition) while a take is being recorded: the music
the musician plays along to must not jump to the take's lead-in, or what they play next lands in bars they
never heard it in. The window says why it does not audition, and the take being recorded goes on."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from tests.ui.test_midi_ui import play_note
from tests.ui.ui_helpers import list_takes


def test_a_take_key_pressed_while_recording_leaves_the_music_and_the_take_where_they_are(window, qtbot):
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(1920)
    list_takes(window, 2)
    window.actions.record.trigger()
    play_note(window, 72, 1920 + 240, 1920 + 480)
    qtbot.waitUntil(lambda: window.transport.tick_at(time.perf_counter()) > 1920 + 600, timeout=30_000)
    qtbot.keyClick(window.roll.view, Qt.Key.Key_1)
    assert not window.generate.auditioning
    assert "audition" in window.statusBar().currentMessage()
    assert window.recording.recording
    assert window.transport.tick_at(time.perf_counter()) > 1920 + 600  # the music did not jump back
    play_note(window, 74, 1920 + 960, 1920 + 1200)
    window.actions.record.trigger()
    recorded = [(n.pitch, n.start) for n in window.document.project.tracks[0].notes if n.start >= 1920]
    assert recorded == [(72, 2160), (74, 2880)]


def test_the_takes_panel_s_audition_button_waits_for_the_recording_to_stop(window):
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    list_takes(window, 1)
    window.actions.record.trigger()
    window.generate.takes_panel.audition.click()
    assert window.recording.recording and not window.generate.auditioning
    window.actions.record.trigger()
    window.generate.takes_panel.audition.click()
    assert window.generate.auditioning  # stopped, the take plays as before
    window.generate.stop_audition()


def test_a_take_key_pressed_in_jam_mode_leaves_the_jam_playing(window, qtbot):
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    list_takes(window, 2)
    assert window.jam.start()
    qtbot.keyClick(window.roll.view, Qt.Key.Key_2)
    assert window.jam.active and not window.generate.auditioning
    assert window.transport.tick_at(time.perf_counter()) < 0  # still in the jam's count-in, not at a take
    window.jam.stop()
