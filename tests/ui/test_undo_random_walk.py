"""Seeded random walks of edits made through the window as a musician makes them (the roll's tools, keys,
the Edit menu, the tracks panel, the toolbar boxes, the tempo and marker rows, controller strokes, kept
takes, recording and step input, Import MIDI, saves), with undos and redos among them, some while the mouse
is still down: after every step the window shows the piece as it is; undoing everything gives back the
piece as opened, value and saved bytes alike; redoing everything gives each piece again, unsaved just where
it differs from the last save; and a piece saved and reopened at any point of the history is that very piece."""

from __future__ import annotations

import random
from dataclasses import replace

import mido
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest

from musestudio.core import ControlEvent, Marker, Project, TempoChange
from musestudio.core.events import MODULATION, SUSTAIN
from musestudio.core.keys import KeySignature
from musestudio.core.project import TimeSignature
from musestudio.core.timing import counted_bpm
from musestudio.io.project_file import project_from_bytes, project_to_bytes
from musestudio.ui.panels import tracks as tracks_panel
from musestudio.ui.state import Tool
from musestudio.ui.tempo_words import mark_around_number
from tests.ui.test_random_edits import assert_scene_mirrors_model
from tests.ui.ui_helpers import (
    click,
    drag,
    list_takes,
    mido_file,
    note_point,
    send_mouse,
    two_track_project,
)

SEEDS = tuple(range(1, 13))
EDITS = 120
MOD = Qt.KeyboardModifier


def piece() -> Project:
    """Two tracks, a tempo map, markers, a key, a pedal stroke and silent bars at the end (a loop's rests):
    something for every edit to change, and for Trim Silent Bars to trim."""
    base = two_track_project()
    melody = base.tracks[0].with_controllers((ControlEvent(0, SUSTAIN, 127), ControlEvent(1400, SUSTAIN, 0)))
    return replace(
        base.replace_track(melody),
        tempos=(TempoChange(0, 90.0), TempoChange(1920, 140.0)),
        markers=(Marker(960, "Verse"), Marker(3840, "Chorus")),
        key=KeySignature(7, "major"),
        end_of_track=4 * 1920,
    )


def beat_grid_piece() -> Project:
    """A piece in 1/4 throughout, as a sequencer's beat grid writes it: Re-bar gives it 4/4 bars."""
    base = piece()
    return replace(base, time_signatures=(TimeSignature(0, 1, 4),), end_of_track=0)


def midi_file(path):
    """A MIDI file with what a sequencer writes besides notes: names, a program change, volume, a bend,
    sysex, lyrics in Latin-1, a marker, a key, two tempos, a meter change, two tracks on one channel that
    set it differently, and silent bars at the end."""
    M, MM = mido.Message, mido.MetaMessage
    conductor = [
        (0, MM("set_tempo", tempo=600000)),
        (0, MM("time_signature", numerator=3, denominator=4)),
        (0, MM("key_signature", key="Bb")),
        (1440, MM("marker", text="B")),
        (2880, MM("set_tempo", tempo=500000)),
        (2880, MM("time_signature", numerator=6, denominator=8)),
    ]
    lead = [
        (0, MM("track_name", name="Lead")),
        (0, M("program_change", channel=0, program=40)),
        (0, M("control_change", channel=0, control=7, value=90)),
        (0, M("sysex", data=(0x7E, 0x7F, 0x09, 0x01))),
        (0, MM("lyrics", text="Gr\u00fc\u00dfe")),
        (240, M("pitchwheel", channel=0, pitch=2000)),
        (720, M("pitchwheel", channel=0, pitch=0)),
        *((i * 480, M("note_on", channel=0, note=60 + i, velocity=80)) for i in range(6)),
        *((i * 480 + 400, M("note_off", channel=0, note=60 + i)) for i in range(6)),
        (8 * 1440, MM("end_of_track")),
    ]
    pad = [
        (0, MM("track_name", name="Pad")),
        (0, M("program_change", channel=0, program=89)),
        (0, M("note_on", channel=0, note=48, velocity=70)),
        (1440, M("note_off", channel=0, note=48)),
    ]
    return mido_file(path, [conductor, lead, pad])


