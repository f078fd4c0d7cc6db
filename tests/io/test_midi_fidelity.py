"""Nothing in a MIDI file is lost: import -> .muse -> export keeps every event at its time.

The fixtures are written by tests/fixtures/make_midi_fixtures.py with mido (not our writer); the
comparison reads both files with mido (not our reader), see ``midi_events``.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import mido
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from midi_events import assert_kept, events, type0_file, type1_file

from musestudio.cli import describe, main
from musestudio.core import ControlEvent, Note, Project, Track
from musestudio.core.bars import delete_bars
from musestudio.core.events import PITCH_BEND, PROGRAM, SUSTAIN, VOLUME
from musestudio.io.midi import midi_from_bytes, midi_to_bytes, part_name, read_midi
from musestudio.io.midi_export_changes import midi_export_changes, notes_midi_cannot_keep
from musestudio.io.project_file import load_project, project_from_bytes, project_to_bytes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MUSIC = sorted((FIXTURES / "midi").glob("*.*"))
#: How many random files the generated-file tests try: CI's 40, or more with MIDI_FIDELITY_EXAMPLES=2000.
EXAMPLES = int(os.environ.get("MIDI_FIDELITY_EXAMPLES", "40"))
EDGE = sorted((FIXTURES / "midi" / "edge").glob("*.*"))


def through_muse(data: bytes) -> bytes:
    """Import, save as .muse, load that, export as MIDI."""
    project = midi_from_bytes(data, "x.mid")
    return midi_to_bytes(project_from_bytes(project_to_bytes(project)))


@pytest.mark.parametrize("path", MUSIC + EDGE, ids=lambda p: p.name)
def test_import_muse_export_keeps_every_event(path):
    original = path.read_bytes()
    exported = through_muse(original)
    assert_kept(events(original), events(exported))
    again = through_muse(exported)  # and our own export survives another round unchanged
    assert again == exported


@pytest.mark.parametrize("path", MUSIC + EDGE, ids=lambda p: p.name)
def test_cli_info_is_the_same_for_the_file_its_muse_and_its_export(path, tmp_path, capsys):
    muse, back = tmp_path / "a.muse", tmp_path / "b.mid"
    assert main(["convert", str(path), str(muse)]) == 0
    assert main(["convert", str(muse), str(back)]) == 0
    capsys.readouterr()
    infos = []
    for p in (path, muse, back):
        assert main(["info", str(p), "--json"]) == 0
        infos.append(json.loads(capsys.readouterr().out))
    assert infos[0] == infos[1] == infos[2]


# -- what each fixture holds, through our reader --------------------------------------------------------


def test_ritardando_keeps_every_tempo_step():
    p = read_midi(FIXTURES / "midi" / "ritardando.mid")
    assert [t.bpm for t in p.tempos] == [120, 112.5, 105, 97.5, 90, 82.5, 75, 67.5, 60, 90]
    assert [t.tick for t in p.tempos[1:9]] == [480 * (8 + i) for i in range(8)]


def test_meter_and_key_changes():
    p = read_midi(FIXTURES / "midi" / "meters_keys.mid")
    assert [str(s) for s in p.time_signatures] == ["4/4", "7/8", "3/4", "5/4"]
    assert p.key.name == "C major"
    assert [k.key.name for k in p.key_changes] == ["E minor", "C# major", "Cb major"]
    assert [k.key.sharps for k in p.key_changes] == [1, 7, -7]


def test_pedal_expression_and_volume_become_lanes():
    (piano,) = read_midi(FIXTURES / "midi" / "pedalled_piano.mid").tracks
    assert [e.value for e in piano.lane(SUSTAIN)] == [127, 0] * 4
    assert len(piano.lane(11)) == 32 and piano.volume == 90
    # two volumes at tick 0: the last is the track's setting, the first stays a lane event before it
    assert [(e.tick, e.value) for e in piano.lane(VOLUME)] == [(0, 90), (1920, 100), (3840, 110), (5760, 120)]


def test_a_sostenuto_pedal_comes_back_from_export_where_it_was_and_holds_what_it_held():
    """A bass note struck at 0, the sostenuto pedal (CC 66) pressed under it at 240 and let up at 3840, a
    melody after: the export sends the pedal at its ticks, between the bass's strike and release, so it
    holds the bass (and not the melody) in any player as in the file, and the app reads it back so."""
    timed = [
        (0, mido.Message("note_on", note=36, velocity=90)),
        (240, mido.Message("control_change", control=66, value=127)),
        (480, mido.Message("note_off", note=36)),
        (960, mido.Message("note_on", note=72, velocity=90)),
        (1440, mido.Message("note_off", note=72)),
        (3840, mido.Message("control_change", control=66, value=0)),
    ]
    data = type0_file(timed)
    (piano,) = midi_from_bytes(data).tracks
    assert [(e.tick, e.value) for e in piano.lane(66)] == [(240, 127), (3840, 0)]
    assert piano.pedal_held() == ((480, 3840),)
    exported = midi_to_bytes(midi_from_bytes(data))
    assert_kept(events(data), events(exported))
    sent, tick = [], 0
    for msg in mido.MidiFile(file=io.BytesIO(exported)).tracks[-1]:
        tick += msg.time
        if msg.type in ("note_on", "note_off", "control_change") and getattr(msg, "control", 66) == 66:
            sent.append((tick, msg.type, getattr(msg, "note", None)))
    assert sent == [
        (0, "note_on", 36),
        (240, "control_change", None),
        (480, "note_off", 36),
        (960, "note_on", 72),
        (1440, "note_off", 72),
        (3840, "control_change", None),
    ]
    assert midi_from_bytes(exported).tracks[0].pedal_held() == ((480, 3840),)


def test_bend_and_modulation_keep_their_values_and_channel():
    (lead,) = read_midi(FIXTURES / "midi" / "lead_bend_modulation.mid").tracks
    bends = [e.value for e in lead.lane(PITCH_BEND)]
    assert lead.channel == 1 and len(bends) == 65 and min(bends) == -8192 and max(bends) == 8191
    assert len(lead.lane(1)) == 64


def test_program_changes_inside_a_track():
    (t,) = read_midi(FIXTURES / "midi" / "program_changes.mid").tracks
    assert t.program == 0 and [(e.tick, e.value) for e in t.lane(PROGRAM)] == [(1920, 48), (3840, 73)]
    assert [(e.tick, e.value) for e in t.lane(0)] == [(1920, 0)]  # bank select kept before its program


def _bank_waiting(program_first: bool) -> bytes:
    """Program 5 and a bank select of bank 8 at tick 0 (the program first, or none), a note, then program
    6 at bar 2 and a note: by MIDI, the bank waits for the next program change."""
    start = [mido.Message("program_change", program=5)] if program_first else []
    start += [mido.Message("control_change", control=0, value=8)]
    notes = [(0, mido.Message("note_on", note=60, velocity=90)), (480, mido.Message("note_off", note=60))]
    later = [(1920, mido.Message("program_change", program=6))]
    later += [
        (1920, mido.Message("note_on", note=62, velocity=90)),
        (2400, mido.Message("note_off", note=62)),
    ]
    return type1_file([[], [(0, m) for m in start] + notes + later])


@pytest.mark.parametrize("program_first", [True, False], ids=["program-then-bank", "bank-alone"])
def test_a_bank_select_after_the_program_at_the_start_waits_for_the_next_program(program_first):
    """A file that sends its bank select after its program at tick 0 (or with no program there) plays its
    first note in bank 0 and the next program in bank 8. Read, saved as .muse and exported, it plays so:
    the bank select stays after the program, not moved before it to choose the first note's bank."""
    data = _bank_waiting(program_first)
    before, after = events(data), events(through_muse(data))
    first = (0, 0, 5 if program_first else 0)
    assert [p[2] for p in before.played] == [first, (8, 0, 6)]
    assert [p[2] for p in after.played] == [p[2] for p in before.played]
    assert_kept(before, after)
    (track,) = midi_from_bytes(data).tracks
    assert (track.program, track.program_after) == (first[2], 0)


def test_a_bank_select_before_the_program_still_chooses_its_bank():
    data = type1_file(
        [
            [],
            [
                (0, mido.Message("control_change", control=0, value=8)),
                (0, mido.Message("program_change", program=5)),
                (0, mido.Message("note_on", note=60, velocity=90)),
                (480, mido.Message("note_off", note=60)),
            ],
        ]
    )
    assert [p[2] for p in events(through_muse(data)).played] == [(8, 0, 5)]
    assert midi_from_bytes(data).tracks[0].program_after is None


def test_channels_and_drums_are_kept():
    p = read_midi(FIXTURES / "midi" / "drums_channels.mid")
    assert [(t.name, t.channel, t.is_drum) for t in p.tracks] == [
        ("Kit", 9, True),
        ("Bass", 0, False),
        ("Bells", 15, False),
    ]
    exported = mido.MidiFile(file=io.BytesIO(midi_to_bytes(p)))
    channels = {m.channel for t in exported.tracks for m in t if m.type == "note_on"}
    assert channels == {0, 9, 15}


