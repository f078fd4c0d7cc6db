"""Edit > Insert Bars… and Delete Bars in the window: the menu entries and their keys, the dialog asking how
many bars, the ruler's right-click menu, the loop region going with the music, and one undo step that gives
back everything, down to the notes and markers the delete took (the same ids)."""

from __future__ import annotations

import io

import mido
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from musestudio.core.events import SUSTAIN, ControlEvent, Marker
from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange, TimeSignature
from musestudio.core.track import Track
from musestudio.io.midi import midi_from_bytes, midi_to_bytes
from musestudio.io.midi_export_changes import midi_export_changes
from musestudio.ui.dialogs.insert_bars import InsertBarsDialog
from musestudio.ui.shortcuts import ShortcutsDialog
from tests.ui.ui_helpers import click

BAR, WALTZ = 1920, 1440


def song() -> Project:
    """Bars 1-2 in 4/4, then 3/4; a note in each of bars 1 to 4, a pedal and a marker in bar 3."""
    melody = Track(
        name="Melody",
        notes=(Note(60, 0, 480), Note(62, BAR, 480), Note(64, 2 * BAR, 480), Note(65, 2 * BAR + WALTZ, 480)),
        controllers=(ControlEvent(2 * BAR, SUSTAIN, 127), ControlEvent(2 * BAR + 960, SUSTAIN, 0)),
    )
    bass = Track(name="Bass", channel=1, notes=(Note(36, 0, 4 * BAR),))
    return Project(
        tracks=(melody, bass),
        tempos=(TempoChange(0, 120.0), TempoChange(2 * BAR, 80.0)),
        time_signatures=(TimeSignature(0), TimeSignature(2 * BAR, 3, 4)),
        markers=(Marker(2 * BAR, "Bridge"),),
    )


def edit_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")


def answer_the_dialog(count: int, before: int | None = None, typed: bool = False) -> list[tuple]:
    """Fill the Insert Bars dialog once it is up and press OK (``typed``: type the count, then Enter);
    returns what the dialogs offered."""
    seen = []

    def fill():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, InsertBarsDialog):
            QTimer.singleShot(20, fill)
            return
        seen.append(
            (
                dialog.focusWidget() is dialog.count,
                dialog.before.value(),
                dialog.count.value(),
                dialog.meter.text(),
            )
        )
        if before is not None:
            dialog.before.setValue(before)
        if typed:
            QTest.keyClicks(dialog.count, str(count))
            QTest.keyClick(dialog.count, Qt.Key.Key_Return)
        else:
            dialog.count.setValue(count)
            dialog.accept()

    QTimer.singleShot(0, fill)
    return seen


def ids(project: Project) -> list:
    return [
        [(n.id, n.start, n.duration) for n in t.notes] + [e.id for e in t.controllers] for t in project.tracks
    ] + [[m.id for m in project.markers], [t.id for t in project.tempos]]


def test_the_edit_menu_inserts_bars_at_the_playheads_bar_as_one_undo_step(make_window):
    window = make_window(song())
    assert {window.actions.insert_bars, window.actions.delete_bars} <= set(edit_menu(window).actions())
    before = window.document.project
    window.state.set_playhead(2 * BAR + 700)  # in bar 3, the first 3/4 bar
    window.state.set_loop(2 * BAR, 2 * BAR + WALTZ)  # over bar 3
    window.state.set_loop_enabled(False)
    seen = answer_the_dialog(2, typed=True)
    window.actions.insert_bars.trigger()
    (focused, offered_bar, offered_count, note) = seen[0]
    assert focused  # the count is asked first, ready to type over
    assert (offered_bar, offered_count) == (3, 1) and "3/4" in note
    after = window.document.project
    melody, bass = after.tracks
    assert [n.start for n in melody.notes] == [0, BAR, 2 * BAR + 2 * WALTZ, 2 * BAR + 3 * WALTZ]
    assert bass.notes[0].duration == 4 * BAR + 2 * WALTZ  # held on through the new bars
    assert [e.tick for e in melody.controllers] == [2 * BAR + 2 * WALTZ, 2 * BAR + 2 * WALTZ + 960]
    assert [m.tick for m in after.markers] == [2 * BAR + 2 * WALTZ]
    assert [t.tick for t in after.tempos] == [0, 2 * BAR]  # the new bars are in bar 3's tempo and meter
    assert window.state.loop == (2 * BAR + 2 * WALTZ, 2 * BAR + 3 * WALTZ) and not window.state.loop_enabled
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Insert bars before bar 3"
    window.undo_stack.undo()
    assert window.document.project == before and ids(window.document.project) == ids(before)
    assert window.state.loop == (2 * BAR, 2 * BAR + WALTZ) and not window.state.loop_enabled
    window.undo_stack.redo()
    assert window.document.project == after and window.state.loop[0] == 2 * BAR + 2 * WALTZ


