"""The tempo lane, marker row and controller lanes with real mouse and key events, and undo from anywhere."""

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from musestudio.core import ControlEvent, TempoChange
from musestudio.core.events import MODULATION, PITCH_BEND, SUSTAIN, KeyChange, Marker, lane_name
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.ui.gm import CONTROLLERS
from musestudio.ui.shortcuts import ShortcutsDialog
from tests.ui.ui_helpers import click, drag, note_point, send_mouse, two_track_project


def _tempo_map():
    return two_track_project().with_tempos(
        (TempoChange(0, 90), TempoChange(1920, 140), TempoChange(3840, 60))
    )


def _tempos(window):
    return [(t.tick, t.bpm) for t in window.document.project.tempos]


def _x(window, tick):
    return round(window.roll.view.tick_to_x(tick))


def _double_click(widget, pos):
    click(widget, pos)
    send_mouse(widget, QMouseEvent.Type.MouseButtonDblClick, pos)
    send_mouse(widget, QMouseEvent.Type.MouseButtonRelease, pos)


# -- the BPM field ------------------------------------------------------------------------------------------
def test_typing_a_bpm_keeps_the_other_tempo_changes_and_ctrl_z_in_the_field_undoes_it(make_window, qtbot):
    window = make_window(_tempo_map())
    window.state.set_playhead(2000)
    field = window.toolbar.tempo
    assert field.value() == 140  # the tempo in force at the playhead
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "100")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert _tempos(window) == [(0, 90), (1920, 100), (3840, 60)]
    assert window.roll.view.hasFocus()  # Enter gave the keyboard back to the roll
    field.setFocus()
    assert QApplication.focusWidget() is field
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _tempos(window) == [(0, 90), (1920, 140), (3840, 60)]
    assert field.value() == 140
    qtbot.keyClick(
        field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert _tempos(window) == [(0, 90), (1920, 100), (3840, 60)]


def test_escape_in_the_bpm_field_drops_the_typing_and_returns_focus(make_window, qtbot):
    window = make_window(_tempo_map())
    field = window.toolbar.tempo
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "77")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert _tempos(window) == [(0, 90), (1920, 140), (3840, 60)]
    assert field.value() == 90
    assert window.roll.view.hasFocus()


def test_ctrl_z_over_uncommitted_typing_undoes_the_typing_not_the_last_edit(make_window, qtbot):
    window = make_window(_tempo_map())
    window.editor.add_marker(480, "Verse")
    field = window.toolbar.tempo
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "77")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [m.text for m in window.document.project.markers] == ["Verse"]
    assert _tempos(window) == [(0, 90), (1920, 140), (3840, 60)]


def test_ctrl_z_reaches_the_document_from_the_meter_box_and_enter_returns_focus(make_window, qtbot):
    window = make_window()
    box = window.toolbar.numerator
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "3")
    qtbot.keyClick(box, Qt.Key.Key_Enter)
    assert window.document.project.time_signature.numerator == 3
    assert window.roll.view.hasFocus()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.project.time_signature.numerator == 4


def test_the_status_bar_shows_the_tempo_at_the_playhead_as_the_bpm_field_does(make_window):
    window = make_window(two_track_project().with_tempos((TempoChange(0, 84.0001), TempoChange(1920, 140))))
    said = window.status.tempo.text
    assert said() == "♩ = 84.0" == window.toolbar.tempo.text()  # a file's 84.0001, not "84.0001 BPM"
    window.state.set_playhead(1920)
    assert said() == "♩ = 140.0" == window.toolbar.tempo.text()


def _jig(*tempos):
    """Two bars of 6/8 (1440 ticks each) and then 4/4, at quarter-note tempos as a MIDI file holds them."""
    meters = (TimeSignature(0, 6, 8), TimeSignature(2880, 4, 4))
    return two_track_project().with_(time_signatures=meters).with_tempos(tempos)