def test_markers_and_lyrics():
    p = read_midi(FIXTURES / "midi" / "markers_lyrics.kar")
    assert [(m.tick, m.text) for m in p.markers] == [(0, "Intro"), (3840, "Verse 1"), (7680, "Chorus")]
    (voice,) = p.tracks
    assert [t.text for t in voice.texts if t.kind == "lyrics"][:3] == ["Twin", "kle", "twin"]
    assert p.metadata["title"] == "Song with words"


def edge(name: str):
    return read_midi(FIXTURES / "midi" / "edge" / name)


def test_zero_length_notes_are_kept_one_tick_long():
    (kit,) = edge("zero_length_drums.mid").tracks
    assert len(kit.notes) == 20 and {n.duration for n in kit.notes} == {1} and kit.channel == 9


def test_overlapping_notes_of_one_pitch_keep_their_own_ends():
    (t,) = edge("overlapping_same_pitch.mid").tracks
    assert len(t.notes) == 30 and {n.duration for n in t.notes} == {350}
    assert [n.velocity for n in t.notes] == list(range(40, 70))


def test_the_notes_midi_gives_back_otherwise_are_counted():
    """A short note inside a held one of its pitch comes back with the held one's end, and vice versa;
    overlapping, repeated or chorded notes come back as they are."""

    def counted(*notes):
        project = Project(tracks=(Track(name="t", notes=notes),))
        back = midi_from_bytes(midi_to_bytes(project)).tracks[0].notes
        changed = len(set(back) ^ set(project.tracks[0].notes)) // 2
        assert notes_midi_cannot_keep(project) == changed
        return changed

    assert counted(Note(60, 0, 1920), Note(60, 480, 240)) == 2
    assert counted(Note(60, 0, 1920), Note(60, 480, 240), Note(60, 960, 240)) == 3
    assert counted(Note(60, 0, 960), Note(60, 480, 960)) == 0
    assert counted(Note(60, 0, 480), Note(60, 480, 480), Note(64, 0, 1920)) == 0
    assert counted(Note(60, 0, 960, 90), Note(60, 0, 480, 30)) == 0


def test_unclosed_notes_end_with_their_track():
    (t,) = edge("unclosed_notes.mid").tracks
    assert [(n.pitch, n.start, n.end) for n in t.notes] == [(60, 0, 480), (64, 480, 1920), (67, 960, 1920)]


def test_a_note_plays_with_the_program_of_its_note_on():
    (t,) = edge("program_at_note_on.mid").tracks
    assert t.program == 19 and [(e.tick, e.value) for e in t.lane(PROGRAM)] == [(480, 56)]
    assert t.notes[0].start == 0 and t.notes[0].end == 960  # one note, not cut by the change


def test_tempo_and_meter_outside_track_zero_count():
    p = edge("tempo_outside_track0.mid")
    assert [(t.tick, t.bpm) for t in p.tempos] == [(0, 90), (1920, 150)]
    assert str(p.time_signature) == "3/4"


def test_any_resolution_any_length_and_any_tempo_loads():
    hi = edge("high_resolution_15360.mid")
    assert hi.ticks_per_beat == 15360 and len(hi.tempos) == 2 and hi.note_count == 330
    long = edge("two_hours.mid")
    assert long.end > 10_000_000 and long.note_count == 240
    fast = edge("fast_tempo_1500.mid")
    assert [t.bpm for t in fast.tempos] == [120, 1500, 120]


def test_smpte_division_keeps_the_seconds():
    p = edge("smpte_division.mid")
    assert p.ticks_per_beat == 1000 and p.tempo_bpm == 60
    assert [(n.start, n.end) for n in p.tracks[0].notes] == [(0, 1000), (1000, 1500)]


def test_seven_sharps_and_flats_are_not_respelled():
    p = edge("seven_sharps.mid")
    assert [p.key.name, *(k.key.name for k in p.key_changes)] == ["C# major", "A# minor", "Cb major"]


def test_one_latin1_name_does_not_garble_the_others():
    assert [t.name for t in edge("latin1_name.smf").tracks] == ["Flöte", "鋼琴", "Café"]


def test_sysex_and_unknown_meta_are_kept_verbatim():
    p = edge("sysex_unknown_meta.mid")
    kept = {e.data[:2] for e in p.extra_events}
    assert {b"\xf0\x7e", b"\xff\x54", b"\xff\x7f", b"\xff\x60"} <= kept
    assert p.tracks[0].extra_events[0].data == bytes([0xF0, 0x43, 0x10, 0x4C, 0x00, 0x00, 0x7E, 0x00, 0xF7])


def test_type0_parts_split_by_channel_with_their_controllers():
    p = edge("type0_channels.mid")
    assert [(t.channel, t.program, len(t.notes)) for t in p.tracks] == [(0, 24, 8), (1, 32, 1), (9, 0, 1)]
    assert [e.value for e in p.tracks[1].lane(SUSTAIN)] == [127]
    assert p.metadata["title"] == "Type zero song"


def test_tracks_sharing_a_channel_share_its_program_and_volume():
    p = edge("shared_channel.mid")
    assert [(t.name, t.channel, t.program, t.volume) for t in p.tracks] == [
        ("Strings RH", 0, 48, 80),
        ("Strings LH", 0, 48, 80),
    ]
    exported = mido.MidiFile(file=io.BytesIO(midi_to_bytes(p)))
    assert {m.program for t in exported.tracks for m in t if m.type == "program_change"} == {48}


def test_a_track_of_only_words_opens_and_keeps_them():
    p = edge("words_track.kar")
    assert [t.name for t in p.tracks] == ["Words", "Melody"]
    words = p.tracks[0]
    assert [t.text for t in words.texts if t.kind == "lyrics"] == ["Frè", "re", "Jac", "ques"]
    assert [e.data[:2] for e in words.extra_events] == [b"\xf0\x43"] and not words.notes
    exported = mido.MidiFile(file=io.BytesIO(midi_to_bytes(p)))
    assert not [m for m in exported.tracks[1] if not m.is_meta and m.type != "sysex"]  # it sets no sound


def test_an_empty_track_keeps_its_program_volume_and_channel():
    p = edge("empty_track.mid")
    assert [(t.name, t.program, t.volume, t.channel, len(t.notes)) for t in p.tracks] == [
        ("Piano", 0, 100, 0, 1),
        ("Strings", 48, 80, 3, 0),
    ]
    back = midi_from_bytes(midi_to_bytes(p))
    assert [(t.name, t.program, t.volume, t.channel) for t in back.tracks] == [
        ("Piano", 0, 100, 0),
        ("Strings", 48, 80, 3),
    ]


def test_an_empty_track_made_in_the_app_is_exported():
    p = Project(tracks=(Track(name="Bass", program=33, volume=90, channel=2),))
    exported = mido.MidiFile(file=io.BytesIO(midi_to_bytes(p)))
    sound = [m.dict() for m in exported.tracks[1] if not m.is_meta]
    assert sound == [
        {"type": "control_change", "channel": 2, "control": 7, "value": 90, "time": 0},
        {"type": "program_change", "channel": 2, "program": 33, "time": 0},
    ]


def test_a_volume_in_the_lane_at_tick_0_is_what_the_file_starts_with_and_comes_back():
    """The app plays a track's volume, then its lanes' events at the start: a volume drawn from bar 1 is
    heard. The file says the same (the track's volume, then the lane's), so other players start quiet too,
    and reading it back gives the same track."""
    p = Project(tracks=(Track(name="Pad", volume=100, controllers=(ControlEvent(0, VOLUME, 30),)),))
    exported = mido.MidiFile(file=io.BytesIO(midi_to_bytes(p)))
    volumes = [m.value for m in exported.tracks[1] if m.type == "control_change" and m.control == VOLUME]
    assert volumes == [100, 30]
    (back,) = midi_from_bytes(midi_to_bytes(p)).tracks
    assert back.volume == 100 and [(e.tick, e.value) for e in back.lane(VOLUME)] == [(0, 30)]


def test_a_second_track_on_a_channel_gets_the_volume_the_channel_starts_with():
    """Tracks sharing a channel: the one that sets no volume is given what is in force on the channel at
    the start, the sharer's lane value after its own setting, so the export does not reset the volume."""
    file = mido.MidiFile(ticks_per_beat=480)  # both on channel 1; Right sets no volume
    file.tracks.append(mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000)]))
    for name, volume, pitch in (("Left", [100, 30], 48), ("Right", [], 72)):
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name)])
        track += [mido.Message("control_change", control=VOLUME, value=v) for v in volume]
        track += [
            mido.Message("note_on", note=pitch, velocity=100),
            mido.Message("note_off", note=pitch, time=480),
        ]
        file.tracks.append(track)
    out = io.BytesIO()
    file.save(file=out)
    left, right = midi_from_bytes(out.getvalue()).tracks
    assert (left.volume, [e.value for e in left.lane(VOLUME)]) == (100, [30])
    assert right.volume == 30


