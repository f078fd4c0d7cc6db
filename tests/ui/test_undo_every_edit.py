"""Every edit the user can make in the window is exactly one undo step, done from the UI where the user does
it (a click, a drag, a key, a box, a menu): it changes the piece; undo gives back the very Project value
before it, redo the very one after it.

Every edit reaches the document through ``Editor.push`` as a ``commands.ProjectCommand`` (the one undo
command class), so this list follows the callers of ``push``: the editor's note, track, tempo, meter, key,
marker and controller edits, the roll's and lanes' gestures, the tracks panel, the inspector, the toolbar,
recording and step input, keeping a take, and importing MIDI.
"""

from __future__ import annotations

from dataclasses import replace

import mido
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from musestudio.core import ControlEvent, Marker, Note, Project, TempoChange, Track
from musestudio.core.events import MODULATION, SUSTAIN
from musestudio.io.midi import write_midi
from musestudio.ml.engines import CONTINUE, missing_model
from musestudio.ui.dialogs.insert_bars import InsertBarsDialog
from musestudio.ui.panels import tracks as tracks_panel
from musestudio.ui.state import Tool
from tests.ui.test_midi_ui import play_note, time_of
from tests.ui.ui_helpers import click, drag, note_point, send_mouse, two_track_project

MOD = Qt.KeyboardModifier
NO_CONTINUE_MODEL = missing_model(CONTINUE, "seq2seq") is not None


def piece() -> Project:
    """Two tracks with a tempo map, two markers and a pedal stroke: something for every edit to change."""
    base = two_track_project()
    melody = base.tracks[0].with_controllers((ControlEvent(0, SUSTAIN, 127), ControlEvent(1400, SUSTAIN, 0)))
    return replace(
        base.replace_track(melody),
        tempos=(TempoChange(0, 90), TempoChange(1920, 140)),
        markers=(Marker(960, "Verse"), Marker(3840, "Chorus")),
    )


def x_of(window, tick: int) -> int:
    return round(window.roll.view.tick_to_x(tick))


def double_click(widget, pos: QPoint) -> None:
    click(widget, pos)
    send_mouse(widget, QMouseEvent.Type.MouseButtonDblClick, pos)
    send_mouse(widget, QMouseEvent.Type.MouseButtonRelease, pos)


def roll(window, tool: Tool):
    window.state.set_tool(tool)
    window.state.set_snap("1/8")
    return window.roll.view


def select_all(window):
    window.editor.select_all()


def select_first(window):
    window.state.set_selection({window.document.project.tracks[0].notes[0].id})


def select_second(window):
    window.state.set_selection({window.document.project.tracks[0].notes[1].id})


def row_of_melody(window):
    return window.tracks.widget().rows[window.document.project.tracks[0].id]


def cc_lane(window, lane: int):
    window.roll.controllers.select_lane(lane)
    return window.roll.controllers.lane


def delete_every_track(window):
    for track in window.document.project.tracks:
        window.editor.delete_track(track.id)


# Each edit: set up (not measured), then return what the user then does (measured).
def draw_click(w):
    view = roll(w, Tool.DRAW)
    return lambda: click(view.viewport(), note_point(view, 2000, 72))


def draw_drag(w):
    view = roll(w, Tool.DRAW)
    return lambda: drag(view.viewport(), note_point(view, 1930, 72), note_point(view, 2900, 72), steps=8)


def draw_in_a_piece_without_tracks(w):
    delete_every_track(w)
    view = roll(w, Tool.DRAW)
    return lambda: click(view.viewport(), note_point(view, 0, 60))


def erase_click(w):
    view = roll(w, Tool.ERASE)
    return lambda: click(view.viewport(), note_point(view, 600, 62))


def erase_drag(w):
    view = roll(w, Tool.ERASE)
    return lambda: drag(view.viewport(), note_point(view, 100, 60), note_point(view, 1100, 64), steps=10)


def right_click_erases(w):
    view = roll(w, Tool.SELECT)
    return lambda: click(view.viewport(), note_point(view, 600, 62), Qt.MouseButton.RightButton)


def move_drag(w):
    view = roll(w, Tool.SELECT)
    return lambda: drag(view.viewport(), note_point(view, 240, 60), note_point(view, 1100, 63), steps=12)


def copy_drag(w):
    view = roll(w, Tool.SELECT)
    select_all(w)
    start, end = note_point(view, 240, 60), note_point(view, 240 + 1920, 60)
    return lambda: drag(view.viewport(), start, end, steps=6, modifiers=MOD.ControlModifier)


