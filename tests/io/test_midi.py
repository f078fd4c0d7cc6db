import dataclasses
import io
from pathlib import Path

import mido
import pretty_midi
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from project_strategies import projects

from musestudio.core import BadInputError, KeySignature, Note, Project, TempoChange, TimeSignature, Track
from musestudio.core.events import PITCH_BEND, PROGRAM, VOLUME, ControlEvent, KeyChange, Marker, RawEvent
from musestudio.core.timing import end_of_silent_bars, next_bar_line, silent_bars
from musestudio.core.track import sent_controls
from musestudio.io import project_file as pf
from musestudio.io.channel_plan import export_plan, states_no_sound
from musestudio.io.midi import midi_from_bytes, midi_to_bytes, read_midi, stating_as_played, write_midi
from musestudio.paths import resource

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = sorted(resource("seeds").glob("*.mid"))


def test_seeds_have_the_meters_and_parts_they_promise():
    meters = {p.name: str(read_midi(p).time_signature) for p in SEEDS}
    assert meters["melody_3_4.mid"] == "3/4" and meters["melody_6_8.mid"] == "6/8"
    assert meters["melody_4_4.mid"] == "4/4"
    drums = read_midi(resource("seeds", "drums.mid"))
    assert [t.is_drum for t in drums.tracks] == [True]
    demo = read_midi(resource("seeds", "demo.mid"))
    assert [t.name for t in demo.tracks] == ["Melody", "Keys", "Bass", "Drums"]
    assert demo.key == KeySignature(0, "major") and demo.tempo_bpm == 96.0
    assert demo.end == 16 * demo.ticks_per_beat


def test_tempo_map_meter_and_key_are_read():
    p = read_midi(FIXTURES / "tempo_changes.mid")
    assert p.tempos == (TempoChange(0, 120.0), TempoChange(1920, 90.0), TempoChange(4800, 60.0))
    assert p.time_signatures == (TimeSignature(0, 4, 4), TimeSignature(3840, 3, 4))
    assert p.key == KeySignature(3, "major")
    assert [(t.name, t.program, t.is_drum, len(t.notes)) for t in p.tracks] == [
        ("Horn", 60, False, 12),
        ("Cello", 42, False, 12),
        ("Kit", 0, True, 8),
    ]


def test_type0_file_is_split_into_the_same_instruments_as_type1():
    def parts(p: Project):
        return sorted((t.program, t.is_drum, t.notes) for t in p.tracks)

    type0, type1 = read_midi(FIXTURES / "type0.mid"), read_midi(FIXTURES / "tempo_changes.mid")
    assert mido.MidiFile(FIXTURES / "type0.mid").type == 0
    assert parts(type0) == parts(type1)
    assert type0.tempos == type1.tempos and type0.time_signatures == type1.time_signatures


def _notes_in_seconds(data: bytes) -> list[tuple]:
    """Every note as an independent reader (pretty_midi) hears it: seconds, not our ticks."""
    pm = pretty_midi.PrettyMIDI(io.BytesIO(data))
    return sorted(
        (i.program, i.is_drum, n.pitch, n.velocity, n.start, n.end) for i in pm.instruments for n in i.notes
    )


@pytest.mark.parametrize(
    "path", [*SEEDS, FIXTURES / "tempo_changes.mid", FIXTURES / "type0.mid"], ids=lambda p: p.name
)
def test_import_then_export_keeps_every_note_to_the_millisecond(path):
    original = path.read_bytes()
    exported = midi_to_bytes(midi_from_bytes(original))
    before, after = _notes_in_seconds(original), _notes_in_seconds(exported)
    assert len(before) == len(after) > 0
    for a, b in zip(before, after, strict=True):
        assert a[:4] == b[:4]
        assert abs(a[4] - b[4]) < 1e-3 and abs(a[5] - b[5]) < 1e-3


def as_sent(track: Track) -> tuple:
    """A track's controllers in the order a file carries them: a sounding track's bank selects and
    programs at tick 0 go before its own program, as the app plays them (``Track.settings_and_lanes``),
    so a bank select drawn after a mod wheel at tick 0 comes back before it. Each says where it goes
    among the notes of its tick as a file can say it (``as_written``)."""
    if states_no_sound(track):
        return tuple(map(as_written(track), track.controllers))
    sent = (e for e in track.settings_and_lanes() if any(e is c for c in track.controllers))
    return tuple(map(as_written(track), sent))


