"""After a meter change the roll's grid lines are counted from each bar line, as they are drawn: drawing,
dragging, nudging, quantizing and duplicating land on those lines, not on a grid counted from tick 0 that
puts a half note of a 3/4 bar, or a whole note of a 6/8 bar, somewhere in the bar before."""

from __future__ import annotations

import mido
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.ui.state import Tool
from tests.ui.ui_helpers import click, drag, note_point

KEY = Qt.Key
MOD = Qt.KeyboardModifier
# bars 1-2 in 4/4 (0, 1920), 3-4 in 3/4 (3840, 5280), 5 on in 6/8 (6720, 8160, 9600)
METERS = (TimeSignature(0, 4, 4), TimeSignature(3840, 3, 4), TimeSignature(6720, 6, 8))
BAR_4, BAR_5, BAR_6 = 5280, 6720, 8160


def piece(*notes: Note) -> Project:
    return Project(tracks=(Track(name="Melody", notes=notes),), time_signatures=METERS)


def notes_of(window) -> list[tuple[int, int, int]]:
    return sorted((n.pitch, n.start, n.duration) for n in window.document.project.tracks[0].notes)


def test_a_note_drawn_just_after_a_three_four_downbeat_starts_on_it(make_window):
    window = make_window(piece(Note(60, 0, 480)))
    view, state = window.roll.view, window.state
    view.zoom_time(0.5)
    state.set_tool(Tool.DRAW)
    state.note_length = 240
    for grid in ("1/2", "1/1"):
        state.set_snap(grid)
        view.scroll_to_tick(BAR_4)
        click(view.viewport(), note_point(view, BAR_4 + 30, 72))
        assert (72, BAR_4, 240) in notes_of(window), grid  # not beat 3 of bar 3 (4800), nor bar 3 (3840)
        window.undo_stack.undo()
    assert notes_of(window) == [(60, 0, 480)]


def test_a_note_dragged_into_a_six_eight_bar_drops_on_its_bar_line(make_window):
    window = make_window(piece(Note(60, BAR_5, 480)))
    view, state = window.roll.view, window.state
    view.zoom_time(0.5)
    view.scroll_to_tick(BAR_5)
    state.set_tool(Tool.SELECT)
    state.set_snap("1/1")  # a whole note is no 6/8 bar: the bar lines are the grid
    (note,) = window.document.project.tracks[0].notes
    start = note_point(view, BAR_5 + 240, 60)  # the note's middle: its edges trim and resize it
    drag(view.viewport(), start, note_point(view, BAR_6 + 240 + 60, 60))
    assert notes_of(window) == [(60, BAR_6, 480)]  # not 7680, half way through bar 5
    window.undo_stack.undo()
    assert window.document.project.tracks[0].notes == (note,)


def test_nudge_quantize_and_duplicate_keep_to_the_three_four_bars(make_window):
    window = make_window(piece(Note(60, 3840 + 1000, 300), Note(64, BAR_4 + 1380, 200)))
    view, state = window.roll.view, window.state
    start = window.document.project
    state.set_snap("1/2")  # in 3/4 its lines are each bar's beats 1 and 3
    QTest.keyClick(view, KEY.Key_A, MOD.ControlModifier)
    QTest.keyClick(view, KEY.Key_Q)
    # 4840-5140 to beat 3 of bar 3 up to bar 4 (a step from 4800 on is 960 ticks, past bar 4's line);
    # 6660-6860 to bar 5's downbeat, and one step of its grid long: to its next line, 7680
    assert notes_of(window) == [(60, 4800, 480), (64, BAR_5, 960)]
    QTest.keyClick(view, KEY.Key_Right)  # one grid step: from beat 3 of bar 3 to bar 4's downbeat
    assert notes_of(window)[0] == (60, BAR_4, 480)
    state.set_snap("1/1")
    state.set_selection({window.document.project.tracks[0].notes[0].id})
    QTest.keyClick(view, KEY.Key_D, MOD.ControlModifier)  # the copy goes to the next bar: a 3/4 bar later
    assert (60, BAR_5, 480) in notes_of(window)
    for _ in range(3):
        QTest.keyClick(view, KEY.Key_Z, MOD.ControlModifier)
    assert window.document.project == start


