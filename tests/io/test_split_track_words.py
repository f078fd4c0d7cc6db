"""A type-1 file track whose notes use several channels becomes one part per channel. Its words are all
kept and written back, each at its tick; its lyrics go with the part whose notes they are sung on, and
its other words (name, copyright, instrument name, text, cue points, SysEx) with its first part, and its
MIDI port with every part. The files are built and read back with mido, not our writer or reader."""

from __future__ import annotations

import io
from collections import Counter

import mido
import pytest
from midi_events import assert_kept, events, type0_file, type1_file
from mido import Message as M
from mido import MetaMessage as MM

from musestudio.io.midi import midi_from_bytes, midi_to_bytes
from musestudio.io.project_file import project_from_bytes, project_to_bytes

BAR = 1920
GM_ON = [0x7E, 0x7F, 0x09, 0x01]
#: What an export may add: a name for each part, and MIDI's default tempo and meter stated.
UNSAID = ("track_name", "end_of_track", "set_tempo", "time_signature")


def file_of(*tracks: list[tuple[int, object]]) -> bytes:
    """A type-1 file: a conductor track, then one track per list of (tick, message)."""
    return type1_file([[(0, MM("set_tempo", tempo=500000))], *tracks])


def duet(voice_channel: int = 1, accompaniment_channel: int = 0) -> bytes:
    """One track holding a piano (a held chord root each bar) and a voice (a note on each bar's second
    beat, its syllable there): the words of a voice written over its accompaniment. At the first
    syllable's tick a SysEx comes after it and a text after that, so the order there counts."""
    piano, voice = accompaniment_channel, voice_channel
    timed = [
        (0, MM("track_name", name="Duet")),
        (0, MM("copyright", text="(c) 2024 The Composer")),
        (0, MM("instrument_name", name="Piano and voice")),
        (0, M("program_change", channel=piano, program=0)),
        (0, M("program_change", channel=voice, program=52)),
    ]
    for bar in range(4):
        t = bar * BAR
        timed += [
            (t, M("note_on", channel=piano, note=48 + bar, velocity=70)),
            (t + BAR, M("note_off", channel=piano, note=48 + bar)),
            (t + 480, MM("lyrics", text=f"la{bar} ")),
            (t + 480, M("note_on", channel=voice, note=67 + bar, velocity=90)),
            (t + 960, M("note_off", channel=voice, note=67 + bar)),
        ]
    timed[8:8] = [(480, M("sysex", data=GM_ON)), (480, MM("text", text="verse"))]
    timed += [(3000, MM("text", text="breathe")), (4000, MM("cue_marker", text="Choir in"))]
    return file_of(timed)


def words(data: bytes) -> Counter:
    """Every word, other meta event and SysEx of the file with its tick, but those an export may add."""
    out = Counter()
    for track in mido.MidiFile(file=io.BytesIO(data)).tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "sysex" or msg.is_meta and msg.type not in UNSAID:
                out[(tick, bytes(msg.bin()))] += 1
    return out


def through_muse(data: bytes) -> bytes:
    """Import, save as .muse, load that, export as MIDI."""
    return midi_to_bytes(project_from_bytes(project_to_bytes(midi_from_bytes(data, "x.mid"))))


def part_words(track) -> tuple[list, list]:
    return [(t.tick, t.kind, t.text) for t in track.texts], [(e.tick, e.data) for e in track.extra_events]


def test_a_split_tracks_lyrics_go_with_the_part_that_sings_them():
    piano, voice = midi_from_bytes(duet(), "duet.mid").tracks
    assert (piano.name, piano.channel, voice.channel) == ("Duet", 0, 1)
    assert [(t.tick, t.text) for t in voice.texts] == [(b * BAR + 480, f"la{b} ") for b in range(4)]
    assert {t.kind for t in voice.texts} == {"lyrics"} and not voice.extra_events
    assert part_words(piano) == (
        [
            (0, "copyright", "(c) 2024 The Composer"),
            (0, "instrument_name", "Piano and voice"),
            (480, "text", "verse"),
            (3000, "text", "breathe"),
            (4000, "cue_marker", "Choir in"),
        ],
        [(480, bytes([0xF0, *GM_ON, 0xF7]))],
    )


def test_the_words_of_the_first_part_keep_their_order_at_a_tick_a_lyric_left():
    """At the first syllable's tick the file says lyric, SysEx, text: the piano's part writes the SysEx
    before the text, as the file did."""
    exported = mido.MidiFile(file=io.BytesIO(midi_to_bytes(midi_from_bytes(duet(), "duet.mid"))))
    tick, at_480 = 0, []
    for msg in exported.tracks[1]:
        tick += msg.time
        if tick == 480 and (msg.is_meta or msg.type == "sysex"):
            at_480.append(msg.type)
    assert at_480 == ["sysex", "text"]


