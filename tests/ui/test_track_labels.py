"""Tracks the UI would show alike are told apart: a Nottingham tune's two unnamed parts, melody and chords,
both piano, read "Acoustic Grand Piano" twice in the track list, the messages that name tracks and the files
dragged out. Those with no name of their own, called by their instrument, are numbered in track order, in
every place alike, while the piece and its files keep the names they had (an empty one, or none)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import mido
import pytest
from mido import Message, MetaMessage
from PySide6.QtCore import Qt
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QInputDialog, QMessageBox

from musestudio.core.events import TextEvent
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.midi import read_midi
from musestudio.io.project_file import load_project
from musestudio.ui.track_labels import track_labels
from tests.ui.ui_helpers import mido_file

PIANO = "Acoustic Grand Piano"
NUMBERED = [f"{PIANO} 1", f"{PIANO} 2"]


def _unnamed(**fields) -> Track:
    """A part with no name of its own, as its file left it or File > New made it."""
    return Track(name="", name_event=False, **fields)


def _part(notes: list[tuple[int, int]]) -> list:
    """A part as Nottingham's files have it: an empty track name, no program change, channel 1."""
    return [
        (0, MetaMessage("track_name", name="")),
        *[(t, Message("note_on", channel=0, note=p, velocity=90)) for t, p in notes],
        *[(t + 480, Message("note_off", channel=0, note=p)) for t, p in notes],
    ]


@pytest.fixture
def tune(tmp_path):
    """A tune and its chords, two piano parts its file leaves unnamed (as Nottingham's ashover1.mid)."""
    return mido_file(tmp_path / "tune.mid", [_part([(0, 76), (480, 74)]), _part([(0, 43), (0, 47), (0, 50)])])


def shown(window) -> list[str]:
    """The track list's names, top to bottom."""
    rows = window.tracks.widget().rows
    return [rows[t.id].name.text() for t in window.document.project.tracks]


def test_two_unnamed_piano_parts_are_numbered_in_the_track_list_and_kept_as_they_are(
    make_window, tune, tmp_path
):
    window = make_window(read_midi(tune))
    assert shown(window) == NUMBERED
    tip = window.tracks.widget().rows[window.document.project.tracks[0].id].name.toolTip()
    assert tip.startswith(f"{PIANO} 1\n") and "numbered to tell it from the tracks" in tip

    assert [t.name for t in window.document.project.tracks] == ["", ""]  # the file's empty names
    assert window.files.save_as(tmp_path / "tune.muse")
    assert [t.name for t in load_project(tmp_path / "tune.muse").tracks] == ["", ""]
    assert window.files.export_midi(tmp_path / "out.mid")
    written = [
        m.name for t in mido.MidiFile(tmp_path / "out.mid").tracks for m in t if m.type == "track_name"
    ]
    assert written == ["", ""]  # not "Acoustic Grand Piano", which the file never said
    assert [t.name for t in read_midi(tmp_path / "out.mid").tracks] == ["", ""]


def test_the_numbers_follow_renames_instruments_deletes_adds_and_their_undo(make_window, tune):
    window = make_window(read_midi(tune))
    editor, undo = window.editor, window.undo_stack
    melody, chords = window.document.project.tracks

    editor.rename_track(melody.id, "Melody")
    assert shown(window) == ["Melody", PIANO]  # one piano left: nothing to tell apart
    assert "number" not in window.tracks.widget().rows[chords.id].name.toolTip()
    undo.undo()
    assert shown(window) == NUMBERED

    editor.set_track(chords.id, "Instrument", program=40)
    assert shown(window) == [PIANO, "Violin"]
    undo.undo()
    assert shown(window) == NUMBERED

    editor.delete_track(melody.id)
    assert shown(window) == [PIANO]
    undo.undo()
    assert shown(window) == NUMBERED
    undo.redo()
    assert shown(window) == [PIANO]
    undo.undo()

    editor.push(window.document.project.add_track(_unnamed(channel=1), index=0), "Add track")
    assert shown(window) == [f"{PIANO} {n}" for n in (1, 2, 3)]
    assert window.document.project.tracks[1].id == melody.id  # numbered in track order: the melody is 2 now
    undo.undo()
    assert shown(window) == NUMBERED

    swapped = window.document.project.with_tracks([chords, melody])
    editor.push(swapped, "Reorder")
    assert shown(window) == NUMBERED
    assert window.tracks.widget().rows[chords.id].name.text() == f"{PIANO} 1"


def test_the_rename_box_shows_the_numbered_name_and_okd_as_it_is_renames_nothing(
    make_window, tune, monkeypatch
):
    window = make_window(read_midi(tune))
    chords = window.document.project.tracks[1]
    offered = []

    def get_text(*_a, text, **_k):
        offered.append(text)
        return text, True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    window.tracks.widget().rows[chords.id].rename()
    assert offered == [f"{PIANO} 2"]
    assert not window.undo_stack.canUndo()
    assert window.document.project.tracks[1].name == ""


def test_a_message_naming_the_tracks_tells_them_apart_as_the_list_does(make_window, tune, monkeypatch):
    """Export WAV of a piece whose every track is muted says which tracks it left out."""
    window = make_window(read_midi(tune))
    for track in window.document.project.tracks:
        window.editor.set_track(track.id, "Mute", mute=True)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a: warned.append(text))
    assert not window.files.export_wav()
    (text,) = warned
    assert f"{PIANO} 1 (muted), {PIANO} 2 (muted)" in text


