"""The Inspector's boxes as a musician uses them: arrows and the wheel over several notes, pitches typed as
names (sharps or flats) or as MIDI numbers, lengths typed from the left in bars, then beats, then ticks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator

from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from tests.ui.ui_helpers import two_track_project

KEY = Qt.Key
# bars 1-2 in 4/4 (0, 1920), 3-4 in 3/4 (3840, 5280), 5 on in 6/8 (6720, 8160)
METERS = (TimeSignature(0, 4, 4), TimeSignature(3840, 3, 4), TimeSignature(6720, 6, 8))


def melody(window):
    return window.document.project.tracks[0]


def velocities(window) -> list[int]:
    return [n.velocity for n in sorted(melody(window).notes, key=lambda n: n.start)]


def test_the_velocity_arrows_over_several_notes_move_each_note_and_keep_the_phrase_shaped(window, qtbot):
    """Velocities 90, 80 and 100 (shown as their mean, 90): Up raises each by one, Page Down lowers each by
    ten; setting all three to the mean plus one would flatten the accents the phrase was played with."""
    window.editor.select_all()
    box = window.inspector.widget().velocity
    assert velocities(window) == [90, 80, 100] and box.value() == 90
    box.setFocus()
    qtbot.keyClick(box, KEY.Key_Up)
    assert velocities(window) == [91, 81, 101] and box.value() == 91
    qtbot.keyClick(box, KEY.Key_PageDown)
    assert velocities(window) == [81, 71, 91] and box.value() == 81
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert velocities(window) == [90, 80, 100]


def test_velocity_steps_stop_at_the_loudest_and_softest_a_note_can_be(window):
    window.editor.select_all()
    box = window.inspector.widget().velocity
    box.stepBy(30)  # 100 goes as far as 127
    assert velocities(window) == [120, 110, 127]
    box.stepBy(-200)
    assert velocities(window) == [1, 1, 1]


def test_a_velocity_typed_then_stepped_sets_every_note_from_the_typed_number(window, qtbot):
    """What is typed is the number the notes take (as Enter would set it), and the arrow steps from it."""
    window.editor.select_all()
    box = window.inspector.widget().velocity
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "60")
    qtbot.keyClick(box, KEY.Key_Up)
    assert velocities(window) == [61, 61, 61]


def test_stepping_one_notes_velocity_is_still_one_step_of_one(window, qtbot):
    first = min(melody(window).notes, key=lambda n: n.start)
    window.state.set_selection({first.id})
    box = window.inspector.widget().velocity
    box.setFocus()
    qtbot.keyClick(box, KEY.Key_Down)
    assert velocities(window) == [89, 80, 100] and box.value() == 89


def _type_pitch(window, qtbot, text: str) -> int:
    first = min(melody(window).notes, key=lambda n: n.start)
    window.state.set_selection({first.id})
    box = window.inspector.widget().pitch
    box.setFocus()
    box.selectAll()
    if text.isascii():
        qtbot.keyClicks(box, text)
    else:  # QTest types Latin-1 only: ♭ and ♯ come in as a paste or an input method would put them
        box.lineEdit().insert(text)
    qtbot.keyClick(box, KEY.Key_Return)
    return melody(window).note_by_id(first.id).pitch


def test_a_pitch_typed_with_a_flat_or_as_a_midi_number_moves_the_note(make_window, qtbot):
    """The box names pitches C#4, Eb4...; a musician types Db4, D♭4, Bb3, 61 or Cb4 as well, and each
    moves the note there (before, anything not spelt as the box spells it was dropped without a word)."""
    for typed, pitch in (
        ("Db4", 61),
        ("d♭4", 61),
        ("C♯4", 61),
        ("Bb3", 58),
        ("A#3", 58),
        ("61", 61),
        ("Cb4", 59),
        ("B#3", 60),
        ("e#4", 65),
        ("Fb4", 64),
        ("G9", 127),
        ("C-1", 0),
    ):
        window = make_window(two_track_project())
        assert _type_pitch(window, qtbot, typed) == pitch, typed


def test_a_pitch_that_cannot_be_read_is_not_taken_and_the_status_bar_says_why(window, qtbot):
    """A pitch the box cannot take was dropped without a word, the note left where it was; the status bar
    now says why, as for Start and Length, and the tooltip shows how to type one."""
    box = window.inspector.widget().pitch
    assert all(example in box.toolTip() for example in ("C4", "Db5", "F#3", "61"))
    for typed, why in (
        ("H4", "Not taken: H4 names no pitch. Type a note name (C4, Db5, F#3) or a MIDI number (61)."),
        ("C 4 4", "Not taken: C 4 4 names no pitch. Type a note name (C4, Db5, F#3) or a MIDI number (61)."),
        ("c#", "Not taken: c# needs an octave, as C#4, the nearest to the note (C4 is middle C)."),
        ("Eb", "Not taken: Eb needs an octave, as Eb4, the nearest to the note (C4 is middle C)."),
        ("A", "Not taken: A needs an octave, as A3, the nearest to the note (C4 is middle C)."),
        ("128", "Not taken: 128 is beyond MIDI's pitches, C-1 (0) to G9 (127)."),
        ("G#9", "Not taken: G#9 is beyond MIDI's pitches, C-1 (0) to G9 (127)."),
        ("Cb-1", "Not taken: Cb-1 is beyond MIDI's pitches, C-1 (0) to G9 (127)."),
    ):
        window.statusBar().clearMessage()
        assert box.validate(typed, 0)[0] == QValidator.State.Intermediate, typed
        assert _type_pitch(window, qtbot, typed) == 60, typed
        assert window.statusBar().currentMessage() == why
        window.roll.view.setFocus()  # leaving the box shows the note's pitch again
        assert box.text() == "C4"
    assert window.undo_stack.count() == 0


def test_a_refusal_is_taken_back_once_the_box_takes_what_is_typed_next(window, qtbot):
    """ "Db" refused, then "Db5" typed: the note moved, yet the status bar went on saying "Not taken" for
    fifteen seconds, over the note just changed. A refusal of another box, or another message, stays."""
    said = window.statusBar()
    assert _type_pitch(window, qtbot, "Db") == 60
    assert said.currentMessage().startswith("Not taken: Db needs an octave")
    assert _type_pitch(window, qtbot, "Db5") == 73
    assert said.currentMessage() == ""
    assert _type_length(window, qtbot, 0, "1.5") == 480
    refusal = said.currentMessage()
    assert refusal.startswith("Not taken: a bar of 4/4")
    assert _type_pitch(window, qtbot, "E4") == 64  # the pitch box takes a value: the length's refusal holds
    assert said.currentMessage() == refusal
    assert _type_length(window, qtbot, 0, "0:2") == 960
    assert said.currentMessage() == ""
    assert _type_start(window, qtbot, 0, "1.5") == 0
    said.showMessage("Saved song.muse", 5000)  # a later message is not the box's to take back
    assert _type_start(window, qtbot, 0, "1.2") == 480
    assert said.currentMessage() == "Saved song.muse"


def _typed(window, qtbot, start: int, box_name: str, text: str):
    """Types ``text`` over the Inspector's ``box_name`` box for the note at ``start`` and presses Enter; the
    note as it is then."""
    (note,) = (n for n in melody(window).notes if n.start == start)
    window.state.set_selection({note.id})
    box = getattr(window.inspector.widget(), box_name)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, KEY.Key_Return)
    return melody(window).note_by_id(note.id)


def _type_length(window, qtbot, start: int, text: str) -> int:
    """Types ``text`` over the Length box of the note at ``start`` and presses Enter; the note's length."""
    return _typed(window, qtbot, start, "length", text).duration