def test_insert_bars_goes_before_the_first_selected_notes_bar_and_cancel_changes_nothing(make_window):
    window = make_window(song())
    window.state.set_selection({window.document.project.tracks[0].notes[1].id})  # the note in bar 2
    seen = answer_the_dialog(1, before=1)  # the user changes the bar: before bar 1
    window.actions.insert_bars.trigger()
    assert seen[0][1] == 2
    assert [n.start for n in window.document.project.tracks[0].notes] == [
        BAR,
        2 * BAR,
        3 * BAR,
        3 * BAR + WALTZ,
    ]
    window.undo_stack.undo()

    def cancel():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, InsertBarsDialog):
            dialog.reject()
        else:
            QTimer.singleShot(20, cancel)

    QTimer.singleShot(0, cancel)
    window.actions.insert_bars.trigger()
    assert window.undo_stack.count() == 1 and window.undo_stack.index() == 0


def test_delete_bars_takes_the_loop_regions_bars_and_undo_brings_everything_back(make_window):
    window = make_window(song())
    before = window.document.project
    window.state.set_loop(BAR + 100, 2 * BAR + WALTZ - 50)  # a little inside bars 2 and 3
    window.actions.delete_bars.trigger()
    after = window.document.project
    melody, bass = after.tracks
    assert [(n.pitch, n.start) for n in melody.notes] == [(60, 0), (65, BAR)]  # bar 4 comes after bar 1
    assert bass.notes[0].end == 4 * BAR - (BAR + WALTZ)  # held across: shortened by the bars deleted
    assert after.markers == () and melody.controllers == ()  # the pedal, down and up in bar 3, went too
    assert [(s.tick, str(s)) for s in after.time_signatures] == [(0, "4/4"), (BAR, "3/4")]
    assert [(t.tick, t.bpm) for t in after.tempos] == [(0, 120.0), (BAR, 80.0)]  # in force after them
    assert window.state.loop is None  # it lay inside the bars deleted
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Delete bars 2-3"
    window.undo_stack.undo()
    restored = window.document.project
    assert restored == before and ids(restored) == ids(before)  # the same notes, pedal and marker
    assert window.state.loop == (BAR + 100, 2 * BAR + WALTZ - 50)


def test_delete_bars_without_a_loop_takes_the_playheads_bar(make_window):
    window = make_window(song())
    window.state.set_playhead(BAR + 10)
    window.actions.delete_bars.trigger()
    assert [n.pitch for n in window.document.project.tracks[0].notes] == [60, 64, 65]
    assert window.undo_stack.undoText() == "Delete bar 2"
    window.state.set_playhead(40 * BAR)  # far after the end: nothing there, and the status bar says so
    window.actions.delete_bars.trigger()
    assert window.undo_stack.count() == 1
    assert "after the end of the piece" in window.statusBar().currentMessage()


