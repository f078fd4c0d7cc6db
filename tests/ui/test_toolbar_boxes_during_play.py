"""The toolbar's BPM, meter and key boxes: what is typed goes to the tempo, meter or key the box showed
when the typing began, even when the playhead has moved on since; the meter box holds every meter a file
can (up to 255 beats a bar); a changed meter gets a metronome click that fits it."""

import io

import mido
from PySide6.QtCore import Qt

from musestudio.core.events import KeyChange
from musestudio.core.keys import KeySignature
from musestudio.core.project import TempoChange, TimeSignature
from musestudio.io.midi import midi_to_bytes
from tests.ui.ui_helpers import two_track_project


def _play_on_past(window, qtbot, tick):
    """Start playback from the top and wait until the playhead is past ``tick``."""
    window.actions.play.trigger()
    assert window.transport.playing
    qtbot.waitUntil(lambda: window.state.playhead > tick, timeout=30_000)


def test_a_bpm_typed_while_playing_changes_the_tempo_the_field_showed(make_window, qtbot):
    w = make_window(two_track_project().with_tempos((TempoChange(0, 90), TempoChange(480, 140))))
    w.player.open()
    w.state.set_playhead(0)
    field = w.toolbar.tempo
    assert field.value() == 90
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "100")  # the user retypes the 90 shown ...
    try:
        _play_on_past(w, qtbot, 700)  # ... while the music plays on past the next tempo change
        assert field.cleanText().startswith("100")
        qtbot.keyClick(field, Qt.Key.Key_Enter)
    finally:
        w.transport.stop()
    assert [(t.tick, t.bpm) for t in w.document.project.tempos] == [(0, 100), (480, 140)]


def test_a_meter_and_a_key_chosen_while_playing_change_the_ones_the_boxes_showed(make_window, qtbot):
    piece = two_track_project().with_(
        time_signatures=(TimeSignature(0, 4, 4), TimeSignature(480, 3, 4)),
        key=KeySignature(0, "major"),
    )
    w = make_window(piece.with_key_changes((KeyChange(480, KeySignature(7, "major")),)))
    w.player.open()
    w.state.set_playhead(0)
    tb = w.toolbar
    tb.numerator.setFocus()
    tb.numerator.selectAll()
    qtbot.keyClicks(tb.numerator, "5")  # typing begun at bar 1 ...
    try:
        _play_on_past(w, qtbot, 700)  # ... goes on while the music passes the next meter
        qtbot.keyClick(tb.numerator, Qt.Key.Key_Enter)
    finally:
        w.transport.stop()
    w.state.set_playhead(0)
    tb.key.showPopup()  # the key list opened at bar 1 ...
    qtbot.waitUntil(tb.key.view().isVisible)
    try:
        _play_on_past(w, qtbot, 700)  # ... stays open while the music passes the next key
        tb.key.view().setCurrentIndex(tb.key.model().index(tb.key.findText("D major"), 0))
        qtbot.keyClick(tb.key.view(), Qt.Key.Key_Return)
    finally:
        w.transport.stop()
    project = w.document.project
    assert [(s.tick, str(s)) for s in project.time_signatures] == [(0, "5/4"), (480, "3/4")]
    assert project.key == KeySignature(2, "major")
    assert [(k.tick, k.key) for k in project.key_changes] == [(480, KeySignature(7, "major"))]


def _long_bar():
    return two_track_project().with_(time_signatures=(TimeSignature(0, 4, 4), TimeSignature(3840, 40, 16)))


def test_the_meter_box_shows_a_40_16_bar(make_window):
    w = make_window(_long_bar())
    w.state.set_playhead(4000)
    assert w.toolbar.numerator.value() == 40


def test_changing_only_the_beat_unit_of_a_long_bar_keeps_its_beats(make_window):
    w = make_window(_long_bar())
    w.state.set_playhead(4000)
    box = w.toolbar.denominator
    box.setCurrentIndex(box.findData(8))
    sigs = [(s.tick, s.numerator, s.denominator) for s in w.document.project.time_signatures]
    assert sigs == [(0, 4, 4), (3840, 40, 8)]


def _clicks(project):
    """The exported file's meter events: (numerator, denominator, clocks per click, 32nds per quarter)."""
    file = mido.MidiFile(file=io.BytesIO(midi_to_bytes(project)))
    return [
        (m.numerator, m.denominator, m.clocks_per_click, m.notated_32nd_notes_per_beat)
        for t in file.tracks
        for m in t
        if m.type == "time_signature"
    ]


def test_a_changed_meter_exports_a_click_that_fits_it_and_an_untouched_one_keeps_the_files(make_window):
    piece = two_track_project().with_(
        time_signatures=(TimeSignature(0, 6, 8, 36, 8), TimeSignature(1920, 6, 8, 30, 8))
    )
    w = make_window(piece)
    w.state.set_playhead(0)
    w.toolbar.numerator.setValue(3)
    w.toolbar.denominator.setCurrentIndex(w.toolbar.denominator.findData(4))
    assert _clicks(w.document.project) == [(3, 4, 24, 8), (6, 8, 30, 8)]
    w.toolbar.numerator.setValue(12)
    w.toolbar.denominator.setCurrentIndex(w.toolbar.denominator.findData(8))
    assert _clicks(w.document.project)[0] == (12, 8, 36, 8)  # a dotted-quarter click, as 12/8 is felt


def _focus(qtbot, box) -> None:
    """As after picking in the box with the mouse: the focus stays there."""
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)


def test_key_change_at_this_bar_then_the_key_box_sets_the_new_bars_key(make_window, qtbot):
    w = make_window()
    w.editor.set_key(KeySignature(0, "major"))
    _focus(qtbot, w.toolbar.key)
    bar5 = 4 * 4 * w.document.project.ticks_per_beat
    w.state.set_playhead(bar5)  # a click in the ruler leaves the focus in the box
    w.actions.key_change.trigger()
    w.toolbar.key.setCurrentIndex(w.toolbar.key.findText("D major"))
    project = w.document.project
    assert [(k.tick, k.key) for k in project.key_changes] == [(bar5, KeySignature(2, "major"))]
    assert project.key == KeySignature(0, "major")


def test_meter_change_at_this_bar_then_the_beats_box_sets_the_new_bars_meter(make_window, qtbot):
    w = make_window()
    _focus(qtbot, w.toolbar.numerator)
    bar5 = 4 * 4 * w.document.project.ticks_per_beat
    w.state.set_playhead(bar5)
    w.actions.meter_change.trigger()
    w.toolbar.numerator.setValue(3)
    assert [(s.tick, str(s)) for s in w.document.project.time_signatures] == [(0, "4/4"), (bar5, "3/4")]