def test_in_6_8_the_bpm_field_reads_and_takes_dotted_quarters_and_the_file_keeps_quarters(make_window, qtbot):
    """A jig at ♩. = 120 is 180 quarters a minute in its file: the field and the status bar said 180 BPM,
    a tempo nobody counts it at. Typed in dotted quarters, it is stored in quarters, one undo step."""
    window = make_window(_jig(TempoChange(0, 180)))
    field, said = window.toolbar.tempo, window.status.tempo.text
    assert field.value() == 120
    assert said() == "♩. = 120.0" == field.text()
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "100")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert _tempos(window) == [(0, 150)]
    assert said() == "♩. = 100.0"
    window.state.set_playhead(2880)  # bar 3, in 4/4: the same tempo, read in quarters
    assert said() == "♩ = 150.0" == field.text()
    window.undo_stack.undo()
    assert _tempos(window) == [(0, 180)]
    assert field.text() == "♩ = 180.0"


def test_a_tempo_the_field_shows_rounded_stays_as_the_file_has_it(make_window, qtbot):
    """181 quarters in 6/8 read 120.7 dotted quarters: the field left without typing a digit changes nothing
    (120.7 would be 181.05), so the file's tempo goes out as it came in."""
    window = make_window(_jig(TempoChange(0, 181)))
    field = window.toolbar.tempo
    assert field.text() == "♩. = 120.7"
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert _tempos(window) == [(0, 181)]
    assert not window.undo_stack.canUndo()


def test_the_bpm_field_shows_a_1500_bpm_tempo_unclamped(make_window):
    window = make_window(two_track_project().with_tempos((TempoChange(0, 1500),)))
    assert window.toolbar.tempo.value() == 1500
    window.editor.set_tempo(2000)
    assert _tempos(window) == [(0, 2000)]


# -- the tempo lane -----------------------------------------------------------------------------------------
def test_dragging_a_tempo_change_is_one_undo_step(make_window, qtbot):
    window = make_window(_tempo_map())
    lane = window.roll.tempo
    before = window.undo_stack.count()
    y = lane.height() // 2
    start = QPoint(_x(window, 1920), y)
    beat = 480 * window.roll.view.px_per_tick
    end = QPoint(round(start.x() + 2 * beat), y - 20)  # two beats later, 20 BPM faster
    drag(lane, start, end, steps=8)
    assert _tempos(window) == [(0, 90), (2880, 160), (3840, 60)]
    assert window.undo_stack.count() == before + 1
    assert window.state.playhead == 2880  # the BPM field now edits this change
    assert window.toolbar.tempo.value() == 160
    window.undo_stack.undo()
    assert _tempos(window) == [(0, 90), (1920, 140), (3840, 60)]


def test_in_6_8_a_tempo_change_drags_and_reads_in_dotted_quarters(make_window, monkeypatch):
    """The lane reads as the BPM field does: 20 px up from ♩. = 110 is ♩. = 130 (195 quarters; it was 20
    quarters, ♩. = 123.3); moved sideways alone into 4/4 the music keeps its speed, read there in quarters."""
    from musestudio.ui.pianoroll import conductor

    said = []
    monkeypatch.setattr(conductor, "QToolTip", type("Tip", (), {"showText": lambda *a: said.append(a[1])}))
    window = make_window(_jig(TempoChange(0, 180), TempoChange(1440, 165)))
    lane = window.roll.tempo
    y = lane.height() // 2
    start = QPoint(_x(window, 1440), y)
    drag(lane, start, QPoint(start.x(), y - 20), steps=8)
    assert _tempos(window) == [(0, 180), (1440, 195)]
    assert said[-1] == "♩. = 130 at 2:1"
    assert window.toolbar.tempo.text() == "♩. = 130.0"
    beat = 480 * window.roll.view.px_per_tick
    drag(lane, start, QPoint(round(start.x() + 3 * beat), y), steps=8)
    assert _tempos(window) == [(0, 180), (2880, 195)]
    assert said[-1] == "♩ = 195 at 3:1"