def test_bars_inserted_after_the_end_and_deleted_again_leave_the_piece_as_long_as_it_was(make_window):
    window = make_window(song())
    before = window.document.project
    assert before.length == 2 * BAR + 2 * WALTZ + 960  # in bar 5
    far = 2 * BAR + 5 * WALTZ  # bar 8, after silent bars 6 and 7
    window.state.set_playhead(far + 100)
    answer_the_dialog(2)
    window.actions.insert_bars.trigger()
    assert window.document.project.length == far + 2 * WALTZ
    window.undo_stack.undo()
    window.undo_stack.redo()  # the step done again still knows the end it replaced
    window.state.set_loop(far, far + 2 * WALTZ)
    window.actions.delete_bars.trigger()
    after = window.document.project
    assert (after.length, after.end_of_track) == (before.length, 0) and after == before
    assert "ends as it did before those bars were inserted" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    window.statusBar().clearMessage()
    window.state.set_loop(far + WALTZ, far + 2 * WALTZ)  # the last new bar only: nothing else goes
    window.actions.delete_bars.trigger()
    assert window.document.project.length == far + WALTZ and window.statusBar().currentMessage() == ""


def test_the_rulers_menu_names_the_bars_it_acts_on(make_window):
    window = make_window(song())
    menu = window.bars.ruler_menu(2 * BAR + 100)  # right-click in bar 3
    insert, delete = menu.actions()
    assert (insert.text(), delete.text()) == ("Insert Bars Before Bar 3…", "Delete Bar 3")
    delete.trigger()
    assert [n.pitch for n in window.document.project.tracks[0].notes] == [60, 62, 65]
    window.undo_stack.undo()
    window.state.set_loop(0, 2 * BAR)
    menu = window.bars.ruler_menu(BAR)  # in the loop region: its bars
    assert menu.actions()[1].text() == "Delete Bars 1-2"
    seen = answer_the_dialog(1)
    menu.actions()[0].trigger()
    assert seen[0][1] == 2 and window.document.project.tracks[0].notes[1].start == 2 * BAR


def test_the_shortcut_list_shows_the_bar_edits(make_window):
    window = make_window(song())
    listed = ShortcutsDialog(window).listed()
    assert ("Insert Bars", "Ctrl+Shift+B") in listed and ("Delete Bars", "Ctrl+Shift+Del") in listed


