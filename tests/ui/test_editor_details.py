"""The editor details of issue 15: key rows, note names, chord names, zoom to fit, Home, follow playhead,
nudge, Shift for off-grid moves, bar:beat:tick in the Inspector, the empty-piece hint, and file drops."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from musestudio.core.events import KeyChange
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.midi import write_midi
from musestudio.ui.pianoroll.scene import BACKGROUND, ROW_BLACK_KEY, ROW_IN_KEY
from musestudio.ui.state import Tool
from tests.ui.test_grid_follows_bars import BAR_4, notes_of, piece
from tests.ui.ui_helpers import click, drag, note_point

KEY, MOD = Qt.Key, Qt.KeyboardModifier
BAR = 1920


def melody(window):
    return window.document.project.tracks[0]


def row_colour(view, pitch: int, tick: int):
    """The background colour in the middle of ``pitch``'s row, between grid lines at ``tick``."""
    image = view.viewport().grab().toImage()
    x = round(view.tick_to_x(tick))
    y = round(view.pitch_to_y(pitch) + view.row_px / 2)
    assert 0 <= x < image.width() and 0 <= y < image.height()
    return image.pixelColor(x, y)


# -- key rows -------------------------------------------------------------------------------------------
def test_rows_of_the_key_are_shaded_and_follow_a_key_change(window):
    view = window.roll.view
    window.state.set_snap("1/4")
    view.center_on_pitch(66)
    tick = 2 * BAR + 240  # empty, and halfway between beat lines
    window.editor.set_key(KeySignature(0, "major"))
    QApplication.processEvents()
    assert row_colour(view, 60, tick) == ROW_IN_KEY  # C in C major
    assert row_colour(view, 61, tick) == ROW_BLACK_KEY  # C# is not
    window.editor.set_key(KeySignature(2, "major"))  # D major: C# in, C natural out
    QApplication.processEvents()
    assert row_colour(view, 61, tick) == ROW_IN_KEY
    assert row_colour(view, 60, tick) == BACKGROUND
    assert row_colour(view, 66, tick) == ROW_IN_KEY  # F#


def test_a_key_change_shades_the_rows_of_each_part_for_its_own_key(make_window):
    d_major_from_bar_3 = (KeyChange(2 * BAR, KeySignature(2, "major")),)
    window = make_window(
        Project(
            tracks=(Track(name="T", notes=(Note(40, 30 * BAR, 480),)),),  # (a note: no empty-piece hint)
            key=KeySignature(0, "major"),
            key_changes=d_major_from_bar_3,
        )
    )
    view = window.roll.view
    window.state.set_snap("1/4")
    view.center_on_pitch(62)
    QApplication.processEvents()
    before, after = BAR + 240, 2 * BAR + 240
    assert row_colour(view, 61, before) == ROW_BLACK_KEY and row_colour(view, 60, before) == ROW_IN_KEY
    assert row_colour(view, 61, after) == ROW_IN_KEY and row_colour(view, 60, after) == BACKGROUND


# -- note names -------------------------------------------------------------------------------------------
def test_note_names_appear_when_zoomed_in_only(window):
    view = window.roll.view
    while view.row_px > 6:
        view.zoom_pitch(0.8)
    assert not view.shows_note_names() and view.visible_named_notes() == []
    while view.row_px < 16:
        view.zoom_pitch(1.25)
    view.center_on_pitch(62)
    named = {n.pitch for n, _box in view.visible_named_notes()}
    assert named == {60, 62, 64}  # the active track's notes, not the bass of the other track
    view.viewport().grab()  # they are painted without error


# -- chord names --------------------------------------------------------------------------------------------
def chord_project() -> Project:
    upper = Track(
        name="Upper",
        notes=tuple(Note(p, 0, BAR) for p in (64, 67)) + (Note(69, BAR, BAR), Note(72, BAR, BAR)),
    )
    bass = Track(name="Bass", program=33, channel=1, notes=(Note(36, 0, BAR), Note(41, BAR, BAR)))
    drums = Track(name="Drums", channel=9, is_drum=True, notes=(Note(38, 0, 120), Note(42, 0, 120)))
    return Project(tracks=(upper, bass, drums))


def test_chord_names_of_the_active_track_or_of_all_tracks(make_window):
    window = make_window(chord_project())
    row, a = window.roll.chords, window.actions
    assert row.isVisible() and a.chord_names.isChecked() and not a.chords_all_tracks.isChecked()
    assert [c.name for c in row.chords()] == ["Em", "Am"]  # E-G and A-C alone
    a.chords_all_tracks.trigger()
    assert [(c.start, c.name) for c in row.chords()] == [(0, "C"), (BAR, "F")]  # the bass decides
    assert window.settings.get("chords_all_tracks")
    window.editor.set_track(window.document.project.tracks[1].id, "mute", mute=True)
    window.editor.move_notes(melody(window).notes[:2], 0, 2)  # F# A over C: a D7 without its root
    names = [c.name for c in row.chords()]
    assert names[0] != "C"
    a.chord_names.trigger()
    assert not row.isVisible()