def _lane_labels(lane) -> list[str]:
    """The numbers the tempo lane writes beside its changes, as painted."""
    from PySide6.QtGui import QImage, QPainter

    written = []

    class Recording(QPainter):
        def drawText(self, *args):
            written.append(args[-1])
            super().drawText(*args)

    image = QImage(lane.size(), QImage.Format.Format_ARGB32)
    painter = Recording(image)
    lane._paint_content(painter)
    painter.end()
    return written


def test_the_tempo_lane_labels_each_change_in_its_meter_s_beat_and_follow_a_meter_change(make_window):
    """A jig's changes at 180 and 165 quarters are labelled 120 and 110, as the BPM field reads them (they
    were labelled 180 and 165); made 4/4, the same tempos are labelled in quarters."""
    window = make_window(_jig(TempoChange(0, 180), TempoChange(1440, 165)))
    lane = window.roll.tempo
    assert _lane_labels(lane) == ["120", "110"]
    window.editor.set_time_signature(4, 4, 0)
    assert _lane_labels(lane) == ["180", "165"]
    assert _tempos(window) == [(0, 180), (1440, 165)]  # the meter changes how they read, not the tempos


def test_a_take_that_lands_while_a_tempo_change_is_dragged_stays(make_window):
    window = make_window(_tempo_map())
    lane = window.roll.tempo
    y = lane.height() // 2
    start = QPoint(_x(window, 1920), y)
    send_mouse(lane, QMouseEvent.Type.MouseButtonPress, start)
    send_mouse(lane, QMouseEvent.Type.MouseMove, QPoint(start.x() + 20, y))
    landed = Note(90, 2400, 240, 80)
    window.editor.add_notes([landed], "Record 1 note")  # a recording or jam phrase lands mid-drag
    beat = 480 * window.roll.view.px_per_tick
    end = QPoint(round(start.x() + 2 * beat), y)
    send_mouse(lane, QMouseEvent.Type.MouseMove, end)
    send_mouse(lane, QMouseEvent.Type.MouseButtonRelease, end)
    assert landed in window.document.project.tracks[0].notes
    assert (2880, 140) in _tempos(window)


