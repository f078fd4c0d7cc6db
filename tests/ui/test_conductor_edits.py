"""The Editor's tempo, marker and controller edits: each is one undo step and keeps everything else."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest

from musestudio.core import ControlEvent, TempoChange
from musestudio.core.events import SUSTAIN
from musestudio.core.note import Note
from tests.ui.test_grid_follows_bars import BAR_4, piece
from tests.ui.ui_helpers import click, drag, send_mouse, two_track_project


def _with_map():
    return two_track_project().with_tempos(
        (TempoChange(0, 90), TempoChange(1920, 140), TempoChange(3840, 60))
    )


def test_bpm_field_edits_the_tempo_at_the_playhead_and_undo_restores_it(make_window):
    window = make_window(_with_map())
    window.state.set_playhead(2000)
    window.editor.set_tempo(100)
    assert [(t.tick, t.bpm) for t in window.document.project.tempos] == [(0, 90), (1920, 100), (3840, 60)]
    window.undo_stack.undo()
    assert [t.bpm for t in window.document.project.tempos] == [90, 140, 60]


def test_tempo_change_edits_are_undo_steps(make_window):
    window = make_window(_with_map())
    editor, project = window.editor, window.document.project
    added = editor.add_tempo_change(960, 120)
    editor.move_tempo_change(added.id, 1000)
    editor.remove_tempo_change(project.tempos[1].id)
    assert [(t.tick, t.bpm) for t in window.document.project.tempos] == [(0, 90), (1000, 120), (3840, 60)]
    for _ in range(3):
        window.undo_stack.undo()
    assert window.document.project == project


def test_markers_and_lanes_undo(make_window):
    window = make_window(_with_map())
    project = window.document.project
    marker = window.editor.add_marker(480)
    window.editor.rename_marker(marker.id, "Chorus")
    track = project.tracks[0]
    stroke = (ControlEvent(0, SUSTAIN, 127), ControlEvent(900, SUSTAIN, 0))
    window.editor.replace_lane_range(track.id, SUSTAIN, 0, 960, stroke)
    after = window.document.project
    assert after.markers[0].text == "Chorus" and after.tracks[0].lane(SUSTAIN) == stroke
    window.editor.replace_lane_range(track.id, SUSTAIN, 0, 960, ())  # erase
    assert window.document.project.tracks[0].controllers == ()
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert window.document.project == project


def test_a_tempo_change_dropped_onto_another_says_it_took_its_place(window):
    from PySide6.QtCore import QPoint

    from tests.ui.ui_helpers import drag

    project, _ = window.document.project.add_tempo_change(1920, 90)
    project, _ = project.add_tempo_change(3840, 150)
    window.document.set_project(project)
    view, lane = window.roll.view, window.roll.tempo
    view.horizontalScrollBar().setValue(0)
    y = lane.height() // 2
    drag(lane, QPoint(round(view.tick_to_x(3840)), y), QPoint(round(view.tick_to_x(1920)), y), steps=8)
    assert [(t.tick, t.bpm) for t in window.document.project.tempos] == [(0, 120.0), (1920, 150)]
    assert "took the place of the one it was moved onto" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert window.document.project == project


def test_a_tempo_change_added_on_one_already_there_is_the_one_in_the_piece(make_window):
    """A double-click in the tempo lane that snaps onto a change selects that change, not one never added."""
    window = make_window(_with_map())
    steps = window.undo_stack.count()
    added = window.editor.add_tempo_change(1920)
    assert added in window.document.project.tempos and added.id == window.document.project.tempos[1].id
    assert window.undo_stack.count() == steps


def test_a_tempo_change_dragged_to_the_start_of_the_piece_takes_the_first_one_s_place(window):
    """Dragged onto bar 1's downbeat it is the tempo the piece starts in (Undo brings the old one back); it
    landed on tick 1, off the grid, under the first change's handle, the old tempo still starting the piece."""
    from PySide6.QtCore import QPoint

    from tests.ui.ui_helpers import drag

    project, _ = window.document.project.add_tempo_change(1920, 90)
    window.document.set_project(project)
    view, lane = window.roll.view, window.roll.tempo
    view.horizontalScrollBar().setValue(0)
    y = lane.height() // 2
    drag(lane, QPoint(round(view.tick_to_x(1920)), y), QPoint(round(view.tick_to_x(0)), y), steps=8)
    assert [(t.tick, t.bpm) for t in window.document.project.tempos] == [(0, 90)]
    assert "took the place of the one it was moved onto" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert window.document.project == project


def test_markers_and_tempo_changes_snap_to_the_three_four_bars(make_window):
    window = make_window(piece(Note(60, 0, 480)))
    view, state, editor = window.roll.view, window.state, window.editor
    view.zoom_time(0.5)
    state.set_snap("1/2")  # in 3/4 its lines are each bar's beats 1 and 3
    view.scroll_to_tick(BAR_4)
    row, lane = window.roll.markers, window.roll.tempo
    # double-clicked just after bar 4's downbeat: a marker there, not on 5760 (beat 2 of bar 4)
    at = QPoint(round(view.tick_to_x(BAR_4 + 60)), row.height() // 2)
    click(row, at)
    send_mouse(row, QMouseEvent.Type.MouseButtonDblClick, at)
    send_mouse(row, QMouseEvent.Type.MouseButtonRelease, at)
    QTest.keyClick(row.editing, Qt.Key.Key_Return)  # keeps the new marker's name
    assert [m.tick for m in window.document.project.markers] == [BAR_4]
    # dragged a little past beat 3 of bar 4: on it, not on bar 5 (6720) as a grid counted from tick 0 has it
    change = editor.add_tempo_change(BAR_4, 100)
    y = lane.height() // 2
    drag(
        lane, QPoint(round(view.tick_to_x(BAR_4)), y), QPoint(round(view.tick_to_x(BAR_4 + 1020)), y), steps=8
    )
    assert window.document.project.tempo_change_by_id(change.id).tick == BAR_4 + 960
    marker = window.document.project.markers[0]
    start = QPoint(round(view.tick_to_x(BAR_4)) + 8, row.height() // 2)
    drag(row, start, QPoint(round(view.tick_to_x(BAR_4 + 1020)) + 8, start.y()))
    assert window.document.project.marker_by_id(marker.id).tick == BAR_4 + 960
