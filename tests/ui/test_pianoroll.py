"""The piano roll driven by real mouse and key events, checked on the model."""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.midi import write_midi
from musestudio.ui.state import Tool
from tests.ui.ui_helpers import click, drag, note_point, send_mouse

KEY = Qt.Key
MOD = Qt.KeyboardModifier


def melody(window):
    return window.document.project.tracks[0]


def pitches(window):
    return [n.pitch for n in melody(window).notes]


def test_draw_click_makes_a_snapped_note_of_the_remembered_length(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.DRAW)
    state.set_snap("1/8")  # 240 ticks
    state.note_length = 240
    click(view.viewport(), note_point(view, 2000, 72))  # 2000 lies in the 1/8 cell starting at 1920
    new = [n for n in melody(window).notes if n.pitch == 72]
    assert len(new) == 1 and new[0].start == 1920 and new[0].duration == 240
    assert state.selection == {new[0].id}
    assert window.undo_stack.count() == 1


def test_draw_drag_sets_length_and_it_is_remembered(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.DRAW)
    state.set_snap("1/4")
    state.note_length = 480
    drag(view.viewport(), note_point(view, 1930, 70), note_point(view, 1920 + 480 + 960 + 100, 70))
    new = [n for n in melody(window).notes if n.pitch == 70]
    assert len(new) == 1 and new[0].start == 1920 and new[0].duration == 1440  # snapped end
    assert state.note_length == 1440
    assert window.undo_stack.count() == 1  # drawing and stretching is one step


