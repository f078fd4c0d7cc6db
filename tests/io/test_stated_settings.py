"""A part's program and volume go back out as its file had them: none where it sent none. The export
stated every part's program and volume (CC 7) at tick 0, so a Nottingham tune that sent neither came back
with a program change and a CC 7 on each of its channels, events the file never had. A part keeps whether
its file stated them (``Track.program_stated``, ``volume_stated``), plays as before (MIDI's defaults, or
what its channel plays), and states them once the user sets them."""

from __future__ import annotations

import io
import json

import mido
import pytest
from midi_events import assert_kept, events, type1_file

from musestudio.audio.scheduler import events_for
from musestudio.core import Note, Project, Track
from musestudio.core.bars import delete_bars
from musestudio.io import project_file as pf
from musestudio.io.midi import midi_from_bytes, midi_to_bytes

M = mido.Message
TPB = 480


def _part(channel: int, *set_up: mido.Message, start: int = 0) -> list[tuple[int, mido.Message]]:
    notes = [
        (start, M("note_on", channel=channel, note=60)),
        (start + TPB, M("note_off", channel=channel, note=60)),
    ]
    return [*((0, m) for m in set_up), *notes]


def _sent(data: bytes) -> list[list[tuple[int, str]]]:
    """Each track's program changes and controller messages, as (tick, what), in file order."""
    out = []
    for track in mido.MidiFile(file=io.BytesIO(data)).tracks:
        tick, sent = 0, []
        for msg in track:
            tick += msg.time
            if msg.type == "program_change":
                sent.append((tick, f"ch{msg.channel + 1} program {msg.program}"))
            elif msg.type == "control_change":
                sent.append((tick, f"ch{msg.channel + 1} cc{msg.control} {msg.value}"))
        out.append(sent)
    return out


def _through_muse(project: Project) -> Project:
    return pf.project_from_bytes(pf.project_to_bytes(project))


def _exports(data: bytes) -> list[bytes]:
    """The file exported as opened, and as opened, saved as a project and opened again."""
    piece = midi_from_bytes(data)
    return [midi_to_bytes(piece), midi_to_bytes(_through_muse(piece))]


def test_a_file_that_states_no_program_or_volume_comes_back_without_them():
    """A melody on channel 1 and drums on channel 10, neither sending a program change or a CC 7 (as
    most of the corpus's folk tunes and chorales do): they come back as they were, through a project file
    too, and play as before, a piano and the standard kit at full volume."""
    data = type1_file([[], _part(0), _part(9)])
    piece = midi_from_bytes(data)
    assert [(t.program, t.volume, t.program_stated, t.volume_stated) for t in piece.tracks] == [
        (0, 100, False, False)
    ] * 2
    for exported in _exports(data):
        assert _sent(exported) == _sent(data) == [[], [], []]
        assert_kept(events(data), events(exported))
    played = [(e.kind, e.channel, e.a, e.b) for e in events_for(piece, 44100) if e.kind in ("program", "cc")]
    assert played == [("cc", 0, 7, 100), ("program", 0, 0, 0), ("cc", 1, 7, 100), ("program", 1, 0, 1)]


SET_UPS = {
    "both, at MIDI's defaults": (M("control_change", control=7, value=100), M("program_change", program=0)),
    "both": (M("control_change", control=7, value=90), M("program_change", program=33)),
    "a program only": (M("program_change", program=33),),
    "a volume only": (M("control_change", control=7, value=90),),
    "a program, then a pan": (M("program_change", program=33), M("control_change", control=10, value=30)),
}


@pytest.mark.parametrize("set_up", SET_UPS.values(), ids=SET_UPS.keys())
def test_a_file_keeps_the_program_and_volume_it_states_and_gains_none_it_does_not(set_up):
    data = type1_file([[], _part(2, *(m.copy(channel=2) for m in set_up))])
    for exported in _exports(data):
        assert _sent(exported) == _sent(data)