def test_double_click_adds_a_tempo_change_and_delete_removes_it(make_window, qtbot):
    window = make_window(_tempo_map())
    lane = window.roll.tempo
    _double_click(lane, QPoint(_x(window, 960), lane.height() // 2))
    assert _tempos(window) == [(0, 90), (960, 90), (1920, 140), (3840, 60)]
    click(lane, QPoint(_x(window, 1920), 5))
    lane.setFocus()
    qtbot.keyClick(lane, Qt.Key.Key_Delete)
    assert _tempos(window) == [(0, 90), (960, 90), (3840, 60)]
    assert window.document.project.tracks[0].notes  # Del took the tempo change, not the notes
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert _tempos(window) == [(0, 90), (1920, 140), (3840, 60)]


# -- markers ------------------------------------------------------------------------------------------------
def test_the_shortcut_list_says_del_deletes_the_selected_marker_or_tempo_change(window):
    """Del and Backspace delete a marker or tempo change selected in its row (the rows' tooltips say so);
    the F1 list, which shows every key, left them out."""
    dialog = ShortcutsDialog(window)
    assert (
        "Delete the selected marker or tempo change",
        "Del, Backspace (in the marker row or the tempo lane)",
    ) in dialog.listed()
    dialog.close()


def test_markers_add_rename_jump_move_delete_and_undo(make_window, qtbot):
    window = make_window()
    project = window.document.project
    window.state.set_playhead(960)
    qtbot.keyClick(window.roll.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    window.state.set_playhead(3840)
    qtbot.keyClick(window.roll.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    markers = window.document.project.markers
    assert [m.tick for m in markers] == [960, 3840]
    row = window.roll.markers
    # rename in place
    _double_click(row, QPoint(_x(window, 960) + 8, row.height() // 2))
    edit = row.editing
    assert edit is not None and edit.hasFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Chorus")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.document.project.markers[0].text == "Chorus"
    assert window.roll.view.hasFocus()
    # jump with the shortcuts
    window.state.set_playhead(0)
    qtbot.keyClick(window.roll.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.state.playhead == 960
    qtbot.keyClick(window.roll.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.state.playhead == 3840
    qtbot.keyClick(window.roll.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.state.playhead == 960
    # drag to move: one step
    count = window.undo_stack.count()
    beat = 480 * window.roll.view.px_per_tick
    start = QPoint(_x(window, 960) + 8, row.height() // 2)
    drag(row, start, QPoint(round(start.x() + 2 * beat), start.y()))
    assert window.document.project.markers[0].tick == 1920
    assert window.undo_stack.count() == count + 1
    # Del removes the selected marker
    row.setFocus()
    qtbot.keyClick(row, Qt.Key.Key_Delete)
    assert [m.tick for m in window.document.project.markers] == [3840]
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert window.document.project == project


def test_a_new_marker_s_name_is_never_one_a_marker_has(make_window, qtbot):
    """Three markers added, the second deleted: the next is "Marker 4", not a second "Marker 3" (named by
    the count, it was). Names typed or read from a file stay as they are, a typed "Marker 5" included,
    and the next new one steps past it."""
    window = make_window()

    def add_at(tick: int) -> None:
        window.state.set_playhead(tick)
        qtbot.keyClick(window.roll.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)

    def names() -> list[str]:
        return [m.text for m in window.document.project.markers]

    for tick in (960, 1920, 3840):
        add_at(tick)
    assert names() == ["Marker 1", "Marker 2", "Marker 3"]
    window.editor.remove_marker(window.document.project.markers[1].id)
    add_at(5760)
    assert names() == ["Marker 1", "Marker 3", "Marker 4"]
    window.editor.rename_marker(window.document.project.markers[0].id, "Marker 5")
    add_at(7680)
    assert names() == ["Marker 5", "Marker 3", "Marker 4", "Marker 6"]
    file_markers = make_window(two_track_project().with_markers([Marker(0, "Verse"), Marker(960, "Verse")]))
    file_markers.editor.add_marker(1920)
    assert [m.text for m in file_markers.document.project.markers] == ["Verse", "Verse", "Marker 3"]


def test_escape_cancels_a_marker_rename(make_window, qtbot):
    window = make_window()
    marker = window.editor.add_marker(480, "Verse")
    edit = window.roll.markers.start_rename(marker.id)
    qtbot.keyClicks(edit, "xyz")
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert window.document.project.markers[0].text == "Verse"


# -- controller lanes ---------------------------------------------------------------------------------------
def _lane(window, lane):
    panel = window.roll.controllers
    panel.select_lane(lane)
    assert panel.lane.lane == lane
    return panel.lane


def _events(window, lane):
    return window.document.project.tracks[0].lane(lane)


def test_drawing_in_a_cc_lane_is_one_undo_step(make_window):
    window = make_window()
    lane = _lane(window, MODULATION)
    count = window.undo_stack.count()
    h = lane.height()
    drag(lane, QPoint(_x(window, 0) + 2, h - 6), QPoint(_x(window, 1920), 6), steps=12)
    events = _events(window, MODULATION)
    assert len(events) > 5
    values = [e.value for e in events]
    assert values == sorted(values) and values[0] < 20 and values[-1] > 110  # a rising stroke
    assert window.undo_stack.count() == count + 1
    window.undo_stack.undo()
    assert _events(window, MODULATION) == ()


def test_a_take_that_lands_while_a_stroke_is_drawn_stays(make_window):
    """A recording or jam phrase can land while the mouse is down in a lane: the stroke's next move must
    not lay the piece as it was at mouse-down back over it."""
    window = make_window()
    lane = _lane(window, MODULATION)
    h = lane.height()
    send_mouse(lane, QMouseEvent.Type.MouseButtonPress, QPoint(_x(window, 0) + 2, h - 6))
    send_mouse(lane, QMouseEvent.Type.MouseMove, QPoint(_x(window, 480), h // 2))
    track = window.document.project.tracks[0]
    landed = Note(90, 2400, 240, 80)
    window.editor.push(
        window.document.project.replace_track(
            track.with_(
                notes=(*track.notes, landed),
                controllers=(*track.controllers, ControlEvent(2400, 1 + MODULATION, 9)),
            )
        ),
        "Record 1 note",
    )
    send_mouse(lane, QMouseEvent.Type.MouseMove, QPoint(_x(window, 960), 6))
    send_mouse(lane, QMouseEvent.Type.MouseButtonRelease, QPoint(_x(window, 960), 6))
    track = window.document.project.tracks[0]
    assert landed in track.notes and ControlEvent(2400, 1 + MODULATION, 9) in track.controllers
    assert max(e.value for e in _events(window, MODULATION)) > 110  # and the stroke went on


def test_line_tool_draws_a_ramp_and_shrinking_it_gives_back_what_it_covered(make_window):
    window = make_window()
    track = window.document.project.tracks[0]
    window.editor.replace_lane_range(track.id, MODULATION, 1800, 1801, (ControlEvent(1800, MODULATION, 50),))
    lane = _lane(window, MODULATION)
    window.roll.controllers.tool_buttons["line"].click()
    h = lane.height()
    start = QPoint(_x(window, 0) + 1, h - 4)
    # out past the 1800 event, then back to 960: the event at 1800 must come back
    send_mouse(lane, QMouseEvent.Type.MouseButtonPress, start)
    send_mouse(lane, QMouseEvent.Type.MouseMove, QPoint(_x(window, 1900), 4))
    send_mouse(lane, QMouseEvent.Type.MouseMove, QPoint(_x(window, 960), 4))
    send_mouse(lane, QMouseEvent.Type.MouseButtonRelease, QPoint(_x(window, 960), 4))
    events = _events(window, MODULATION)
    assert (1800, 50) in [(e.tick, e.value) for e in events]
    ramp = [e for e in events if e.tick < 1800]
    assert ramp[0].value <= 2 and ramp[-1].value >= 125
    assert all(a.value < b.value for a, b in zip(ramp, ramp[1:], strict=False))
    window.undo_stack.undo()
    assert [(e.tick, e.value) for e in _events(window, MODULATION)] == [(1800, 50)]


def test_erase_tool_removes_what_it_sweeps(make_window):
    window = make_window()
    track = window.document.project.tracks[0]
    stroke = tuple(ControlEvent(t, MODULATION, 64) for t in range(0, 3840, 240))
    window.editor.replace_lane_range(track.id, MODULATION, 0, 3840, stroke)
    lane = _lane(window, MODULATION)
    window.roll.controllers.tool_buttons["erase"].click()
    drag(lane, QPoint(_x(window, 900), 20), QPoint(_x(window, 2000), 20))
    ticks = [e.tick for e in _events(window, MODULATION)]
    assert not [t for t in ticks if 960 <= t <= 1920]
    assert 0 in ticks and 3600 in ticks
    window.undo_stack.undo()
    assert len(_events(window, MODULATION)) == len(stroke)


def test_a_pedal_stroke_is_a_span_of_down(make_window):
    window = make_window()
    lane = _lane(window, SUSTAIN)
    drag(lane, QPoint(_x(window, 480), 8), QPoint(_x(window, 1440), 8))
    events = [(e.tick, e.value) for e in _events(window, SUSTAIN)]
    assert abs(events[0][0] - 480) <= 5 and events[0][1] == 127
    assert events[-1][1] == 0 and abs(events[-1][0] - 1440) <= 40  # released where the stroke ended
    assert len(events) == 2


def test_pitch_bend_lane_is_centred_at_zero(make_window):
    window = make_window()
    lane = _lane(window, PITCH_BEND)
    assert lane._value_at(lane._value_y(0)) == 0
    assert lane._value_at(lane.height() / 2) in range(-200, 200)


def test_controllers_move_with_notes_when_asked(make_window):
    window = make_window()
    track = window.document.project.tracks[0]
    window.editor.replace_lane_range(track.id, SUSTAIN, 0, 1, (ControlEvent(0, SUSTAIN, 127),))
    view = window.roll.view
    window.state.set_selection({n.id for n in track.notes})
    window.actions.move_controllers.setChecked(True)
    beat = 480 * view.px_per_tick
    start = note_point(view, 200, 60)
    count = window.undo_stack.count()
    drag(view.viewport(), start, QPoint(round(start.x() + beat), start.y()))
    moved = window.document.project.tracks[0]
    assert [n.start for n in moved.notes] == [480, 960, 1440]
    assert [(e.tick, e.value) for e in moved.lane(SUSTAIN)] == [(480, 127)]
    assert window.undo_stack.count() == count + 1
    window.undo_stack.undo()
    assert window.document.project.tracks[0].lane(SUSTAIN)[0].tick == 0


def test_a_one_tick_note_is_drawn_wide_enough_to_click(make_window):
    window = make_window(Project(tracks=(Track(name="Drums", notes=(Note(38, 480, 1, 100),)),)))
    view = window.roll.view
    item = window.roll.scene.items_by_id[window.document.project.tracks[0].notes[0].id]
    assert item.rect().width() * view.px_per_tick >= 4
    view.center_on_pitch(38)
    click(view.viewport(), QPoint(note_point(view, 480, 38).x() + 3, note_point(view, 480, 38).y()))
    assert window.state.selection == {window.document.project.tracks[0].notes[0].id}
    assert window.document.project.tracks[0].notes[0].duration == 1  # a click is not a resize


def _meters_and_keys() -> Project:
    from musestudio.core.events import KeyChange
    from musestudio.core.keys import KeySignature
    from musestudio.core.project import TimeSignature

    return two_track_project().with_(
        time_signatures=(TimeSignature(0, 4, 4), TimeSignature(1920, 7, 8), TimeSignature(3600, 3, 4)),
        key=KeySignature(0, "major"),
        key_changes=(KeyChange(3600, KeySignature(7, "major")),),
    )


def test_the_meter_and_key_boxes_edit_what_is_in_force_at_the_playhead_and_keep_the_rest(make_window, qtbot):
    window = make_window(_meters_and_keys())
    window.state.set_playhead(2000)
    box = window.toolbar.numerator
    assert box.value() == 7  # the meter in force at the playhead, not the first one
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "5")
    qtbot.keyClick(box, Qt.Key.Key_Enter)
    sigs = [(s.tick, s.numerator, s.denominator) for s in window.document.project.time_signatures]
    assert sigs == [(0, 4, 4), (1920, 5, 8), (3600, 3, 4)]
    window.state.set_playhead(4000)
    assert box.value() == 3
    key_box = window.toolbar.key
    assert key_box.currentText().startswith("G")  # the key change in force there
    key_box.setCurrentIndex(key_box.findText("D major"))
    project = window.document.project
    assert project.key.tonic == 0 and [(k.tick, k.key.tonic) for k in project.key_changes] == [(3600, 2)]
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.document.project == _meters_and_keys()


def test_a_meter_and_a_key_can_start_at_any_bar_and_be_taken_away(make_window, qtbot):
    """Edit > Meter Change at This Bar starts a meter at the playhead's bar, and the meter box then sets the
    bars from there on, leaving those before; the ruler says where it starts. The same for keys."""
    from musestudio.ui.pianoroll.ruler import conductor_changes

    window = make_window(_meters_and_keys())
    a, box = window.actions, window.toolbar.numerator
    window.state.set_playhead(3600 + 3 * 1440 + 100)  # in bar 4 of the 3/4 (three 3/4 bars after 3600)
    assert a.meter_change.isEnabled() and not a.meter_change.isChecked()
    a.meter_change.trigger()
    assert a.meter_change.isChecked()
    box.setValue(2)
    sigs = [(s.tick, s.numerator, s.denominator) for s in window.document.project.time_signatures]
    assert sigs == [(0, 4, 4), (1920, 7, 8), (3600, 3, 4), (3600 + 3 * 1440, 2, 4)]
    a.key_change.trigger()
    window.toolbar.key.setCurrentIndex(window.toolbar.key.findText("A major"))
    project = window.document.project
    assert [(k.tick, k.key.tonic) for k in project.key_changes] == [(3600, 7), (3600 + 3 * 1440, 9)]
    assert conductor_changes(project)[3600 + 3 * 1440] == "2/4 · A major"
    a.meter_change.trigger()  # off: the bars go back to 3/4
    a.key_change.trigger()
    assert not a.meter_change.isChecked() and not a.key_change.isChecked()
    assert window.document.project == _meters_and_keys()
    window.state.set_playhead(100)
    assert not a.meter_change.isEnabled() and not a.key_change.isEnabled()  # bar 1's: the boxes set them
    for _ in range(6):
        window.undo_stack.undo()
    assert window.document.project == _meters_and_keys()


def test_the_ruler_names_a_key_change_a_file_put_mid_bar_at_its_own_tick(make_window):
    from musestudio.core.timing import bar_lines
    from musestudio.ui.pianoroll.ruler import change_labels

    mid_bar = 1920 + 480  # bar 2, beat 2
    window = make_window(
        two_track_project()
        .with_(key=KeySignature(0, "major"))
        .with_key_changes((KeyChange(mid_bar, KeySignature(7, "major")),))
    )
    project, ruler = window.document.project, window.roll.ruler
    bars = bar_lines(project.time_signatures, project.ticks_per_beat, 4 * 1920)
    assert change_labels(project, bars, 4 * 1920) == [(mid_bar, "", "G major")]
    ruler.grab()  # draws it


def test_a_marker_added_and_named_with_a_double_click_is_one_undo_step(make_window, qtbot):
    """Double-click the empty marker row, type its name, Enter: one step, "Add marker"; Ctrl+Z takes the
    named marker away, not just its name (leaving a "Marker 1" the user never made)."""
    window = make_window()
    project = window.document.project
    row = window.roll.markers
    _double_click(row, QPoint(_x(window, 1920) + 4, row.height() // 2))
    row.editing.selectAll()
    qtbot.keyClicks(row.editing, "Bridge")
    qtbot.keyClick(row.editing, Qt.Key.Key_Return)
    assert [m.text for m in window.document.project.markers] == ["Bridge"]
    assert [window.undo_stack.text(i) for i in range(window.undo_stack.count())] == ["Add marker"]
    qtbot.keyClick(window.roll.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.project is project
    window.undo_stack.redo()
    assert [m.text for m in window.document.project.markers] == ["Bridge"]


def test_renaming_a_marker_already_there_is_a_step_of_its_own(make_window, qtbot):
    window = make_window()
    window.editor.add_marker(1920, "Verse")
    row = window.roll.markers
    _double_click(row, QPoint(_x(window, 1920) + 8, row.height() // 2))
    row.editing.selectAll()
    qtbot.keyClicks(row.editing, "Bridge")
    qtbot.keyClick(row.editing, Qt.Key.Key_Return)
    window.undo_stack.undo()
    assert [m.text for m in window.document.project.markers] == ["Verse"]


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_the_lane_chooser_names_every_general_midi_controller_in_the_users_language(language, make_window):
    """The chooser's CC entries came from ``core.events`` in English: a Chinese musician read "CC 91 ·
    Reverb" among Chinese names, and the same English beside the lane once picked."""
    window = make_window()
    controllers = window.roll.controllers
    controllers.select_lane(91)
    assert controllers.choose.currentText() == "CC 91 · 混响"
    english = [
        controllers.choose.itemText(i)
        for i in range(controllers.choose.count())
        if re.search(r"[a-z]{3,}", controllers.choose.itemText(i))
    ]
    assert english == []


def test_the_translated_controller_names_are_the_ones_core_gives():
    """``ui.gm`` marks the GM controller names for translation; ``core.events`` names the lanes in English.
    A name added or changed in one and not the other would reach the chooser untranslated."""
    assert {cc: lane_name(cc) for cc in CONTROLLERS} == {
        cc: lane_name(cc) for cc in range(128) if lane_name(cc) != f"CC {cc}"
    }
    assert all(CONTROLLERS[cc] == lane_name(cc) for cc in CONTROLLERS)
