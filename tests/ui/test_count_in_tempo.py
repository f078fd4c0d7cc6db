"""The count-in before a tempo change: its bar clicks in the tempo the music comes in at, and a note played
a moment before the downbeat is read in that tempo too, so the early downbeat goes into the take as it does
with one tempo throughout (read in the slower or faster tempo before the start, it landed elsewhere)."""

from __future__ import annotations

import time

import mido
import pytest

from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange
from musestudio.core.track import Track

START = 1920  # bar 2, where the tempo changes


def piece(before_bpm: float) -> Project:
    return Project(
        tracks=(Track(name="Piano", notes=(Note(48, 0, 480),)),),
        tempos=(TempoChange(0, before_bpm), TempoChange(START, 60.0)),
    )


def downbeat_moment(window) -> float:
    """The perf_counter moment the running count-in reaches the start: the music's first sample."""
    player = window.player.player
    now = time.perf_counter()
    return now + (player.start_sample + player.offset - player.heard_sample(now)) / player.sample_rate


@pytest.mark.parametrize("before_bpm", [240.0, 30.0], ids=["faster-before", "slower-before"])
def test_a_note_played_just_before_the_downbeat_of_a_new_tempo_goes_in_on_the_downbeat(
    make_window, before_bpm
):
    """At 60 BPM from the start, 0.2 s early is a fifth of a beat: the count-in's early window (a quarter
    beat) takes it as the downbeat; 0.4 s early is not meant for the take. Read at 240 BPM before the start
    the first was most of a beat early and left out; at 30 BPM the second was let in."""
    window = make_window(piece(before_bpm))
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(START)
    try:
        assert window.recording.start()
        downbeat = downbeat_moment(window)
        a_second_before = window.transport.tick_at(downbeat - 1.0)
        for early, pitch in ((0.4, 62), (0.2, 60)):
            window.on_midi_message(mido.Message("note_on", note=pitch, velocity=90, time=downbeat - early))
            window.on_midi_message(mido.Message("note_off", note=pitch, time=downbeat + 0.5))
        take = window.recording.stop()
    finally:
        window.recording.stop()
    assert [(n.pitch, n.start) for n in take.notes] == [(60, START)]
    assert take.notes[0].duration == pytest.approx(240, abs=5)
    assert a_second_before == pytest.approx(START - 480, abs=5)  # a beat at 60 BPM
