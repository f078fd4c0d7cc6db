"""A piece that ends in silent bars (a loop from a MIDI file: its notes in bar 1, rests to the end of bar
4) shows where it ends: a mark on the ruler, which says what it is. Edit > Trim Silent Bars at the End ends
the piece at its last note, one undo step, offered only where there are silent bars; an import that brings
them says so."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from musestudio.cli import main
from musestudio.paths import resource
from musestudio.ui.pianoroll.ruler import HEIGHT
from tests.ui.test_midi_files_come_back_ui import loop_file
from tests.ui.ui_helpers import mido_file

M, MM = mido.Message, mido.MetaMessage

BAR = 1920


def end_x(window) -> int:
    return round(window.roll.view.tick_to_x(window.document.project.end_of_track))


def ruler_of(window):
    return window.roll.ruler


def marked_at(window, x: int) -> bool:
    """Whether the ruler draws the end's line at ``x``."""
    from musestudio.ui.pianoroll.ruler import END

    image = ruler_of(window).grab().toImage()
    return any(image.pixelColor(x + dx, HEIGHT - 3) == END for dx in (-1, 0, 1))


def tip_at(window, x: int) -> str:
    ruler = ruler_of(window)
    at = QPoint(x, HEIGHT // 2)
    QApplication.sendEvent(ruler, QHelpEvent(QEvent.Type.ToolTip, at, ruler.mapToGlobal(at)))
    QApplication.processEvents()
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_the_ruler_marks_where_a_loop_ends_and_says_what_the_mark_is(qtbot, window, tmp_path):
    assert window.files.open_path(loop_file(tmp_path / "loop.mid"), ask=False)
    window.actions.zoom_fit.trigger()  # the whole loop in view, its end too
    x = end_x(window)
    assert 0 < x < ruler_of(window).width()
    assert marked_at(window, x)
    tip = tip_at(window, x)
    assert "3 silent bar(s)" in tip and "Trim Silent Bars at the End" in tip
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    assert tip_at(window, x // 2) == ""  # elsewhere the ruler says nothing of it


def test_a_file_ending_a_tick_after_its_last_note_has_no_end_mark(window):
    assert window.files.open_path(resource("seeds", "demo.mid"), ask=False)
    project = window.document.project
    assert project.end_of_track == project.end + 1  # as the file says
    window.actions.zoom_fit.trigger()
    assert not marked_at(window, end_x(window)) and not window.actions.trim_end.isEnabled()


def test_trim_silent_bars_ends_the_piece_at_its_last_note_as_one_undo_step(window, tmp_path):
    assert window.files.open_path(loop_file(tmp_path / "loop.mid"), ask=False)
    trim = window.actions.trim_end
    assert trim.isEnabled() and trim in window.menuBar().actions()[1].menu().actions()
    trim.trigger()
    assert window.document.project.end_of_track == 0 and not trim.isEnabled()
    assert window.undo_stack.count() == 1 and window.document.modified
    assert window.files.export_midi(tmp_path / "trimmed.mid")
    assert mido.MidiFile(str(tmp_path / "trimmed.mid")).length == pytest.approx(0.25)
    window.actions.go_to_end.trigger()
    assert window.state.playhead == 240
    window.undo_stack.undo()
    assert window.document.project.end_of_track == 4 * BAR and trim.isEnabled()
    assert not window.document.modified


def test_importing_a_loop_says_its_silent_bars_now_end_the_piece(window, tmp_path):
    """The piece has a bar of notes; the loop's 4 bars make it longer, and the message says so. A second
    import of it lengthens nothing more and says nothing of it."""
    assert window.files.import_midi(loop_file(tmp_path / "loop.mid"))
    said = window.statusBar().currentMessage()
    assert "loop.mid ends in 3 silent bar(s)" in said, said
    assert window.document.project.end_of_track == 4 * BAR
    assert window.files.import_midi(tmp_path / "loop.mid")
    assert "silent" not in window.statusBar().currentMessage()


def test_a_loop_whose_pedal_up_lies_at_its_end_keeps_its_silent_bars(window, tmp_path):
    """A 4-bar loop with one note in bar 1 and the sustain pedal let up on its last tick: the pedal is no
    music, so the loop still ends in 3 silent bars, and exports as long as it came."""
    src = mido_file(
        tmp_path / "pedal.mid",
        [
            [
                (0, M("note_on", note=60, velocity=90)),
                (480, M("note_off", note=60)),
                (4 * BAR, M("control_change", control=64, value=0)),
                (4 * BAR, MM("end_of_track")),
            ]
        ],
    )
    assert window.files.open_path(src, ask=False)
    assert window.document.project.end_of_track == 4 * BAR and window.actions.trim_end.isEnabled()
    assert window.files.export_midi(tmp_path / "out.mid")
    assert mido.MidiFile(str(tmp_path / "out.mid")).length == mido.MidiFile(str(src)).length == 8.0


def test_a_file_whose_end_lies_absurdly_far_after_its_notes_opens_and_says_its_end_was_dropped(
    window, tmp_path
):
    """A buggy writer's end-of-track 78 hours after the last note: the piece opens, ending at its note."""
    src = mido_file(
        tmp_path / "far.mid",
        [
            [
                (0, M("note_on", note=60, velocity=90)),
                (480, M("note_off", note=60)),
                (0x0FFFFFFF, MM("end_of_track")),
            ]
        ],
    )
    assert window.files.open_path(src, ask=False)
    project = window.document.project
    assert project.note_count == 1 and project.length == 480
    said = window.statusBar().currentMessage()
    assert "far.mid ended 78 hours of silence after its last event" in said, said


def test_a_file_in_smpte_time_says_it_opens_in_beats(window, capsys):
    """A file counting time in SMPTE frames (25 a second) opened as 60 BPM without a word: the grid, the
    tempo and the exported file are in beats, which a film-scoring musician would not expect."""
    src = Path(__file__).resolve().parent.parent / "fixtures" / "midi" / "edge" / "smpte_division.mid"
    assert window.files.open_path(src, ask=False)
    said = window.statusBar().currentMessage()
    assert (
        "smpte_division.mid counts time in SMPTE frames (25 a second), not in beats: it opens at 60 BPM"
        in said
    )
    assert main(["info", str(src)]) == 0
    assert "note: smpte_division.mid counts time in SMPTE frames (25 a second)" in capsys.readouterr().err


@pytest.mark.parametrize("loop_end", [0, 4 * BAR], ids=["piece", "loop"])
def test_export_then_reopen_gives_back_the_piece_with_a_marker_after_its_music(window, tmp_path, loop_end):
    """A "Fine" marker two bars after the last note: the exported file ends on it, which opened as a loop's
    silent bars (Trim offered, the ruler's end mark, Continue after them). Exported and opened again, the
    piece ends where it did; a loop with a marker on its last tick keeps its silent bars."""
    from musestudio.core import Note, Project, Track
    from musestudio.core.events import Marker
    from musestudio.io.project_file import save_project

    piece = Project(
        tracks=(Track(name="Lead", notes=(Note(60, 0, 480),)),),
        markers=(Marker(2 * BAR, "Fine"), Marker(4 * BAR, "End")),
        end_of_track=loop_end,
    )
    save_project(piece, tmp_path / "piece.muse")
    assert window.files.open_path(tmp_path / "piece.muse", ask=False)
    assert window.files.export_midi(tmp_path / "piece.mid")
    assert window.files.open_path(tmp_path / "piece.mid", ask=False)
    project = window.document.project
    assert (project.length, project.end_of_track) == (piece.length, loop_end)
    assert window.actions.trim_end.isEnabled() == bool(loop_end)
    assert [m.text for m in project.markers] == ["Fine", "End"]
    assert mido.MidiFile(str(tmp_path / "piece.mid")).length == 8.0  # the file still reaches its "End"