def test_changes_at_one_tick_are_all_kept_in_file_order():
    p = edge("same_tick_changes.mid")
    assert str(p.time_signature) == "2/4" and p.key.name == "A minor"
    assert [(t.tick, t.bpm) for t in p.tempos] == [(0, 100), (1920, 150)]  # the lead track's tempo is last
    assert [k.key.name for k in p.key_changes] == ["E minor"]

    def changes(data: bytes) -> dict[str, list[tuple]]:
        """Each kind's changes in the order a player meets them, with their ticks."""
        out, tick = {}, 0
        for m in mido.merge_tracks(mido.MidiFile(file=io.BytesIO(data)).tracks):
            tick += m.time
            if m.type in ("set_tempo", "time_signature", "key_signature"):
                out.setdefault(m.type, []).append(m.dict() | {"time": tick})
        return out

    original = (FIXTURES / "midi" / "edge" / "same_tick_changes.mid").read_bytes()
    assert changes(midi_to_bytes(p)) == changes(original)


def test_a_later_program_change_in_a_track_without_notes_stays_where_it_is():
    p = edge("controller_track.mid")
    assert [(t.name, t.program, len(t.notes)) for t in p.tracks] == [("Controls", 0, 0), ("Melody", 0, 8)]
    assert [(e.tick, e.value) for e in p.tracks[0].lane(PROGRAM)] == [(1920, 40)]
    exported = mido.MidiFile(file=io.BytesIO(midi_to_bytes(p)))
    programs = [(m.time, m.program) for m in _absolute(exported) if m.type == "program_change"]
    assert programs == [(1920, 40)]  # a piano until bar 2, as in the file, which states no program before


def _absolute(midi: mido.MidiFile) -> list:
    """The messages of every track, each with its absolute tick as ``time``."""
    out = []
    for track in midi.tracks:
        tick = 0
        for m in track:
            tick += m.time
            out.append(m.copy(time=tick))
    return out


def test_hands_entering_apart_on_one_channel_keep_the_instrument_each_note_plays():
    p = edge("hands_enter_apart.mid")
    exported = midi_to_bytes(p)

    def heard(data: bytes) -> list[tuple[int, int, int]]:
        """(tick, channel, program) of every note-on, as a player switching programs meets them."""
        program, out, tick = {}, [], 0
        for m in mido.merge_tracks(mido.MidiFile(file=io.BytesIO(data)).tracks):
            tick += m.time
            if m.type == "program_change":
                program[m.channel] = m.program
            elif m.type == "note_on" and m.velocity:
                out.append((tick, m.channel, program.get(m.channel, 0)))
        return sorted(out)

    original = heard((FIXTURES / "midi" / "edge" / "hands_enter_apart.mid").read_bytes())
    assert {(ch, prog) for _, ch, prog in original} == {(0, 0), (0, 48), (1, 6), (1, 19)}
    assert heard(exported) == original


def test_music_after_an_early_end_of_track_is_kept():
    (t,) = edge("events_after_end_of_track.mid").tracks
    assert [(n.pitch, n.start, n.end) for n in t.notes] == [(60, 0, 480), (64, 480, 960), (67, 960, 1440)]
    assert [(e.tick, e.text) for e in t.texts] == [(1440, "coda")]


@pytest.mark.parametrize("after", [b"\x00\xf4\x01", b"\x00\x00\x00", b"\x00\x90\x3c"])
def test_what_is_not_midi_after_an_end_of_track_is_ignored(after):
    body = bytes([0x00, 0x90, 60, 90, 0x83, 0x60, 0x80, 60, 0]) + b"\x00\xff\x2f\x00" + after
    data = b"MThd" + bytes([0, 0, 0, 6, 0, 0, 0, 1, 1, 0xE0]) + b"MTrk" + len(body).to_bytes(4, "big") + body
    (t,) = midi_from_bytes(data).tracks
    assert [(n.pitch, n.start, n.end) for n in t.notes] == [(60, 0, 480)]


def test_sysex_keeps_its_place_among_meta_events_at_one_tick():
    p = edge("sysex_order.mid")
    assert [e.data[:2] for e in p.extra_events] == [b"\xf0\x7e", b"\xff\x7f", b"\xf0\x43"]
    assert [e.data[:2] for e in p.tracks[0].extra_events] == [b"\xff\x7f", b"\xf0\x41", b"\xff\x60"]


@pytest.mark.parametrize("channel, program", [(0, 0), (0, 5), (1, 0), (1, 5)])
def test_a_setup_track_without_notes_keeps_its_program_beside_its_sysex(channel, program):
    setup = mido.MidiTrack([mido.Message("sysex", data=[0x7E, 0x7F, 0x09, 0x01])])
    setup.append(mido.Message("program_change", channel=channel, program=program))
    melody = mido.MidiTrack([mido.Message("note_on", channel=3, note=60, velocity=90)])
    melody.append(mido.Message("note_off", channel=3, note=60, time=480))
    out = io.BytesIO()
    mido.MidiFile(type=1, ticks_per_beat=480, tracks=[mido.MidiTrack(), melody, setup]).save(file=out)
    exported = through_muse(out.getvalue())
    assert_kept(events(out.getvalue()), events(exported))
    assert through_muse(exported) == exported


def test_a_note_at_the_start_plays_before_a_later_track_sets_the_program():
    """Found by the generated files: the first track's note at tick 0 plays MIDI's piano, because the
    track that sets the channel's program comes after it."""
    data = (
        b"MThd\x00\x00\x00\x06\x00\x01\x00\x03\x00\x18MTrk\x00\x00\x00\x04\x00\xff/\x00"
        b"MTrk\x00\x00\x00\x0c\x00\x90\x00\x01\x00\x80\x00@\x00\xff/\x00"
        b"MTrk\x00\x00\x00\t\x00\xc0\x00\x00\x01\x00\xff/\x00"
    )
    assert_kept(events(data), events(through_muse(data)))


def test_version_1_projects_still_open():
    p = load_project(FIXTURES / "version1.muse")
    assert p.note_count == 3 and p.key.name == "Eb major" and p.tracks[0].controllers == ()
    assert [t.bpm for t in p.tempos] == [96, 72]


# -- generated files ------------------------------------------------------------------------------------