# -- zoom, Home, follow -----------------------------------------------------------------------------------
def test_zoom_to_fit_shows_every_note(make_window):
    far = Track(name="Far", notes=(Note(30, 0, 480), Note(100, 40 * BAR, 480)))
    window = make_window(Project(tracks=(far,)))
    view = window.roll.view
    QTest.keyClick(view, KEY.Key_0, MOD.ControlModifier)
    left, right = view.visible_ticks()
    assert left <= 0 and right >= 40 * BAR + 480
    height = view.viewport().height()
    for pitch in (30, 100):
        assert 0 <= view.pitch_to_y(pitch) and view.pitch_to_y(pitch) + view.row_px <= height


def test_home_goes_to_bar_one_without_playing(window):
    view = window.roll.view
    window.state.set_playhead(20 * BAR)
    view.scroll_to_tick(20 * BAR)
    assert view.horizontalScrollBar().value() > 0
    QTest.keyClick(view, KEY.Key_Home)
    assert window.state.playhead == 0
    assert view.horizontalScrollBar().value() == view.horizontalScrollBar().minimum()
    assert not window.transport.playing
    QTest.keyClick(view, KEY.Key_End)
    assert window.state.playhead == window.document.project.end


def test_follow_playhead_can_be_switched_off(window):
    view, follow = window.roll.view, window.actions.follow_playhead
    assert follow.isChecked()
    window.player.playing_changed.emit(True)  # the player reports that playback runs
    assert window.transport.playing
    window.state.set_playhead(30 * BAR)
    assert view.visible_ticks()[0] <= 30 * BAR <= view.visible_ticks()[1]
    QTest.keyClick(view, KEY.Key_F)
    assert not follow.isChecked() and not window.settings.get("follow_playhead")
    before = view.horizontalScrollBar().value()
    window.state.set_playhead(60 * BAR)
    assert view.horizontalScrollBar().value() == before
    window.player.playing_changed.emit(False)


# -- keyboard nudge and scroll --------------------------------------------------------------------------
def test_left_and_right_nudge_the_selection_by_the_snap(window):
    view, state = window.roll.view, window.state
    state.set_snap("1/8")
    first = melody(window).notes[1]  # 480..960
    state.set_selection({first.id})
    QTest.keyClick(view, KEY.Key_Right)
    QTest.keyClick(view, KEY.Key_Right)
    assert melody(window).note_by_id(first.id).start == 480 + 2 * 240
    QTest.keyClick(view, KEY.Key_Left)
    assert melody(window).note_by_id(first.id).start == 480 + 240
    assert window.undo_stack.count() == 3
    window.undo_stack.undo()
    assert melody(window).note_by_id(first.id).start == 480 + 2 * 240


def _at_100_ticks_a_beat(make_window):
    """A MIDI file's odd resolution: a 32nd is 12.5 ticks, its grid lines 0, 13, 25, 38, 50, ..., 100."""
    window = make_window(Project(tracks=(Track(name="T", notes=(Note(60, 100, 50),)),), ticks_per_beat=100))
    window.state.set_snap("1/32")
    window.editor.select_all()
    return window


def test_at_an_odd_resolution_eight_32nd_nudges_make_a_beat(make_window):
    window = _at_100_ticks_a_beat(make_window)
    for _ in range(8):
        QTest.keyClick(window.roll.view, KEY.Key_Right)
    assert melody(window).notes[0].start == 200
    for _ in range(3):
        QTest.keyClick(window.roll.view, KEY.Key_Left)
    assert melody(window).notes[0].start == 163  # the grid line 3 32nds before 200 (162.5)


def test_at_an_odd_resolution_the_inspectors_arrows_step_by_grid_lines(make_window, qtbot):
    window = _at_100_ticks_a_beat(make_window)
    window.inspector.show()
    box = window.inspector.widget().start
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    for _ in range(8):
        QTest.keyClick(box, KEY.Key_Up)
    assert melody(window).notes[0].start == 200


def test_at_an_odd_resolution_a_drawn_note_is_at_least_one_grid_step_to_a_grid_line(make_window):
    window = _at_100_ticks_a_beat(make_window)
    view = window.roll.view
    window.state.set_tool(Tool.DRAW)
    drag(view.viewport(), note_point(view, 101, 72), note_point(view, 104, 72))
    new = [n for n in melody(window).notes if n.pitch == 72]
    assert [(n.start, n.end) for n in new] == [(100, 113)]


