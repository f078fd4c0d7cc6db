"""Edit > Move Controllers with Notes: the pedal, bend and other lanes under the moved notes go with them,
whether the notes are dragged, nudged with the arrow keys or given a new start in the Inspector; each move
is one undo step, and the pedal lifted where the phrase ends goes with the phrase."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from musestudio.core import ControlEvent, Note, Project, Track
from musestudio.core.events import (
    PITCH_BEND,
    SUSTAIN,
    VOLUME,
    is_poly_pressure,
    poly_pressure_lane,
    poly_pressure_pitch,
)
from tests.ui.ui_helpers import drag, note_point


def _pedalled_phrase(window):
    """The first track's three notes (0..1440) with the pedal down at 0 and lifted at 1440."""
    track = window.document.project.tracks[0]
    window.editor.replace_lane_range(
        track.id, SUSTAIN, 0, 1441, (ControlEvent(0, SUSTAIN, 127), ControlEvent(1440, SUSTAIN, 0))
    )
    return window.document.project.tracks[0]


def _lane(window, lane):
    return [(e.tick, e.value) for e in window.document.project.tracks[0].lane(lane)]


def test_a_pedalled_phrase_dragged_a_bar_later_keeps_its_pedal_release(make_window):
    w = make_window()
    track = _pedalled_phrase(w)
    before = w.document.project
    view = w.roll.view
    w.state.set_selection({n.id for n in track.notes})
    w.actions.move_controllers.setChecked(True)
    start = note_point(view, 200, 60)
    drag(view.viewport(), start, QPoint(round(start.x() + 1920 * view.px_per_tick), start.y()))
    assert [n.start for n in w.document.project.tracks[0].notes] == [1920, 2400, 2880]
    assert _lane(w, SUSTAIN) == [(1920, 127), (3360, 0)]
    w.undo_stack.undo()
    assert w.document.project == before


def test_what_starts_where_the_phrase_ends_stays_with_the_music_after_it(make_window):
    w = make_window()
    track = _pedalled_phrase(w)
    # at the phrase's end the pedal is lifted and pressed again, and the volume changes, for what follows
    w.editor.edit_controllers(
        track.id, add=(ControlEvent(1440, SUSTAIN, 127), ControlEvent(1440, VOLUME, 60))
    )
    w.state.set_selection({n.id for n in track.notes})
    w.actions.move_controllers.setChecked(True)
    w.state.set_snap("1/4")
    QTest.keyClick(w.roll.view, Qt.Key.Key_Right)
    assert _lane(w, SUSTAIN) == [(480, 127), (1440, 127), (1920, 0)]
    assert _lane(w, VOLUME) == [(1440, 60)]


def _held_chord() -> Project:
    return Project(
        tracks=(
            Track(
                name="Piano",
                notes=(Note(60, 480, 480, 90), Note(64, 480, 480, 90)),
                controllers=(
                    ControlEvent(480, SUSTAIN, 127),
                    ControlEvent(600, PITCH_BEND, 2000),
                    ControlEvent(900, SUSTAIN, 0),
                ),
            ),
        )
    )


def _controllers(window):
    return [(e.tick, e.lane, e.value) for e in window.document.project.tracks[0].controllers]


def test_nudging_notes_takes_their_pedal_and_bend_along_in_one_undo_step(make_window):
    w = make_window(_held_chord())
    w.state.set_snap("1/8")  # 240 ticks
    w.actions.move_controllers.setChecked(True)
    w.editor.select_all()
    count = w.undo_stack.count()
    QTest.keyClick(w.roll.view, Qt.Key.Key_Right)
    assert [n.start for n in w.document.project.tracks[0].notes] == [720, 720]
    assert _controllers(w) == [(720, SUSTAIN, 127), (840, PITCH_BEND, 2000), (1140, SUSTAIN, 0)]
    assert w.undo_stack.count() == count + 1
    w.undo_stack.undo()
    assert w.document.project == _held_chord()


def test_nudging_with_the_option_off_leaves_the_controllers(make_window):
    w = make_window(_held_chord())
    w.state.set_snap("1/8")
    w.editor.select_all()
    QTest.keyClick(w.roll.view, Qt.Key.Key_Right)
    assert [n.start for n in w.document.project.tracks[0].notes] == [720, 720]
    assert _controllers(w) == [(480, SUSTAIN, 127), (600, PITCH_BEND, 2000), (900, SUSTAIN, 0)]


def test_a_start_typed_in_the_inspector_takes_the_notes_controllers_along(make_window):
    w = make_window(
        Project(
            tracks=(
                Track(
                    name="Piano",
                    notes=(Note(60, 480, 480, 90),),
                    controllers=(ControlEvent(480, SUSTAIN, 127), ControlEvent(960, SUSTAIN, 0)),
                ),
            )
        )
    )
    w.actions.move_controllers.setChecked(True)
    w.editor.select_all()
    box = w.inspector.widget().start
    box.lineEdit().setText("2:1:0")
    box.interpretText()
    assert w.document.project.tracks[0].notes[0].start == 1920
    assert _lane(w, SUSTAIN) == [(1920, 127), (2400, 0)]
    w.undo_stack.undo()
    assert _lane(w, SUSTAIN) == [(480, 127), (960, 0)]


def _chord_under_a_held_note() -> Project:
    """C and E pressed into after they are struck (polyphonic aftertouch on each key), under a G held
    through them with aftertouch of its own, and the pedal down for all three."""
    return Project(
        tracks=(
            Track(
                name="Piano",
                notes=(Note(60, 480, 480, 90), Note(64, 480, 480, 90), Note(67, 0, 1920, 70)),
                controllers=(
                    ControlEvent(480, SUSTAIN, 127),
                    ControlEvent(600, poly_pressure_lane(60), 40),
                    ControlEvent(620, poly_pressure_lane(67), 90),
                    ControlEvent(700, poly_pressure_lane(64), 50),
                ),
            ),
        )
    )


def _pressure(window) -> list[tuple[int, int, int]]:
    """(tick, key, value) of the first track's polyphonic aftertouch."""
    events = window.document.project.tracks[0].controllers
    return [(e.tick, poly_pressure_pitch(e.lane), e.value) for e in events if is_poly_pressure(e.lane)]


def test_a_notes_aftertouch_goes_to_the_key_it_is_moved_to_and_another_notes_stays(make_window):
    w = make_window(_chord_under_a_held_note())
    w.actions.move_controllers.setChecked(True)
    w.state.set_snap("1/8")  # 240 ticks
    chord = [n for n in w.document.project.tracks[0].notes if n.pitch in (60, 64)]
    w.state.set_selection({n.id for n in chord})
    QTest.keyClick(w.roll.view, Qt.Key.Key_Up)
    assert sorted(n.pitch for n in w.state.selected_notes()) == [61, 65]
    assert _pressure(w) == [(600, 61, 40), (620, 67, 90), (700, 65, 50)]
    QTest.keyClick(w.roll.view, Qt.Key.Key_Right)
    assert _pressure(w) == [(620, 67, 90), (840, 61, 40), (940, 65, 50)]
    assert _lane(w, SUSTAIN) == [(720, 127)]
    w.undo_stack.undo()
    w.undo_stack.undo()
    assert w.document.project == _chord_under_a_held_note()