@st.composite
def midi_files(draw) -> bytes:
    """Random type-1 files: tempo and meter changes in any track, key signatures (7 sharps and flats
    included), markers, notes, any CC, bends, pressure, program changes, lyrics and SysEx; each part on
    its own channel, its events at one tick in any order."""
    tpb = draw(st.sampled_from([24, 96, 192, 480, 960, 1000, 15360]))
    span = tpb * 16
    n_parts = draw(st.integers(1, 3))
    tracks = [[] for _ in range(n_parts + 1)]
    tempo_ticks = draw(st.lists(st.integers(0, span), max_size=5, unique=True))
    for tick in tempo_ticks:
        bpm = draw(st.floats(20, 2000))
        tracks[draw(st.integers(0, n_parts))].append(
            (tick, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm)))
        )
    for tick in draw(st.lists(st.integers(0, span), max_size=3, unique=True)):
        sig = mido.MetaMessage(
            "time_signature",
            numerator=draw(st.integers(1, 13)),
            denominator=draw(st.sampled_from([2, 4, 8, 16])),
        )
        tracks[0].append((tick, sig))
    for tick, text in draw(st.lists(st.tuples(st.integers(0, span), st.text(max_size=8)), max_size=3)):
        tracks[0].append((tick, mido.MetaMessage("marker", text=text)))
    keys = st.sampled_from(["C", "G", "F#", "C#", "Cb", "Eb", "Am", "A#m", "Abm", "D#m"])
    for tick in draw(st.lists(st.integers(0, span), max_size=3, unique=True)):
        tracks[0].append((tick, mido.MetaMessage("key_signature", key=draw(keys))))
    channels = draw(st.lists(st.integers(0, 15), min_size=n_parts, max_size=n_parts))
    for part, channel in enumerate(channels, 1):
        for pitch, start, length, velocity in draw(
            st.lists(
                st.tuples(
                    st.integers(0, 127), st.integers(0, span), st.integers(0, span // 4), st.integers(1, 127)
                ),
                min_size=1 if part == 1 else 0,  # a later part may have no notes yet
                max_size=12,
            )
        ):
            tracks[part].append(
                (start, mido.Message("note_on", channel=channel, note=pitch, velocity=velocity))
            )
            tracks[part].append((start + length, mido.Message("note_off", channel=channel, note=pitch)))
        # bank selects, volume and the pedal often: their order against a program change at one tick counts
        controls = st.one_of(st.sampled_from([0, 32, 7, 64]), st.integers(0, 127))
        messages = st.one_of(
            st.tuples(st.just("control_change"), controls, st.integers(0, 127)),
            st.tuples(st.just("pitchwheel"), st.integers(-8192, 8191), st.none()),
            st.tuples(st.just("aftertouch"), st.integers(0, 127), st.none()),
            st.tuples(st.just("program_change"), st.integers(0, 127), st.none()),
        )
        fields = {"control_change": ("control", "value"), "pitchwheel": ("pitch",)}
        fields |= {"aftertouch": ("value",), "program_change": ("program",)}
        for tick, text in draw(
            st.lists(st.tuples(st.integers(0, span), st.text("laé ", max_size=5)), max_size=3)
        ):
            tracks[part].append((tick, mido.MetaMessage("lyrics", text=text)))
        at = st.one_of(st.just(0), st.integers(0, span))  # settings at the start are common
        sent = []
        for tick, (kind, a, b) in draw(st.lists(st.tuples(at, messages), max_size=25)):
            values = dict(zip(fields[kind], (a, b), strict=False))
            sent.append((tick, mido.Message(kind, channel=channel, **values)))
        # SysEx among the controllers, before or after those at its tick: the order there is heard
        for tick, data in draw(st.lists(st.tuples(at, st.binary(min_size=1, max_size=4)), max_size=2)):
            place = draw(st.integers(0, len(sent)))
            sent.insert(place, (tick, mido.Message("sysex", data=[b & 0x7F for b in data])))
        # the notes and the controllers at one tick in any order: a pedal before or after a note-off or a
        # note-on there is heard
        tracks[part] = draw(st.permutations([*tracks[part], *sent]))
    return type1_file(tracks, tpb, charset="utf-8")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(midi_files())
def test_generated_files_keep_every_event(data):
    assert_kept(events(data), events(through_muse(data)))


@settings(max_examples=max(15, EXAMPLES // 3), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(midi_files())
def test_generated_files_describe_the_same_before_and_after(data):
    before = midi_from_bytes(data)
    after = midi_from_bytes(through_muse(data))
    assert describe(before) == describe(after)


def test_a_tempo_change_stated_twice_and_then_deleted_does_not_come_back_in_the_export():
    """A file states 100 then 90 BPM at bar 5: the piece holds 90, and the 100 is kept to be written back
    before it. Deleted (or moved) in the app, the change must not come back through the kept one."""
    file = mido.MidiFile(ticks_per_beat=480)
    file.tracks.append(
        mido.MidiTrack(
            [
                mido.MetaMessage("set_tempo", tempo=500000),
                mido.MetaMessage("set_tempo", tempo=600000, time=7680),
                mido.MetaMessage("set_tempo", tempo=666667),
            ]
        )
    )
    file.tracks.append(
        mido.MidiTrack(
            [mido.Message("note_on", note=60, velocity=90), mido.Message("note_off", note=60, time=15360)]
        )
    )
    out = io.BytesIO()
    file.save(file=out)
    piece = midi_from_bytes(out.getvalue())
    assert [(t.tick, round(t.bpm)) for t in piece.tempos] == [(0, 120), (7680, 90)]
    kept = midi_from_bytes(midi_to_bytes(piece))
    assert [(t.tick, round(t.bpm)) for t in kept.tempos] == [(0, 120), (7680, 90)]  # as the file stated
    deleted = midi_from_bytes(midi_to_bytes(piece.with_tempos(piece.tempos[:1])))
    assert [(t.tick, round(t.bpm)) for t in deleted.tempos] == [(0, 120)]
    moved = piece.move_tempo_change(piece.tempos[1].id, 9600)
    assert [(t.tick, round(t.bpm)) for t in midi_from_bytes(midi_to_bytes(moved)).tempos] == [
        (0, 120),
        (9600, 90),
    ]


def _chunk(body: bytes) -> bytes:
    return b"MTrk" + len(body).to_bytes(4, "big") + body


def test_meter_key_and_tempo_events_the_piece_cannot_hold_go_back_out_as_they_were():
    """A meter of two bytes, a key in mode 2, a meter of no beats and a tempo of 0: the piece cannot hold
    them as changes, so it keeps them verbatim, and the export writes them back at their ticks (it used to
    drop them, taking them for the replaced one of two changes stated at one tick)."""
    odd = [
        (480, bytes([0xFF, 0x58, 2, 3, 2])),
        (960, bytes([0xFF, 0x59, 2, 0x00, 0x02])),
        (1440, bytes([0xFF, 0x58, 4, 0, 2, 24, 8])),
        (1920, bytes([0xFF, 0x51, 3, 0, 0, 0])),
    ]
    conductor = bytes([0x00, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20])
    conductor += b"".join(bytes([0x83, 0x60]) + event for _, event in odd)  # 480 ticks apart
    notes = bytes([0, 0x90, 60, 100, 0x8F, 0x00, 0x80, 60, 0])
    header = b"MThd" + (6).to_bytes(4, "big") + (1).to_bytes(2, "big") + (2).to_bytes(2, "big")
    data = header + (480).to_bytes(2, "big") + _chunk(conductor + bytes([0, 0xFF, 0x2F, 0]))
    data += _chunk(notes + bytes([0, 0xFF, 0x2F, 0]))
    piece = midi_from_bytes(data)
    assert [(t.tick, round(t.bpm)) for t in piece.tempos] == [(0, 120)]
    kept = [(tick, event[:2] + event[3:]) for tick, event in odd]  # a kept meta event: type and data
    assert [(e.tick, e.data) for e in piece.extra_events] == kept
    for exported in (midi_to_bytes(piece), through_muse(data)):
        assert [(e.tick, e.data) for e in midi_from_bytes(exported).extra_events] == kept
        assert all(event in exported for _, event in odd)


def test_a_track_of_only_its_name_is_kept_and_names_keep_their_spaces():
    """An empty track a sequencer saved with its name (a part still to be written) opens as an empty track
    of that name, and a name padded with spaces goes back out as written; a name of only spaces names
    nothing (the track is called by its instrument), but it is the file's: it goes back out as written
    too, not as the instrument's name."""
    name = mido.MetaMessage
    data = type1_file(
        [
            [(0, name("track_name", name="Song"))],
            [(0, name("track_name", name="Placeholder"))],
            [
                (0, name("track_name", name="  Lead  ")),
                (0, mido.Message("note_on", note=64)),
                (480, mido.Message("note_off", note=64)),
            ],
            [
                (0, name("track_name", name=" ")),
                (0, mido.Message("note_on", channel=1, note=48)),
                (480, mido.Message("note_off", channel=1, note=48)),
            ],
        ]
    )
    piece = midi_from_bytes(data)
    assert [t.name for t in piece.tracks] == ["Placeholder", "  Lead  ", " "]
    assert [part_name(t) for t in piece.tracks] == ["Placeholder", "  Lead  ", "Acoustic Grand Piano"]
    assert not piece.tracks[0].notes and not piece.tracks[0].controllers
    exported = mido.MidiFile(file=io.BytesIO(through_muse(data)))
    names = [m.name for t in exported.tracks for m in t if m.type == "track_name"]
    assert names == ["Song", "Placeholder", "  Lead  ", " "]
    assert not [m for m in exported.tracks[1] if not m.is_meta]  # the empty track sets no sound
    assert_kept(events(data), events(midi_to_bytes(piece)))


def test_a_part_without_notes_sends_its_own_set_up_once_and_states_nothing_more():
    """A karaoke file's words track that sets MIDI's defaults itself, and a set-up part holding a reverb
    send: each goes back out with the channel events it had, once, and nothing added before them."""
    M, name = mido.Message, mido.MetaMessage
    data = type1_file(
        [
            [(0, name("track_name", name="Song"))],
            [
                (0, name("track_name", name="Words")),
                (0, name("lyrics", text="la")),
                (0, M("control_change", control=VOLUME, value=100)),
                (0, M("program_change", program=0)),
            ],
            [(0, name("track_name", name="Reverb")), (0, M("control_change", control=91, value=40))],
            [
                (0, name("track_name", name="Lead")),
                (0, M("note_on", channel=1, note=64)),
                (480, M("note_off", channel=1, note=64)),
            ],
        ]
    )
    for exported in (midi_to_bytes(midi_from_bytes(data)), through_muse(data)):
        tracks = mido.MidiFile(file=io.BytesIO(exported)).tracks
        sent = [[m.bytes() for m in t if not m.is_meta] for t in tracks[1:3]]
        assert sent == [[[0xB0, 7, 100], [0xC0, 0]], [[0xB0, 91, 40]]]
        assert_kept(events(data), events(exported))


def test_a_latin1_marker_in_another_track_goes_back_out_in_latin1_under_a_plain_conductor():
    """The markers are the piece's, written in the conductor track's encoding. A conductor of plain ASCII
    reads the same in either: so a marker read as Latin-1 from a later track makes it Latin-1, and the
    marker's bytes come back as they were (they came back as UTF-8, which a Latin-1 reader shows as
    "CafÃ©")."""
    M, name = mido.Message, mido.MetaMessage
    data = type1_file(
        [
            [(0, name("track_name", name="Song")), (0, name("set_tempo", tempo=500000))],
            [
                (0, name("track_name", name="Piano")),
                (0, name("marker", text="Café")),
                (0, M("note_on", note=60)),
                (480, M("note_off", note=60)),
            ],
        ],
        charset="latin1",
    )
    assert b"Caf\xe9" in data
    for exported in (midi_to_bytes(midi_from_bytes(data)), through_muse(data)):
        assert b"Caf\xe9" in exported and "Café".encode() not in exported
        assert [m.text for m in midi_from_bytes(exported).markers] == ["Café"]


def test_a_utf8_marker_under_a_latin1_title_goes_back_out_in_utf8():
    """A title in Latin-1 ("Café") and, in the part's track, a marker in UTF-8 ("Refrain é"): the marker
    went out in the title's Latin-1 without a word. Each goes back out in its own bytes (the marker in a
    track of its own, as one track holds one encoding), and reads back as it was, through a .muse too."""
    M, name = mido.Message, mido.MetaMessage
    refrain = "Refrain é".encode()
    data = type1_file(
        [
            [(0, name("track_name", name="Café")), (0, name("set_tempo", tempo=500000))],
            [
                (0, name("track_name", name="Piano")),
                (960, name("marker", text=refrain.decode("latin-1"))),
                (0, M("note_on", note=60)),
                (1920, M("note_off", note=60)),
            ],
        ]
    )
    piece = midi_from_bytes(data)
    assert (piece.metadata["title"], [m.text for m in piece.markers]) == ("Café", ["Refrain é"])
    for exported in (midi_to_bytes(piece), through_muse(data)):
        assert b"Caf\xe9" in exported and refrain in exported and b"Refrain \xe9" not in exported
        back = midi_from_bytes(exported)
        assert (back.metadata, back.markers, back.text_encoding) == (
            piece.metadata,
            piece.markers,
            piece.text_encoding,
        )
        assert [t.name for t in back.tracks] == ["Piano"] and midi_to_bytes(back) == exported
        assert_kept(events(data), events(exported))


@pytest.mark.parametrize("in_conductor", [True, False], ids=["beside the title", "beside a part's name"])
def test_a_utf8_marker_in_the_track_of_a_latin1_title_reads_as_written(in_conductor):
    """A marker in UTF-8 ("Refrain é") in the very track whose name is in Latin-1 ("Café"): the whole track
    was read as Latin-1, so the marker showed as "Refrain Ã©" (its bytes came back, its text did not). Each
    marker is read by its own bytes; it goes back out in them and reads back as it was, through a .muse
    too."""
    M, name = mido.Message, mido.MetaMessage
    refrain = "Refrain é".encode()
    words = [(0, name("track_name", name="Café")), (960, name("marker", text=refrain.decode("latin-1")))]
    notes = [(0, M("note_on", note=60)), (1920, M("note_off", note=60))]
    data = type1_file([words, notes] if in_conductor else [[], words + notes])
    assert b"Caf\xe9" in data and refrain in data
    piece = midi_from_bytes(data)
    assert [m.text for m in piece.markers] == ["Refrain é"]
    for exported in (midi_to_bytes(piece), through_muse(data)):
        assert b"Caf\xe9" in exported and refrain in exported and b"Refrain \xe9" not in exported
        assert [m.text for m in midi_from_bytes(exported).markers] == ["Refrain é"]
        assert_kept(events(data), events(exported))


def _released_elsewhere() -> bytes:
    """Channel 1: C struck in track 1 and released in track 2 at beat 1 (velocity 40); E struck at beat 4
    in track 1, released in track 2 at beat 8, after track 1 ends; a note-off in track 2 with nothing
    sounding; and D struck and released in track 1 while track 2 releases a D at beat 1 too."""
    M = mido.Message
    first = [
        (0, M("note_on", note=60, velocity=90)),
        (0, M("note_on", note=62, velocity=80)),
        (960, M("note_off", note=62)),
        (1920, M("note_on", note=64, velocity=90)),
        (2400, M("control_change", control=10, value=30)),
    ]
    second = [
        (480, M("note_off", note=60, velocity=40)),
        (480, M("note_off", note=62)),
        (480, M("note_off", note=67)),
        (3840, M("note_off", note=64)),
    ]
    return type1_file([[], first, second])


def test_a_note_off_in_another_track_on_the_channel_releases_the_note():
    """A player merges the tracks: a note-off in another track on the channel releases the note sounding
    there (the earliest struck), even after its own track ends. Read track by track, C rang for 5 beats and
    E stopped at track 1's end: a held note the file does not hold."""
    data = _released_elsewhere()
    first, second = midi_from_bytes(data).tracks
    assert [(n.pitch, n.start, n.end, n.release) for n in first.notes] == [
        (60, 0, 480, 40),
        (62, 0, 480, 64),  # track 2's D releases it at beat 1; its own note-off at beat 2 finds none
        (64, 1920, 3840, 64),
    ]
    assert second.notes == ()
    exported = through_muse(data)
    assert_kept(events(data), events(exported))
    assert through_muse(exported) == exported


def test_a_set_up_part_that_states_midi_defaults_keeps_its_other_controllers():
    """A part without notes sending volume 100 (MIDI's default) and a reverb send at the start: reading it
    kept the volume and dropped the reverb send, so the export lost it without a word."""
    M = mido.Message
    reverb = [
        (0, M("control_change", control=VOLUME, value=100)),
        (0, M("control_change", control=91, value=40)),
        (960, M("control_change", control=10, value=20)),
    ]
    lead = [(0, M("note_on", channel=1, note=64)), (480, M("note_off", channel=1, note=64))]
    data = type1_file([[], reverb, lead])
    (setup, _) = midi_from_bytes(data).tracks
    assert [(e.tick, e.lane, e.value) for e in setup.controllers] == [(0, 7, 100), (0, 91, 40), (960, 10, 20)]
    assert_kept(events(data), events(through_muse(data)))


GS_RESET = [0x41, 0x10, 0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41]
GS_PART_1_LEVEL_40 = [0x41, 0x10, 0x42, 0x12, 0x40, 0x11, 0x19, 0x28, 0x06]
GM_ON = [0x7E, 0x7F, 0x09, 0x01]


def _sent(data: bytes) -> list:
    """The channel messages and SysEx of a file in the order a player merging its tracks sends them."""
    return [m for m in mido.merge_tracks(mido.MidiFile(file=io.BytesIO(data)).tracks) if not m.is_meta]


@pytest.mark.parametrize("tick", [0, 960], ids=["at the start", "in bar 1"])
def test_a_controller_sent_before_a_sysex_at_one_tick_stays_before_it(tick):
    """A pan and a pedal sent before a GS reset (which undoes them), a volume after it: the export sent the
    reset first, so the pan and pedal it had undone were heard."""
    M = mido.Message
    part = [
        (0, M("program_change", program=5)),
        (0, M("control_change", control=VOLUME, value=90)),
        (0, M("note_on", note=60, velocity=90)),
        (480, M("note_off", note=60)),
        (tick, M("control_change", control=10, value=20)),
        (tick, M("control_change", control=SUSTAIN, value=127)),
        (tick, M("sysex", data=GS_RESET)),
        (tick, M("control_change", control=11, value=70)),
        (tick + 480, M("note_on", note=62, velocity=90)),
        (tick + 960, M("note_off", note=62)),
    ]
    data = type1_file([[], part])
    exported = through_muse(data)
    types = [(m.type, getattr(m, "control", None)) for m in _sent(exported)]
    pan, pedal, reset = (
        types.index(("control_change", 10)),
        types.index(("control_change", SUSTAIN)),
        types.index(("sysex", None)),
    )
    assert pan < reset and pedal < reset < types.index(("control_change", 11))
    assert through_muse(exported) == exported


def _at(data: bytes, tick: int) -> list:
    """The channel messages and SysEx a player merging a file's tracks sends at ``tick``, in order."""
    out, now = [], 0
    for m in mido.merge_tracks(mido.MidiFile(file=io.BytesIO(data)).tracks):
        now += m.time
        if now == tick and not m.is_meta:
            out.append(m)
    return out


@pytest.mark.parametrize("tick", [0, 960], ids=["at the start", "in bar 1"])
def test_a_sysex_among_a_parts_controllers_in_a_type0_file_stays_among_them(tick):
    """A type-0 file (every part in one track): part 1 sends a pan and a pedal, then a GS reset (which
    undoes them), then expression, and part 2 a volume after it. The reset was the song's and went out
    before every controller at its tick, so the pan and pedal it had undone were heard. It goes out after
    them and before what followed it, through a .muse too, and the export reads back to itself."""
    M = mido.Message
    data = type0_file(
        [
            (0, M("program_change", program=5)),
            (tick, M("control_change", control=10, value=20)),
            (tick, M("control_change", control=SUSTAIN, value=127)),
            (tick, M("sysex", data=GS_RESET)),
            (tick, M("control_change", control=11, value=70)),
            (tick, M("control_change", channel=1, control=VOLUME, value=80)),
            (tick, M("program_change", channel=1, program=33)),
            (tick + 480, M("note_on", note=62, velocity=90)),
            (tick + 480, M("note_on", channel=1, note=40, velocity=90)),
            (tick + 960, M("note_off", note=62)),
            (tick + 960, M("note_off", channel=1, note=40)),
        ]
    )
    for exported in (midi_to_bytes(midi_from_bytes(data)), through_muse(data)):
        sent = [
            (m.type, getattr(m, "channel", None), getattr(m, "control", None)) for m in _at(exported, tick)
        ]
        reset = sent.index(("sysex", None, None))
        before = {("control_change", 0, 10), ("control_change", 0, SUSTAIN)}
        after = {("control_change", 0, 11), ("control_change", 1, VOLUME)}
        assert all(sent.index(m) < reset for m in before) and all(sent.index(m) > reset for m in after)
        assert_kept(events(data), events(exported))
        assert through_muse(exported) == exported


#: GS "use for rhythm part" (40 1p 15): part 11 (block A) plays drum map 2; XG "part mode" (08 pp 07):
#: part 11 (pp 0A) plays a drum set; GS "rx. channel" (40 1p 02): part 10 (block 0), the drums, receives
#: channel 11.
GS_PART_11_RHYTHM = [0x41, 0x10, 0x42, 0x12, 0x40, 0x1A, 0x15, 0x02, 0x0F]
XG_PART_11_DRUMS = [0x43, 0x10, 0x4C, 0x08, 0x0A, 0x07, 0x01]
GS_DRUMS_ON_11 = [0x41, 0x10, 0x42, 0x12, 0x40, 0x10, 0x02, 0x0A, 0x24]


@pytest.mark.parametrize(
    "sysex, in_conductor",
    [
        (GS_PART_11_RHYTHM, True),
        (GS_PART_11_RHYTHM, False),
        (XG_PART_11_DRUMS, True),
        (GS_DRUMS_ON_11, True),
    ],
    ids=["GS rhythm part", "GS rhythm part in the kit's track", "XG drum part", "GS drums received on 11"],
)
def test_a_channel_a_sysex_makes_a_drum_part_opens_as_drums_and_goes_back_out_as_it_was(sysex, in_conductor):
    """A second drum kit on channel 11, which a GS or XG SysEx at the start makes a drum part: it opened as
    a piano, so the app played its kick and snare as low notes of a scale. It opens as a drum track (named
    "Drums"), and the export keeps it on channel 11 beside the SysEx, saying nothing: the file comes back
    as it was, through a .muse too."""
    M = mido.Message
    setup = [(0, M("sysex", data=GS_RESET)), (0, M("sysex", data=sysex))]
    kit = [
        (480, M("note_on", channel=10, note=36, velocity=100)),
        (720, M("note_off", channel=10, note=36)),
        (960, M("note_on", channel=10, note=38, velocity=100)),
        (1200, M("note_off", channel=10, note=38)),
    ]
    piano = [(0, M("note_on", note=60, velocity=90)), (960, M("note_off", note=60))]
    data = type1_file([setup, kit, piano] if in_conductor else [[], setup + kit, piano])
    piece = midi_from_bytes(data)
    assert [(part_name(t), t.name_event, t.channel, t.is_drum) for t in piece.tracks] == [
        ("Drums", False, 10, True),
        ("Acoustic Grand Piano", False, 0, False),
    ]
    assert midi_export_changes(piece) == []
    for exported in (midi_to_bytes(piece), through_muse(data)):
        assert {m.channel for m in _sent(exported) if not m.type == "sysex"} == {0, 10}
        assert [t.is_drum for t in midi_from_bytes(exported).tracks] == [True, False]
        assert_kept(events(data), events(exported))
        assert through_muse(exported) == exported


def test_a_part_a_sysex_makes_drums_only_after_its_notes_start_opens_as_drums_from_then():
    """A GS rhythm-part message after the part's first note does not make it a drum track (it played its
    first notes pitched), nor does one a GS reset undoes before the notes start; nor does a channel a
    rhythm part was moved off (its part receives another) stay a drum channel."""
    M = mido.Message
    kit = [(480, M("note_on", channel=10, note=36, velocity=100)), (720, M("note_off", channel=10, note=36))]
    drums = [(0, M("note_on", channel=9, note=36, velocity=100)), (240, M("note_off", channel=9, note=36))]
    late = [(960, M("sysex", data=GS_PART_11_RHYTHM))]
    undone = [(0, M("sysex", data=GS_PART_11_RHYTHM)), (240, M("sysex", data=GS_RESET))]
    moved = [(0, M("sysex", data=GS_DRUMS_ON_11))]
    for setup, drum_channels in ((late, {9}), (undone, {9}), (moved, {10})):
        piece = midi_from_bytes(type1_file([setup, kit, drums]))
        assert {t.channel for t in piece.tracks if t.is_drum} == drum_channels


def _gs_level_heard(data: bytes, channel: int = 0) -> int:
    """The level a GS synth plays ``channel``'s first note at: CC 7 and GS part levels (part 1 is channel
    1) in the order a player merging the tracks sends them, a GS reset (or GM System On) setting every part
    back to 100."""
    level = 100
    for m in _sent(data):
        if m.type == "sysex" and (list(m.data[4:7]) == [0x40, 0x00, 0x7F] or list(m.data) == GM_ON):
            level = 100
        elif m.type == "sysex" and m.data[4] == 0x40 and m.data[5] == 0x11 + channel and m.data[6] == 0x19:
            level = m.data[7]
        elif m.type == "control_change" and m.channel == channel and m.control == VOLUME:
            level = m.value
        elif m.type == "note_on" and m.channel == channel:
            return level
    raise AssertionError("no note")


@pytest.mark.parametrize("in_conductor", [True, False], ids=["conductor", "part"])
def test_a_part_level_set_by_sysex_at_the_start_is_what_the_export_plays(in_conductor):
    """A GS reset and a part level (40) sent by SysEx at the start, and no volume (CC 7): the export sent
    CC 7 = 100 after them, and a GS synth played the part at full level. The level is read as the track's
    volume (what the app plays and the mixer shows); changed in the app, the export states the new one."""
    sysex = [(0, mido.Message("sysex", data=d)) for d in (GS_RESET, GS_PART_1_LEVEL_40)]
    notes = [(0, mido.Message("note_on", note=60, velocity=90)), (480, mido.Message("note_off", note=60))]
    data = type1_file([sysex, notes] if in_conductor else [[], sysex + notes])
    assert _gs_level_heard(data) == 40
    (track,) = midi_from_bytes(data).tracks
    assert track.volume == 40
    assert _gs_level_heard(through_muse(data)) == 40
    louder = Project(tracks=(track.with_(volume=90),))
    assert _gs_level_heard(midi_to_bytes(louder)) == 90


#: GS "rx. channel" (40 1p 02): part 1 receives channel 3, part 3 channel 1 (the two swapped); XG "receive
#: channel" (08 pp 04) and part volume (08 pp 0B): part 1 receives channel 3 and plays at 40.
GS_PART_1_ON_3 = [0x41, 0x10, 0x42, 0x12, 0x40, 0x11, 0x02, 0x02, 0x2B]
GS_PART_3_ON_1 = [0x41, 0x10, 0x42, 0x12, 0x40, 0x13, 0x02, 0x00, 0x2B]
XG_PART_1_ON_3 = [0x43, 0x10, 0x4C, 0x08, 0x00, 0x04, 0x02]
XG_PART_3_ON_1 = [0x43, 0x10, 0x4C, 0x08, 0x02, 0x04, 0x00]
XG_PART_1_VOLUME_40 = [0x43, 0x10, 0x4C, 0x08, 0x00, 0x0B, 0x28]


@pytest.mark.parametrize(
    "setup, volumes",
    [
        ([GS_RESET, GS_PART_1_ON_3, GS_PART_3_ON_1, GS_PART_1_LEVEL_40], {1: 100, 3: 40}),
        ([GS_PART_1_LEVEL_40, GS_PART_1_ON_3, GS_PART_3_ON_1], {1: 100, 3: 40}),
        ([XG_PART_1_ON_3, XG_PART_3_ON_1, XG_PART_1_VOLUME_40], {1: 100, 3: 40}),
        ([GS_PART_1_ON_3, GS_PART_3_ON_1, GS_RESET, GS_PART_1_LEVEL_40], {1: 40, 3: 100}),  # reset: back
        ([GS_PART_1_ON_3, GS_PART_1_LEVEL_40], {1: 100, 3: 100}),  # parts 1 and 3 both on 3: no one level
    ],
    ids=["GS", "GS level first", "XG", "GS reset after the move", "GS layered"],
)
def test_a_part_level_goes_to_the_track_on_the_channel_the_part_receives(setup, volumes):
    """Part 1 moved by SysEx to receive channel 3 (and part 3 to channel 1), then given a level of 40: the
    level was read as channel 1's, so the track there opened (and went out) at 40 and the one on channel 3,
    which the synth plays at 40, at full level. The level goes to the track on channel 3."""
    M = mido.Message
    sysex = [(0, M("sysex", data=d)) for d in setup]
    parts = [
        [(0, M("note_on", channel=c, note=60, velocity=90)), (480, M("note_off", channel=c, note=60))]
        for c in (0, 2)
    ]
    data = type1_file([sysex, *parts])
    piece = midi_from_bytes(data)
    assert {t.channel + 1: t.volume for t in piece.tracks} == volumes
    assert {t.channel + 1: t.volume for t in midi_from_bytes(through_muse(data)).tracks} == volumes


@pytest.mark.parametrize(
    "order, heard",
    [
        (["level", "reset"], 100),  # the reset puts the part back to 100
        (["cc7", "level"], 40),  # the SysEx after the file's own volume is what plays
        (["level", "cc7"], 70),
    ],
)
def test_the_level_a_part_plays_at_the_start_is_kept_whatever_sets_it_last(order, heard):
    M = mido.Message
    events_of = {
        "level": M("sysex", data=GS_PART_1_LEVEL_40),
        "reset": M("sysex", data=GS_RESET),
        "cc7": M("control_change", control=VOLUME, value=70),
    }
    notes = [(0, M("note_on", note=60, velocity=90)), (480, M("note_off", note=60))]
    data = type1_file([[], [(0, events_of[name]) for name in order] + notes])
    assert _gs_level_heard(data) == heard
    assert _gs_level_heard(through_muse(data)) == heard


@pytest.mark.parametrize(
    "order, heard",
    [
        (["program", "reset", "cc7"], 70),
        (["program", "gm on", "cc7"], 70),
        (["program", "reset", "cc7", "level"], 40),
        (["cc7", "program", "reset"], 100),  # the file's own volume, undone by its reset: kept so
    ],
)
def test_a_volume_sent_after_a_reset_at_the_start_stays_after_it(order, heard):
    """A part sending its program, then a GS reset (or GM System On), then its volume: the export sent the
    volume first and the reset after the program, so a synth reset the part to full level. The tick's
    events go out in the file's order, through a .muse too, and the export reads back to itself."""
    M = mido.Message
    events_of = {
        "program": M("program_change", program=5),
        "reset": M("sysex", data=GS_RESET),
        "gm on": M("sysex", data=GM_ON),
        "level": M("sysex", data=GS_PART_1_LEVEL_40),
        "cc7": M("control_change", control=VOLUME, value=70),
    }
    notes = [(0, M("note_on", note=60, velocity=90)), (480, M("note_off", note=60))]
    data = type1_file([[], [(0, events_of[name]) for name in order] + notes])
    assert _gs_level_heard(data) == heard
    for exported in (midi_to_bytes(midi_from_bytes(data)), through_muse(data)):
        assert [m for m in _at(exported, 0) if m.type != "note_on"] == [events_of[name] for name in order]
        assert _gs_level_heard(exported) == heard
        assert through_muse(exported) == exported


def _sound_heard(data: bytes, channel: int = 0) -> tuple[int, int]:
    """The bank (MSB) and program a GS synth plays ``channel``'s first note with, from what a player merging
    the tracks sends: a bank select waits for the next program change; a GS reset (or GM System On) sets
    every part back to bank 0, program 0 (a piano)."""
    bank = chosen = program = 0
    for m in _sent(data):
        if m.type == "sysex" and (list(m.data[4:7]) == [0x40, 0x00, 0x7F] or list(m.data) == GM_ON):
            bank = chosen = program = 0
        elif getattr(m, "channel", None) != channel:
            continue
        elif m.type == "control_change" and m.control == 0:
            chosen = m.value
        elif m.type == "program_change":
            bank, program = chosen, m.program
        elif m.type == "note_on":
            return bank, program
    raise AssertionError("no note")


@pytest.mark.parametrize("type0", [False, True], ids=["type 1", "type 0"])
@pytest.mark.parametrize(
    "order, heard",
    [
        (["pan", "reset", "cc7", "program"], (0, 48)),
        (["pan", "gm on", "cc7", "bank", "program"], (8, 48)),
        (["bank", "pan", "reset", "cc7", "program"], (0, 48)),  # the bank before the reset is undone by it
    ],
)
def test_a_program_sent_after_a_reset_at_the_start_stays_after_it(order, heard, type0):
    """A part sending its pan, then a GS reset (or GM System On), then its volume and program: the export
    sent the program (and its bank) first, before the pan, so the reset put the part back on a piano. The
    tick's events go out in the file's order, through a .muse too, and the export reads back to itself."""
    M = mido.Message
    events_of = {
        "pan": M("control_change", control=10, value=30),
        "reset": M("sysex", data=GS_RESET),
        "gm on": M("sysex", data=GM_ON),
        "bank": M("control_change", control=0, value=8),
        "program": M("program_change", program=48),
        "cc7": M("control_change", control=VOLUME, value=70),
    }
    part = [(0, events_of[name]) for name in order]
    notes = [(0, M("note_on", note=60, velocity=90)), (480, M("note_off", note=60))]
    data = type0_file(part + notes) if type0 else type1_file([[], part + notes])
    assert _sound_heard(data) == heard
    for exported in (midi_to_bytes(midi_from_bytes(data)), through_muse(data)):
        assert [m for m in _at(exported, 0) if m.type != "note_on"] == [events_of[name] for name in order]
        assert _sound_heard(exported) == heard
        assert through_muse(exported) == exported


@pytest.mark.parametrize(
    "start, bar_1",
    [
        (["pan", "reset", "cc7", "program"], [(960, "level")]),
        (["pan", "reset", "cc7", "program"], [(960, "cc7 80"), (1200, "level")]),
        (["pan", "reset", "cc7", "program"], [(480, "level"), (960, "cc7 80")]),
        (["pan", "reset", "cc7", "program"], [(480, "level"), (960, "program 48")]),
        (["program", "pan", "reset", "cc7"], [(960, "program 48")]),
    ],
    ids=["a level", "a volume, then a level", "a level, then a volume", "a level, a program", "a program"],
)
def test_deleting_bar_1_keeps_what_it_set_after_the_reset_at_the_start(start, bar_1):
    """A part sends a GS reset among its settings at the start, and bar 1 (no notes) sets a part level, a
    volume or a program. Delete Bars of bar 1 moved them to the start, but the part level went out before
    the reset and the volume or program too (``Track.volume_after`` and ``sound_before_lanes`` were not
    read again): the reset undid them, and bar 2 played at full level or on a piano. It plays as it did."""
    M = mido.Message
    events_of = {
        "pan": M("control_change", control=10, value=30),
        "reset": M("sysex", data=GS_RESET),
        "level": M("sysex", data=GS_PART_1_LEVEL_40),
        "program": M("program_change", program=5),
        "program 48": M("program_change", program=48),
        "cc7": M("control_change", control=VOLUME, value=90),
        "cc7 80": M("control_change", control=VOLUME, value=80),
    }
    part = [(0, events_of[name]) for name in start] + [(tick, events_of[name]) for tick, name in bar_1]
    notes = [(1920, M("note_on", note=60, velocity=90)), (2400, M("note_off", note=60))]
    data = type1_file([[], part + notes])
    played = (_gs_level_heard(data), _sound_heard(data))
    cut = delete_bars(midi_from_bytes(data), 0, 1920)
    exported = midi_to_bytes(cut)
    assert (_gs_level_heard(exported), _sound_heard(exported)) == played
    assert project_from_bytes(project_to_bytes(cut)) == cut
    assert midi_to_bytes(project_from_bytes(project_to_bytes(cut))) == exported


@pytest.mark.parametrize("offs_first", [True, False], ids=["released then pedal", "pedal then released"])
def test_note_offs_and_the_pedal_at_one_tick_go_out_in_the_files_order(offs_first):
    """A chord let go at bar 2 as the pedal goes down: sent note-offs first, the pedal catches only the next
    chord; the export sent the pedal first, so the released chord rang on under it. A file that sends the
    pedal first (the chord caught) keeps that order too."""
    M = mido.Message
    pedal_at_bar_2 = [(1920, M("control_change", control=SUSTAIN, value=127))]
    releases = [(1920, M("note_off", note=p)) for p in (60, 64, 67)]
    part = [
        *[(0, M("note_on", note=p, velocity=90)) for p in (60, 64, 67)],
        *(releases + pedal_at_bar_2 if offs_first else pedal_at_bar_2 + releases),
        (1920, M("note_on", note=65, velocity=90)),
        (3840, M("note_off", note=65)),
    ]
    data = type1_file([[], part])
    for exported in (midi_to_bytes(midi_from_bytes(data)), through_muse(data)):
        sent = [
            m.type for m in _sent(exported) if m.type == "note_off" or getattr(m, "control", 0) == SUSTAIN
        ]
        pedal = ["control_change"]
        assert sent[:4] == (["note_off"] * 3 + pedal if offs_first else pedal + ["note_off"] * 3)
        assert through_muse(exported) == exported


def _timed(data: bytes) -> list[tuple[int, str]]:
    """(tick, hex) of each channel message and SysEx of a file's last track, in order."""
    out, tick = [], 0
    for msg in mido.MidiFile(file=io.BytesIO(data)).tracks[-1]:
        tick += msg.time
        if not msg.is_meta:
            out.append((tick, msg.hex()))
    return out


#: What the export states at tick 0 for a piano at full volume: a file that states it too comes back whole.
_PIANO_SET_UP = [
    (0, mido.Message("control_change", control=VOLUME, value=100)),
    (0, mido.Message("program_change")),
]


@pytest.mark.parametrize("after", [True, False], ids=["pedal after the chord", "pedal before the chord"])
def test_a_sostenuto_on_a_chords_tick_comes_back_on_its_side_of_the_chord(after):
    """The sostenuto pedal pressed on the tick of a chord, after its note-ons, holds the chord (the melody
    over it is let go); pressed before them it does not. The export sent the pedal before the chord
    whatever the file said, so the held chord was lost in every player. Either way the file comes back
    event for event, through a .muse too, and the app reads the pedal as holding what it held."""
    M = mido.Message
    chord = [(480, M("note_on", note=p, velocity=90)) for p in (48, 55, 64)]
    pedal = [(480, M("control_change", control=66, value=127))]
    part = [
        *_PIANO_SET_UP,
        *(chord + pedal if after else pedal + chord),
        *[(960, M("note_off", note=p)) for p in (48, 55, 64)],
        (960, M("note_on", note=72, velocity=90)),
        (1440, M("note_off", note=72)),
        (2400, M("control_change", control=66, value=0)),
    ]
    data = type1_file([[], part])
    (piano,) = midi_from_bytes(data).tracks
    assert [e.after_strikes for e in piano.lane(66)] == [after, False]
    assert piano.pedal_held() == (((960, 2400),) if after else ())
    for exported in (midi_to_bytes(midi_from_bytes(data)), through_muse(data)):
        assert _timed(exported) == _timed(data)


def test_a_program_change_after_a_note_on_at_its_tick_leaves_that_note_its_old_sound():
    """A note struck, then a program change at its tick: the note is still a piano, the next one a violin.
    The export sent the change first, so the first note played a violin too; and at the start such a
    change was read as the track's program, so the app played it so. The file comes back event for event
    and every note plays the instrument it played in the file."""
    M = mido.Message
    for start in (0, 480):
        part = [
            *_PIANO_SET_UP,
            (start, M("note_on", note=60, velocity=90)),
            (start, M("program_change", program=40)),
            (start + 480, M("note_off", note=60)),
            (start + 480, M("note_on", note=62, velocity=90)),
            (start + 960, M("note_off", note=62)),
        ]
        data = type1_file([[], part])
        (track,) = midi_from_bytes(data).tracks
        assert track.program == 0 and [(e.value, e.after_strikes) for e in track.lane(PROGRAM)] == [
            (40, True)
        ]
        exported = midi_to_bytes(midi_from_bytes(data))
        assert _timed(exported) == _timed(data)
        assert_kept(events(data), events(exported))


_ORDER_TICKS = (480, 960, 1440, 1920)
_LANE_MESSAGES = st.one_of(
    st.tuples(st.just("control_change"), st.sampled_from([1, 10, 64, 65, 66, 67, 84]), st.integers(0, 127)),
    st.tuples(st.just("program_change"), st.integers(0, 127), st.none()),
    st.tuples(st.just("pitchwheel"), st.integers(-8192, 8191), st.none()),
)
_LANE_FIELDS = {
    "control_change": ("control", "value"),
    "program_change": ("program",),
    "pitchwheel": ("pitch",),
}


@st.composite
def _chords_with_controls_on_their_ticks(draw) -> bytes:
    """A part on any channel (set up as the export states it), at each of a few ticks: controllers, the
    note-offs of the chord before where it is let go there (legato), more controllers, a chord (its
    note-ons rising, as the export writes them), more controllers; any of these lists empty. A chord not
    let go at the next tick is let go half-way there. At tick 0, after the set-up, a chord (never empty)
    and the controllers after it (those before it are the part's set-up, sent in an order of its own)."""
    channel = draw(st.integers(0, 15))

    def lanes() -> list[mido.Message]:
        drawn = draw(st.lists(_LANE_MESSAGES, max_size=3))
        return [
            M(k, channel=channel, **dict(zip(_LANE_FIELDS[k], (a, b), strict=False))) for k, a, b in drawn
        ]

    def let_go(tick: int, pitches: list[int]) -> list[tuple[int, mido.Message]]:
        return [(tick, M("note_off", channel=channel, note=p)) for p in pitches]

    M = mido.Message
    part = [(0, msg.copy(channel=channel)) for _, msg in _PIANO_SET_UP]
    held: list[int] = []
    for tick in (0, *_ORDER_TICKS):
        part += [(tick, msg) for msg in (lanes() if tick else [])]
        part += let_go(tick, held)
        part += [(tick, msg) for msg in (lanes() if tick else [])]
        pitches = sorted(draw(st.sets(st.integers(40, 80), min_size=0 if tick else 1, max_size=3)))
        part += [(tick, M("note_on", channel=channel, note=p, velocity=90)) for p in pitches]
        part += [(tick, msg) for msg in lanes()]
        legato = draw(st.booleans())
        held = pitches if legato else []
        part += [] if legato else let_go(tick + 240, pitches)
    part += let_go(_ORDER_TICKS[-1] + 480, held)
    return type1_file([[], part])


@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_chords_with_controls_on_their_ticks())
def test_controllers_on_either_side_of_a_chord_come_back_on_their_side(data):
    """Pedals, programs, bends and other lanes sent before or after the note-offs and the note-ons of their
    tick go back out on the side they came on, through a .muse too (the export sent them all before the
    chord, and on the side of the note-offs the part's other ticks mostly had)."""
    assert _timed(midi_to_bytes(midi_from_bytes(data))) == _timed(data)
    assert _timed(through_muse(data)) == _timed(data)


def _legato_with_the_pedal(off_first: set[int]) -> bytes:
    """A legato line, the sustain pedal going up and down at each change of note: at the ticks in
    ``off_first`` the part lets the old note go before the pedal moves, at the others after."""
    M = mido.Message
    part = [*_PIANO_SET_UP, (0, M("note_on", note=60, velocity=90))]
    for k, tick in enumerate((480, 960, 1440, 1920)):
        off = [(tick, M("note_off", note=60 + k))]
        pedal = [(tick, M("control_change", control=SUSTAIN, value=127 if k % 2 == 0 else 0))]
        part += off + pedal if tick in off_first else pedal + off
        part += [(tick, M("note_on", note=61 + k, velocity=90))] if tick < 1920 else []
    return type1_file([[], part])


@pytest.mark.parametrize("off_first", [{480}, {960, 1440, 1920}], ids=["one tick", "all but one"])
def test_a_part_keeps_the_note_offs_and_the_pedal_of_each_tick_in_the_files_order(off_first):
    """A part presses the sustain pedal as it lets a note go: after the note-off at bar 1 beat 2 (the note
    is not held), before it at beat 4 (the note rings on under the pedal). The order was one vote for the
    whole part, so the tick that went the other way came back flipped: a note held that was let go, or the
    other way round. Each tick keeps its own order, through a .muse too, and the app hears what it holds."""
    data = _legato_with_the_pedal(off_first)
    for exported in (midi_to_bytes(midi_from_bytes(data)), through_muse(data)):
        assert _timed(exported) == _timed(data)
    (part,) = midi_from_bytes(data).tracks
    assert [e.after_releases for e in part.controllers] == [t in off_first for t in (480, 960, 1440, 1920)]
    assert part.pedal_held() == tuple((t, t + 480) for t in (480, 1440) if t not in off_first)


def _programs_heard(data: bytes) -> list[tuple[int, int, int]]:
    """(tick, pitch, program) of each note struck, the program in force on its channel as a player merging
    the tracks meets them: by tick, then track by track, each in its own order (a program change after a
    note-on at its tick is not that note's)."""
    timed = []
    for number, track in enumerate(mido.MidiFile(file=io.BytesIO(data)).tracks):
        tick = 0
        for place, msg in enumerate(track):
            tick += msg.time
            timed.append((tick, number, place, msg))
    program, out = {}, []
    for tick, _, _, msg in sorted(timed, key=lambda e: e[:3]):
        if msg.type == "program_change":
            program[msg.channel] = msg.program
        elif msg.type == "note_on" and msg.velocity:
            out.append((tick, msg.note, program.get(msg.channel, 0)))
    return out


def test_a_program_a_part_sends_after_its_first_note_on_a_shared_channel_is_not_that_notes():
    """Two parts on channel 1, neither setting a program at the start: the first strikes a note at beat 2,
    then a violin at its tick (the note is a piano, the next one a violin), the second plays in bar 2 (a
    violin). The first part was given the violin as its program, stated at the start: its first note, in
    the app and the export, was a violin."""
    M = mido.Message
    first = [
        (480, M("note_on", note=60, velocity=90)),
        (480, M("program_change", program=40)),
        (960, M("note_off", note=60)),
        (960, M("note_on", note=62, velocity=90)),
        (1440, M("note_off", note=62)),
    ]
    second = [(1920, M("note_on", note=67, velocity=90)), (2400, M("note_off", note=67))]
    data = type1_file([[], first, second])
    assert _programs_heard(data) == [(480, 60, 0), (960, 62, 40), (1920, 67, 40)]
    piece = midi_from_bytes(data)
    for exported in (midi_to_bytes(piece), through_muse(data)):
        assert _programs_heard(exported) == _programs_heard(data)
    assert piece.tracks[0].program == 0


def test_controllers_sent_after_the_first_chord_at_tick_0_come_back_in_their_order():
    """A part's first chord at tick 0, then the sostenuto holding it and a program change for the next
    note: the export sent the program first, as it sends a part's set-up (its bank selects and programs
    before its other lanes), though neither is set-up: both come after the chord, in the file's order."""
    M = mido.Message
    part = [
        *_PIANO_SET_UP,
        (0, M("note_on", note=60, velocity=90)),
        (0, M("control_change", control=66, value=127)),
        (0, M("program_change", program=40)),
        (480, M("note_off", note=60)),
    ]
    data = type1_file([[], part])
    for exported in (midi_to_bytes(midi_from_bytes(data)), through_muse(data)):
        assert _timed(exported) == _timed(data)