def test_ctrl_left_and_right_scroll_the_view_and_leave_the_notes(window):
    view = window.roll.view
    window.editor.select_all()
    before = window.document.project
    QTest.keyClick(view, KEY.Key_Right, MOD.ControlModifier)
    scrolled = view.horizontalScrollBar().value()
    assert scrolled > 0
    QTest.keyClick(view, KEY.Key_Left, MOD.ControlModifier)
    assert view.horizontalScrollBar().value() < scrolled
    assert window.document.project is before


# -- off-grid moves ---------------------------------------------------------------------------------------
def test_shift_drag_moves_off_the_grid_and_shift_click_still_toggles(window):
    view, state = window.roll.view, window.state
    state.set_tool(Tool.SELECT)
    first, second = melody(window).notes[:2]
    state.set_selection({first.id})
    click(view.viewport(), note_point(view, 700, 62), modifiers=MOD.ShiftModifier)
    assert state.selection == {first.id, second.id}
    click(view.viewport(), note_point(view, 700, 62), modifiers=MOD.ShiftModifier)
    assert state.selection == {first.id}
    drag(
        view.viewport(),
        note_point(view, 240, 60),
        note_point(view, 240 + 300, 60),
        modifiers=MOD.ShiftModifier,
    )
    moved = melody(window).note_by_id(first.id)
    assert moved.start % state.snap_step() != 0 and abs(moved.start - 300) < 20
    assert window.undo_stack.count() == 1


def test_shift_click_adds_to_and_removes_from_the_selection_with_the_draw_tool(window):
    view, state = window.roll.view, window.state
    assert state.tool is Tool.DRAW  # the tool a new window starts with
    first, second = melody(window).notes[:2]
    click(view.viewport(), note_point(view, 240, 60))
    assert state.selection == {first.id}
    click(view.viewport(), note_point(view, 700, 62), modifiers=MOD.ShiftModifier)
    assert state.selection == {first.id, second.id}
    click(view.viewport(), note_point(view, 700, 62), modifiers=MOD.ShiftModifier)
    assert state.selection == {first.id}
    assert len(melody(window).notes) == 3 and window.undo_stack.count() == 0  # no note drawn


def test_shift_drag_with_the_draw_tool_moves_or_resizes_off_the_grid(window):
    view, state = window.roll.view, window.state
    first, second = melody(window).notes[:2]
    drag(view.viewport(), note_point(view, 240, 60), note_point(view, 540, 60), modifiers=MOD.ShiftModifier)
    moved = melody(window).note_by_id(first.id)
    assert moved.start % state.snap_step() != 0 and abs(moved.start - 300) < 20
    end = 960 - 2 / view.px_per_tick  # on the second note's right edge
    drag(
        view.viewport(),
        note_point(view, end, 62),
        note_point(view, end + 200, 62),
        modifiers=MOD.ShiftModifier,
    )
    stretched = melody(window).note_by_id(second.id)
    assert stretched.start == 480 and abs(stretched.duration - 680) < 20
    assert len(melody(window).notes) == 3 and window.undo_stack.count() == 2


# -- the inspector --------------------------------------------------------------------------------------
def test_inspector_reads_and_takes_bars_beats_and_ticks(window):
    inspector = window.inspector.widget()
    second = melody(window).notes[1]  # 480..960: bar 1, beat 2, one beat long
    window.state.set_selection({second.id})
    assert inspector.start.text() == "1:2:0"
    assert inspector.length.text() == "0:1:0"
    inspector.start.lineEdit().setText("3:4:60")
    inspector.start.interpretText()
    assert melody(window).note_by_id(second.id).start == 2 * BAR + 3 * 480 + 60
    inspector.length.lineEdit().setText("1:0:0")
    inspector.length.interpretText()
    assert melody(window).note_by_id(second.id).duration == BAR
    assert inspector.start.text() == "3:4:60" and inspector.length.text() == "1:0:0"


def test_inspector_counts_in_the_meter_of_the_piece(make_window):
    track = Track(name="Waltz", notes=(Note(60, 3 * 1440 + 480, 960),))
    window = make_window(Project(tracks=(track,)).set_meter_at(0, 3, 4))
    inspector = window.inspector.widget()
    window.editor.select_all()
    assert inspector.start.text() == "4:2:0"  # 3/4 bars are 1440 ticks
    assert inspector.length.text() == "0:2:0"


def test_the_inspector_start_arrows_step_along_the_three_four_bars(make_window):
    window = make_window(piece(Note(60, 4800, 240)))  # beat 3 of bar 3, the first 3/4 bar
    inspector = window.inspector.widget()
    window.state.set_snap("1/2")  # in 3/4 its lines are each bar's beats 1 and 3
    window.editor.select_all()
    window.inspector.show()
    inspector.start.setFocus()
    QTest.keyClick(inspector.start, KEY.Key_Up)
    assert notes_of(window) == [(60, BAR_4, 240)]  # bar 4's downbeat, not 5760 (beat 2 of bar 4)
    QTest.keyClick(inspector.start, KEY.Key_Up)
    assert notes_of(window) == [(60, BAR_4 + 960, 240)]
    QTest.keyClick(inspector.start, KEY.Key_Down)
    QTest.keyClick(inspector.start, KEY.Key_Down)
    assert notes_of(window) == [(60, 4800, 240)]


