"""A track's name goes back out as its file had it: none where it had none, an empty one where it had an
empty one, its own where it had one, an instrument's name too. The reader called a part its file left
unnamed (a Nottingham tune's melody and chords) by its GM instrument, and the export then wrote
"Acoustic Grand Piano" as its name, an event the file never had."""

from __future__ import annotations

import io
import json

import mido
import pytest
from midi_events import type1_file

from musestudio.core import BadInputError, Note, Project, Track
from musestudio.core.events import TextEvent
from musestudio.io import project_file as pf
from musestudio.io.midi import midi_from_bytes, midi_to_bytes, part_name
from musestudio.io.midi_export_changes import NoMuteOrSolo, midi_export_changes

M = mido.Message
NAMES = {
    "no name": None,
    "an empty name": "",
    "an instrument's name": "Acoustic Grand Piano",
    "its own": "Reel",
}


def _tune(*names: str | None) -> bytes:
    """A type-1 file with an empty conductor and a part of a note on channel 1, 2, ... for each of
    ``names``, each with that track name, or none for None."""
    parts = []
    for channel, name in enumerate(names):
        named = [(0, mido.MetaMessage("track_name", name=name))] if name is not None else []
        notes = [(0, M("note_on", channel=channel, note=60 + channel)), (480, M("note_off", channel=channel))]
        parts.append(named + notes)
    return type1_file([[], *parts])


def _names(data: bytes) -> list[list[str]]:
    """Each track's name events, in file order."""
    tracks = mido.MidiFile(file=io.BytesIO(data)).tracks
    return [[m.name for m in track if m.type == "track_name"] for track in tracks]


def _through_muse(project: Project) -> Project:
    return pf.project_from_bytes(pf.project_to_bytes(project))


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_a_part_s_name_or_its_lack_of_one_comes_back_out_through_midi_and_a_project_file(name):
    data = _tune(name)
    piece = midi_from_bytes(data)
    (track,) = piece.tracks
    assert (track.name, track.name_event) == (name or "", name is not None)
    assert part_name(track) == name if name else part_name(track) == "Acoustic Grand Piano"
    for exported in (midi_to_bytes(piece), midi_to_bytes(_through_muse(piece))):
        assert _names(exported) == [[], [name] if name is not None else []]


def test_a_nottingham_tune_s_two_parts_with_empty_names_keep_them_empty():
    """ashover1.mid: its melody and chords are tracks with empty names, which went out named "Acoustic
    Grand Piano"."""
    data = type1_file(
        [
            [(0, mido.MetaMessage("track_name", name="")), (0, M("note_on", note=67)), (480, M("note_off"))],
            [(0, mido.MetaMessage("track_name", name="")), (0, M("note_on", note=55)), (960, M("note_off"))],
        ]
    )
    piece = midi_from_bytes(data)
    assert [(t.name, t.name_event, part_name(t)) for t in piece.tracks] == [
        ("", True, "Acoustic Grand Piano")
    ] * 2
    assert _names(midi_to_bytes(_through_muse(piece))) == [[], [""], [""]]


def test_the_second_part_of_a_named_track_holding_two_channels_has_no_name():
    """A type-1 track playing on two channels opens as two tracks: the first keeps the file track's name,
    the other has none, and goes out with none, so the file's one name comes back once."""
    data = type1_file(
        [
            [],
            [
                (0, mido.MetaMessage("track_name", name="Band")),
                (0, M("note_on", note=72)),
                (0, M("note_on", channel=1, note=48)),
                (480, M("note_off", note=72)),
                (480, M("note_off", channel=1, note=48)),
            ],
        ]
    )
    piece = midi_from_bytes(data)
    assert [(t.name, t.name_event) for t in piece.tracks] == [("Band", True), ("", False)]
    assert _names(midi_to_bytes(piece)) == [[], ["Band"], []]


def test_a_part_of_only_words_with_no_name_is_called_text_and_goes_out_with_none():
    data = type1_file(
        [[], [(0, mido.MetaMessage("lyrics", text="La"))], [(0, M("note_on")), (480, M("note_off"))]]
    )
    words, tune = midi_from_bytes(data).tracks
    assert (words.name, words.name_event, words.texts) == ("", False, (TextEvent(0, "lyrics", "La"),))
    assert (part_name(words), part_name(tune)) == ("Text", "Acoustic Grand Piano")
    assert _names(midi_to_bytes(midi_from_bytes(data))) == [[], [], []]