def test_a_length_typed_as_one_number_is_bars_as_the_start_box_reads_it(make_window, qtbot):
    """ "2" in Length is two bars, as "3" in Start is bar 3 and as a DAW's length field reads it; it was two
    ticks, a note too short to hear. Partial entries read from the left: bars, then beats, then ticks."""
    for typed, ticks, shown in (
        ("2", 2 * 1920, "2:0:0"),
        ("1", 1920, "1:0:0"),
        ("0:2", 960, "0:2:0"),
        ("1:2", 1920 + 960, "1:2:0"),
        ("0:0:240", 240, "0:0:240"),
        ("0:1:120", 600, "0:1:120"),
        ("0 3", 3 * 480, "0:3:0"),
    ):
        window = make_window(two_track_project())
        assert _type_length(window, qtbot, 0, typed) == ticks, typed
        assert window.inspector.widget().length.text() == shown, typed
        assert window.undo_stack.count() == 1
        window.undo_stack.undo()
        assert melody(window).notes[0].duration == 480


def test_a_typed_length_counts_the_bars_and_beats_of_the_meter_where_the_note_starts(make_window, qtbot):
    """A 3/4 bar is three beats and a 6/8 beat an eighth; a note starting in a 4/4 bar counts 4/4 bars even
    where it runs on into the 3/4 ones, as the box shows its length, so what the box shows, typed back, is
    the length the note has."""
    notes = (Note(60, 1920, 480), Note(62, 3840 + 480, 480), Note(64, 6720 + 240, 480))
    window = make_window(Project(tracks=(Track(name="Melody", notes=notes),), time_signatures=METERS))
    box = window.inspector.widget().length
    for start, typed, ticks in (
        (3840 + 480, "1", 1440),  # 3/4
        (3840 + 480, "1:2", 1440 + 960),
        (3840 + 480, "0:3", 1440),
        (6720 + 240, "1", 1440),  # 6/8: six eighths a bar
        (6720 + 240, "0:2", 480),
        (6720 + 240, "1:1:10", 1440 + 240 + 10),
        (1920, "2", 2 * 1920),  # from bar 2 (4/4) into bar 4 (3/4)
        (1920, "0:5", 5 * 480),
    ):
        assert _type_length(window, qtbot, start, typed) == ticks, (start, typed)
        shown = box.text()
        assert _type_length(window, qtbot, start, shown) == ticks, (start, shown)