def move_with_controllers_drag(w):
    view = roll(w, Tool.SELECT)
    select_all(w)
    w.actions.move_controllers.setChecked(True)
    return lambda: drag(view.viewport(), note_point(view, 200, 60), note_point(view, 700, 60), steps=6)


def resize_drag(w):
    view = roll(w, Tool.SELECT)
    third = w.document.project.tracks[0].notes[2]
    edge = QPoint(x_of(w, third.end) - 2, note_point(view, 0, 64).y())
    return lambda: drag(view.viewport(), edge, edge + QPoint(round(500 * view.px_per_tick), 0), steps=8)


def velocity_drag(w):
    lane = w.roll.velocity
    select_all(w)
    x = x_of(w, 480) + 1
    return lambda: drag(lane, QPoint(x, round(lane._velocity_y(80))), QPoint(x, round(lane._velocity_y(110))))


def inspector(field: str, value: int):
    def edit(w):
        select_first(w)
        return lambda: getattr(w.inspector.widget(), field).setValue(value)

    edit.__name__ = f"inspector_{field}"
    return edit


def action(name: str, setup=select_all):
    def edit(w):
        setup(w)
        return getattr(w.actions, name).trigger

    edit.__name__ = name
    return edit


def insert_bars(w):
    def answer():  # the dialog's count: two bars
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, InsertBarsDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.count.setValue(2)
        dialog.accept()

    def edit():
        QTimer.singleShot(0, answer)
        w.actions.insert_bars.trigger()

    return edit


def delete_bars(w):
    w.state.set_playhead(100)  # bar 1: the melody and the pedal stroke
    return w.actions.delete_bars.trigger


def ruler_delete_bars(w):
    return w.bars.ruler_menu(1920 + 10).actions()[1].trigger  # bar 2: the second tempo change's


def quantize(w):
    melody = w.document.project.tracks[0]
    w.editor.move_notes(melody.notes[:1], 37, 0)
    select_all(w)
    w.state.set_snap("1/4")
    return w.actions.quantize.trigger


def paste(w):
    select_all(w)
    w.actions.copy.trigger()
    w.state.set_playhead(3840)
    return w.actions.paste.trigger


def paste_into_a_piece_without_tracks(w):
    select_all(w)
    w.actions.copy.trigger()
    delete_every_track(w)
    return w.actions.paste.trigger


def add_track_button(w):
    panel = w.tracks.widget()
    (add,) = [b for b in panel.findChildren(tracks_panel.QToolButton) if b.text() == "Add"]
    return add.click


def delete_track_button(w):
    panel = w.tracks.widget()
    (delete,) = [b for b in panel.findChildren(tracks_panel.QToolButton) if b.text() == "Delete"]
    return delete.click


def rename_track(w, monkeypatch):
    monkeypatch.setattr(tracks_panel.QInputDialog, "getText", lambda *a, **k: ("Violin I", True))
    return row_of_melody(w).rename


def pick_instrument(w):
    menu = row_of_melody(w).instrument.menu()
    menu.aboutToShow.emit()
    strings = [a for a in menu.actions() if a.menu()][5]
    return strings.menu().actions()[0].trigger


def pick_drums(w):
    menu = row_of_melody(w).instrument.menu()
    menu.aboutToShow.emit()
    return menu.actions()[-1].trigger


def mute(w):
    row = row_of_melody(w)
    return lambda: click(row.mute, QPoint(5, 5))


def solo(w):
    row = row_of_melody(w)
    return lambda: click(row.solo, QPoint(5, 5))


def volume_drag(w):
    slider = row_of_melody(w).volume

    def edit():
        slider.setSliderDown(True)
        for value in (90, 70, 55):
            slider.setValue(value)
        slider.setSliderDown(False)

    return edit


def track_colour(w, monkeypatch):
    monkeypatch.setattr(tracks_panel.QColorDialog, "getColor", lambda *a, **k: QColor("#123456"))
    return lambda: click(row_of_melody(w).colour, QPoint(5, 5))


def tempo_box(w):
    return lambda: w.toolbar.tempo.setValue(133)


def meter_numerator(w):
    return lambda: w.toolbar.numerator.setValue(3)


def meter_denominator(w):
    box = w.toolbar.denominator
    return lambda: box.setCurrentIndex(box.findData(8))