def test_an_empty_track_comes_back_as_an_empty_track():
    """A track chunk holding nothing (a sequencer's part still to be written; the export's of a part with no
    name and nothing in it) is a track of the file: it opens as an empty unnamed track, and goes out so."""
    data = type1_file([[], [(0, M("note_on")), (480, M("note_off"))], []])
    piece = midi_from_bytes(data)
    assert [(len(t.notes), t.name_event) for t in piece.tracks] == [(1, False), (0, False)]
    assert midi_to_bytes(piece) == midi_to_bytes(midi_from_bytes(midi_to_bytes(piece)))
    assert len(mido.MidiFile(file=io.BytesIO(midi_to_bytes(piece))).tracks) == 3


def test_a_project_file_says_which_track_has_no_name_and_only_it_needs_format_13(tmp_path):
    """The part with no name event is saved with ``"name_event": false`` (an older app, which would show
    and export its empty name, says the file is newer); a track with a name, an empty one too, writes no
    such field; a damaged file giving such a track a name says so."""
    unnamed = Track(name="", name_event=False, notes=(Note(60, 0, 480),))
    empty, named = Track(name=""), Track(name="Acoustic Grand Piano")
    path = tmp_path / "names.muse"
    pf.save_project(Project(tracks=(unnamed, empty, named)), path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["version"] == pf.NAME_EVENT_VERSION
    assert [t.get("name_event") for t in doc["tracks"]] == [False, None, None]
    back = pf.load_project(path)
    assert [(t.name, t.name_event) for t in back.tracks] == [
        ("", False),
        ("", True),
        ("Acoustic Grand Piano", True),
    ]
    doc["tracks"][0]["name"] = "Lead"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(BadInputError, match="name 'Lead' with no name event"):
        pf.load_project(path)
    pf.save_project(Project(tracks=(empty, named)), path)
    assert json.loads(path.read_text("utf-8"))["version"] < pf.NAME_EVENT_VERSION


def test_a_project_file_from_before_format_13_keeps_its_names_as_they_were():
    """An older project holds a name for every track (the reader's "Acoustic Grand Piano" for a part its file
    left unnamed, which that app exported): it opens with the names it has, exported as before."""
    doc = pf.project_to_dict(Project(tracks=(Track(name="Acoustic Grand Piano", notes=(Note(60, 0, 480),)),)))
    doc["version"] = pf.AFTER_STRIKES_VERSION
    (track,) = pf.project_from_bytes(json.dumps(doc).encode()).tracks
    assert (track.name, track.name_event) == ("Acoustic Grand Piano", True)


def test_the_export_s_notes_call_a_part_with_no_name_by_its_instrument():
    """Export MIDI's note that mute and solo are lost named a muted unnamed part by nothing."""
    muted = Track(name="", name_event=False, program=40, mute=True, notes=(Note(60, 0, 480),))
    assert NoMuteOrSolo(("Violin",)) in midi_export_changes(Project(tracks=(muted,)))


@pytest.mark.parametrize("title", [None, "", " ", "Reel"], ids=["none", "empty", "a space", "a title"])
def test_a_conductor_s_name_or_its_lack_of_one_comes_back_out(title):
    """A type-1 file's first track, of tempo and meter only, named as its writer named it: an empty name
    (many sequencers write one) is an event too, and comes back, through a project file too; none comes
    back as none. The export dropped the empty one, as the title it read was no title."""
    named = [(0, mido.MetaMessage("track_name", name=title))] if title is not None else []
    conductor = [*named, (0, mido.MetaMessage("set_tempo", tempo=500000))]
    part = [(0, M("note_on", note=60)), (480, M("note_off", note=60))]
    data = type1_file([conductor, part])
    piece = midi_from_bytes(data)
    assert piece.metadata.get("title") == title
    for exported in (midi_to_bytes(piece), midi_to_bytes(_through_muse(piece))):
        assert _names(exported) == _names(data) == [[title] if title is not None else [], []]


def test_an_empty_name_of_a_track_of_two_parts_stays_with_its_first_part_under_an_empty_title():
    """Kept as the title, the conductor's empty name is no song's name for a later track holding two parts
    to give up: that track's empty name stays with its first part, as under a conductor with none."""
    conductor = [
        (0, mido.MetaMessage("track_name", name="")),
        (0, mido.MetaMessage("set_tempo", tempo=500000)),
    ]
    parts = [(0, mido.MetaMessage("track_name", name=""))]
    for channel in (0, 1):
        parts += [(0, M("note_on", channel=channel, note=60)), (480, M("note_off", channel=channel, note=60))]
    piece = midi_from_bytes(type1_file([conductor, parts]))
    assert [(t.name, t.name_event) for t in piece.tracks] == [("", True), ("", False)]
