import dataclasses
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from project_strategies import projects

from musestudio.core import BadInputError, KeySignature, Note, Project, Track
from musestudio.core.bars import delete_bars, insert_bars
from musestudio.core.events import BANK_SELECT, PAN, PROGRAM, VOLUME, ControlEvent, Marker, RawEvent
from musestudio.core.timing import next_bar_line
from musestudio.io import project_file as pf
from tests.damaged_documents import damage

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = Project(
    tracks=(
        Track(
            name="Lead", program=73, volume=90, solo=True, notes=(Note(72, 0, 480, 99), Note(74, 480, 240))
        ),
        Track(name="Kit", is_drum=True, channel=9, mute=True, colour="#6cc070", notes=(Note(36, 0, 60),)),
    ),
    key=KeySignature(2, "minor"),
    metadata={"title": "Étude", "style": "jazz"},
)


@settings(max_examples=80, deadline=None)
@given(projects())
def test_round_trip_is_exact(project):
    back = pf.project_from_bytes(pf.project_to_bytes(project))
    assert back == project
    assert back.end_before_bars == project.end_before_bars  # left out of equality
    assert [t.notes for t in back.tracks] == [t.notes for t in project.tracks]


def test_text_that_looks_like_the_row_seam_stays_text(tmp_path):
    """Each row of the file goes on its own line, but never by breaking a string: a marker, a track name
    or a title holding "],[" (with quotes and backslashes around it) reads back as written."""
    odd = ("],[", '"],["', '\\"],[\\', "a],[b],[c")
    project = dataclasses.replace(
        SAMPLE,
        tracks=tuple(dataclasses.replace(t, name=n) for t, n in zip(SAMPLE.tracks, odd, strict=False)),
        markers=tuple(Marker(480 * i, text) for i, text in enumerate(odd)),
        metadata={"title": odd[3]},
    )
    path = tmp_path / "song.muse"
    pf.save_project(project, path)
    assert pf.load_project(path) == project
    lines = path.read_text("utf-8").splitlines()
    assert any(line.startswith("[74,480,240") for line in lines)  # still a note a line


def test_file_names_its_format_and_version(tmp_path):
    path = tmp_path / "song.muse"
    pf.save_project(SAMPLE, path)
    doc = json.loads(path.read_text("utf-8"))
    assert (doc["format"], doc["version"]) == ("musestudio-project", 2)
    assert pf.load_project(path) == SAMPLE


