"""Export MIDI of a piece with a muted or soloed track: MIDI has no mute or solo, so the muted part plays in
the file and comes back unmuted. The window says so, naming the tracks, as ``musestudio convert`` does."""

from __future__ import annotations

import mido
from PySide6.QtCore import Qt

from musestudio.io.midi import read_midi


def test_export_midi_says_the_muted_track_plays_in_the_file(window, qtbot, tmp_path):
    bass = window.document.project.tracks[1]
    qtbot.mouseClick(window.tracks.widget().rows[bass.id].mute, Qt.MouseButton.LeftButton)
    assert window.document.project.tracks[1].mute
    out = tmp_path / "out.mid"
    assert window.files.export_midi(out)
    assert any(m.type == "note_on" and m.note == 36 for m in mido.MidiFile(str(out)).tracks[2])
    assert not read_midi(out).tracks[1].mute
    said = window.statusBar().currentMessage().replace(str(out), "")
    assert "MIDI has no mute or solo: Bass play" in said, said


def test_export_midi_names_the_soloed_track_and_says_nothing_without_mute_or_solo(window, qtbot, tmp_path):
    melody = window.document.project.tracks[0]
    assert window.files.export_midi(tmp_path / "plain.mid")
    assert "mute" not in window.statusBar().currentMessage().replace(str(tmp_path), "")
    qtbot.mouseClick(window.tracks.widget().rows[melody.id].solo, Qt.MouseButton.LeftButton)
    assert window.files.export_midi(tmp_path / "solo.mid")
    assert "MIDI has no mute or solo: Melody play" in window.statusBar().currentMessage()