def test_delete_bars_keys_reach_the_window_from_the_marker_row(make_window, qtbot):
    """Del in the marker row takes its selected marker; Ctrl+Shift+Del there is still Delete Bars."""
    window = make_window(song())
    row = window.roll.markers
    click(row, QPoint(round(window.roll.view.tick_to_x(2 * BAR)) + 8, row.height() // 2))
    assert row.selected == window.document.project.markers[0].id
    window.state.set_playhead(100)
    row.setFocus()
    qtbot.keyClick(
        row, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.undo_stack.undoText() == "Delete bar 1"
    assert [m.tick for m in window.document.project.markers] == [BAR]  # the marker moved with its bar


def test_the_playhead_stays_on_its_music_through_insert_bars_and_undo(make_window):
    """Two bars before bar 3 with the playhead in bar 5: it is in bar 7 after, on the same note."""
    window = make_window(song())
    playhead = 2 * BAR + 2 * WALTZ + 100  # in bar 5
    window.state.set_playhead(playhead)
    answer_the_dialog(2)
    window.bars.ask_to_insert(2 * BAR)
    assert window.state.playhead == playhead + 2 * WALTZ  # bar 7, as many ticks into it
    window.undo_stack.undo()
    assert window.state.playhead == playhead
    window.undo_stack.redo()
    window.state.set_playhead(2 * BAR + 2 * WALTZ + 10)  # moved since: on bar 3's old first beat
    window.undo_stack.undo()
    assert window.state.playhead == 2 * BAR + 10  # undo takes it back to that music
    window.state.set_playhead(BAR)  # before the bars: nothing moves it
    window.undo_stack.redo()
    assert window.state.playhead == BAR


def test_a_playhead_on_the_insertion_bar_line_stays_there_to_write_into_the_new_bars(make_window):
    """Bars inserted at the playhead: it stays on the bar line, now the first new bar's, where the musician
    means to write; undo and redo put it back there, and bars inserted before it still move it with its
    music."""
    window = make_window(song())
    window.state.set_playhead(2 * BAR)  # on bar 3's line
    answer_the_dialog(2)
    window.actions.insert_bars.trigger()
    assert window.document.project.tracks[0].notes[2].start == 2 * BAR + 2 * WALTZ  # bar 3's note moved on
    assert window.state.playhead == 2 * BAR  # at the start of the new bars
    window.undo_stack.undo()
    assert window.state.playhead == 2 * BAR
    window.undo_stack.redo()
    assert window.state.playhead == 2 * BAR
    window.undo_stack.undo()
    window.state.set_playhead(2 * BAR)
    window.editor.insert_bars(BAR, 1)  # a bar line before the playhead's: it goes on with bar 3's music
    assert window.state.playhead == 3 * BAR


def test_the_playhead_goes_to_the_cut_or_earlier_with_delete_bars_and_back_on_undo(make_window):
    window = make_window(song())
    window.state.set_playhead(BAR + 300)  # in bar 2, deleted with bar 3
    window.editor.delete_bars(BAR, 2 * BAR + WALTZ)
    assert window.state.playhead == BAR  # at the cut
    window.undo_stack.undo()
    assert window.state.playhead == BAR + 300  # back inside the bars it was in
    window.state.set_playhead(2 * BAR + WALTZ + 50)  # in bar 4, after them
    window.undo_stack.redo()
    assert window.state.playhead == BAR + 50  # on the same note, now in bar 2
    window.undo_stack.undo()
    assert window.state.playhead == 2 * BAR + WALTZ + 50


def test_delete_bars_passes_over_a_loop_region_while_looping_is_off_and_names_its_bars(make_window):
    """A region greyed out when looping went off does not pick the bars: the selected notes' bars do, else
    the playhead's; the menu entry says which bars it will take out all along."""
    window = make_window(song())
    action = window.actions.delete_bars
    window.state.set_loop(0, 2 * BAR)  # bars 1-2, looping on: the region's bars
    assert action.text() == "D&elete Bars 1-2"
    window.state.set_loop_enabled(False)
    window.state.set_playhead(2 * BAR + WALTZ + 5)  # in bar 4
    assert action.text() == "D&elete Bar 4"
    window.state.set_selection({window.document.project.tracks[0].notes[2].id})  # the note in bar 3
    assert action.text() == "D&elete Bar 3"
    action.trigger()
    assert [n.pitch for n in window.document.project.tracks[0].notes] == [60, 62, 65]
    assert window.undo_stack.undoText() == "Delete bar 3"
    assert window.state.loop == (0, 2 * BAR)  # before the bars deleted: left as it was
    assert window.bars.ruler_menu(BAR).actions()[1].text() == "Delete Bar 2"  # not the region's bars
    assert action.text() == "D&elete Bar 3"  # the playhead, moved to the cut, is in the bar now there
    assert ("Delete Bars", "Ctrl+Shift+Del") in ShortcutsDialog(window).listed()


def two_hands_on_one_channel(change: mido.Message) -> bytes:
    """A piano file's two hands sharing channel 1, a note in each of 3 bars; only the right hand states the
    channel's program and volume, and ``change`` (the right hand's, at bar 2) changes it for both."""
    right = [
        (0, mido.Message("program_change", program=0)),
        (0, mido.Message("control_change", control=7, value=100)),
    ]
    right += [(0, mido.MetaMessage("track_name", name="Right")), (BAR, change)]
    left = [(0, mido.MetaMessage("track_name", name="Left"))]
    for hand, pitch in ((right, 72), (left, 48)):
        for bar in range(3):
            hand += [(bar * BAR, mido.Message("note_on", note=pitch, velocity=80))]
            hand += [(bar * BAR + 400, mido.Message("note_off", note=pitch))]
    file = mido.MidiFile(ticks_per_beat=480)
    for hand in (right, left):
        hand.sort(key=lambda event: event[0])
        ticks = [tick for tick, _ in hand]
        gaps = [tick - was for tick, was in zip(ticks, [0, *ticks], strict=False)]
        file.tracks.append(
            mido.MidiTrack(msg.copy(time=gap) for (_, msg), gap in zip(hand, gaps, strict=True))
        )
    data = io.BytesIO()
    file.save(file=data)
    return data.getvalue()


def heard(data: bytes) -> list[tuple[int, int, int, int]]:
    """(tick, pitch, program, volume) of each note a General MIDI player plays from ``data``: with what
    its channel was set to last."""
    events = []
    for order, track in enumerate(mido.MidiFile(file=io.BytesIO(data)).tracks):
        tick = 0
        for k, msg in enumerate(track):
            tick += msg.time
            events.append((tick, order, k, msg))
    program, volume, out = {}, {}, []
    for tick, _, _, msg in sorted(events, key=lambda e: e[:3]):
        if msg.type == "program_change":
            program[msg.channel] = msg.program
        elif msg.type == "control_change" and msg.control == 7:
            volume[msg.channel] = msg.value
        elif msg.type == "note_on" and msg.velocity:
            out.append((tick, msg.note, program.get(msg.channel, 0), volume.get(msg.channel, 100)))
    return sorted(out)


def test_deleting_bar_1_of_a_file_whose_hands_share_a_channel_exports_the_instruments_it_played(make_window):
    """The right hand's program change at bar 2 is heard on the left hand too (they share channel 1): with
    bar 1 deleted, the exported file plays both hands as the file played those bars, strings and at the
    volume set at bar 2, not the left hand back on a piano at full volume on a channel of its own."""
    for change, sound in (
        (mido.Message("program_change", program=48), (48, 100)),
        (mido.Message("control_change", control=7, value=50), (0, 50)),
    ):
        data = two_hands_on_one_channel(change)
        window = make_window(midi_from_bytes(data))
        before = window.document.project
        played = [(tick - BAR, *rest) for tick, *rest in heard(data) if tick >= BAR]
        assert {tuple(note[2:]) for note in played} == {sound}  # what the file plays from bar 2 on
        window.editor.delete_bars(0, BAR)
        after = window.document.project
        assert heard(midi_to_bytes(after)) == played
        assert midi_export_changes(after) == []  # no hand moved to a channel of its own
        assert [(t.program, t.volume) for t in after.tracks] == [sound, sound]  # as the app plays them
        said = window.statusBar().currentMessage()  # the left hand's sound changed with no edit of its own
        assert "now start as their shared MIDI channel sounds" in said and said.endswith(": Left")
        window.undo_stack.undo()
        assert window.document.project == before and before.shared_channels


def test_a_hand_shown_by_its_instrument_is_shown_by_the_one_it_plays_after_bar_1_is_deleted(make_window):
    """Hands the file leaves unnamed are shown by the piano they start on; the right hand turns the shared
    channel to strings at bar 2. With bar 1 deleted both play strings, and the track list says so; they
    stay unnamed (no name goes out in their file)."""
    data = two_hands_on_one_channel(mido.Message("program_change", program=48))
    file = mido.MidiFile(file=io.BytesIO(data))
    for track in file.tracks:
        track[:] = [msg for msg in track if msg.type != "track_name"]
    unnamed = io.BytesIO()
    file.save(file=unnamed)
    window = make_window(midi_from_bytes(unnamed.getvalue()))
    assert [(t.name, t.name_event) for t in window.document.project.tracks] == [("", False)] * 2
    window.editor.delete_bars(0, BAR)
    assert [(t.name, t.program) for t in window.document.project.tracks] == [("", 48)] * 2
    # the left hand, which made no edit of its own, named as the track list tells the two apart
    assert window.statusBar().currentMessage().endswith(": String Ensemble 1 (2)")
    rows = window.tracks.widget().rows
    assert [rows[t.id].name.text() for t in window.document.project.tracks] == [
        "String Ensemble 1 (1)",
        "String Ensemble 1 (2)",
    ]
    window.undo_stack.undo()
    assert [rows[t.id].name.text() for t in window.document.project.tracks] == [
        "Acoustic Grand Piano 1",
        "Acoustic Grand Piano 2",
    ]