def as_written(track: Track):
    """What a file says of a controller event of ``track``: sent after the notes struck at its tick where
    some are (``after_strikes``), else after the note-offs there where some are and it goes after them
    (``after_releases``, or ``after_strikes`` with no note struck there any more); at a tick with neither,
    nothing."""
    starts, ends = {n.start for n in track.notes}, {n.end for n in track.notes}

    def written(e: ControlEvent) -> ControlEvent:
        late = e.after_strikes and e.tick in starts
        released = not late and (e.after_releases or e.after_strikes) and e.tick in ends
        return dataclasses.replace(e, after_strikes=late, after_releases=released)

    return written


def sent_at_start(track: Track) -> list[tuple[int, int]]:
    """What the export sends of a track's settings and lanes at tick 0, in order, as (lane, value): where its
    program and volume go among its bank selects and lanes (``Track.program_after``,
    ``sound_before_lanes``) is heard."""
    return [(e.lane, e.value) for e in sent_controls(track) if e.tick == 0]


def test_a_program_sent_after_a_reset_and_before_a_bend_comes_back_before_the_bend():
    """Found by the property below: GM On, volume, GM On, program, bend at tick 0 came back with the bend
    before the program (the program counted as sent after the track's other lanes, as a reset between a pan
    and the program needs, though the bend too came after the reset)."""
    gm_on = b"\xf0\x7e\x7f\x09\x01\xf7"
    track = Track(
        name="Part",
        volume=0,
        notes=(Note(60, 0, 96, 90),),
        controllers=(ControlEvent(0, PITCH_BEND, 0),),
        extra_events=(RawEvent(0, gm_on, 0, 0), RawEvent(0, gm_on, 0, 1)),
    )
    back = midi_from_bytes(midi_to_bytes(Project(tracks=(track,))))
    assert (
        sent_at_start(back.tracks[0]) == sent_at_start(track) == [(VOLUME, 0), (PROGRAM, 0), (PITCH_BEND, 0)]
    )
    assert back.tracks[0].sound_before_lanes is None


def heard_program(track: Track) -> int:
    """The program the track's first note plays with: its last program change before that note (at its
    tick, before its note-ons), else its program. A part whose file left its program unsaid and chose one
    before its first note reads back with that one as its program (``io.midi._channel_track``)."""
    if not track.notes:
        return track.program
    first = track.notes[0].start
    chosen = [e for e in track.lane(PROGRAM) if e.tick < first or (e.tick == first and not e.after_strikes)]
    return chosen[-1].value if chosen else track.program


# A part whose file left its program unsaid (``Track.program_stated``) choosing another program before its
# first note: the export leaves tick 0 unsaid, as the file did, and the file read back takes the one chosen
# for the part's program; its notes play the same (found by CI's run of the property below).
_UNSAID_PROGRAM_CHANGED_BEFORE_THE_FIRST_NOTE = Project(
    tracks=(
        Track(
            name="Bass",
            program=0,
            channel=0,
            notes=(Note(40, 96, 96, 90),),
            controllers=(ControlEvent(96, PROGRAM, 33),),
            program_stated=False,
            volume_stated=False,
        ),
    ),
    ticks_per_beat=96,
)


# Two kits on the drum channel, one stating volume 0, the other leaving MIDI's default unsaid: read back, the
# second took the channel's 0 (found by CI's run of the property below).
_UNSAID_VOLUME_BESIDE_ANOTHER_KIT = Project(
    tracks=(
        Track(name="Kit", channel=9, is_drum=True, volume=0, notes=(Note(36, 0, 96, 90),)),
        Track(
            name="Toms",
            channel=9,
            is_drum=True,
            notes=(Note(45, 0, 96, 90),),
            program_stated=False,
            volume_stated=False,
        ),
    ),
    ticks_per_beat=96,
)