def test_a_program_chosen_before_the_first_note_is_not_stated_again_at_the_start():
    """A part that chooses its bass at beat 2, before its first note at beat 3: its name says the bass,
    and the file comes back with the one program change where the file sent it."""
    data = type1_file([[], [(TPB, M("program_change", channel=1, program=33)), *_part(1, start=2 * TPB)]])
    piece = midi_from_bytes(data)
    assert (piece.tracks[0].program, piece.tracks[0].program_stated) == (33, False)
    for exported in _exports(data):
        assert _sent(exported) == _sent(data) == [[], [(TPB, "ch2 program 33")]]


def test_hands_sharing_a_channel_come_back_with_the_one_program_the_file_sent():
    """A piano's right hand sets channel 1 to a harpsichord at 80; the left hand, on the same channel,
    sends nothing and plays with what the right hand set: it says nothing in the export either."""
    right = _part(0, M("control_change", control=7, value=80), M("program_change", program=6))
    data = type1_file([[], right, _part(0)])
    piece = midi_from_bytes(data)
    assert [(t.program, t.volume, t.program_stated) for t in piece.tracks] == [(6, 80, True), (6, 80, False)]
    for exported in _exports(data):
        assert _sent(exported) == _sent(data)


def test_a_setting_left_unsaid_is_stated_where_the_file_would_no_longer_play_it():
    """With the right hand deleted, the left hand still plays the harpsichord at 80 in the app: its export
    states them, or a player would play it as a piano at full volume."""
    right = _part(0, M("control_change", control=7, value=80), M("program_change", program=6))
    piece = midi_from_bytes(type1_file([[], right, _part(0)]))
    left = piece.with_(tracks=piece.tracks[1:])
    assert _sent(midi_to_bytes(left)) == [[], [(0, "ch1 cc7 80"), (0, "ch1 program 6")]]


def test_an_instrument_or_volume_set_in_the_app_is_stated():
    """What ``Editor.set_track`` does for the track list's instrument menu and volume slider."""
    (track,) = midi_from_bytes(type1_file([[], _part(0)])).tracks
    for changes, sent in (
        ({"program": 40, "program_stated": True}, [(0, "ch1 program 40")]),
        ({"program": 0, "program_stated": True}, [(0, "ch1 program 0")]),
        ({"volume": 70, "volume_stated": True}, [(0, "ch1 cc7 70")]),
    ):
        piece = Project(tracks=(track.with_(**changes),))
        for exported in (midi_to_bytes(piece), midi_to_bytes(_through_muse(piece))):
            assert _sent(exported) == [[], sent]