def key_box(w):
    return lambda: w.toolbar.key.setCurrentIndex(3)


def add_tempo_change(w):
    lane = w.roll.tempo
    return lambda: double_click(lane, QPoint(x_of(w, 960), lane.height() // 2))


def drag_tempo_change(w):
    lane = w.roll.tempo
    y = lane.height() // 2
    start = QPoint(x_of(w, 1920), y)
    end = QPoint(round(start.x() + 960 * w.roll.view.px_per_tick), y - 20)
    return lambda: drag(lane, start, end, steps=8)


def delete_tempo_change(w, qtbot):
    lane = w.roll.tempo
    click(lane, QPoint(x_of(w, 1920), 5))
    lane.setFocus()
    return lambda: qtbot.keyClick(lane, Qt.Key.Key_Delete)


def add_marker_key(w, qtbot):
    w.state.set_playhead(1920)
    return lambda: qtbot.keyClick(w.roll.view, Qt.Key.Key_M, MOD.ControlModifier)


def rename_marker(w, qtbot):
    row = w.roll.markers

    def edit():
        double_click(row, QPoint(x_of(w, 960) + 8, row.height() // 2))
        row.editing.selectAll()
        qtbot.keyClicks(row.editing, "Bridge")
        qtbot.keyClick(row.editing, Qt.Key.Key_Return)

    return edit


def move_marker_drag(w):
    row = w.roll.markers
    start = QPoint(x_of(w, 960) + 8, row.height() // 2)
    end = QPoint(round(start.x() + 960 * w.roll.view.px_per_tick), start.y())
    return lambda: drag(row, start, end, steps=6)


def delete_marker(w, qtbot):
    row = w.roll.markers
    click(row, QPoint(x_of(w, 960) + 8, row.height() // 2))
    row.setFocus()
    return lambda: qtbot.keyClick(row, Qt.Key.Key_Delete)


def draw_controller(w):
    lane = cc_lane(w, MODULATION)
    h = lane.height()
    return lambda: drag(lane, QPoint(x_of(w, 0) + 2, h - 6), QPoint(x_of(w, 1920), 6), steps=12)


def line_controller(w):
    lane = cc_lane(w, MODULATION)
    w.roll.controllers.tool_buttons["line"].click()
    h = lane.height()
    return lambda: drag(lane, QPoint(x_of(w, 0) + 1, h - 4), QPoint(x_of(w, 1900), 4), steps=6)


def erase_controllers(w):
    lane = cc_lane(w, SUSTAIN)
    w.roll.controllers.tool_buttons["erase"].click()
    return lambda: drag(lane, QPoint(x_of(w, 0) + 1, 20), QPoint(x_of(w, 1500), 20))


def import_midi(w, tmp_path):
    other = Project(markers=(Marker(0, "Intro"),), tracks=(Track(name="Horn", notes=(Note(67, 0, 960),)),))
    write_midi(other, tmp_path / "horn.mid")
    return lambda: w.files.import_midi(tmp_path / "horn.mid")


def import_midi_into_an_empty_piece(w, tmp_path):
    for track in w.document.project.tracks:
        w.state.set_active_track(track.id)
        select_all(w)
        w.editor.delete_selection()
    return import_midi(w, tmp_path)


def record(w):
    w.player.open()
    w.state.set_playhead(1920)

    def edit():
        w.actions.record.trigger()
        play_note(w, 72, 1920 + 240, 1920 + 720, velocity=77)
        w.actions.record.trigger()

    return edit


def record_in_a_piece_without_tracks(w):
    delete_every_track(w)
    return record(w)


def jam_phrase(w):
    w.player.open()
    w.state.set_playhead(3840)

    def edit():
        assert w.jam.start()
        play_note(w, 67, 3840, 4080)
        play_note(w, 72, 4080, 4800)
        assert w.jam.poll(time_of(w, 4800 + 1920))
        w.jam.stop()

    return edit


def jam_phrase_in_a_piece_without_tracks(w):
    delete_every_track(w)
    return jam_phrase(w)


def step_input(w):
    w.state.set_playhead(1920)
    w.actions.step_input.setChecked(True)

    def edit():
        for kind in ("note_on", "note_off"):
            for pitch in (60, 64, 67):
                w.on_midi_message(mido.Message(kind, note=pitch, velocity=90))

    return edit


def step_input_in_a_piece_without_tracks(w):
    delete_every_track(w)
    return step_input(w)


def keep_take(new_track: bool):
    def edit(w, qtbot):
        from tests.ui.test_generate_ui import choose, press_generate

        choose(w, CONTINUE, "seq2seq", "seed", bars=1, variations=2)
        press_generate(qtbot, w)
        return lambda: w.generate.keep(new_track=new_track)

    edit.__name__ = "keep_take_as_new_track" if new_track else "keep_take"
    return pytest.param(edit, marks=pytest.mark.skipif(NO_CONTINUE_MODEL, reason="no Continue model"))


EDITS = [
    draw_click,
    draw_drag,
    draw_in_a_piece_without_tracks,
    erase_click,
    erase_drag,
    right_click_erases,
    move_drag,
    copy_drag,
    move_with_controllers_drag,
    resize_drag,
    velocity_drag,
    inspector("pitch", 70),
    inspector("start", 240),
    inspector("length", 960),
    inspector("velocity", 30),
    quantize,
    action("transpose_up"),
    action("transpose_down"),
    action("octave_up"),
    action("octave_down"),
    action("nudge_left", select_second),
    action("nudge_right"),
    action("duplicate"),
    action("cut"),
    action("delete"),
    insert_bars,
    delete_bars,
    ruler_delete_bars,
    paste,
    paste_into_a_piece_without_tracks,
    add_track_button,
    delete_track_button,
    rename_track,
    pick_instrument,
    pick_drums,
    mute,
    solo,
    volume_drag,
    track_colour,
    tempo_box,
    meter_numerator,
    meter_denominator,
    key_box,
    add_tempo_change,
    drag_tempo_change,
    delete_tempo_change,
    add_marker_key,
    rename_marker,
    move_marker_drag,
    delete_marker,
    draw_controller,
    line_controller,
    erase_controllers,
    import_midi,
    import_midi_into_an_empty_piece,
    record,
    record_in_a_piece_without_tracks,
    jam_phrase,
    jam_phrase_in_a_piece_without_tracks,
    step_input,
    step_input_in_a_piece_without_tracks,
    keep_take(False),
    keep_take(True),
]


def _name(edit) -> str:
    return getattr(edit, "__name__", "")


@pytest.mark.parametrize("set_up", EDITS, ids=_name)
def test_the_edit_is_exactly_one_undo_step(set_up, make_window, qtbot, tmp_path, monkeypatch):
    window = make_window(piece())
    window.state.set_active_track(window.document.project.tracks[0].id)
    fixtures = {"qtbot": qtbot, "tmp_path": tmp_path, "monkeypatch": monkeypatch}
    wanted = set_up.__code__.co_varnames[1 : set_up.__code__.co_argcount]
    edit = set_up(window, **{k: fixtures[k] for k in wanted})
    stack = window.undo_stack
    before, index = window.document.project, stack.index()

    edit()

    after = window.document.project
    assert after != before, "the edit changed nothing"
    assert (stack.index(), stack.count()) == (index + 1, index + 1), [
        stack.text(i) for i in range(index, stack.count())
    ]
    stack.undo()
    assert window.document.project is before
    stack.redo()
    assert window.document.project is after


def test_a_recording_whose_track_was_deleted_meanwhile_comes_in_a_new_track(make_window):
    window = make_window(piece())
    melody = window.document.project.tracks[0]
    window.state.set_active_track(melody.id)
    record(window)
    window.actions.record.trigger()
    window.editor.delete_track(melody.id)
    play_note(window, 72, 1920 + 240, 1920 + 720, velocity=77)
    window.actions.record.trigger()
    tracks = window.document.project.tracks
    assert melody.id not in {t.id for t in tracks} and [n.pitch for n in tracks[-1].notes] == [72]
    assert window.state.active_track_id == tracks[-1].id


def test_an_edit_that_changes_nothing_leaves_no_step_and_keeps_the_redo(make_window):
    """Quantize on notes already on the grid, Nudge Left on notes at bar 1: a step that does nothing would
    throw away the Transpose just undone, which could no longer be redone."""
    window = make_window()
    view, stack = window.roll.view, window.undo_stack
    window.editor.select_all()
    QTest.keyClick(view, Qt.Key.Key_Up)
    stack.undo()
    window.editor.select_all()
    QTest.keyClick(view, Qt.Key.Key_Q)
    QTest.keyClick(view, Qt.Key.Key_Left)
    assert [stack.text(i) for i in range(stack.count())] == ["Transpose"] and stack.canRedo()