def test_a_release_velocity_is_kept_and_a_piece_without_one_opens_in_the_format_before(tmp_path):
    """Only a piece holding release velocities needs format 3; the rest stays readable as format 2."""
    played = dataclasses.replace(
        SAMPLE, tracks=(SAMPLE.tracks[0].with_(notes=(Note(72, 0, 480, 99, release=64),)),)
    )
    path = tmp_path / "played.muse"
    pf.save_project(played, path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["version"] == 3 and doc["tracks"][0]["notes"] == [[72, 0, 480, 99, 64]]
    assert pf.load_project(path) == played
    doc["tracks"][0]["notes"] = [[72, 0, 480, 99, 128]]
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(BadInputError, match="release velocity 128 is outside MIDI's 0..127"):
        pf.load_project(path)


def test_a_piece_ending_in_silent_bars_keeps_its_end_and_only_it_needs_format_4(tmp_path):
    bar = 4 * SAMPLE.ticks_per_beat
    looped = dataclasses.replace(
        SAMPLE,
        end_of_track=next_bar_line(SAMPLE.end, SAMPLE.time_signatures, SAMPLE.ticks_per_beat) + 2 * bar,
    )
    path = tmp_path / "loop.muse"
    pf.save_project(looped, path)
    doc = json.loads(path.read_text("utf-8"))
    assert (doc["version"], doc["end_of_track"]) == (4, looped.end_of_track)
    assert pf.load_project(path) == looped
    pf.save_project(SAMPLE, path)
    assert "end_of_track" not in json.loads(path.read_text("utf-8"))


def test_a_piece_ending_a_tick_after_its_last_note_keeps_that_end_yet_opens_in_older_apps(tmp_path):
    """Many MIDI files end a tick after their last note: no bar of the piece is lost where that end is
    not known, so it needs no format an older app refuses."""
    ends_late = dataclasses.replace(SAMPLE, end_of_track=SAMPLE.end + 1)
    path = tmp_path / "late.muse"
    pf.save_project(ends_late, path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["version"] < pf.END_VERSION and doc["end_of_track"] == SAMPLE.end + 1
    assert pf.load_project(path) == ends_late


def test_only_a_text_where_two_lone_surrogates_meet_needs_format_5(tmp_path):
    """A lone high surrogate right before a lone low one is split into parts in format 5; lone ones apart
    are JSON escapes that older apps read as written, so such a piece keeps its older format."""
    path = tmp_path / "odd.muse"
    apart = dataclasses.replace(SAMPLE, markers=(Marker(0, "\ud83c then \udfb5"),))
    pf.save_project(apart, path)
    assert json.loads(path.read_text("utf-8"))["version"] == 2 and pf.load_project(path) == apart
    meeting = dataclasses.replace(SAMPLE, markers=(Marker(0, "x\ud83c\udfb5y"),))
    pf.save_project(meeting, path)
    doc = json.loads(path.read_text("utf-8"))
    assert (doc["version"], doc["markers"]) == (pf.SPLIT_TEXT_VERSION, [[0, ["x\ud83c", "\udfb5y"]]])
    assert pf.load_project(path) == meeting


def test_a_bank_select_kept_after_the_program_is_saved_and_only_it_needs_format_6(tmp_path):
    """A file's bank select sent after its program at tick 0 (``Track.program_after``) stays after it in
    the project, so it still waits for a later program when the project is played or exported again."""
    lead = SAMPLE.tracks[0].with_(controllers=(ControlEvent(0, BANK_SELECT, 8),), program_after=0)
    waiting = dataclasses.replace(SAMPLE, tracks=(lead,))
    path = tmp_path / "bank.muse"
    pf.save_project(waiting, path)
    doc = json.loads(path.read_text("utf-8"))
    assert (doc["version"], doc["tracks"][0]["program_after"]) == (pf.PROGRAM_AFTER_VERSION, 0)
    assert pf.load_project(path) == waiting
    assert pf.load_project(path).tracks[0].program_after == 0
    doc["tracks"][0]["program_after"] = -1
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(BadInputError, match="program_after -1 is below 0"):
        pf.load_project(path)
    pf.save_project(SAMPLE, path)
    assert "program_after" not in json.loads(path.read_text("utf-8"))["tracks"][0]


def test_a_volume_kept_after_a_sysex_is_saved_and_only_it_needs_format_9(tmp_path):
    """A file's volume sent after a GS reset at tick 0 (``Track.volume_after``) stays after it in the
    project, so the export still sends it where the reset cannot undo it; a damaged count is named."""
    reset = RawEvent(0, bytes.fromhex("f04110421240007f0041f7"), after_controls=1)
    lead = SAMPLE.tracks[0].with_(extra_events=(reset,), volume_after=1)
    after_reset = dataclasses.replace(SAMPLE, tracks=(lead,))
    path = tmp_path / "volume.muse"
    pf.save_project(after_reset, path)
    doc = json.loads(path.read_text("utf-8"))
    assert (doc["version"], doc["tracks"][0]["volume_after"]) == (pf.VOLUME_AFTER_VERSION, 1)
    assert pf.load_project(path).tracks[0].volume_after == 1
    doc["tracks"][0]["volume_after"] = -1
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(BadInputError, match="volume_after -1 is below 0"):
        pf.load_project(path)
    pf.save_project(SAMPLE, path)
    doc = json.loads(path.read_text("utf-8"))
    assert "volume_after" not in doc["tracks"][0] and doc["version"] < pf.VOLUME_AFTER_VERSION


def test_a_program_kept_after_a_sysex_is_saved_and_only_it_needs_format_10(tmp_path):
    """A file's program sent after a pan and a GS reset at tick 0 (``Track.sound_before_lanes``) stays after
    the reset in the project, so the export still sends it where the reset cannot undo it; a damaged count
    is named; a piece without one is saved in the format it always was."""
    pan = ControlEvent(0, PAN, 30)
    reset = RawEvent(0, bytes.fromhex("f04110421240007f0041f7"), after_controls=2)
    lead = SAMPLE.tracks[0].with_(controllers=(pan,), extra_events=(reset,), sound_before_lanes=0)
    after_reset = dataclasses.replace(SAMPLE, tracks=(lead,))
    path = tmp_path / "program.muse"
    pf.save_project(after_reset, path)
    doc = json.loads(path.read_text("utf-8"))
    assert (doc["version"], doc["tracks"][0]["sound_before_lanes"]) == (pf.SOUND_AFTER_VERSION, 0)
    loaded = pf.load_project(path).tracks[0]
    assert loaded.sound_before_lanes == 0
    assert [e.lane for e in loaded.settings_and_lanes()] == [VOLUME, PAN, PROGRAM]
    doc["tracks"][0]["sound_before_lanes"] = -1
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(BadInputError, match="sound_before_lanes -1 is below 0"):
        pf.load_project(path)
    pf.save_project(SAMPLE, path)
    doc = json.loads(path.read_text("utf-8"))
    assert "sound_before_lanes" not in doc["tracks"][0] and doc["version"] < pf.VOLUME_AFTER_VERSION


def test_bars_inserted_past_the_end_and_deleted_after_reopening_give_the_piece_back_as_long_as_it_was(
    tmp_path,
):
    """Two bars put in after the last bar, saved, reopened and deleted again: the piece ends at its last
    note as before (it ended at the cut, a silent bar longer, when the end Insert Bars replaced was not
    saved). Only a piece holding such bars needs format 11; a damaged note of them is named, and one whose
    ticks are out of order (no Insert Bars wrote it) is left out."""
    lengthened = insert_bars(SAMPLE, 1920, 2)
    path = tmp_path / "longer.muse"
    pf.save_project(lengthened, path)
    doc = json.loads(path.read_text("utf-8"))
    assert (doc["version"], doc["end_before_bars"]) == (pf.END_BEFORE_BARS_VERSION, [0, 1920, 5760])
    reopened = pf.load_project(path)
    assert reopened.end_before_bars == (0, 1920, 5760)
    shortened = delete_bars(reopened, 1920, 5760)
    assert (shortened.end_of_track, shortened.length) == (0, SAMPLE.length)
    doc["end_before_bars"] = [0, 1920.5, 5760]
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(BadInputError, match="the piece's end: a row must be"):
        pf.load_project(path)
    doc["end_before_bars"] = [0, 5760, 1920]
    path.write_text(json.dumps(doc), "utf-8")
    assert pf.load_project(path).end_before_bars is None
    pf.save_project(SAMPLE, path)
    doc = json.loads(path.read_text("utf-8"))
    assert "end_before_bars" not in doc and doc["version"] < pf.VOLUME_AFTER_VERSION


def test_a_sysex_kept_after_controllers_keeps_its_place_and_only_it_needs_format_7(tmp_path):
    """A file's GS reset sent after a pan at one tick (``RawEvent.after_controls``) stays after it in the
    project: saved and opened again, the export still sends the reset after the pan, which it undoes."""
    reset = RawEvent(960, bytes.fromhex("f041104212400 07f0041f7".replace(" ", "")), after_controls=1)
    lead = SAMPLE.tracks[0].with_(controllers=(ControlEvent(960, PAN, 20),), extra_events=(reset,))
    project = dataclasses.replace(SAMPLE, tracks=(lead,))
    path = tmp_path / "reset.muse"
    pf.save_project(project, path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["version"] == pf.KEPT_AFTER_CONTROLS_VERSION
    assert doc["tracks"][0]["extra_events"] == [[960, reset.data.hex(), 0, 1]]
    assert pf.load_project(path) == project
    doc["tracks"][0]["extra_events"][0][3] = -1
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(BadInputError, match="fewer than no controller events"):
        pf.load_project(path)


def test_a_controller_sent_after_its_ticks_note_offs_is_saved_so_and_only_it_needs_format_14(tmp_path):
    """A sustain pedal a MIDI file pressed after a note's note-off on its tick
    (``ControlEvent.after_releases``) is saved as ``[tick, lane, value, false, true]`` and opens so: it
    still does not catch that note, while the stroke pressed before its note-off still catches its own.
    Only a piece with such a controller is saved as format 14; a fifth item that is not true or false is
    damage."""
    legato = tuple(Note(60 + k, 480 * k, 480) for k in range(4))
    pedal = (ControlEvent(480, 64, 127), ControlEvent(960, 64, 0))
    pedal += (ControlEvent(1440, 64, 127, after_releases=True), ControlEvent(1920, 64, 0))
    lead = SAMPLE.tracks[0].with_(notes=legato, controllers=pedal)
    project = dataclasses.replace(SAMPLE, tracks=(lead, SAMPLE.tracks[1]))
    path = tmp_path / "pedal.muse"
    pf.save_project(project, path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["version"] == pf.AFTER_RELEASES_VERSION == 14
    rows = [[480, 64, 127], [960, 64, 0], [1440, 64, 127, False, True], [1920, 64, 0]]
    assert doc["tracks"][0]["controllers"] == rows
    back = pf.load_project(path)
    assert back == project and [e.after_releases for e in back.tracks[0].controllers] == [0, 0, 1, 0]
    assert back.tracks[0].pedal_held() == ((480, 960),)
    doc["tracks"][0]["controllers"][2][4] = 1
    with pytest.raises(
        BadInputError, match=r"controllers 3: a row must be \[int, int, int\[, bool\[, bool\]\]\]"
    ):
        pf.project_from_dict(doc, "song.muse")
    pf.save_project(SAMPLE, path)
    assert json.loads(path.read_text("utf-8"))["version"] < pf.AFTER_STRIKES_VERSION


def test_a_track_of_an_older_file_that_sends_its_note_offs_first_still_does(tmp_path):
    """Formats 7 to 12 said once for a track that it sends its note-offs before its controllers at one tick
    (``releases_first``). Such a file opens with each controller on a tick where a note of the track ends
    sent after the note-offs (``ControlEvent.after_releases``), so it plays and exports as it did: the
    pedal pressed as the chord is let go does not catch it. Saved again, the controllers say it."""
    chord = tuple(Note(p, 0, 480) for p in (48, 55, 64))
    pedal = (ControlEvent(480, 64, 127), ControlEvent(960, 64, 0), ControlEvent(1200, 64, 127))
    lead = SAMPLE.tracks[0].with_(notes=(*chord, Note(67, 480, 480)), controllers=pedal)
    doc = pf.project_to_dict(dataclasses.replace(SAMPLE, tracks=(lead, SAMPLE.tracks[1])))
    assert doc["version"] < pf.KEPT_AFTER_CONTROLS_VERSION
    doc["version"] = pf.KEPT_AFTER_CONTROLS_VERSION
    doc["tracks"][0]["releases_first"] = True
    opened = pf.project_from_dict(doc, "old.muse")
    assert [e.after_releases for e in opened.tracks[0].controllers] == [True, True, False]
    assert opened.tracks[0].pedal_held() == ()
    assert "releases_first" not in pf.project_to_dict(opened)["tracks"][0]
    assert pf.project_from_bytes(pf.project_to_bytes(opened)) == opened
    as_before = pf.project_from_dict(doc | {"tracks": [doc["tracks"][0] | {"releases_first": False}]})
    assert as_before.tracks[0].pedal_held() == ((480, 960),)


def test_a_marker_in_an_encoding_not_the_pieces_keeps_it_and_only_it_needs_format_8(tmp_path):
    """A MIDI file's marker in UTF-8 under a title in Latin-1 (``Marker.text_encoding``): saved and opened
    again, the export still writes the marker's bytes as they came. A wrong encoding is said."""
    refrain = Marker(960, "Refrain é", "utf-8")
    project = dataclasses.replace(SAMPLE, markers=(refrain, Marker(1920, "Coda")), text_encoding="latin-1")
    path = tmp_path / "refrain.muse"
    pf.save_project(project, path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["version"] == pf.MARKER_ENCODING_VERSION
    assert doc["markers"] == [[960, "Refrain é", "utf-8"], [1920, "Coda"]]
    assert pf.load_project(path) == project and pf.load_project(path).markers[0].text_encoding == "utf-8"
    pf.save_project(dataclasses.replace(project, markers=(Marker(960, "Refrain é"),)), path)
    assert json.loads(path.read_text("utf-8"))["version"] < pf.MARKER_ENCODING_VERSION
    doc["markers"][0][2] = "utf-16"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(BadInputError, match="marker 1: text encoding 'utf-16' is not one of"):
        pf.load_project(path)


def test_fields_this_version_does_not_know_are_saved_back_as_they_came(tmp_path):
    """A field a newer MuseStudio (or another tool) adds where an older app may ignore it, at the top or
    in a track: opened, edited and saved here, the file keeps it (the save dropped it without a word); a
    field this version writes itself is never overwritten by one carried."""
    doc = pf.project_to_dict(SAMPLE)
    doc["loop_region"] = {"start": 0, "end": 1920, "name": "Chorus ☃"}
    doc["tracks"][1]["articulations"] = [[0, "staccato"]]
    path = tmp_path / "newer.muse"
    path.write_text(json.dumps(doc), "utf-8")
    project = pf.load_project(path)
    edited = project.with_(tracks=(project.tracks[0], project.tracks[1].with_(name="Drums", volume=80)))
    pf.save_project(edited, path)
    saved = json.loads(path.read_text("utf-8"))
    assert saved["loop_region"] == doc["loop_region"]
    assert saved["tracks"][1]["articulations"] == [[0, "staccato"]]
    assert (saved["tracks"][1]["name"], saved["tracks"][1]["volume"]) == ("Drums", 80)
    assert "articulations" not in saved["tracks"][0]
    assert pf.load_project(path) == edited
    assert pf.project_to_dict(SAMPLE.with_(unknown_fields=(("version", "99"),)))["version"] == 2


def test_save_replaces_atomically(tmp_path, monkeypatch):
    path = tmp_path / "song.muse"
    pf.save_project(SAMPLE, path)

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)  # the write fails before the rename
    with pytest.raises(BadInputError, match="the disk is full"):
        pf.save_project(SAMPLE.with_tempo(60), path)
    monkeypatch.undo()
    assert pf.load_project(path) == SAMPLE  # the old project is intact
    assert [p.name for p in tmp_path.iterdir()] == ["song.muse"]  # and no temp file is left


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.muse", "ends too early"),
        ("bad_velocity.muse", "track 1 'Lead', note 2: velocity 0"),
        ("wrong_format.muse", "not a MuseStudio project"),
        ("newer_version.muse", "newer MuseStudio"),
        ("random_bytes.mid", "not text"),
        ("empty.mid", "is empty"),
    ],
)
def test_broken_projects_say_what_is_wrong(name, message):
    with pytest.raises(BadInputError, match=message):
        pf.project_from_bytes((FIXTURES / name).read_bytes(), name)


def test_a_number_too_long_to_read_is_said_not_a_crash():
    """Python reads no integer of more than 4,300 digits: the loader said so with a TypeError of its own."""
    data = pf.project_to_bytes(SAMPLE).replace(b'"ticks_per_beat":480', b'"ticks_per_beat":' + b"9" * 5000)
    assert b"9" * 5000 in data
    with pytest.raises(BadInputError, match="a number too long to read") as caught:
        pf.project_from_bytes(data, "big.muse")
    assert caught.value.code == "project_unreadable"


@pytest.mark.parametrize("text", ["ascii", "Grüße", "\ufeff-bom"])
def test_a_cut_short_project_ends_too_early_whatever_its_text(text):
    """The parser counts characters, the file bytes: a BOM or an umlaut used to make a cut file "damaged at
    line 1, column N"."""
    project = dataclasses.replace(SAMPLE, metadata={"title": "Grüße"}) if text == "Grüße" else SAMPLE
    data = pf.project_to_bytes(project)
    if text == "\ufeff-bom":
        data = "\ufeff".encode() + data
    with pytest.raises(BadInputError, match="ends too early") as caught:
        pf.project_from_bytes(data[:-5], "cut.muse")
    assert caught.value.code == "project_ends_early"


def _doc() -> dict:
    return json.loads(pf.project_to_bytes(SAMPLE))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["tracks"][0]["notes"][0].__setitem__(0, 200), "note 1: pitch 200"),
        (lambda d: d["tracks"][0]["notes"][0].__setitem__(2, 1.5), "four whole numbers"),
        (lambda d: d["tracks"][1]["notes"][0].__setitem__(1, 10**12), "absurdly far"),
        (lambda d: d["tracks"][0].__setitem__("program", "piano"), "'program' has the wrong type"),
        (lambda d: d["tracks"][0].__setitem__("mute", 1), "'mute' has the wrong type"),
        (lambda d: d["tempos"][0].__setitem__("bpm", 0), "tempo change 1: tempo 0"),
        (lambda d: d.__setitem__("key", "H major"), "cannot read key"),
        (lambda d: d.__setitem__("ticks_per_beat", 0), "ticks per beat"),
        (lambda d: d.pop("tracks"), "'tracks' is missing"),
        (lambda d: d.__setitem__("metadata", {"title": 3}), "metadata: every entry must be text"),
    ],
)
def test_damaged_fields_are_located(change, message):
    doc = _doc()
    change(doc)
    with pytest.raises(BadInputError, match=message):
        pf.project_from_dict(doc, "song.muse")


