"""A pitched take previewed while a drum track is active is read on pitch rows: the keyboard names the rows
as notes (C2, C3 ...), not as the kit's drums. Before, Add a part over a beat drew its bass over rows named
Bass Drum 1, Acoustic Snare ..., so its notes read as hits until it was kept. The drum track itself is not
changed, Keep makes the new part's track active (pitch rows), Undo lists the take again over the drums
(pitch rows while it is listed), and once no take is listed the drum track's rows name its drums again. A
take that goes into the drum track itself stays on the drum rows."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt

from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.ml.engines import ADD_PART, PARTS, REGENERATE
from musestudio.ml.generate.request import NEW_TRACK, Options, PartSpec, Request, Take
from musestudio.ui.pianoroll.keyboard import DRUM_WIDTH, WIDTH
from musestudio.ui.pianoroll.scene import pitch_top
from tests.ui.kept_takes import BAR, TPB, list_takes
from tests.ui.test_generate_parts_ui import choose, press_generate


def beat(bars: int = 4) -> Track:
    """A kick on 1 and 3, a snare on 2 and 4, closed hi-hats in eighths, ``bars`` bars long."""
    kick_snare = (Note(36 if k % 2 == 0 else 38, k * TPB, 120, 100) for k in range(4 * bars))
    hats = (Note(42, k * TPB // 2, 60, 70) for k in range(8 * bars))
    return Track(
        name="Drums",
        channel=9,
        is_drum=True,
        notes=tuple(sorted((*kick_snare, *hats), key=lambda n: n.start)),
    )


def list_bass(window, count: int = 2) -> tuple[Take, ...]:
    """List ``count`` takes of an Add a part writing a bass to the beat, as the Parts engine lists them."""
    request = Request(
        ADD_PART,
        PARTS,
        (),
        TPB,
        (TimeSignature(0, 4, 4),),
        Options(style="pop"),
        track_id=window.state.active_track_id,
        parts=(PartSpec(NEW_TRACK, (), "", "bass", 32, True),),
        drums=window.document.project.tracks[0].notes,
    )
    notes = [
        tuple(Note((36, 43, 41, 38)[k % 4] + i, k * BAR, BAR, 90) for k in range(4)) for i in range(count)
    ]
    return list_takes(window, request, 0, 4 * BAR, notes, [((NEW_TRACK, n),) for n in notes])


def drum_rows(window) -> bool:
    keyboard = window.roll.keyboard
    assert keyboard.width() == (DRUM_WIDTH if keyboard.drums else WIDTH)
    return keyboard.drums


def test_a_bass_added_to_a_beat_is_previewed_on_pitch_rows_and_the_beat_is_left_as_it_was(make_window):
    kit = beat()
    window = make_window(Project(tracks=(kit,)))
    assert window.state.active_track_id == kit.id and drum_rows(window)
    list_bass(window)
    assert not drum_rows(window)
    window.roll.keyboard.repaint()  # the piano keys, drawn over the drum track
    assert window.document.project.tracks == (kit,) and window.state.active_track_id == kit.id
    gen = window.generate
    gen.takes_panel.set_current_row(1)
    assert not drum_rows(window)  # the other take, the same rows

    assert gen.keep()
    drums, bass = window.document.project.tracks
    assert drums == kit and window.state.active_track_id == bass.id and not drum_rows(window)
    window.undo_stack.undo()  # the take is listed again, over the drums: still pitch rows
    assert window.document.project.tracks == (kit,) and window.state.active_track_id == kit.id
    assert len(gen.takes) == 2 and not drum_rows(window)
    gen.discard()
    assert len(gen.takes) == 1 and not drum_rows(window)
    gen.discard_all()
    assert not gen.takes and drum_rows(window)  # nothing listed: the kit's rows again
    list_bass(window, 3)  # a new Generate over the beat
    assert not drum_rows(window) and window.document.project.tracks == (kit,)


def test_a_take_that_goes_into_the_drum_track_stays_on_the_drum_rows(make_window):
    """No model writes drums yet: a take into the drum track itself (as a drum engine would list it) is hits,
    read on the kit's rows."""
    kit = beat(2)
    window = make_window(Project(tracks=(kit,)))
    request = Request(
        REGENERATE, PARTS, kit.notes, TPB, (TimeSignature(0, 4, 4),), Options(style="pop"), track_id=kit.id
    )
    list_takes(window, request, 0, BAR, [(Note(36, 0, 120, 100), Note(38, TPB, 120, 100))])
    assert drum_rows(window)


def test_add_a_part_generated_over_a_beat_is_previewed_on_pitch_rows(qtbot, make_window):
    """The takes of a real Add a part (the Parts engine) over a drums-only piece."""
    kit = beat()
    window = make_window(Project(tracks=(kit,)))
    choose(window, ADD_PART, variations=1)
    panel = window.generate.panel
    panel.role.setCurrentIndex(panel.role.findData("bass"))
    press_generate(qtbot, window)
    assert window.generate.takes and not drum_rows(window)
    assert window.document.project.tracks == (kit,) and window.state.active_track_id == kit.id


def lane_lefts(window) -> set[int]:
    """Where the roll and each lane under and over it begin, in the editor's pixels."""
    roll = window.roll
    lanes = (roll.view, roll.ruler, roll.markers, roll.tempo, roll.velocity, roll.controllers.lane)
    return {lane.mapTo(roll, QPoint(0, 0)).x() for lane in lanes}


def test_a_piece_opened_on_its_drum_track_has_its_lanes_lined_up_with_the_roll(make_window):
    """The keyboard is wide from the start (the drums' names); the captions left of the lanes were not:
    the ruler, the tempo lane and the velocity bars began left of the notes they belong to."""
    window = make_window(Project(tracks=(beat(),)))
    assert drum_rows(window) and len(lane_lefts(window)) == 1
    list_bass(window)  # pitch rows: the keyboard narrows, and the captions with it
    assert not drum_rows(window) and len(lane_lefts(window)) == 1
    window.generate.discard_all()
    assert drum_rows(window) and len(lane_lefts(window)) == 1


def test_a_key_sounds_as_the_keyboard_names_it_and_a_drum_note_as_its_track_plays_it(make_window, qtbot):
    """Over a pitched take the keys are piano keys: one clicked sounds its pitch on a piano, not the drum the
    kit puts there (C3 was a Hi-Mid Tom); a hit of the drum track clicked still sounds its drum."""
    kit = beat().with_(program=32)  # the Jazz kit: an Acoustic Bass on a pitched channel
    window = make_window(Project(tracks=(kit,)))
    heard = []
    window.player.audition = lambda pitch, velocity, program, drum: heard.append((pitch, program, drum))
    keyboard, view = window.roll.keyboard, window.roll.view

    def click_key(pitch: int) -> None:
        view.center_on_pitch(pitch)
        y = round(view.pitch_to_y(pitch) + view.row_px / 2)
        qtbot.mouseClick(keyboard, Qt.MouseButton.LeftButton, pos=QPoint(10, y))

    click_key(48)
    list_bass(window)
    click_key(48)
    kick = kit.notes[0]
    view.scroll_to_tick(0)
    view.center_on_pitch(kick.pitch)
    at = view.mapFromScene(QPointF(kick.start + kick.duration / 2, pitch_top(kick.pitch) + 0.5))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert heard == [(48, 32, True), (48, 0, False), (36, 32, True)]  # the jazz kit's tom, a piano, a kick