MIDWAY = {"rng": None}  # the walk's generator, for drags to pick when Ctrl+Z comes midway


def gesture(widget, start, end, steps=6, modifiers=MOD.NoModifier):
    """A drag; now and then Ctrl+Z comes while the mouse is still down (it ends the drag)."""
    rng = MIDWAY["rng"]
    if rng is None or rng.random() > 0.25:
        return drag(widget, start, end, steps=steps, modifiers=modifiers)
    send_mouse(widget, QMouseEvent.Type.MouseButtonPress, start, modifiers=modifiers)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        send_mouse(
            widget, QMouseEvent.Type.MouseMove, QPoint(round(p.x()), round(p.y())), modifiers=modifiers
        )
        if i == steps // 2:
            QTest.keyClick(widget, Qt.Key.Key_Z, MOD.ControlModifier)
    send_mouse(widget, QMouseEvent.Type.MouseButtonRelease, end, modifiers=modifiers)


def x_of(window, tick: int) -> int:
    return round(window.roll.view.tick_to_x(tick))


def some_notes(window):
    track = window.state.active_track()
    return list(track.notes) if track else []


def select_some(rng, window) -> bool:
    notes = some_notes(window)
    if not notes:
        return False
    window.state.set_selection(n.id for n in rng.sample(notes, rng.randint(1, min(4, len(notes)))))
    return True


def draw(rng, w):
    w.state.set_tool(Tool.DRAW)
    view = w.roll.view
    click(view.viewport(), note_point(view, rng.randrange(0, 3600, 120), rng.randint(55, 75)))