def test_a_split_tracks_words_come_back_the_same_after_a_round_trip():
    original = duet()
    exported = through_muse(original)
    assert words(exported) == words(original)
    assert_kept(events(original), events(exported))
    first, again = midi_from_bytes(original, "a.mid"), midi_from_bytes(exported, "b.mid")
    assert [part_words(t) for t in again.tracks] == [part_words(t) for t in first.tracks]
    assert through_muse(exported) == exported


def test_deleting_the_accompaniment_keeps_the_singers_lyrics():
    project = midi_from_bytes(duet(), "duet.mid")
    without_piano = project.with_(tracks=project.tracks[1:])
    sung = [(t, w) for t, w in words(duet()) if w.startswith(b"\xff\x05")]
    assert sorted(sung) == sorted(t for t in words(midi_to_bytes(without_piano)) if t[1][:2] == b"\xff\x05")


def test_lyrics_no_part_sings_more_than_another_stay_with_the_first_part():
    """Lyrics where both parts strike (or neither) give no evidence of their singer: they stay where the
    track's other words are. A drum part never takes them."""
    both = [(0, MM("lyrics", text="one")), (960, MM("lyrics", text="two"))]
    for ch in (0, 1):
        both += [(0, M("note_on", channel=ch, note=60)), (480, M("note_off", channel=ch, note=60))]
    bass, voice = midi_from_bytes(file_of(both), "tie.mid").tracks
    assert [t.text for t in bass.texts] == ["one", "two"] and not voice.texts
    drums = [(0, MM("lyrics", text="boom"))]
    drums += [(0, M("note_on", channel=9, note=36)), (480, M("note_off", channel=9, note=36))]
    drums += [(480, M("note_on", channel=2, note=60)), (960, M("note_off", channel=2, note=60))]
    first, kit = midi_from_bytes(file_of(drums), "drums.mid").tracks
    assert kit.is_drum and [t.text for t in first.texts] == ["boom"] and not kit.texts


def ports_heard(data: bytes) -> set[tuple[int, int]]:
    """(channel, MIDI port) of every channel message of the file: the port its track's last port event
    (FF 21) before it names, 0 where none does (what a player with several ports sends it to)."""
    out = set()
    for track in mido.MidiFile(file=io.BytesIO(data)).tracks:
        port = 0
        for msg in track:
            if msg.type == "midi_port":
                port = msg.port
            elif not msg.is_meta and msg.type != "sysex":
                out.add((msg.channel, port))
    return out


def on_port_b(type0: bool) -> bytes:
    """One track on a synth's second port (B), holding a piano (channel 0) and a voice singing over it
    (channel 1, its lyric before the port event at the start): a 32-part file's second sixteen."""
    timed = [
        (0, MM("track_name", name="Port B")),
        (0, MM("lyrics", text="la")),
        (0, MM("midi_port", port=1)),
        (0, M("program_change", channel=0, program=0)),
        (0, M("program_change", channel=1, program=52)),
        (0, M("note_on", channel=1, note=67, velocity=90)),
        (240, M("note_on", channel=0, note=48, velocity=70)),
        (BAR, M("note_off", channel=0, note=48)),
        (BAR, M("note_off", channel=1, note=67)),
    ]
    return type0_file(timed) if type0 else file_of(timed)


@pytest.mark.parametrize("type0", [False, True], ids=["type 1", "type 0"])
def test_every_part_of_a_split_track_keeps_its_port(type0):
    """A track on port B split by channel: each part keeps the port, and the export sends each of them
    there, the voice's after its lyric, as the file has it. Only the first part (or, in a type-0 file, the
    piece) had it, so the voice went out on port A."""
    original = on_port_b(type0)
    assert ports_heard(original) == {(0, 1), (1, 1)}
    project = midi_from_bytes(original, "b.mid")
    assert [[e.data for e in t.extra_events] for t in project.tracks] == [[b"\xff\x21\x01"]] * 2
    assert not project.extra_events
    if not type0:  # the voice sings the lyric, which came before the port event
        assert [e.after_texts for t in project.tracks for e in t.extra_events] == [0, 1]
    exported = through_muse(original)
    assert ports_heard(exported) == {(0, 1), (1, 1)}
    assert_kept(events(original), events(exported))
    assert through_muse(exported) == exported