# -- the empty piece ---------------------------------------------------------------------------------------
def test_an_empty_piece_shows_a_hint_until_it_has_notes(make_window):
    window = make_window(Project(tracks=(Track(name="Piano"),)))
    view = window.roll.view
    middle = view.viewport().rect().adjusted(60, 0, -60, 0)
    middle.setTop(middle.center().y() - 30)
    middle.setHeight(60)
    assert view.shows_hint() and "Ctrl+I" in view.hint
    with_hint = view.viewport().grab().toImage().copy(middle)
    window.editor.add_note(100, 200 * BAR, 480)  # far out of view: only the hint changes what is seen
    assert not view.shows_hint()
    without = view.viewport().grab().toImage().copy(middle)
    assert with_hint != without
    window.undo_stack.undo()
    assert view.shows_hint()


# -- files dropped anywhere -------------------------------------------------------------------------------
def _drop_on(widget, mime: QMimeData) -> tuple[bool, bool]:
    at = QPointF(widget.width() / 2, widget.height() / 2)
    enter = QDragEnterEvent(
        at.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, MOD.NoModifier
    )
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, MOD.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_a_file_dropped_on_the_roll_opens_after_the_unsaved_question(window, qtbot, tmp_path, monkeypatch):
    mid = tmp_path / "elsewhere.mid"
    write_midi(Project(tracks=(Track(name="X", notes=(Note(72, 0, 480),)),)), mid)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(mid))])
    window.editor.add_note(90, 0, 120)  # an unsaved change
    asked = []

    def answer(choice):
        return lambda *a, **k: asked.append(a) or choice

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    assert _drop_on(window.roll.view.viewport(), mime) == (True, True)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=30_000)
    assert not window.windowTitle().startswith("elsewhere.mid")  # cancelled: the piece stays
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    _drop_on(window.inspector.widget().start, mime)  # a number field: the drop still opens the file
    qtbot.waitUntil(lambda: window.windowTitle().startswith("elsewhere.mid"), timeout=30_000)
    assert [n.pitch for n in melody(window).notes] == [72]


def test_a_dropped_file_of_another_kind_is_not_taken(window, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("no music")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(text))])
    before = window.document.project
    _drop_on(window.roll.view.viewport(), mime)
    QApplication.processEvents()
    assert window.document.project is before


def test_a_transpose_that_would_leave_the_range_moves_nothing_and_says_so(window):
    """Octave Up on notes 60 and 120 used to move the 60 a fifth (the selection clamped as one)."""
    track = window.document.project.tracks[0]
    window.editor.add_note(120, 0, 480)
    window.state.set_selection(n.id for n in window.document.project.tracks[0].notes)
    before, steps = window.document.project, window.undo_stack.count()
    window.actions.octave_up.trigger()
    assert window.document.project == before and window.undo_stack.count() == steps
    assert "Not transposed" in window.statusBar().currentMessage()
    window.actions.transpose_down.trigger()  # this one fits: every note moves by it
    assert sorted(n.pitch for n in window.document.project.tracks[0].notes) == sorted(
        [n.pitch - 1 for n in track.notes] + [119]
    )


def test_notes_dragged_past_the_start_keep_their_pedal_where_it_was_under_them(window):
    """Move Controllers with Notes: a drag stopped by the start of the piece stops the pedal by as much (it
    used to stop each on its own, parting the pedal from its notes)."""
    from PySide6.QtCore import QPoint

    from musestudio.core.events import SUSTAIN, ControlEvent
    from tests.ui.ui_helpers import drag, note_point

    held = Track(
        name="P",
        notes=(Note(60, 480, 480, 90),),
        controllers=(ControlEvent(600, SUSTAIN, 127), ControlEvent(900, SUSTAIN, 0)),
    )
    window.document.set_project(Project(tracks=(held,)))
    track = window.document.project.tracks[0]
    window.state.set_active_track(track.id)
    window.state.set_selection({track.notes[0].id})
    window.actions.move_controllers.setChecked(True)
    view = window.roll.view
    view.horizontalScrollBar().setValue(0)
    start = note_point(view, 720, 60)
    drag(
        view.viewport(),
        start,
        QPoint(round(view.tick_to_x(120)), start.y()),
        modifiers=Qt.KeyboardModifier.AltModifier,
    )
    moved = window.document.project.tracks[0]
    assert moved.notes[0].start == 0
    assert [(c.tick, c.value) for c in moved.controllers] == [(120, 127), (420, 0)]