def test_step_input_steps_along_the_three_four_bars(make_window):
    window = make_window(piece(Note(60, 0, 480)))
    state = window.state
    state.set_active_track(window.document.project.tracks[0].id)
    state.set_playhead(4800)  # beat 3 of bar 3, the first 3/4 bar
    state.set_snap("1/2")
    window.actions.step_input.setChecked(True)
    for pitch in (64, 67):
        window.on_midi_message(mido.Message("note_on", note=pitch, velocity=90))
        window.on_midi_message(mido.Message("note_off", note=pitch))
    # a half note's grid line from beat 3 is bar 4's downbeat (not 5760, its beat 2), then its beat 3
    assert notes_of(window) == [(60, 0, 480), (64, 4800, 480), (67, BAR_4, 960)]
    assert state.playhead == BAR_4 + 960


def test_a_right_edge_dragged_in_a_three_four_bar_lands_on_the_next_bar_line(make_window):
    window = make_window(piece(Note(60, BAR_4, 480)))
    view, state = window.roll.view, window.state
    view.zoom_time(0.5)
    view.scroll_to_tick(BAR_4)
    state.set_tool(Tool.SELECT)
    state.set_snap("1/2")  # bar 4 (3/4) has lines on its beats 1 and 3; bar 5's line comes after
    edge = QPoint(round(view.tick_to_x(BAR_4 + 480)) - 2, note_point(view, 0, 60).y())
    drag(view.viewport(), edge, QPoint(round(view.tick_to_x(BAR_5 - 30)), edge.y()), steps=8)
    assert notes_of(window) == [(60, BAR_4, BAR_5 - BAR_4)]  # not beat 3 (6240), counted from its start
    assert window.undo_stack.count() == 1


def test_a_played_notes_right_edge_lands_on_a_grid_line_not_a_step_from_its_start(make_window):
    window = make_window(piece(Note(60, 17, 230)))
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    state.set_snap("1/8")
    edge = QPoint(round(view.tick_to_x(247)) - 2, note_point(view, 0, 60).y())
    drag(view.viewport(), edge, QPoint(round(view.tick_to_x(700)), edge.y()), steps=8)
    assert notes_of(window) == [(60, 17, 720 - 17)]  # on the line at 720, not at 737


def test_right_edges_dragged_together_each_stop_at_the_first_line_after_their_own_start(make_window):
    """The grabbed note, played early, may end 10 ticks after its start (its first line); the others of
    the selection stop at their own first lines, and a grace note shorter than a step keeps its length
    (they went down to 10 ticks, a length no grid draws, and the grace note to 10)."""
    grabbed, other, grace = Note(60, 230, 250), Note(64, 0, 300), Note(67, 480, 100)
    window = make_window(piece(grabbed, other, grace))
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    state.set_snap("1/8")
    state.set_selection({n.id for n in window.document.project.tracks[0].notes})
    edge = QPoint(round(view.tick_to_x(grabbed.end)) - 2, note_point(view, 0, 60).y())
    drag(view.viewport(), edge, QPoint(round(view.tick_to_x(0)) + 1, edge.y()), steps=8)
    assert notes_of(window) == [(60, 230, 10), (64, 0, 240), (67, 480, 100)]
    window.undo_stack.undo()
    assert notes_of(window) == [(60, 230, 250), (64, 0, 300), (67, 480, 100)]


def test_the_length_arrows_step_the_end_along_the_bar_grid(make_window, qtbot):
    window = make_window(piece(Note(60, BAR_4, 480), Note(64, 17, 230)))
    state = window.state
    state.set_snap("1/2")
    state.set_selection({n.id for n in window.document.project.tracks[0].notes if n.pitch == 60})
    window.inspector.show()
    box = window.inspector.widget().length
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    ends = []
    for _ in range(3):
        QTest.keyClick(box, KEY.Key_Up)
        (note,) = (n for n in window.document.project.tracks[0].notes if n.pitch == 60)
        ends.append(note.end)
    assert ends == [BAR_4 + 960, BAR_5, BAR_5 + 960]  # beat 3 of the 3/4 bar, bar 5, half bar 5 (6/8)
    for _ in range(4):
        QTest.keyClick(box, KEY.Key_Down)  # down to the first line after the start, and no shorter
    assert (60, BAR_4, 960) in notes_of(window)
    state.set_snap("1/8")
    state.set_selection({n.id for n in window.document.project.tracks[0].notes if n.pitch == 64})
    QTest.keyClick(box, KEY.Key_Up)
    assert (64, 17, 480 - 17) in notes_of(window)  # a played note's end goes to the next line, 480