def move_or_resize_drag(rng, w):
    notes = some_notes(w)
    if not notes:
        return draw(rng, w)
    n = rng.choice(notes)
    view = w.roll.view
    w.state.set_tool(rng.choice((Tool.MOVE, Tool.RESIZE, Tool.SELECT)))
    w.roll.view.ensureVisible(view.tick_to_x(n.start), view.pitch_to_y(n.pitch), 10, 10)
    start = note_point(view, n.start + min(10, n.duration // 2), n.pitch)
    delta = QPoint(rng.randint(-40, 80), rng.choice((0, 0, -view.row_px, view.row_px)))
    gesture(
        view.viewport(),
        start,
        start + delta,
        steps=3,
        modifiers=rng.choice((MOD.NoModifier, MOD.ControlModifier)),
    )


def erase(rng, w):
    notes = some_notes(w)
    if notes:
        n = rng.choice(notes)
        w.state.set_tool(Tool.ERASE)
        click(w.roll.view.viewport(), note_point(w.roll.view, n.start + 5, n.pitch))


def key_edit(rng, w):
    if select_some(rng, w):
        key, mods = rng.choice(
            (
                (Qt.Key.Key_Up, MOD.NoModifier),
                (Qt.Key.Key_Down, MOD.NoModifier),
                (Qt.Key.Key_Up, MOD.ShiftModifier),
                (Qt.Key.Key_Left, MOD.NoModifier),
                (Qt.Key.Key_Right, MOD.NoModifier),
                (Qt.Key.Key_Q, MOD.NoModifier),
                (Qt.Key.Key_D, MOD.ControlModifier),
                (Qt.Key.Key_Delete, MOD.NoModifier),
                (Qt.Key.Key_X, MOD.ControlModifier),
            )
        )
        w.state.set_snap(rng.choice(("1/4", "1/8", "1/16")))
        w.roll.view.setFocus()
        QTest.keyClick(w.roll.view, key, mods)


def paste(rng, w):
    if select_some(rng, w):
        w.actions.copy.trigger()
        w.state.set_playhead(rng.randrange(0, 7680, 240))
        w.actions.paste.trigger()


def inspector(rng, w):
    if select_some(rng, w):
        w.state.set_selection(list(w.state.selection)[:1])
        panel = w.inspector.widget()
        field, value = rng.choice(
            (
                ("pitch", rng.randint(40, 90)),
                ("start", rng.randrange(0, 3840, 60)),
                ("length", 240),
                ("velocity", rng.randint(1, 127)),
            )
        )
        getattr(panel, field).setValue(value)


def velocity_drag(rng, w):
    notes = some_notes(w)
    if notes:
        n = rng.choice(notes)
        w.state.set_selection({n.id})
        lane = w.roll.velocity
        x = x_of(w, n.start) + 1
        gesture(
            lane,
            QPoint(x, round(lane._velocity_y(n.velocity))),
            QPoint(x, round(lane._velocity_y(rng.randint(5, 120)))),
        )


def controller_stroke(rng, w):
    lane_no = rng.choice((MODULATION, SUSTAIN))
    w.roll.controllers.select_lane(lane_no)
    lane = w.roll.controllers.lane
    w.roll.controllers.tool_buttons[rng.choice(("draw", "line", "erase"))].click()
    h = lane.height()
    a, b = sorted(rng.sample(range(0, 3840, 60), 2))
    gesture(
        lane,
        QPoint(x_of(w, a) + 1, rng.randint(4, h - 4)),
        QPoint(x_of(w, b), rng.randint(4, h - 4)),
        steps=5,
    )


def track_row(rng, w):
    rows = w.tracks.widget().rows
    return rows[rng.choice(w.document.project.tracks).id] if w.document.project.tracks else None


def track_button(w, label):
    panel = w.tracks.widget()
    (button,) = [b for b in panel.findChildren(tracks_panel.QToolButton) if b.text() == label]
    button.click()


def track_edit(rng, w, monkeypatch):
    row = track_row(rng, w)
    pick = rng.randrange(7)
    if row is None or pick == 0:
        return track_button(w, "Add")
    w.state.set_active_track(row.track_id)
    if pick == 1 and len(w.document.project.tracks) > 1:
        return track_button(w, "Delete")
    if pick == 2:
        monkeypatch.setattr(
            tracks_panel.QInputDialog, "getText", lambda *a, **k: (f"T{rng.randint(0, 99)}", True)
        )
        return row.rename()
    if pick == 3:
        menu = row.instrument.menu()
        menu.aboutToShow.emit()
        actions = [a for a in menu.actions() if a.menu() or not a.isSeparator()]
        chosen = rng.choice(actions)
        return (rng.choice(chosen.menu().actions()) if chosen.menu() else chosen).trigger()
    if pick == 4:
        return click(rng.choice((row.mute, row.solo)), QPoint(5, 5))
    slider = row.volume
    slider.setSliderDown(True)
    for _ in range(3):
        slider.setValue(rng.randint(0, 127))
    slider.setSliderDown(False)


def conductor_box(rng, w):
    w.state.set_playhead(rng.choice((0, 1920, 3840, 5760)))
    tb = w.toolbar
    pick = rng.randrange(5)
    if pick == 0:
        tb.tempo.setValue(rng.randint(50, 180))
    elif pick == 1:
        tb.numerator.setValue(rng.randint(2, 7))
    elif pick == 2:
        tb.denominator.setCurrentIndex(rng.randrange(tb.denominator.count()))
    elif pick == 3:
        tb.key.setCurrentIndex(rng.randrange(tb.key.count()))
    else:
        rng.choice((w.actions.meter_change, w.actions.key_change)).trigger()


def marker_edit(rng, w, qtbot):
    w.state.set_playhead(rng.randrange(0, 7680, 480))
    markers = w.document.project.markers
    if not markers or rng.random() < 0.4:
        return qtbot.keyClick(w.roll.view, Qt.Key.Key_M, MOD.ControlModifier)
    row = w.roll.markers
    m = rng.choice(markers)
    at = QPoint(x_of(w, m.tick) + 8, row.height() // 2)
    if rng.random() < 0.5:
        gesture(row, at, at + QPoint(rng.randint(-60, 60), 0), steps=4)
    else:
        click(row, at)
        row.setFocus()
        qtbot.keyClick(row, Qt.Key.Key_Delete)


def tempo_lane(rng, w):
    lane = w.roll.tempo
    y = lane.height() // 2
    tick = rng.randrange(480, 5760, 480)
    at = QPoint(x_of(w, tick), y)
    if rng.random() < 0.5:
        click(lane, at)
        send_mouse(lane, QMouseEvent.Type.MouseButtonDblClick, at)
        send_mouse(lane, QMouseEvent.Type.MouseButtonRelease, at)
    else:
        gesture(lane, at, at + QPoint(rng.randint(-50, 50), rng.randint(-20, 20)), steps=4)


def menu_edit(rng, w):
    rng.choice((w.actions.trim_end, w.actions.rebar)).trigger()


def keep_take(rng, w):
    if w.document.project.tracks:
        list_takes(w, 2)
        w.generate.keep(new_track=rng.random() < 0.5)


def live_input(rng, w):
    from tests.ui.test_undo_every_edit import record, step_input

    w.actions.record_replace.setChecked(rng.random() < 0.5)
    edit = rng.choice((record, step_input))(w)
    edit()
    w.actions.step_input.setChecked(False)


def import_midi(rng, w, tmp_path):
    from musestudio.core import Note, Track
    from musestudio.io.midi import write_midi

    other = Project(
        ticks_per_beat=rng.choice((96, 480, 960)),
        markers=(Marker(0, "Intro"),),
        tracks=(Track(name="Horn", program=60, notes=(Note(67, 0, 960), Note(69, 960, 480))),),
    )
    path = tmp_path / f"horn{rng.randint(0, 999)}.mid"
    write_midi(other, path)
    w.files.import_midi(path)


def undo_mid_drag(rng, w, qtbot):
    """Press on a note, Ctrl+Z before the drag has moved it far, drag on: the drag is over."""
    notes = some_notes(w)
    if not notes:
        return
    n = rng.choice(notes)
    view = w.roll.view
    w.state.set_tool(Tool.SELECT)
    start = note_point(view, n.start + min(10, n.duration // 2), n.pitch)
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonPress, start)
    send_mouse(view.viewport(), QMouseEvent.Type.MouseMove, start + QPoint(30, 0))
    qtbot.keyClick(view, Qt.Key.Key_Z, MOD.ControlModifier)
    send_mouse(view.viewport(), QMouseEvent.Type.MouseMove, start + QPoint(60, 0))
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonRelease, start + QPoint(60, 0))


def move_controllers_setting(rng, w):
    w.actions.move_controllers.setChecked(not w.actions.move_controllers.isChecked())


def history_jump(rng, w):
    """A click on a row of the History panel: back or forward any number of steps at once."""
    from tests.ui.test_undo_jump import click_history_row

    click_history_row(w, rng.randint(0, w.undo_stack.count()))


def undo_or_redo(rng, w):
    (w.undo_stack.undo if rng.random() < 0.7 else w.undo_stack.redo)()


KINDS = (
    (draw, 3),
    (move_or_resize_drag, 4),
    (erase, 1),
    (key_edit, 4),
    (paste, 1),
    (inspector, 2),
    (velocity_drag, 1),
    (controller_stroke, 2),
    (track_edit, 3),
    (conductor_box, 3),
    (marker_edit, 2),
    (tempo_lane, 1),
    (menu_edit, 1),
    (keep_take, 1),
    (live_input, 1),
    (import_midi, 1),
    (undo_mid_drag, 1),
    (move_controllers_setting, 1),
    (history_jump, 1),
    (undo_or_redo, 3),
)


def save(rng, w, tmp_path, saved):
    """Ctrl+S (the first time, Save As to a file in the test's folder): the piece as saved is remembered."""
    if w.files.path is None:
        assert w.files.save_as(tmp_path / "walk.muse")
    else:
        w.actions.save.trigger()
    saved["project"] = w.document.project


KINDS = (
    (draw, 3),
    (move_or_resize_drag, 4),
    (erase, 1),
    (key_edit, 4),
    (paste, 1),
    (inspector, 2),
    (velocity_drag, 1),
    (controller_stroke, 2),
    (track_edit, 3),
    (conductor_box, 3),
    (marker_edit, 2),
    (tempo_lane, 1),
    (menu_edit, 1),
    (keep_take, 1),
    (live_input, 1),
    (import_midi, 1),
    (undo_mid_drag, 1),
    (move_controllers_setting, 1),
    (save, 1),
    (history_jump, 1),
    (undo_or_redo, 3),
)


def walk(rng, w, fixtures, steps) -> list[str]:
    """``steps`` edits (or undos, redos, saves) of kinds picked by ``rng``; the names of those done. After
    each, the window shows the piece as it is."""
    kinds = [k for k, weight in KINDS for _ in range(weight)]
    MIDWAY["rng"] = rng
    done = []
    for _ in range(steps):
        kind = rng.choice(kinds)
        wanted = kind.__code__.co_varnames[2 : kind.__code__.co_argcount]
        kind(rng, w, **{k: fixtures[k] for k in wanted})
        done.append(kind.__name__)
        assert_window_shows_the_piece(w, done)
    return done


def assert_window_shows_the_piece(w, done):
    """The roll, the tracks panel and the toolbar boxes show the piece as it is, not as it was."""
    project = w.document.project
    rows = w.tracks.widget().rows
    assert set(rows) == {t.id for t in project.tracks}, done
    for t in project.tracks:
        row = rows[t.id]
        shown = (row.name.text(), row.mute.isChecked(), row.solo.isChecked(), row.volume.value())
        assert shown == (t.name, t.mute, t.solo, t.volume), (done, t)
    boxes, at = w.toolbar, w.toolbar._shown_at
    meter = project.meter_at(at)
    shown = counted_bpm(project.tempo_at(at).bpm, meter)  # in the meter's beat, to the box's one decimal
    assert boxes.tempo.value() == pytest.approx(shown, abs=0.05), done
    assert (boxes.tempo.prefix(), boxes.tempo.suffix()) == mark_around_number(meter), done
    assert (boxes.numerator.value(), boxes.denominator.currentData()) == (meter.numerator, meter.denominator)
    assert_scene_mirrors_model(w)


@pytest.mark.parametrize("seed", SEEDS)
def test_undoing_a_random_walk_of_edits_gives_back_the_piece_as_opened(
    seed, make_window, qtbot, monkeypatch, tmp_path
):
    window = make_window(piece() if seed % 3 else beat_grid_piece())
    if seed % 4 == 1:
        assert window.files.open_path(midi_file(tmp_path / "opened.mid"), ask=False)
    original, stack, saved = window.document.project, window.undo_stack, {}
    rng = random.Random(seed)
    fixtures = {"qtbot": qtbot, "monkeypatch": monkeypatch, "tmp_path": tmp_path, "saved": saved}
    done = walk(rng, window, fixtures, EDITS)
    assert stack.count() > 0, done
    steps = [stack.text(i) for i in range(stack.count())]
    # undo everything: the piece as opened, value and saved bytes; each step's piece on the way
    states = {stack.index(): window.document.project}
    while stack.canUndo():
        stack.undo()
        states[stack.index()] = window.document.project
    assert window.document.project == original, (done, steps)
    assert project_to_bytes(window.document.project) == project_to_bytes(original), (done, steps)
    assert window.document.modified == (saved.get("project", original) != original)
    assert_window_shows_the_piece(window, done)
    # redo everything: the same pieces again, each one saved as it is read back
    while stack.canRedo():
        stack.redo()
        piece_now = window.document.project
        assert piece_now == states.get(stack.index(), piece_now), (stack.index(), done, steps)
        assert project_from_bytes(project_to_bytes(piece_now)) == piece_now, (stack.index(), done, steps)
        assert window.document.modified == (piece_now != saved.get("project", original))  # as last saved
    assert_window_shows_the_piece(window, done)
    # at a random point of the history, save and reopen: the very piece
    stack.setIndex(rng.randint(0, stack.count()))
    here = window.document.project
    assert window.files.save_as(tmp_path / "again.muse")
    assert window.files.open_path(tmp_path / "again.muse", ask=False)
    assert window.document.project == here and not window.document.modified, (done, steps)
    assert project_to_bytes(window.document.project) == project_to_bytes(here)