def test_a_project_file_keeps_what_a_part_left_unsaid_in_format_15_only_where_one_did(tmp_path):
    piece = midi_from_bytes(type1_file([[], _part(0), _part(1, M("program_change", channel=1, program=33))]))
    path = tmp_path / "tune.muse"
    pf.save_project(piece, path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["version"] == pf.UNSTATED_VERSION == 15
    first, second = doc["tracks"]
    assert (first["program_stated"], first["volume_stated"]) == (False, False)
    assert "program_stated" not in second and second["volume_stated"] is False
    assert pf.load_project(path) == piece
    stated = Project(tracks=tuple(t.with_(program_stated=True, volume_stated=True) for t in piece.tracks))
    pf.save_project(stated, path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["version"] < pf.UNSTATED_VERSION and "program_stated" not in doc["tracks"][0]


def test_a_project_file_before_format_15_opens_with_every_part_stating_its_settings():
    """An older project exported each part's program and volume: it still does."""
    doc = pf.project_to_dict(Project(tracks=(Track(notes=(Note(60, 0, TPB),)),)))
    doc["version"] = pf.AFTER_RELEASES_VERSION
    (track,) = pf.project_from_dict(doc, "old.muse").tracks
    assert (track.program_stated, track.volume_stated) == (True, True)
    assert _sent(midi_to_bytes(Project(tracks=(track,)))) == [[], [(0, "ch1 cc7 100"), (0, "ch1 program 0")]]
    doc["tracks"][0]["program_stated"] = "no"
    with pytest.raises(Exception, match="program_stated"):
        pf.project_from_dict(doc, "old.muse")


def test_a_program_change_that_delete_bars_brings_to_the_start_is_stated():
    """A part that sends no program at the start but switches to a bass in bar 2: with bar 1 deleted, the
    bass is its program at the start, an event its file had, and the export keeps it."""
    bar = 4 * TPB
    data = type1_file([[], [*_part(0), (bar, M("program_change", program=33)), *_part(0, start=bar)[-2:]]])
    piece = midi_from_bytes(data)
    cut = delete_bars(piece, 0, bar)
    assert (cut.tracks[0].program, cut.tracks[0].program_stated, cut.tracks[0].volume_stated) == (
        33,
        True,
        False,
    )
    assert _sent(midi_to_bytes(cut)) == [[], [(0, "ch1 program 33")]]


def test_a_reset_after_the_program_of_a_part_with_no_volume_stays_after_it_when_bar_1_goes():
    """A part sending an electric piano, a GM reset (which sets it back to a piano) and a pan at the start,
    no volume, and a modulation in bar 1, its notes on: with bar 1 deleted, the reset still comes after
    the program, counted among what is sent without the volume the file never sent."""
    start = ["C0 05", "F0 7E 7F 09 01 F7", "B0 0A 0A"]
    part = [(0, mido.Message.from_hex(m)) for m in start] + [(240, mido.Message.from_hex("B0 01 40"))]
    part += [(0, M("note_on", note=60, velocity=90)), (TPB, M("note_off", note=60))]
    part += [(4 * TPB, M("note_on", note=62, velocity=90)), (5 * TPB, M("note_off", note=62))]
    piece = midi_from_bytes(type1_file([[], part]))
    cut = midi_to_bytes(delete_bars(piece, 0, 4 * TPB))
    tick, sent = 0, []
    for msg in mido.MidiFile(file=io.BytesIO(cut)).tracks[-1]:
        tick += msg.time
        if tick == 0 and not msg.is_meta:
            sent.append(msg.hex())
    assert sent == [*start, "B0 01 40", "90 3E 5A"]


def _sent_in(data: bytes) -> list[tuple[int, str]]:
    """The part's (last track's) channel messages, as (tick, hex)."""
    tick, sent = 0, []
    for msg in mido.MidiFile(file=io.BytesIO(data)).tracks[-1]:
        tick += msg.time
        if not msg.is_meta:
            sent.append((tick, msg.hex()))
    return sent


BAR = 4 * TPB
BASS_IN_BAR_2 = {
    "before its first note": [(BAR + TPB, M("program_change", program=33))],
    "after the note it plays there": [(BAR, M("note_on", note=60)), (BAR, M("program_change", program=33))],
}


@pytest.mark.parametrize("bar_2", BASS_IN_BAR_2.values(), ids=BASS_IN_BAR_2.keys())
def test_a_program_the_deleted_bars_chose_goes_to_the_cut_not_to_the_start(bar_2):
    """A part that sends no program at the start and chooses a bass in bar 2, for its note in bar 3: with
    bar 2 deleted, the bass is chosen at the cut, before that note, as the file chose it before it; the
    export states no program at the start, which the file never sent."""
    part = [*bar_2, (BAR + 2 * TPB, M("note_off", note=60)), *_part(0, start=2 * BAR)]
    piece = midi_from_bytes(type1_file([[], part]))
    cut = midi_to_bytes(delete_bars(piece, BAR, 2 * BAR))
    assert _sent_in(cut)[-3:] == [(BAR, "C0 21"), (BAR, "90 3C 40"), (BAR + TPB, "80 3C 40")]
    assert [m for tick, m in _sent_in(cut) if m.startswith("C0")] == ["C0 21"]


def test_a_bank_one_hand_leaves_waiting_is_not_taken_by_a_program_the_other_never_sent():
    """The right hand chooses an electric piano and then sends a bank select, which waits for the next
    program change; the left hand, on the same channel, sends nothing and plays the electric piano in the
    first bank. The export stated the left hand's program at the start, after the bank select, and both
    hands played the electric piano of the other bank; it sends what the file sent."""
    right = _part(0, M("program_change", program=4), M("control_change", control=0, value=8))
    data = type1_file([[], right, _part(0)])
    for exported in _exports(data):
        assert _sent(exported) == _sent(data)
        assert_kept(events(data), events(exported))
