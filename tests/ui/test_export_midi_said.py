"""Everything MIDI changes from a piece is said wherever the piece is written as MIDI: Export MIDI says it
in the window's words, ``musestudio-cli convert`` on stderr in its own, both from the same items
(``io.midi_export_changes``), so neither front can leave one out."""

from __future__ import annotations

from musestudio import cli
from musestudio.core import Note, Project, TempoChange, Track
from musestudio.core.events import TEXT_ENCODINGS
from musestudio.core.track import DRUM_CHANNEL
from musestudio.io.project_file import save_project

LATIN_1 = TEXT_ENCODINGS[1]


def piece_midi_cannot_hold(path):
    """A piece with one of each thing MIDI changes: a part moved to a channel of its own, drums left sharing
    theirs, text with no Latin-1 form, a tempo slower than MIDI holds (2 BPM at bar 2), a note inside a longer one of its pitch, a muted and a soloed part."""
    note = (Note(60, 0, 480, 90),)
    held = (Note(64, 0, 960, 90), Note(64, 100, 100, 90))
    tracks = (
        Track(name="Żółw", text_encoding=LATIN_1, notes=note + held),
        Track(name="Bass", program=32, mute=True, notes=note),
        Track(name="Kick", is_drum=True, channel=DRUM_CHANNEL, volume=110, solo=True, notes=note),
        Track(name="Snare", is_drum=True, channel=DRUM_CHANNEL, volume=70, notes=note),
    )
    tempos = (TempoChange(0, 120), TempoChange(1920, 2))
    piece = Project(tracks=tracks, tempos=tempos, metadata={"title": "Ωmega"}, text_encoding=LATIN_1)
    save_project(piece, path)
    return path


SAID = (
    ("Bass goes out on channel 2", "Bass goes out on channel 2"),
    ("Kick, Snare share the drum channel (10)", "Kick, Snare share the drum channel (10)"),
    ("The text of the piece's title and markers, Żółw goes out as UTF-8", "the text of the piece's title"),
    (
        "MIDI holds no tempo slower than 3.58 BPM, so these go out at 3.58 BPM and the file plays faster there "
        "than the piece: 2 BPM at bar 2.",
        "the tempo of 2 BPM at bar 2 goes out at 3.58 BPM, the slowest MIDI holds: ",
    ),
    ("sound inside a longer note of the same pitch", "2 notes sound inside a longer note"),
    ("MIDI has no mute or solo: Bass, Kick play", "MIDI has no mute or solo: Bass, Kick play"),
)


def test_export_midi_and_convert_each_say_every_change_midi_makes_to_the_piece(window, capsys, tmp_path):
    piece = piece_midi_cannot_hold(tmp_path / "piece.muse")
    assert window.files.open_path(piece, ask=False)
    assert window.files.export_midi(tmp_path / "window.mid")
    shown = window.statusBar().currentMessage()
    assert cli.main(["convert", str(piece), str(tmp_path / "cli.mid")]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note: ")]
    assert len(notes) == len(SAID), notes
    for (in_window, on_stderr), note in zip(SAID, notes, strict=True):
        assert in_window in shown, shown
        assert note.startswith(f"note: {on_stderr}"), note
    assert (tmp_path / "window.mid").read_bytes() == (tmp_path / "cli.mid").read_bytes()
