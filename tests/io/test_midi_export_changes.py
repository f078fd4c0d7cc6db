"""What writing a piece as MIDI changes from it, as the items the window and the command line both word
(``io.midi_export_changes``): each names the tracks by name and the channels as the written file has
them, counted 1 to 16, so what is said is what a player meets in the file."""

from __future__ import annotations

from musestudio.cli_words import midi_export_notes
from musestudio.core import Note, Project, TempoChange, Track
from musestudio.core.events import TEXT_ENCODINGS, RawEvent
from musestudio.core.track import DRUM_CHANNEL
from musestudio.io.midi import midi_from_bytes, midi_to_bytes
from musestudio.io.midi_export_changes import (
    NoMuteOrSolo,
    OffDrumChannel,
    OntoDrumChannel,
    OwnChannels,
    SharedChannel,
    SlowTempos,
    SwappedEnds,
    TextInUtf8,
    midi_export_changes,
)

LATIN_1 = TEXT_ENCODINGS[1]
NOTE = (Note(60, 0, 480, 90),)


def channels_in_file(project: Project) -> dict[str, int]:
    """Each track's channel in the written file, counted 1 to 16."""
    return {t.name: t.channel + 1 for t in midi_from_bytes(midi_to_bytes(project)).tracks}


def test_a_piece_midi_holds_as_it_is_changes_nothing():
    hands = (Track(name="Right", notes=NOTE), Track(name="Left", notes=(Note(48, 0, 480, 90),)))
    assert midi_export_changes(Project(tracks=hands)) == []


def test_tracks_moved_to_channels_of_their_own_are_named_with_the_channel_the_file_gives_them():
    tracks = (
        Track(name="Piano", notes=NOTE),
        Track(name="Bass", program=32, notes=NOTE),
        Track(name="Quiet piano", volume=50, notes=NOTE),
    )
    project = Project(tracks=tracks)
    assert midi_export_changes(project) == [OwnChannels((("Bass", 2), ("Quiet piano", 3)))]
    assert channels_in_file(project) == {"Piano": 1, "Bass": 2, "Quiet piano": 3}


def test_drum_parts_set_differently_share_the_drum_channel_and_the_item_says_it_is_the_drums():
    kick = Track(name="Kick", is_drum=True, channel=DRUM_CHANNEL, volume=110, notes=NOTE)
    snare = Track(name="Snare", is_drum=True, channel=DRUM_CHANNEL, volume=70, notes=NOTE)
    (shared,) = midi_export_changes(Project(tracks=(kick, snare)))
    assert shared == SharedChannel(("Kick", "Snare"), 10, drums=True)


def test_parts_left_sharing_a_channel_when_none_is_free_are_named_with_it():
    parts = [
        Track(name=f"Part {i + 1}", channel=i if i < 9 else i + 1, program=i, notes=NOTE) for i in range(15)
    ]
    last = Track(name="Last", channel=0, program=60, notes=NOTE)
    project = Project(tracks=(*parts, last))
    (shared,) = midi_export_changes(project)
    assert shared == SharedChannel(("Part 1", "Last"), 1) and not shared.drums
    assert channels_in_file(project)["Last"] == channels_in_file(project)["Part 1"] == 1


def test_text_swapped_ends_and_mute_and_solo_are_said_after_the_channels_in_that_order():
    lead = Track(
        name="Lead",
        solo=True,
        notes=(Note(60, 0, 960, 90), Note(60, 100, 100, 90), Note(60, 200, 100, 90)),
    )
    tracks = (
        Track(name="Żółw", text_encoding=LATIN_1, notes=NOTE),
        Track(name="Bass", program=32, mute=True, notes=NOTE),
        lead,
    )
    project = Project(tracks=tracks, metadata={"title": "Ωmega"}, text_encoding=LATIN_1)
    assert midi_export_changes(project) == [
        OwnChannels((("Bass", 2),)),
        TextInUtf8(piece=True, tracks=("Żółw",)),
        SwappedEnds(3),
        NoMuteOrSolo(("Bass", "Lead")),
    ]


def test_latin_1_text_that_has_a_latin_1_form_goes_out_as_it_came_unsaid():
    track = Track(name="Café", text_encoding=LATIN_1, notes=NOTE)
    project = Project(tracks=(track,), metadata={"title": "Señor"}, text_encoding=LATIN_1)
    assert midi_export_changes(project) == []