def test_nan_and_deep_nesting_are_bad_input():
    with pytest.raises(BadInputError, match="NaN"):
        pf.project_from_bytes(pf.project_to_bytes(SAMPLE).replace(b'"bpm":120.0', b'"bpm":NaN'))
    with pytest.raises(BadInputError, match="nested too deeply"):
        pf.project_from_bytes(b"[" * 100_000)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_mutated_document_loads_or_raises_bad_input(data):
    doc = damage(_doc(), data)
    try:
        pf.project_from_dict(doc, "song.muse")
    except BadInputError as e:
        assert str(e).startswith("song.muse")


def test_every_truncation_is_bad_input():
    data = pf.project_to_bytes(SAMPLE)
    for cut in range(len(data)):
        with pytest.raises(BadInputError):
            pf.project_from_bytes(data[:cut])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_bad_input(data):
    with pytest.raises(BadInputError):
        pf.project_from_bytes(data)


@pytest.mark.parametrize(
    ("setup", "said"),
    [
        ([True, 1e300, 100, []], "program 1e+300 is not a whole number in 0..127"),
        ([False, "7", 100, []], "program '7' is not a whole number in 0..127"),
        ([False, 7, 100.9, []], "volume 100.9 is not a whole number in 0..127"),
        ([False, 300, 100, []], "program 300 is not a whole number in 0..127"),
        ([False, 0, 100, [[10, 999]]], "lane 10 value 999 is not a whole number in 0..127"),
        ([False, 0, 100], "it must be"),
    ],
)
def test_a_damaged_shared_channel_is_refused_saying_where(tmp_path, setup, said):
    doc = pf.project_to_dict(SAMPLE) | {"shared_channels": [[0, [setup]]]}
    path = tmp_path / "damaged.muse"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(BadInputError, match=f"shared channel 1: {re.escape(said)}"):
        pf.load_project(path)


