"""The velocity and controller lanes do what is drawn: the velocity bar grabbed is the one on screen, a
bend drawn back onto the centre line is no bend, and a volume drawn from bar 1 is what the exported file
starts with, as the app plays it."""

import mido
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from musestudio.audio.scheduler import events_for
from musestudio.core.events import PITCH_BEND, VOLUME
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.midi import read_midi
from tests.ui.ui_helpers import drag


def _lane(window, lane):
    panel = window.roll.controllers
    panel.select_lane(lane)
    return panel.lane


def _x(window, tick):
    return round(window.roll.view.tick_to_x(tick))


def _values(window, lane):
    return [(e.tick, e.value) for e in window.document.project.tracks[0].lane(lane)]


def test_dragging_a_chords_bar_moves_the_loud_note_the_bar_shows(make_window):
    chord = Track(
        name="Piano", notes=(Note(60, 960, 480, 40), Note(64, 960, 480, 100), Note(67, 1920, 480, 70))
    )
    w = make_window(Project(tracks=(chord,)))
    before = w.document.project
    lane = w.roll.velocity
    x = _x(w, 960) + 1
    drag(lane, QPoint(x, round(lane._velocity_y(100))), QPoint(x, round(lane._velocity_y(50))), steps=5)
    velocities = {n.pitch: n.velocity for n in w.document.project.tracks[0].notes}
    assert abs(velocities[64] - 50) <= 2 and velocities[60] == 40
    w.undo_stack.undo()
    assert w.document.project == before


def test_a_selected_notes_bar_is_grabbed_over_a_louder_one_it_is_drawn_over(make_window):
    chord = Track(name="Piano", notes=(Note(60, 960, 480, 40), Note(64, 960, 480, 100)))
    w = make_window(Project(tracks=(chord,)))
    soft = w.document.project.tracks[0].notes[0]
    w.state.set_selection({soft.id})
    lane = w.roll.velocity
    x = _x(w, 960) + 1
    drag(lane, QPoint(x, round(lane._velocity_y(40))), QPoint(x, round(lane._velocity_y(20))), steps=4)
    velocities = {n.pitch: n.velocity for n in w.document.project.tracks[0].notes}
    assert abs(velocities[60] - 20) <= 2 and velocities[64] == 100


def _make_height_odd(window, lane):
    splitter = window.roll.splitter
    for _ in range(6):
        if lane.height() % 2 == 1:
            return
        sizes = splitter.sizes()
        splitter.setSizes([sizes[0] - 1, sizes[1], sizes[2] + 1])
        QApplication.processEvents()
    assert lane.height() % 2 == 1


def test_a_bend_drawn_back_onto_the_centre_line_ends_at_no_bend(make_window):
    w = make_window()
    lane = _lane(w, PITCH_BEND)
    _make_height_odd(w, lane)
    centre = int(lane._value_y(0))  # the row the centre line is painted on
    drag(lane, QPoint(_x(w, 480), 6), QPoint(_x(w, 960), centre), steps=6)
    events = _values(w, PITCH_BEND)
    assert events[0][1] > 7000 and events[-1][1] == 0
    assert lane._value_at(centre - 3) > 0 > lane._value_at(centre + 3)  # a little bend still draws


def _start_volume(path, channel):
    """The CC 7 in force on ``channel`` when the file starts playing (the last one at tick 0)."""
    last = None
    for track in mido.MidiFile(path).tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if tick == 0 and msg.type == "control_change" and msg.channel == channel and msg.control == 7:
                last = msg.value
    return last


def test_a_volume_drawn_from_bar_one_is_what_the_exported_file_starts_with(make_window, tmp_path):
    w = make_window()
    lane = _lane(w, VOLUME)
    h = lane.height()
    drag(lane, QPoint(-15, h - 20), QPoint(_x(w, 960), h - 20), steps=8)  # a quiet start, from bar 1
    drawn = _values(w, VOLUME)
    assert drawn[0][0] == 0 and drawn[0][1] < 60
    quiet = drawn[0][1]
    played = events_for(w.document.project, 44100)
    heard = [e.b for e in played if e.sample == 0 and e.kind == "cc" and e.channel == 0 and e.a == 7]
    assert heard[-1] == quiet
    out = tmp_path / "quiet.mid"
    assert w.files.export_midi(out)
    assert _start_volume(out, w.document.project.tracks[0].channel) == quiet
    reopened = read_midi(out).tracks[0]
    assert reopened.volume == w.document.project.tracks[0].volume
    assert [(e.tick, e.value) for e in reopened.lane(VOLUME)] == drawn