def test_a_track_dragged_out_is_named_as_the_list_shows_it(make_window, tune, monkeypatch, tmp_path):
    """The file a track row's drag carries is named as the row reads; the track in it keeps its name (the
    file's empty one)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # no earlier drag's file there to number this one
    window = make_window(read_midi(tune))
    files = []  # the system's drag loop, which would wait for a real mouse, is the one thing replaced
    monkeypatch.setattr(
        QDrag,
        "exec",
        lambda drag, *_a: files.append(drag.mimeData().urls()[0].toLocalFile()) or Qt.DropAction.CopyAction,
    )
    for track in window.document.project.tracks:
        window.drag_out_track(track.id)
    assert [Path(f).stem for f in files] == NUMBERED
    assert [(t.name, t.name_event) for f in files for t in read_midi(f).tracks] == [("", True)] * 2


def test_names_given_by_the_file_or_the_user_are_shown_as_they_are(qapp):
    """Two tracks the user named "Piano" were named so on purpose; a typed "Violin" on another instrument
    keeps its name and its place in the count, so the unnamed violin below it reads "Violin 2"."""
    left, right = Track(name="Piano"), Track(name="Piano")
    assert list(track_labels(Project(tracks=(left, right))).values()) == ["Piano", "Piano"]

    typed, unnamed = Track(name="Violin", program=0), _unnamed(program=40)
    assert list(track_labels(Project(tracks=(typed, unnamed))).values()) == ["Violin", "Violin 2"]


def test_a_number_never_repeats_a_name_another_track_has(qapp):
    first, second = _unnamed(), _unnamed()
    typed = Track(name=f"{PIANO} 2", notes=(Note(60, 0, 480),))
    labels = track_labels(Project(tracks=(first, second, typed)))
    assert list(labels.values()) == [f"{PIANO} 1", f"{PIANO} 3", f"{PIANO} 2"]


def test_a_name_ending_in_a_number_takes_its_own_in_brackets(qapp):
    first, second = _unnamed(program=4), _unnamed(program=4)
    labels = track_labels(Project(tracks=(first, second)))
    assert list(labels.values()) == ["Electric Piano 1 (1)", "Electric Piano 1 (2)"]


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_in_chinese_the_numbered_names_read_in_chinese(language, make_window, tune):
    window = make_window(read_midi(tune))
    assert shown(window) == ["大钢琴 1", "大钢琴 2"]
    pianos = Project(tracks=(_unnamed(program=4), _unnamed(program=4)))
    assert list(track_labels(pianos).values()) == ["电钢琴 1（1）", "电钢琴 1（2）"]


def test_a_name_the_file_gave_is_its_own_even_an_instrument_s(make_window, tmp_path):
    """Two parts a file named "Acoustic Grand Piano" are shown so, not numbered (the file chose the names),
    keep the name when given another instrument, and go out with it; an unnamed part beside them is called
    by its instrument, follows it, and goes out with no name."""
    named = [(0, MetaMessage("track_name", name=PIANO))]
    notes = [(0, Message("note_on", note=60, velocity=90)), (480, Message("note_off", note=60))]
    path = mido_file(tmp_path / "named.mid", [named + notes, named + notes, notes])
    window = make_window(read_midi(path))
    first, second, unnamed = window.document.project.tracks
    assert shown(window) == [PIANO, PIANO, f"{PIANO} 3"]
    window.editor.set_track(first.id, "Instrument", program=40)
    window.editor.set_track(unnamed.id, "Instrument", program=42)
    assert shown(window) == [PIANO, PIANO, "Cello"]
    assert window.files.export_midi(tmp_path / "out.mid")
    written = [
        [m.name for m in t if m.type == "track_name"] for t in mido.MidiFile(tmp_path / "out.mid").tracks
    ]
    assert written == [[], [PIANO], [PIANO], []]


def test_a_part_with_no_name_follows_its_instrument_until_the_user_names_it(make_window, tmp_path):
    """File > New's track, as a part its file left unnamed, is shown by what it plays; renamed, the name is
    the user's: shown, kept whatever the track plays, and exported. Undo gives back the unnamed part."""
    from musestudio.ui.files import new_project

    window = make_window(new_project())
    (track,) = window.document.project.tracks
    row = window.tracks.widget().rows[track.id]
    assert row.name.text() == PIANO and "No name of its own" in row.name.toolTip()
    window.editor.set_track(track.id, "Instrument", program=40)
    assert row.name.text() == "Violin"
    assert window.files.export_midi(tmp_path / "unnamed.mid")
    assert not [
        m for t in mido.MidiFile(tmp_path / "unnamed.mid").tracks for m in t if m.type == "track_name"
    ]

    window.editor.rename_track(track.id, "Fiddle")
    window.editor.set_track(track.id, "Instrument", program=41)
    assert row.name.text() == "Fiddle" and "No name of its own" not in row.name.toolTip()
    assert window.files.export_midi(tmp_path / "named.mid")
    written = [
        m.name for t in mido.MidiFile(tmp_path / "named.mid").tracks for m in t if m.type == "track_name"
    ]
    assert written == ["Fiddle"]
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert (window.document.project.tracks[0].name_event, row.name.text()) == (False, "Violin")


def test_a_part_of_only_words_with_no_name_reads_text_and_an_unnamed_kit_drums(qapp):
    """The reader named a file's track of only lyrics "Text", a name the file did not hold: with no name
    now, it still reads "Text" (not a piano it never plays), and an unnamed drum part "Drums"."""
    words = _unnamed(texts=(TextEvent(0, "lyrics", "La"),))
    kit = _unnamed(is_drum=True, channel=9, notes=(Note(36, 0, 120),))
    assert list(track_labels(Project(tracks=(words, kit))).values()) == ["Text", "Drums"]