# The same kits the other way round: the kit leaving MIDI's default unsaid is written first, the one stating
# volume 0 after it; read back, the first took the channel's 0 all the same (found by CI's property run).
_UNSAID_VOLUME_BEFORE_ANOTHER_KIT = Project(
    tracks=tuple(reversed(_UNSAID_VOLUME_BESIDE_ANOTHER_KIT.tracks)), ticks_per_beat=96
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
@example(_UNSAID_PROGRAM_CHANGED_BEFORE_THE_FIRST_NOTE)
@example(_UNSAID_VOLUME_BESIDE_ANOTHER_KIT)
@example(_UNSAID_VOLUME_BEFORE_ANOTHER_KIT)
def test_round_trip_keeps_notes_instruments_and_timing(project):
    back = midi_from_bytes(midi_to_bytes(project))
    assert back.ticks_per_beat == project.ticks_per_beat
    assert back.tempos == project.tempos
    assert back.time_signatures == project.time_signatures
    assert back.key == project.key
    assert [(t.name, t.name_event, heard_program(t), t.is_drum, t.volume, t.notes) for t in back.tracks] == [
        (t.name, t.name_event, heard_program(t), t.is_drum, t.volume, t.notes) for t in project.tracks
    ]
    assert [(t.controllers, t.texts, t.extra_events) for t in back.tracks] == [
        (as_sent(t), t.texts, t.extra_events) for t in project.tracks
    ]
    # a setting a track left unsaid (``Track.program_stated``) is stated where the export gives the track
    # another channel: read back, the file states it
    exported = stating_as_played(project.tracks, export_plan(project).channels)
    assert [
        (sent_at_start(t), t.program_after, t.volume_after, t.sound_before_lanes) for t in back.tracks
    ] == [(sent_at_start(t), t.program_after, t.volume_after, t.sound_before_lanes) for t in exported]
    assert (back.key_changes, back.markers, back.texts, back.extra_events) == (
        project.key_changes,
        project.markers,
        project.texts,
        project.extra_events,
    )


def _part_file(*start: mido.Message) -> bytes:
    """A type-1 file whose one part sends ``start`` at tick 0, then plays middle C for a beat."""
    part = mido.MidiTrack([*start, mido.Message("note_on", note=60, velocity=90)])
    part.append(mido.Message("note_off", note=60, time=480))
    out = io.BytesIO()
    mido.MidiFile(type=1, ticks_per_beat=480, tracks=[mido.MidiTrack(), part]).save(file=out)
    return out.getvalue()


def _part_start(data: bytes) -> list[str]:
    """The types of what the file's last track sends at tick 0 before its first note, in order."""
    sent, tick = [], 0
    for msg in mido.MidiFile(file=io.BytesIO(data)).tracks[-1]:
        tick += msg.time
        if tick or msg.type == "note_on":
            break
        sent.append(msg.type)
    return sent


GM_ON = mido.Message("sysex", data=[0x7E, 0x7F, 0x09, 0x01])


def test_a_lyric_after_a_sysex_among_the_settings_stays_after_it():
    """Found by the round-trip property: a part sending its volume, program, a GM reset, then a lyric came
    back with the lyric before the reset (and the reset, read again, after the lyric)."""
    data = _part_file(
        mido.Message("control_change", control=7, value=90),
        mido.Message("program_change", program=5),
        GM_ON,
        mido.MetaMessage("lyrics", text="la"),
    )
    piece = midi_from_bytes(data)
    back = midi_from_bytes(midi_to_bytes(piece))
    assert back.tracks[0].extra_events == piece.tracks[0].extra_events
    assert back.tracks[0].extra_events[0].after_texts == 0
    sent = _part_start(midi_to_bytes(piece))
    assert sent.index("sysex") < sent.index("lyrics")


def test_a_sysex_between_a_bank_and_a_program_with_no_other_lanes_needs_no_newer_project_file():
    """Found by the round-trip property: a part sending a bank select, a GM reset, then its program (and no
    pan or other lane at the start) was read as sending its sound around lanes it has none of
    (``Track.sound_before_lanes``), so its project file needed format 10 for an order every format keeps."""
    data = _part_file(
        mido.Message("control_change", control=0, value=1), GM_ON, mido.Message("program_change", program=5)
    )
    (track,) = midi_from_bytes(data).tracks
    assert track.sound_before_lanes is None
    # unnamed, it needs format 13; with its volume unsaid (``Track.volume_stated``), format 15
    named = midi_from_bytes(data).with_(
        tracks=(track.with_(name="Part", name_event=True, volume_stated=True),)
    )
    assert pf.project_to_dict(named)["version"] < pf.SOUND_AFTER_VERSION
    assert _part_start(midi_to_bytes(midi_from_bytes(data)))[-3:] == [
        "control_change",
        "sysex",
        "program_change",
    ]
    assert midi_from_bytes(midi_to_bytes(midi_from_bytes(data))).tracks == (track,)


def _part_messages(data: bytes) -> list[tuple[int, ...]]:
    """The bytes of each message the file's last track sends at tick 0 before its first note, meta events
    left out."""
    sent, tick = [], 0
    for msg in mido.MidiFile(file=io.BytesIO(data)).tracks[-1]:
        tick += msg.time
        if tick or msg.type == "note_on":
            break
        if not msg.is_meta:
            sent.append(tuple(msg.bytes()))
    return sent


def test_a_bend_sent_after_a_reset_among_bank_selects_stays_after_it():
    """Found by the round-trip property: a part sending a bank select, a GM reset, a pitch bend and another
    bank select at tick 0, with no program there, went out with the bend before the reset, which undoes it:
    the part played unbent. The program the export states was counted among the file's bank selects."""
    bank, bend, fine = (0xB0, 0, 101), (0xE0, 0x76, 0x43), (0xB0, 0, 15)
    data = _part_file(
        mido.Message.from_bytes(bank), GM_ON, mido.Message.from_bytes(bend), mido.Message.from_bytes(fine)
    )
    piece = midi_from_bytes(data)
    exported = _part_messages(midi_to_bytes(piece))
    stated = [(0xB0, 7, 100), (0xC0, 0)]  # the volume and program the export states
    assert [m for m in exported if m not in stated] == _part_messages(data)
    assert midi_from_bytes(midi_to_bytes(piece)).tracks == piece.tracks


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "song.mid"
    project = Project(tracks=(Track(name="Lead", notes=(Note(60, 0, 480),)),))
    write_midi(project, path)
    write_midi(project.with_tempo(90), path)
    assert read_midi(path).tempo_bpm == 90
    assert [p.name for p in tmp_path.iterdir()] == ["song.mid"]


def test_unwritable_place_is_bad_input(tmp_path):
    with pytest.raises(BadInputError, match="cannot save"):
        write_midi(Project(), tmp_path / "no" / "such" / "folder.mid")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.mid", "is empty"),
        ("random_bytes.mid", "not a MIDI file"),
        ("text_not_midi.mid", "not a MIDI file"),
        ("truncated.mid", "damaged or incomplete"),
        ("header_only.mid", "ends too early"),
        ("huge_tick.mid", "absurdly far apart"),
    ],
)
def test_broken_files_give_one_readable_error(name, message):
    with pytest.raises(BadInputError, match=message) as info:
        read_midi(FIXTURES / name)
    assert name in str(info.value)


