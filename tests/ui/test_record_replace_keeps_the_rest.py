"""Recording in replace mode replaces what lies in the recorded range and nothing else: the track's old
pedal before and after the take sounds as it did, whatever the pedal did in the count-in or was left
doing at the take's end, and Undo takes the whole recording back in one step."""

from __future__ import annotations

import pytest

from musestudio.core.events import MODULATION, SUSTAIN, ControlEvent
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from tests.ui.test_midi_ui import play_note, send

LOOP = (1920, 3840)  # bar 2: a take that came round is exactly these bars
SAMPLES = range(0, 7680, 30)  # where the pedal is looked at, before, in and after the take


def piano(pedal) -> Project:
    notes = (Note(60, 0, 480, 90), Note(62, 2400, 240, 80), Note(64, 3840, 960, 100))
    mod = ControlEvent(2400, MODULATION, 40)  # in the take, a lane it does not record: it stays
    return Project(tracks=(Track(name="Piano", notes=notes, controllers=(*pedal, mod)),))


def pedal_at(track, tick: int) -> bool:
    return track.value_at(SUSTAIN, tick, 0) >= 64


@pytest.mark.parametrize(
    ("old_pedal", "in_the_count_in"),
    [
        # the next bar's pedal pressed on its downbeat, where the take ends with its pedal still down
        (
            (
                ControlEvent(240, SUSTAIN, 127),
                ControlEvent(900, SUSTAIN, 0),
                ControlEvent(3840, SUSTAIN, 127),
                ControlEvent(4800, SUSTAIN, 0),
            ),
            127,
        ),
        # the pedal held over the take's end (pressed in it), the take's pedal let up in the count-in
        (
            (
                ControlEvent(3000, SUSTAIN, 127),
                ControlEvent(4500, SUSTAIN, 0),
                ControlEvent(6000, SUSTAIN, 127),
                ControlEvent(7000, SUSTAIN, 0),
            ),
            0,
        ),
    ],
    ids=["pedal-down-where-the-take-ends", "pedal-held-over-the-take-s-end"],
)
def test_replace_keeps_the_old_pedal_outside_the_recorded_bars(make_window, old_pedal, in_the_count_in):
    window = make_window(piano(old_pedal))
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_loop(*LOOP)
    window.state.set_playhead(LOOP[0])
    window.actions.record_replace.setChecked(True)
    before = window.document.project
    old = before.tracks[0]
    try:
        assert window.recording.start()
        send(window, "control_change", 1700, control=SUSTAIN, value=127 - in_the_count_in)
        send(window, "control_change", 1850, control=SUSTAIN, value=in_the_count_in)
        play_note(window, 72, 2160, 2640)
        play_note(window, 74, 3840 + 240, 3840 + 480)  # the second pass: the take is the loop's bars
        take = window.recording.stop()
    finally:
        window.recording.stop()
    assert (take.start, take.end) == LOOP
    new = window.document.project.tracks[0]
    outside = [t for t in SAMPLES if not LOOP[0] <= t < LOOP[1]]
    assert [pedal_at(new, t) for t in outside] == [pedal_at(old, t) for t in outside], new.lane(SUSTAIN)
    kept = [e for e in old.controllers if not (e.lane == SUSTAIN and LOOP[0] <= e.tick < LOOP[1])]
    assert all(e in new.controllers for e in kept)  # not one old event outside the take went
    assert [(n.pitch, n.start) for n in new.notes] == [(60, 0), (72, 2160), (74, 2160), (64, 3840)]
    window.undo_stack.undo()
    assert window.document.project == before  # the whole recording was one step
