"""The track list through the window: long names, the active track across undo of Add/Delete, the volume
slider across Ctrl+Z mid-drag, and the name and colour Add track gives."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyle, QStyleOptionSlider, QToolButton

from tests.ui.ui_helpers import two_track_project

LONG_NAME = "Piano right hand \u2014 from the 1998 GM arrangement by someone, verse and chorus"


def button(window, text: str) -> QToolButton:
    (b,) = [b for b in window.tracks.widget().findChildren(QToolButton) if b.text() == text]
    return b


def right_edge_of_the_list(row) -> int:
    viewport = row.parentWidget().parentWidget()  # the scroll area's viewport
    return viewport.mapToGlobal(QPoint(viewport.width(), 0)).x()


def test_a_long_track_name_is_cut_short_and_every_row_keeps_its_controls_in_view(make_window, qtbot):
    project = two_track_project()
    long = project.tracks[0].with_(name=LONG_NAME)
    window = make_window(project.replace_track(long))
    qtbot.wait(50)
    for row in window.tracks.widget().rows.values():
        edge = right_edge_of_the_list(row)
        for control in (row.mute, row.solo, row.volume):
            assert control.isVisible()
            x = control.mapToGlobal(QPoint(control.width(), 0)).x()
            assert x <= edge, f"{control.toolTip()} lies {x - edge}px outside the track list"
    name = window.tracks.widget().rows[long.id].name
    assert name.text() == LONG_NAME and LONG_NAME in name.toolTip()
    assert name.width() < name.fontMetrics().horizontalAdvance(LONG_NAME)


def test_undo_delete_track_makes_the_deleted_track_active_again(window, qtbot):
    bass = window.document.project.tracks[1]
    qtbot.mouseClick(window.tracks.widget().rows[bass.id].name, Qt.MouseButton.LeftButton)
    assert window.state.active_track_id == bass.id
    button(window, "Delete").click()
    assert window.state.active_track_id != bass.id
    window.undo_stack.undo()
    assert [t.id for t in window.document.project.tracks][1] == bass.id
    assert window.state.active_track_id == bass.id  # Paste, step input, recording go to Bass again


def test_undo_add_track_gives_back_the_track_that_was_active_and_redo_the_added_one(window):
    bass = window.document.project.tracks[1]
    window.state.set_active_track(bass.id)
    button(window, "Add").click()
    added = window.document.project.tracks[2]
    assert window.state.active_track_id == added.id
    window.undo_stack.undo()
    assert len(window.document.project.tracks) == 2
    assert window.state.active_track_id == bass.id, "undo of Add track made Melody active instead of Bass"
    window.undo_stack.redo()
    assert window.state.active_track_id == added.id


def test_undoing_a_note_edit_leaves_the_active_track_alone(window):
    melody, bass = window.document.project.tracks
    window.state.set_active_track(melody.id)
    window.editor.add_note(72, 1920, 240)
    window.state.set_active_track(bass.id)
    window.undo_stack.undo()
    assert window.state.active_track_id == bass.id


def handle_centre(slider) -> QPoint:
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    style = slider.style()
    return style.subControlRect(
        QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, slider
    ).center()


def test_the_volume_slider_shows_the_track_volume_after_ctrl_z_mid_drag(window):
    melody = window.document.project.tracks[0]
    slider = window.tracks.widget().rows[melody.id].volume
    centre = handle_centre(slider)
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    for dx in range(-2, -30, -4):
        QTest.mouseMove(slider, centre + QPoint(dx, 0))
    assert window.document.project.tracks[0].volume < 100
    QTest.keyClick(slider, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.project.tracks[0].volume == 100  # the drag so far was undone
    assert slider.value() == 100
    QTest.mouseMove(slider, centre + QPoint(-34, 0))
    assert slider.value() == 100, "the rest of an undone drag moves the slider but not the volume"
    QTest.mouseRelease(
        slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre + QPoint(-34, 0)
    )
    assert window.document.project.tracks[0].volume == 100 and slider.value() == 100
    assert window.undo_stack.canRedo()  # the undone drag can still be redone


def undo_a_volume_drag_midway(slider) -> None:
    """Drag the volume slider down, press Ctrl+Z with the mouse still down, drag on and let go."""
    centre = handle_centre(slider)
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseMove(slider, centre + QPoint(-10, 0))
    QTest.mouseMove(slider, centre + QPoint(-20, 0))
    QTest.keyClick(slider, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.mouseMove(slider, centre + QPoint(-30, 0))
    QTest.mouseRelease(
        slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre + QPoint(-30, 0)
    )


def per_gesture_memory() -> int:
    """How many things ``ui.commands`` holds in its own module-level lists, sets and dicts."""
    from musestudio.ui import commands

    return sum(
        len(value)
        for name, value in vars(commands).items()
        if not name.startswith("__") and isinstance(value, (list, set, dict))
    )


def test_drags_undone_midway_leave_nothing_behind_once_they_are_over(window):
    melody = window.document.project.tracks[0]
    slider = window.tracks.widget().rows[melody.id].volume
    before = per_gesture_memory()
    undone = []
    for _ in range(40):
        undo_a_volume_drag_midway(slider)
        assert window.document.project.tracks[0].volume == 100  # the rest of the drag changed nothing
        undone.append(weakref.ref(window.undo_stack.command(window.undo_stack.index()).gesture))
    window.editor.add_note(80, 0, 480)  # a new step: the undone drags leave the redo history
    gc.collect()
    assert per_gesture_memory() == before, "every gesture ever undone is remembered for the whole session"
    assert not [g for g in undone if g() is not None], "gestures over and out of the history live on"


def test_added_track_gets_a_name_and_colour_of_its_own(window):
    button(window, "Add").click()  # Track 3
    button(window, "Add").click()  # Track 4
    window.state.set_active_track(window.document.project.tracks[2].id)
    button(window, "Delete").click()
    button(window, "Add").click()
    tracks = window.document.project.tracks
    names = [t.name for t in tracks]
    assert len(set(names)) == len(names), f"two tracks share a name: {names}"
    colours = [t.colour for t in tracks]
    assert len(set(colours)) == len(colours), f"two tracks share a colour: {colours}"


def wheel(widget, notches: int) -> None:
    """``notches`` of a mouse wheel turned up over the middle of ``widget``."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    at = QPointF(widget.rect().center())
    event = QWheelEvent(
        at,
        QPointF(widget.mapToGlobal(at.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_volume_slider_leaves_the_volume_until_the_slider_is_clicked_into(
    make_window, qtbot
):
    """Scrolling the track list with the wheel over a row's volume slider must not change that track's
    volume (a notch a step, unseen while scrolling); once the user clicks or tabs into the slider, the
    wheel moves it."""
    window = make_window(two_track_project())
    window.show()
    track = window.document.project.tracks[0]
    slider = window.tracks.widget().rows[track.id].volume
    steps = window.undo_stack.count()
    wheel(slider, 3)
    assert window.document.project.tracks[0].volume == track.volume
    assert window.undo_stack.count() == steps
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus)
    wheel(slider, 3)
    assert window.document.project.tracks[0].volume != track.volume


def pick_instrument(row, text: str) -> None:
    """Choose ``text`` ("49  String Ensemble 1", "Drum Kit") in the row's instrument menu, as a click does."""
    menu = row.instrument.menu()
    menu.aboutToShow.emit()  # its actions are made as it first opens
    actions = [a for m in (menu, *(a.menu() for a in menu.actions() if a.menu())) for a in m.actions()]
    (action,) = [a for a in actions if a.text() == text]
    action.trigger()


def test_a_track_with_no_name_is_shown_by_the_instrument_chosen_and_stays_unnamed(make_window):
    """A file's unnamed part is shown by its instrument ("Acoustic Grand Piano"); chosen to play strings,
    it still said piano in the track list. It reads as the strings now, and one Ctrl+Z gives back the
    piano; it stays a part with no name (none goes out in its file); a name the user or the file gave
    (Bass) stays whatever plays it."""
    project = two_track_project()
    piano = project.tracks[0].with_(name="", name_event=False)
    window = make_window(project.replace_track(piano))
    rows = window.tracks.widget().rows
    pick_instrument(rows[piano.id], "49  String Ensemble 1")
    strings = window.document.project.track_by_id(piano.id)
    assert (strings.program, strings.name, strings.name_event) == (48, "", False)
    assert rows[piano.id].name.text() == "String Ensemble 1"
    pick_instrument(rows[piano.id], "Drum Kit")
    assert rows[piano.id].name.text() == "Drums"
    window.undo_stack.undo()
    window.undo_stack.undo()
    back = window.document.project.track_by_id(piano.id)
    assert (back.program, back.is_drum, back.name) == (0, False, "")
    assert rows[piano.id].name.text() == "Acoustic Grand Piano"
    bass = window.document.project.tracks[1]
    pick_instrument(rows[bass.id], "35  Electric Bass (pick)")
    assert window.document.project.track_by_id(bass.id).name == "Bass"
    assert rows[bass.id].name.text() == "Bass"