def test_a_pitched_track_on_the_drum_channel_and_drums_off_it_are_named_with_their_channels():
    """A pitched track set to channel 10 would play drums there: the file gives it a melodic channel; a kit
    set to another channel goes out on 10; each is said first, with the channel the file gives it or the
    one it was set to."""
    tracks = (
        Track(name="Piano", notes=NOTE),
        Track(name="Organ", program=16, channel=DRUM_CHANNEL, notes=NOTE),
        Track(name="Vibes", program=11, channel=DRUM_CHANNEL, notes=NOTE),
        Track(name="Kit", is_drum=True, channel=4, notes=NOTE),
        Track(name="Bass", program=32, notes=NOTE),
    )
    project = Project(tracks=tracks)
    assert midi_export_changes(project) == [
        OffDrumChannel((("Organ", 2), ("Vibes", 3))),
        OntoDrumChannel((("Kit", 5),)),
        OwnChannels((("Bass", 4),)),
    ]
    assert channels_in_file(project) == {"Piano": 1, "Organ": 2, "Vibes": 3, "Kit": 10, "Bass": 4}


def test_a_tempo_slower_than_midi_holds_is_said_with_its_bar_and_goes_out_at_the_slowest():
    """MIDI stores at most 0xFFFFFF microseconds a beat (about 3.58 BPM): a piece's 2 BPM at bar 3 went out
    at 3.58 without a word, the file playing that stretch almost twice as fast. 3.58 itself fits."""
    tempos = (TempoChange(0, 3.58), TempoChange(2 * 1920, 2), TempoChange(3 * 1920, 60))
    project = Project(tracks=(Track(name="Drone", notes=NOTE),), tempos=tempos)
    assert midi_export_changes(project) == [SlowTempos(((3, 2),))]
    back = midi_from_bytes(midi_to_bytes(project))
    assert [round(t.bpm, 2) for t in back.tempos] == [3.58, 3.58, 60]


#: GS "use for rhythm part" (40 1p 15): part 11 (block A) plays drum map 2.
GS_PART_11_RHYTHM = RawEvent(0, bytes.fromhex("f04110421240 1a 15 02 0f f7".replace(" ", "")))


def piece_with_drums_on_11() -> Project:
    """A GS piece whose SysEx makes channel 11 a second drum part: two kits set differently on it, and a
    pitched track set to it (there it would play drums)."""
    return Project(
        extra_events=(GS_PART_11_RHYTHM,),
        tracks=(
            Track(name="Kick", is_drum=True, channel=10, volume=110, notes=NOTE),
            Track(name="Snare", is_drum=True, channel=10, volume=70, notes=NOTE),
            Track(name="Lead", program=80, channel=10, notes=NOTE),
        ),
    )


def test_tracks_on_a_channel_a_sysex_makes_drums_are_said_with_that_channel_not_10():
    """A pitched track set to channel 11, which the piece's GS SysEx makes a drum part, goes out on another;
    two kits sharing it stay there. Both were said as if on channel 10 ("share channel 11, as no channel is
    left free", "set to the drum channel (10)"): the items and the words name channel 11."""
    project = piece_with_drums_on_11()
    assert midi_export_changes(project) == [
        OffDrumChannel((("Lead", 1),), 11),
        SharedChannel(("Kick", "Snare"), 11, drums=True),
    ]
    assert channels_in_file(project) == {"Kick": 11, "Snare": 11, "Lead": 1}
    assert midi_export_notes(project, "out.mid") == [
        "Lead goes out on channel 1, as it is set to the drum channel (11) but is not drums: on channel 11 a "
        "MIDI player would play its notes as drums",
        "Kick, Snare share the drum channel (11): in the file they play one instrument at one volume",
    ]


#: GS "rx. channel" (40 1p 02): part 10 (block 0), the drums, receives channel 11; channel 10 plays an
#: instrument.
GS_DRUMS_ON_11 = RawEvent(0, bytes.fromhex("f04110421240100 20a24f7".replace(" ", "")))


def test_a_drum_track_on_a_melodic_channel_goes_to_the_drum_channel_a_sysex_moved_the_drums_to():
    """A GS piece that moves its drum part to channel 11 (channel 10 then plays an instrument), and a kit
    set to channel 5: it went out on channel 10, where the synth played its kick and snare as low notes of
    an instrument, and read back as a piano. It goes out on channel 11, and is said so."""
    kit = Track(name="Kit", is_drum=True, channel=4, notes=NOTE)
    project = Project(extra_events=(GS_DRUMS_ON_11,), tracks=(kit, Track(name="Piano", notes=NOTE)))
    assert midi_export_changes(project) == [OntoDrumChannel((("Kit", 5),), 11)]
    assert [(t.channel + 1, t.is_drum) for t in midi_from_bytes(midi_to_bytes(project)).tracks] == [
        (11, True),
        (1, False),
    ]
    assert midi_export_notes(project, "out.mid") == [
        "Kit goes out on the drum channel (11), as it is a drum track set to channel 5: MIDI players play "
        "drums only on channel 11"
    ]