def test_click_shift_click_and_rubber_band_select(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    notes = melody(window).notes
    click(view.viewport(), note_point(view, 100, 60))
    assert state.selection == {notes[0].id}
    click(view.viewport(), note_point(view, 1000, 64), modifiers=MOD.ShiftModifier)
    assert state.selection == {notes[0].id, notes[2].id}
    # a band from an empty spot over the second and third notes
    drag(view.viewport(), note_point(view, 420, 66), note_point(view, 1500, 61))
    assert state.selection == {notes[1].id, notes[2].id}
    QTest.keyClick(view, KEY.Key_A, MOD.ControlModifier)
    assert state.selection == {n.id for n in notes}
    assert window.undo_stack.count() == 0  # selecting is not an edit


def test_move_drag_snaps_to_grid_and_is_one_undo_step(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    state.set_snap("1/4")
    original = window.document.project
    first = melody(window).notes[0]
    # grab the middle of the first note, drag right by 1.3 beats and up two rows in many small moves
    drag(view.viewport(), note_point(view, 240, 60), note_point(view, 240 + 624, 62), steps=20)
    moved = melody(window).note_by_id(first.id)
    assert (moved.start, moved.pitch, moved.duration) == (480, 62, 480)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.document.project == original


def test_alt_drag_moves_off_the_grid(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.MOVE)
    first = melody(window).notes[0]
    drag(
        view.viewport(), note_point(view, 240, 60), note_point(view, 240 + 300, 60), modifiers=MOD.AltModifier
    )
    moved = melody(window).note_by_id(first.id)
    assert moved.start % state.snap_step() != 0 and abs(moved.start - 300) < 20


def test_moving_a_selection_moves_every_selected_note(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    state.set_snap("1/4")
    window.editor.select_all()
    before = melody(window).notes
    drag(view.viewport(), note_point(view, 700, 62), note_point(view, 700 + 960, 62), steps=10)
    after = {n.id: n for n in melody(window).notes}
    assert [after[n.id].start - n.start for n in before] == [960, 960, 960]
    assert window.undo_stack.count() == 1


def test_resize_by_the_right_edge_snaps_the_end(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    state.set_snap("1/8")
    third = melody(window).notes[2]  # 960..1440
    edge = QPoint(round(view.tick_to_x(third.end)) - 2, note_point(view, 0, 64).y())
    drag(view.viewport(), edge, edge + QPoint(round(500 * view.px_per_tick), 0), steps=8)
    assert melody(window).note_by_id(third.id).duration == 480 + 480
    assert window.undo_stack.count() == 1


def test_dragging_the_left_edge_moves_the_start_and_the_end_stays(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    state.set_snap("1/8")
    first, second, third = melody(window).notes  # 0..480, 480..960, 960..1440
    start = window.document.project
    edge = QPoint(round(view.tick_to_x(second.start)) + 2, note_point(view, 0, 62).y())
    drag(view.viewport(), edge, edge - QPoint(round(250 * view.px_per_tick), 0), steps=8)
    assert melody(window).note_by_id(second.id) == second.with_start(240).with_duration(720)
    assert window.undo_stack.count() == 1
    # far past the end: the start stops a grid step before it, and the note keeps its end
    state.set_selection({second.id, third.id})
    edge = QPoint(round(view.tick_to_x(third.start)) + 2, note_point(view, 0, 64).y())
    drag(view.viewport(), edge, edge + QPoint(round(900 * view.px_per_tick), 0), steps=8)
    trimmed = melody(window)
    assert trimmed.note_by_id(third.id) == third.with_start(1200).with_duration(240)
    assert trimmed.note_by_id(second.id) == second.with_start(720).with_duration(240)  # with it
    assert trimmed.note_by_id(first.id) == first
    for _ in range(2):
        QTest.keyClick(view, KEY.Key_Z, MOD.ControlModifier)
    assert window.document.project == start


def test_the_left_edge_with_the_resize_tool_trims_and_the_middle_still_resizes_the_end(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.RESIZE)
    state.set_snap("1/8")
    third = melody(window).notes[2]  # 960..1440
    edge = QPoint(round(view.tick_to_x(third.start)) + 1, note_point(view, 0, 64).y())
    drag(view.viewport(), edge, edge + QPoint(round(240 * view.px_per_tick), 0), steps=4)
    assert melody(window).note_by_id(third.id) == third.with_start(1200).with_duration(240)
    middle = note_point(view, 1320, 64)
    drag(view.viewport(), middle, middle + QPoint(round(480 * view.px_per_tick), 0), steps=4)
    assert melody(window).note_by_id(third.id) == third.with_start(1200).with_duration(720)


def test_a_note_dragged_past_the_right_edge_scrolls_the_roll_and_lands_out_of_the_first_view(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    state.set_snap("1/4")
    view.go_to_start()
    right = view.visible_ticks()[1]
    first = melody(window).notes[0]  # 0..480
    vp = view.viewport()
    grab = note_point(view, 240, 60)
    send_mouse(vp, QMouseEvent.Type.MouseButtonPress, grab)
    held = QPoint(vp.width() + 30, grab.y())  # past the edge, held there: each move scrolls on
    for _ in range(20):
        send_mouse(vp, QMouseEvent.Type.MouseMove, held)
    send_mouse(vp, QMouseEvent.Type.MouseButtonRelease, held)
    assert view.visible_ticks()[0] > 0
    moved = melody(window).note_by_id(first.id)
    assert moved.start > right + 1920 and moved.start % 480 == 0 and moved.pitch == 60  # bars on
    assert moved.start == state.grid().snap(view.x_to_tick(held.x()) - 240)  # under the mouse
    assert window.undo_stack.count() == 1


def test_velocity_lane_drag_changes_the_selection_together(window):
    lane = window.roll.velocity
    window.editor.select_all()
    before = {n.id: n.velocity for n in melody(window).notes}  # 90, 80, 100
    x = round(window.roll.view.tick_to_x(480)) + 1  # the second note's bar
    top = lane._velocity_y(80)
    drag(lane, QPoint(x, round(top)), QPoint(x, round(lane._velocity_y(100))), steps=5)
    after = {n.id: n.velocity for n in melody(window).notes}
    delta = after[melody(window).notes[1].id] - 80
    assert 17 <= delta <= 23
    assert all(after[i] == min(127, v + delta) for i, v in before.items())
    assert window.undo_stack.count() == 1


def test_velocity_lane_drag_on_an_unselected_note_changes_only_it(window):
    lane = window.roll.velocity
    window.state.set_selection(())
    notes = melody(window).notes
    x = round(window.roll.view.tick_to_x(0)) + 1
    drag(lane, QPoint(x, round(lane._velocity_y(90))), QPoint(x, lane.height() - 2), steps=4)
    after = melody(window).notes
    assert after[0].velocity < 10 and [n.velocity for n in after[1:]] == [n.velocity for n in notes[1:]]


def test_copy_paste_at_playhead_cut_duplicate_delete(window):
    view, state = window.roll.view, window.state
    window.editor.select_all()
    QTest.keyClick(view, KEY.Key_C, MOD.ControlModifier)
    state.set_playhead(3840)
    QTest.keyClick(view, KEY.Key_V, MOD.ControlModifier)
    notes = melody(window).notes
    assert [(n.start, n.pitch) for n in notes] == [
        (0, 60),
        (480, 62),
        (960, 64),
        (3840, 60),
        (4320, 62),
        (4800, 64),
    ]
    assert state.selection == {n.id for n in notes[3:]}  # the pasted notes
    QTest.keyClick(view, KEY.Key_D, MOD.ControlModifier)  # duplicate right after them
    assert [n.start for n in melody(window).notes][-3:] == [5280, 5760, 6240]
    QTest.keyClick(view, KEY.Key_Delete)
    assert len(melody(window).notes) == 6
    window.editor.select_all()
    QTest.keyClick(view, KEY.Key_X, MOD.ControlModifier)
    assert melody(window).notes == ()
    state.set_playhead(0)
    QTest.keyClick(view, KEY.Key_V, MOD.ControlModifier)
    assert len(melody(window).notes) == 6


def test_transpose_keys(window):
    view = window.roll.view
    window.editor.select_all()
    QTest.keyClick(view, KEY.Key_Up)
    assert pitches(window) == [61, 63, 65]
    QTest.keyClick(view, KEY.Key_Up, MOD.ShiftModifier)
    assert pitches(window) == [73, 75, 77]
    QTest.keyClick(view, KEY.Key_Down, MOD.ShiftModifier)
    QTest.keyClick(view, KEY.Key_Down)
    assert pitches(window) == [60, 62, 64]
    assert window.undo_stack.count() == 4


def test_quantize_key_pulls_notes_to_the_chosen_grid(make_window):
    loose = Track(name="Loose", notes=(Note(60, 17, 230), Note(62, 498, 201), Note(64, 955, 470)))
    window = make_window(Project(tracks=(loose,)))
    window.state.set_snap("1/8")
    window.editor.select_all()
    QTest.keyClick(window.roll.view, KEY.Key_Q)
    assert [(n.start, n.end) for n in window.document.project.tracks[0].notes] == [
        (0, 240),
        (480, 720),
        (960, 1440),
    ]


def test_shift_q_quantizes_a_played_take_to_swung_eighths_and_q_to_straight_ones(make_window):
    played = Track(name="Played", notes=(Note(60, 6, 300), Note(62, 310, 150), Note(64, 470, 320)))
    window = make_window(Project(tracks=(played,)))
    window.state.set_snap("1/8")
    window.editor.select_all()
    QTest.keyClick(window.roll.view, KEY.Key_Q, MOD.ShiftModifier)
    notes = window.document.project.tracks[0].notes
    assert [(n.start, n.end) for n in notes] == [(0, 320), (320, 480), (480, 800)]  # off-beats at 2/3
    assert window.undo_stack.undoText() == "Quantize with swing"
    QTest.keyClick(window.roll.view, KEY.Key_Q)
    assert [(n.start, n.end) for n in window.document.project.tracks[0].notes] == [
        (0, 240),
        (240, 480),
        (480, 720),
    ]
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.document.project.tracks[0] == played


def test_erase_tool_and_right_click(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.ERASE)
    drag(view.viewport(), note_point(view, 100, 60), note_point(view, 600, 62), steps=6)
    assert pitches(window) == [64]
    assert window.undo_stack.count() == 1  # one erase stroke, one step
    state.set_tool(Tool.DRAW)
    click(view.viewport(), note_point(view, 1000, 64), button=Qt.MouseButton.RightButton)
    assert pitches(window) == []


def test_other_tracks_notes_are_not_editable_from_the_active_track(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.ERASE)
    click(view.viewport(), note_point(view, 200, 36))  # the bass note, faded behind the melody track
    assert len(window.document.project.tracks[1].notes) == 1


def test_undo_redo_keys_walk_back_to_the_start(window):
    view, state = window.roll.view, window.state
    original = window.document.project
    state.set_tool(Tool.DRAW)
    click(view.viewport(), note_point(view, 2400, 67))
    window.editor.select_all()
    QTest.keyClick(view, KEY.Key_Up)
    QTest.keyClick(view, KEY.Key_Q)
    edited = window.document.project
    for _ in range(window.undo_stack.count()):
        QTest.keyClick(view, KEY.Key_Z, MOD.ControlModifier)
    assert window.document.project == original
    assert not window.document.modified
    for _ in range(window.undo_stack.count()):
        QTest.keyClick(view, KEY.Key_Z, MOD.ControlModifier | MOD.ShiftModifier)
    assert window.document.project == edited
    assert window.history.widget().stack().index() == window.undo_stack.count()


def test_zoom_keeps_the_anchor_and_wheel_zooms(window):
    view = window.roll.view
    sx = view.px_per_tick
    QTest.keyClick(view, KEY.Key_Equal, MOD.ControlModifier)
    assert view.px_per_tick > sx
    sy = view.row_px
    window.actions.zoom_in_pitch.trigger()
    assert view.row_px > sy


def test_ruler_click_moves_playhead_and_drag_sets_loop(window):
    ruler, state = window.roll.ruler, window.state
    view = window.roll.view
    state.set_snap("1/4")
    y = ruler.height() // 2
    click(ruler, QPoint(round(view.tick_to_x(1910)), y))
    assert state.playhead == 1920
    drag(ruler, QPoint(round(view.tick_to_x(480)), y), QPoint(round(view.tick_to_x(2400)), y))
    assert state.loop == (480, 2400) and state.loop_enabled
    assert window.actions.loop.isChecked()


def test_keyboard_click_auditions_the_pitch(window, qtbot):
    keyboard = window.roll.keyboard
    view = window.roll.view
    with qtbot.waitSignal(window.roll.audition) as blocker:
        click(keyboard, QPoint(10, round(view.pitch_to_y(67) + view.row_px / 2)))
    assert blocker.args[0] == 67


def test_track_panel_controls_edit_the_model(window, qtbot):
    panel = window.tracks.widget()
    bass = window.document.project.tracks[1]
    row = panel.rows[bass.id]
    click(row.mute, QPoint(5, 5))
    assert window.document.project.tracks[1].mute
    click(row.solo, QPoint(5, 5))
    assert window.document.project.audible_tracks() == (window.document.project.tracks[1],)
    menu = row.instrument.menu()
    menu.aboutToShow.emit()  # what opening it does
    families = [a for a in menu.actions() if a.menu()]
    assert len(families) == 16 and sum(len(f.menu().actions()) for f in families) == 128
    families[5].menu().actions()[0].trigger()  # Strings > Violin
    assert window.document.project.tracks[1].program == 40
    menu.actions()[-1].trigger()  # Drum Kit
    assert window.document.project.tracks[1].is_drum
    click(row, QPoint(60, 8))
    assert window.state.active_track_id == bass.id
    assert window.roll.scene.layers[bass.id].zValue() == 2  # its notes now in front
    n_tracks = len(window.document.project.tracks)
    (add,) = [b for b in panel.findChildren(type(row.mute)) if b.text() == "Add"]
    click(add, QPoint(5, 5))
    assert len(window.document.project.tracks) == n_tracks + 1
    assert window.state.active_track_id == window.document.project.tracks[-1].id
    window.undo_stack.undo()
    assert len(window.document.project.tracks) == n_tracks


def test_overview_zoom_still_edits(window):
    view, state = window.roll.view, window.state
    while view.px_per_tick >= 0.03:
        view.zoom_time(0.5)
    assert window.roll.scene.overview
    state.set_tool(Tool.SELECT)
    drag(view.viewport(), note_point(view, 0, 70) - QPoint(3, 0), note_point(view, 1500, 59))
    assert state.selection == {n.id for n in melody(window).notes}
    view.zoom_time(8)
    assert not window.roll.scene.overview


def test_odd_midi_resolution_keeps_every_grid_usable(make_window):
    window = make_window(Project(ticks_per_beat=100, tracks=(Track(notes=(Note(60, 7, 90),)),)))
    window.state.set_snap("1/32T")  # 100 * 4 / 48 is not a whole number of ticks
    assert window.state.snap_step() == Fraction(25, 3)
    window.editor.select_all()
    window.editor.quantize_selection()
    assert window.document.project.tracks[0].notes[0].start == 8
    window.roll.view.viewport().repaint()  # the grid draws at the exact step's lines


def test_wheel_scrolls_and_zooms(window):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view = window.roll.view
    at = QPointF(300, 200)

    def wheel(mods, steps=1):
        event = QWheelEvent(
            at,
            QPointF(view.viewport().mapToGlobal(at.toPoint())),
            QPoint(),
            QPoint(0, 120 * steps),
            Qt.MouseButton.NoButton,
            mods,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(view.viewport(), event)

    tick_under_mouse = view.x_to_tick(at.x())
    sx, sy = view.px_per_tick, view.row_px
    wheel(MOD.ControlModifier)
    assert view.px_per_tick > sx and view.row_px == sy
    assert abs(view.x_to_tick(at.x()) - tick_under_mouse) < 20  # zoom keeps the point under the mouse
    wheel(MOD.ControlModifier | MOD.ShiftModifier)
    assert view.row_px > sy
    top = view.verticalScrollBar().value()
    wheel(MOD.NoModifier, -2)
    assert view.verticalScrollBar().value() > top


def test_drum_track_keyboard_names_the_drums(window):
    from musestudio.ui.pianoroll.keyboard import DRUM_WIDTH, WIDTH

    keyboard = window.roll.keyboard
    bass = window.document.project.tracks[1]
    window.editor.set_track(bass.id, "drums", is_drum=True)
    assert not keyboard.drums and keyboard.width() == WIDTH  # the active track is still the melody
    window.state.set_active_track(bass.id)
    assert keyboard.drums and keyboard.width() == DRUM_WIDTH
    keyboard.repaint()
    window.undo_stack.undo()  # a piano again
    assert not keyboard.drums and keyboard.width() == WIDTH


def test_inspector_edits_the_selected_note(window):
    inspector = window.inspector.widget()
    first = melody(window).notes[0]
    window.state.set_selection({first.id})
    assert inspector.pitch.text() == "C4" and inspector.velocity.value() == 90
    inspector.pitch.setValue(65)
    inspector.length.setValue(720)
    inspector.velocity.setValue(50)
    note = melody(window).note_by_id(first.id)
    assert (note.pitch, note.duration, note.velocity) == (65, 720, 50)
    assert window.undo_stack.count() == 3
    window.editor.select_all()
    assert not inspector.pitch.isEnabled() and inspector.velocity.isEnabled()
    inspector.velocity.setValue(110)
    assert {n.velocity for n in melody(window).notes} == {110}


def test_typing_the_shown_velocity_over_mixed_velocities_sets_every_selected_note_to_it(window, qtbot):
    """Velocities 90, 80 and 100 show as 90 (their mean): typing 90 and Enter sets all three to 90, as
    typing 91 would, rather than being dropped because the box's number did not change."""
    window.editor.select_all()
    box = window.inspector.widget().velocity
    assert sorted(n.velocity for n in melody(window).notes) == [80, 90, 100] and box.value() == 90
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "90")
    qtbot.keyClick(box, KEY.Key_Return)
    assert {n.velocity for n in melody(window).notes} == {90}
    assert window.undo_stack.count() == 1
    box.selectAll()
    qtbot.keyClicks(box, "90")  # the same number again: nothing to change, no empty step
    qtbot.keyClick(box, KEY.Key_Return)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert sorted(n.velocity for n in melody(window).notes) == [80, 90, 100]


def test_leaving_the_velocity_box_untyped_leaves_mixed_velocities_alone(window, qtbot):
    window.editor.select_all()
    box = window.inspector.widget().velocity
    box.setFocus()
    window.roll.view.setFocus()  # clicked into and out of again, nothing typed
    box.editingFinished.emit()
    assert sorted(n.velocity for n in melody(window).notes) == [80, 90, 100]
    assert window.undo_stack.count() == 0


def test_deleting_every_track_then_drawing_makes_a_new_track(window):
    for track in window.document.project.tracks:
        window.editor.delete_track(track.id)
    assert window.state.active_track_id == -1 and window.document.project.tracks == ()
    window.roll.repaint()
    view = window.roll.view
    window.state.set_tool(Tool.DRAW)
    click(view.viewport(), note_point(view, 0, 60))
    (track,) = window.document.project.tracks
    assert [n.pitch for n in track.notes] == [60] and window.state.active_track_id == track.id
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert len(window.document.project.tracks) == 2


def test_ctrl_drag_copies_the_selection(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    state.set_snap("1/4")
    window.editor.select_all()
    drag(
        view.viewport(),
        note_point(view, 240, 60),
        note_point(view, 240 + 1920, 60),
        steps=6,
        modifiers=MOD.ControlModifier,
    )
    starts = [(n.start, n.pitch) for n in melody(window).notes]
    assert starts == [(0, 60), (480, 62), (960, 64), (1920, 60), (2400, 62), (2880, 64)]
    assert state.selection == {n.id for n in melody(window).notes[3:]}
    assert window.undo_stack.count() == 1 and window.undo_stack.text(0) == "Copy notes"
    # a Ctrl-click that does not move leaves no copy and no step
    click(view.viewport(), note_point(view, 100, 60), modifiers=MOD.ControlModifier)
    assert len(melody(window).notes) == 6 and window.undo_stack.count() == 1


def _beats_at_100_tpb(window, tmp_path, length):
    """A MIDI file at 100 ticks per beat (some sequencers write it) with a note on each beat, two bars."""
    notes = tuple(Note(60 + i, 100 * i, length) for i in range(8))
    write_midi(Project(ticks_per_beat=100, tracks=(Track(name="Beats", notes=notes),)), tmp_path / "p.mid")
    assert window.files.open_path(tmp_path / "p.mid", ask=False)


def test_at_an_odd_resolution_quantize_keeps_notes_on_the_beat(window, tmp_path):
    """A 32nd there is 12.5 ticks: a 12-tick grid counted from 0 would pull the beat at 100 to 96."""
    _beats_at_100_tpb(window, tmp_path, 50)
    for grid in ("1/32", "1/16T", "1/32T"):
        window.toolbar.snap.setCurrentIndex(window.toolbar.snap.findData(grid))
        window.editor.select_all()
        QTest.keyClick(window.roll.view, Qt.Key.Key_Q)
        assert [n.start for n in window.document.project.tracks[0].notes] == [100 * i for i in range(8)]


def test_at_an_odd_resolution_a_duplicated_bar_lands_on_the_next_bar(window, tmp_path):
    _beats_at_100_tpb(window, tmp_path, 100)
    window.toolbar.snap.setCurrentIndex(window.toolbar.snap.findData("1/16T"))
    window.state.set_selection(n.id for n in window.document.project.tracks[0].notes[:4])
    QTest.keyClick(window.roll.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    copies = [n for n in window.document.project.tracks[0].notes if n.id in window.state.selection]
    assert [n.start for n in copies] == [400, 500, 600, 700]


def test_ctrl_z_while_the_mouse_is_still_down_ends_the_gesture(window, qtbot):
    """Undo in the middle of drawing a note takes the note away; moving the mouse on must not bring it back
    as a new step (which would also throw away the redo)."""
    view, state = window.roll.view, window.state
    state.set_tool(Tool.DRAW)
    state.set_snap("1/4")
    before = window.document.project
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonPress, note_point(view, 1930, 70))
    send_mouse(view.viewport(), QMouseEvent.Type.MouseMove, note_point(view, 2900, 70))
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.project == before
    send_mouse(view.viewport(), QMouseEvent.Type.MouseMove, note_point(view, 3400, 70))
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonRelease, note_point(view, 3400, 70))
    assert window.document.project == before and window.undo_stack.canRedo()