def test_missing_file_and_folder_are_bad_input(tmp_path):
    with pytest.raises(BadInputError, match="not found"):
        read_midi(tmp_path / "nope.mid")
    with pytest.raises(BadInputError, match="is a folder"):
        read_midi(tmp_path)


def _only_ours(data: bytes) -> None:
    """Parsing may succeed or fail, but the only error allowed out is BadInputError."""
    try:
        midi_from_bytes(data, "x.mid")
    except BadInputError as e:
        assert str(e) and "\n" not in str(e)


VALID = (FIXTURES / "tempo_changes.mid").read_bytes()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_only_raise_bad_input(data):
    _only_ours(data)
    _only_ours(b"MThd" + data)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_files_only_raise_bad_input(edits):
    data = bytearray(VALID)
    for pos, value in edits:
        data[pos] = value
    _only_ours(bytes(data))


def test_every_truncation_only_raises_bad_input():
    for cut in range(len(VALID)):
        _only_ours(VALID[:cut])


BAR = 1920  # a 4/4 bar at 480 ticks per beat
AFTER_THE_MUSIC = {
    "marker": {"markers": (Marker(3 * BAR, "Fine"),)},
    "marker off the bar lines": {"markers": (Marker(3 * BAR + 240, "Fine"),)},
    "tempo change": {"tempos": (TempoChange(0, 120.0), TempoChange(3 * BAR, 60.0))},
    "key change": {"key": KeySignature(0, "major"), "key_changes": (KeyChange(3 * BAR, KeySignature(2)),)},
    "meter change": {"time_signatures": (TimeSignature(0, 4, 4), TimeSignature(3 * BAR, 3, 4))},
}


def _timeline(project: Project) -> tuple:
    """What a musician meets of where a piece ends: how long it plays, the silent bars it ends in (the
    ruler's mark, Trim Silent Bars) and where Continue starts after them."""
    return project.length, project.end_of_track, silent_bars(project), end_of_silent_bars(project)