def test_a_length_that_cannot_be_read_is_not_taken_and_the_box_says_how_to_type_one(window, qtbot):
    box = window.inspector.widget().length
    tip = box.toolTip()
    assert all(example in tip for example in ("2", "0:2", "0:0:240"))
    for typed in ("0", "0:0", "0:0:0", "1:2:3:4", "-1", "two", "1/2"):
        assert box.validate(typed, 0)[0] == QValidator.State.Intermediate, typed
        assert _type_length(window, qtbot, 0, typed) == 480, typed
        window.roll.view.setFocus()  # leaving the box shows the note's length again
        assert box.text() == "0:1:0"
    assert window.undo_stack.count() == 0


def _type_start(window, qtbot, start: int, text: str) -> int:
    """Types ``text`` over the Start box of the note at ``start`` and presses Enter; the note's start."""
    return _typed(window, qtbot, start, "start", text).start


def test_a_length_far_past_the_piece_is_refused_and_the_ticks_it_may_mean_are_said(window, qtbot):
    """ "480" in Length made the note 480 bars long: a musician typing it means 480 ticks, or slipped. A
    note may end up to 16 bars after the piece ends (bar 1 here), no further; the box says so."""
    said = window.statusBar()
    assert _type_length(window, qtbot, 0, "480") == 480 and window.undo_stack.count() == 0
    assert said.currentMessage() == (
        "Not taken: 480 bars would end the note far past the piece. For 480 ticks type 0:0:480."
    )
    window.roll.view.setFocus()
    assert window.inspector.widget().length.text() == "0:1:0"  # the note as it is
    assert _type_length(window, qtbot, 0, "0:0:480") == 480
    said.clearMessage()
    assert _type_length(window, qtbot, 0, "16") == 16 * 1920  # a long note, within reach: taken
    assert said.currentMessage() == ""
    assert "16 bars after the piece ends" in window.inspector.widget().length.toolTip()


def test_a_length_typed_with_a_dot_reads_as_in_start_and_a_beat_past_the_bar_is_refused(window, qtbot):
    """ "1.5" in 4/4 was taken as a bar and five beats (2:1:0), whether 1.5 bars was meant or a typo made.
    A dot separates bars and beats as in Start; what follows the first number stays within it."""
    assert _type_length(window, qtbot, 0, "1.5") == 480 and window.undo_stack.count() == 0
    assert window.statusBar().currentMessage() == (
        "Not taken: a bar of 4/4 has 4 beats. Type 2:1:0 for that length, or 1:2:0 for 1.5 bars."
    )
    assert _type_length(window, qtbot, 0, "1:0:480") == 480
    assert window.statusBar().currentMessage() == (
        "Not taken: a beat of 4/4 has 480 ticks. Type 1:1:0 for that length."
    )
    for typed, ticks in (("1.2", 1920 + 960), ("0:5", 5 * 480), ("0:0:960", 960), ("1.3.479", 3839)):
        assert _type_length(window, qtbot, 0, typed) == ticks, typed  # the first number counts on
    box = window.inspector.widget().length
    assert "not 1.2 bars" in box.toolTip() and "0:6 is six beats" in box.toolTip()


def test_the_start_box_refuses_a_beat_its_bar_lacks_and_a_bar_far_past_the_piece(make_window, qtbot):
    """ "1.5" in Start went to bar 2 beat 1 and "480" to bar 480, a note far from anything heard; each is
    refused as Length refuses the same, saying why."""
    window = make_window(
        Project(tracks=(Track(name="Melody", notes=(Note(60, 0, 480),)),), time_signatures=METERS)
    )
    assert _type_start(window, qtbot, 0, "1.5") == 0
    assert window.statusBar().currentMessage() == (
        "Not taken: bar 1 is in 4/4, with beats 1 to 4 and ticks 0 to 479 in a beat."
    )
    assert _type_start(window, qtbot, 0, "3.4") == 0  # bar 3 is in 3/4
    assert window.statusBar().currentMessage().startswith("Not taken: bar 3 is in 3/4, with beats 1 to 3")
    assert _type_start(window, qtbot, 0, "1:1:480") == 0
    assert _type_start(window, qtbot, 0, "480") == 0
    assert window.statusBar().currentMessage() == (
        "Not taken: the note would end in bar 480, over 16 bars past the piece's end (bar 1)."
    )
    assert _type_start(window, qtbot, 0, "9999999") == 0  # read at once, not bar line by bar line
    assert "would end in bar 9999999," in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0
    assert _type_start(window, qtbot, 0, "5.6.239") == 6720 + 5 * 240 + 239  # 6/8: six eighths a bar
    assert _type_start(window, qtbot, 6720 + 5 * 240 + 239, "3.3") == 3840 + 960


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_refused_length_is_said_in_chinese_too(language, window, qtbot):
    assert _type_length(window, qtbot, 0, "480") == 480
    assert window.statusBar().currentMessage().startswith("未采用：")
