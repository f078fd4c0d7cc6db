"""A seeded walk of 1,200 random edits, undos and redos: undoing everything gives back the original project,
and the piano roll's items always mirror the model."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from musestudio.core.keys import KeySignature
from musestudio.core.timing import GRID_VALUES
from musestudio.ui.pianoroll.scene import note_rect
from musestudio.ui.state import Tool
from tests.ui.ui_helpers import click, drag, note_point

STEPS = 1200


def assert_scene_mirrors_model(window):
    project = window.document.project
    items = window.roll.scene.items_by_id
    notes = {n.id: n for t in project.tracks for n in t.notes}
    assert items.keys() == notes.keys()
    for nid, note in notes.items():
        assert items[nid].rect() == note_rect(note, window.roll.scene.min_ticks)


def random_action(rng: random.Random, window) -> None:
    ed, state, view = window.editor, window.state, window.roll.view
    project = window.document.project
    track = state.active_track()
    notes = track.notes if track else ()
    pick = rng.random()
    if notes and rng.random() < 0.5:
        state.set_selection(n.id for n in rng.sample(notes, rng.randint(1, min(4, len(notes)))))
    if pick < 0.15:
        ed.add_note(
            rng.randint(40, 90),
            rng.randrange(0, 7680, 60),
            rng.choice((60, 120, 240, 480)),
            rng.randint(1, 127),
        )
    elif pick < 0.22:
        state.set_tool(Tool.DRAW)
        click(view.viewport(), note_point(view, rng.randrange(0, 3800), rng.randint(55, 75)))
    elif pick < 0.30 and notes:
        n = rng.choice(notes)
        state.set_tool(Tool.MOVE)
        start = note_point(view, n.start + 10, n.pitch)
        drag(
            view.viewport(),
            start,
            start
            + (note_point(view, rng.randrange(0, 900), 60 + rng.randint(-3, 3)) - note_point(view, 0, 60)),
            steps=3,
        )
    elif pick < 0.36 and state.selection:
        ed.move_notes(state.selected_notes(), rng.randint(-500, 500), rng.randint(-5, 5))
    elif pick < 0.42 and state.selection:
        ed.resize_notes(state.selected_notes(), rng.randint(-300, 300), 1)
    elif pick < 0.48 and state.selection:
        ed.set_velocities({i: rng.randint(1, 127) for i in state.selection})
    elif pick < 0.54 and state.selection:
        key = rng.choice((Qt.Key.Key_Up, Qt.Key.Key_Down))
        mods = rng.choice((Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier))
        QTest.keyClick(view, key, mods)
    elif pick < 0.58 and state.selection:
        state.set_snap(rng.choice(list(GRID_VALUES)))
        QTest.keyClick(view, Qt.Key.Key_Q)
    elif pick < 0.62 and state.selection:
        QTest.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    elif pick < 0.66 and state.selection:
        QTest.keyClick(view, Qt.Key.Key_Delete)
    elif pick < 0.70:
        ed.copy_selection()
        state.set_playhead(rng.randrange(0, 7680, 120))
        ed.paste()
    elif pick < 0.73:
        ed.add_track(is_drum=rng.random() < 0.2)
    elif pick < 0.75 and len(project.tracks) > 1:
        ed.delete_track(rng.choice(project.tracks).id)
    elif pick < 0.79 and project.tracks:
        t = rng.choice(project.tracks)
        field = rng.choice(("mute", "solo", "volume", "program", "name"))
        value = {
            "mute": not t.mute,
            "solo": not t.solo,
            "volume": rng.randint(0, 127),
            "program": rng.randint(0, 127),
            "name": f"T{rng.randint(0, 99)}",
        }[field]
        ed.set_track(t.id, "edit", **{field: value})
    elif pick < 0.81:
        ed.set_tempo(rng.uniform(40, 200))
    elif pick < 0.83:
        ed.set_time_signature(rng.randint(2, 7), rng.choice((4, 8)))
    elif pick < 0.85:
        ed.set_key(rng.choice((None, KeySignature(rng.randint(0, 11), rng.choice(("major", "minor"))))))
    elif pick < 0.87 and project.tracks:
        state.set_active_track(rng.choice(project.tracks).id)
    elif pick < 0.95:
        window.undo_stack.undo()
    else:
        window.undo_stack.redo()


def test_random_edits_undo_back_to_the_original(window):
    rng = random.Random(20261125)
    original = window.document.project
    for step in range(STEPS):
        random_action(rng, window)
        if step % 100 == 0:
            assert_scene_mirrors_model(window)
    assert window.undo_stack.count() > 300
    final = window.document.project
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert window.document.project == original
    assert not window.document.modified
    assert_scene_mirrors_model(window)
    while window.undo_stack.canRedo():
        window.undo_stack.redo()
    assert window.document.project == final
    assert_scene_mirrors_model(window)