@pytest.mark.parametrize("late", AFTER_THE_MUSIC.values(), ids=AFTER_THE_MUSIC.keys())
def test_a_piece_with_a_change_set_after_its_music_opens_after_export_as_long_as_it_was(late):
    """A marker (a "Fine" two bars after the last note) or a tempo, key or meter change there: the file's
    end lies on it, which read as a loop's silent bars, so the piece came back longer, and Continue
    started after the bars. It comes back as it was, and exports to the very same file."""
    piece = Project(tracks=(Track(name="Lead", notes=(Note(60, 0, 480),)),), **late)
    exported = midi_to_bytes(piece)
    back = midi_from_bytes(exported)
    assert _timeline(back) == _timeline(piece) == (480, 0, 0, 0)
    assert (back.markers, back.tempos, back.key_changes, back.time_signatures) == (
        piece.markers,
        piece.tempos,
        piece.key_changes,
        piece.time_signatures,
    )
    assert midi_to_bytes(back) == exported


@pytest.mark.parametrize("late", AFTER_THE_MUSIC.values(), ids=AFTER_THE_MUSIC.keys())
def test_a_loop_with_a_change_on_its_last_tick_opens_after_export_with_its_silent_bars(late):
    """A loop whose end (3 bars, one note in bar 1) has a marker or a tempo change on it, or just before
    its end: it comes back ending in its silent bars, as long as it was."""
    piece = Project(tracks=(Track(name="Lead", notes=(Note(60, 0, 480),)),), end_of_track=3 * BAR, **late)
    exported = midi_to_bytes(piece)
    back = midi_from_bytes(exported)
    assert _timeline(back) == _timeline(piece)
    assert silent_bars(back) == 2 and midi_to_bytes(back) == exported
    longer = piece.with_(end_of_track=4 * BAR)
    assert _timeline(midi_from_bytes(midi_to_bytes(longer))) == _timeline(longer)


def test_a_loop_file_ending_on_a_bar_line_after_its_last_event_keeps_its_silent_bars():
    """Another tool's loop: a tempo change in bar 2 and a marker in bar 3 of the conductor, which ends
    with the note track at the end of bar 4."""
    mid = mido.MidiFile(ticks_per_beat=480)
    mid.tracks.append(
        mido.MidiTrack(
            [
                mido.MetaMessage("set_tempo", tempo=500000, time=BAR),
                mido.MetaMessage("marker", text="B", time=BAR),
                mido.MetaMessage("end_of_track", time=2 * BAR),
            ]
        )
    )
    mid.tracks.append(
        mido.MidiTrack(
            [
                mido.Message("note_on", note=36, velocity=100),
                mido.Message("note_off", note=36, time=240),
                mido.MetaMessage("end_of_track", time=4 * BAR - 240),
            ]
        )
    )
    out = io.BytesIO()
    mid.save(file=out)
    back = midi_from_bytes(out.getvalue())
    assert _timeline(back) == (4 * BAR, 4 * BAR, 3, 4 * BAR)


def _nothing_after_the_music_but_changes(project: Project) -> Project:
    """``project`` without what lies after its last note but the piece's changes (tempo, meter, key, a
    marker, a text or cue): a track's controller there states an end of its own (a pedal-up at a loop's
    end)."""
    music = project.end
    tracks = tuple(
        t.with_(
            controllers=tuple(e for e in t.controllers if e.tick <= music),
            texts=tuple(e for e in t.texts if e.tick <= music),
            extra_events=tuple(e for e in t.extra_events if e.tick <= music),
        )
        for t in project.tracks
    )
    texts = tuple(e for e in project.texts if e.tick <= music or e.kind in ("text", "cue_marker"))
    extra = tuple(e for e in project.extra_events if e.tick <= music)
    return project.with_(tracks=tracks, texts=texts, extra_events=extra)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects(), st.sampled_from(["no silent bars", "a loop ending on its last change", "a loop"]))
def test_round_trip_keeps_where_the_piece_ends(project, ending):
    """Changes after the music (markers, tempo, meter, key changes) neither add silent bars on the way back
    nor take a loop's away, wherever the loop ends."""
    piece = _nothing_after_the_music_but_changes(project)
    last = piece.last_event_tick
    end = {
        "no silent bars": 0,
        "a loop ending on its last change": last if last > piece.end else 0,
        "a loop": next_bar_line(last + 1, piece.time_signatures, piece.ticks_per_beat),
    }[ending]
    piece = piece.with_(end_of_track=end)
    assert _timeline(midi_from_bytes(midi_to_bytes(piece))) == _timeline(piece)