def test_a_controller_sent_after_its_ticks_notes_is_saved_so_and_only_it_needs_format_12(tmp_path):
    """A sostenuto a MIDI file pressed after a chord's note-ons (``ControlEvent.after_strikes``) is saved
    as ``[tick, lane, value, true]`` and opens so: exported again it still goes after the chord and holds
    it. Only a piece with such a controller is saved as format 12; a fourth item that is not true or false
    is damage."""
    chord = tuple(Note(p, 480, 480) for p in (48, 55, 64))
    pedal = (ControlEvent(480, 66, 127, after_strikes=True), ControlEvent(1920, 66, 0))
    lead = SAMPLE.tracks[0].with_(notes=chord, controllers=pedal)
    project = dataclasses.replace(SAMPLE, tracks=(lead, SAMPLE.tracks[1]))
    path = tmp_path / "sostenuto.muse"
    pf.save_project(project, path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["version"] == pf.AFTER_STRIKES_VERSION == 12
    assert doc["tracks"][0]["controllers"] == [[480, 66, 127, True], [1920, 66, 0]]
    back = pf.load_project(path)
    assert back == project and back.tracks[0].controllers[0].after_strikes
    assert back.tracks[0].pedal_held() == ((960, 1920),)
    doc["tracks"][0]["controllers"][0][3] = 1
    with pytest.raises(
        BadInputError, match=r"controllers 1: a row must be \[int, int, int\[, bool\[, bool\]\]\]"
    ):
        pf.project_from_dict(doc, "song.muse")
    pf.save_project(SAMPLE, path)
    assert json.loads(path.read_text("utf-8"))["version"] < pf.AFTER_STRIKES_VERSION
