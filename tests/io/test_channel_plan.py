"""The channel each track goes out on in an exported MIDI file (``io.channel_plan``): a read file's own
sharing of a channel is kept as it was, and tracks that share one while setting it otherwise (at the start
or later) are parted, so the file sounds as the app plays the piece."""

from __future__ import annotations

import mido
from mido import Message as M
from mido import MetaMessage as MM

from musestudio.core import Note, Project, Track
from musestudio.core.bars import delete_bars
from musestudio.core.events import RawEvent
from musestudio.io.channel_plan import ExportPlan, export_plan, file_layout_through_cut
from musestudio.io.midi import midi_to_bytes, read_midi


def hands_sharing_channel_1(path):
    """Both hands of a piano on channel 1; the right hand turns it to strings at bar 3."""
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    right = [MM("track_name", name="Right"), M("note_on", note=72, velocity=80, time=0)]
    right += [M("note_off", note=72, time=480), M("program_change", program=48, time=3360)]
    right += [M("note_on", note=72, velocity=80, time=0), M("note_off", note=72, time=480)]
    left = [MM("track_name", name="Left"), M("note_on", note=48, velocity=80, time=0)]
    left += [M("note_off", note=48, time=480)]
    mid.tracks.extend([mido.MidiTrack(right), mido.MidiTrack(left)])
    mid.save(str(path))
    return path


def test_a_file_s_own_sharing_of_a_channel_is_kept_until_a_track_on_it_starts_it_otherwise(tmp_path):
    project = read_midi(hands_sharing_channel_1(tmp_path / "hands.mid"))
    assert project.shared_channels  # the hands set channel 1 differently: the strings at bar 3
    assert export_plan(project) == ExportPlan(channels=(0, 0))
    bass = project.replace_track(project.tracks[1].with_(program=32))
    assert export_plan(bass) == ExportPlan(channels=(0, 1), moved=(1,))


def test_bars_cut_from_the_start_leave_a_shared_channel_as_the_file_has_it_at_the_cut(tmp_path):
    """Both hands on channel 1, the right hand turning it to strings at bar 3 and back to a piano at bar 4:
    with bars 1-2 gone, both hands start on the strings the file plays there, go back to the piano together,
    and the layout names the hands as they now start the channel, so the export keeps them sharing it."""
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    right = [M("note_on", note=72, velocity=80), M("program_change", program=48, time=3840)]
    right += [M("note_on", note=72, velocity=0, time=0), M("program_change", program=0, time=1920)]
    left = [M("note_on", note=48, velocity=80), M("note_on", note=48, velocity=0, time=7680)]
    mid.tracks.extend([mido.MidiTrack(right), mido.MidiTrack(left)])
    mid.save(str(tmp_path / "hands.mid"))
    before = read_midi(tmp_path / "hands.mid")
    after = file_layout_through_cut(before, delete_bars(before, 0, 3840), 3840)
    right, left = after.tracks
    assert (right.program, left.program) == (48, 48) and [e.value for e in right.controllers] == [0]
    assert after.shared_channels == ((0, (right.channel_setup(), left.channel_setup())),)
    assert export_plan(after) == ExportPlan(channels=(0, 0))


def test_a_pan_and_a_held_pedal_set_in_bars_cut_from_the_start_stay_on_the_shared_channel(tmp_path):
    """Both hands state their pan and the pedal up at tick 0, the left hand after the right; in bar 1 the
    right hand pans the channel and presses the pedal, held over the bar line. With bar 1 gone, the file
    plays bar 2 on as it did, panned and pedalled, not with the left hand's old pan and pedal stated last;
    in the app the left hand starts at the channel's pan and holds no pedal it never lets up."""
    pan, pedal = 10, 64
    right = [M("control_change", control=pan, value=64), M("control_change", control=pedal, value=0)]
    right += [M("control_change", control=pan, value=30, time=480), M("note_on", note=72, velocity=80)]
    right += [M("control_change", control=pedal, value=127, time=1320), M("note_on", note=72, velocity=0)]
    right += [
        M("note_on", note=72, velocity=80, time=120),
        M("control_change", control=pedal, value=0, time=960),
    ]
    left = [M("control_change", control=pan, value=100), M("control_change", control=pedal, value=0)]
    left += [M("note_on", note=48, velocity=80, time=1920), M("note_on", note=48, velocity=0, time=1920)]
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    mid.tracks.extend([mido.MidiTrack(right), mido.MidiTrack(left)])
    mid.save(str(tmp_path / "hands.mid"))
    before = read_midi(tmp_path / "hands.mid")
    after = file_layout_through_cut(before, delete_bars(before, 0, 1920), 1920)
    played = [(tick - 1920, *rest) for tick, *rest in _heard(tmp_path / "hands.mid") if tick >= 1920]
    assert played == [(0, 48, 30, True), (0, 72, 30, True)]  # both hands, panned and pedalled
    midi_to_file = tmp_path / "cut.mid"
    midi_to_file.write_bytes(midi_to_bytes(after))
    assert _heard(midi_to_file) == played and export_plan(after) == ExportPlan(channels=(0, 0))
    left_hand = after.tracks[1]
    assert [(e.tick, e.lane, e.value) for e in left_hand.controllers] == [(0, pan, 30)]


def _heard(path) -> list[tuple[int, int, int, bool]]:
    """(tick, pitch, pan, pedal down) of each note a player plays from the file at ``path``, with what its
    channel was set to last (tracks in file order at one tick)."""
    events = []
    for order, track in enumerate(mido.MidiFile(str(path)).tracks):
        tick = 0
        for k, msg in enumerate(track):
            tick += msg.time
            events.append((tick, order, k, msg))
    state, out = {}, []
    for tick, _, _, msg in sorted(events, key=lambda e: e[:3]):
        if msg.type == "control_change":
            state[msg.control] = msg.value
        elif msg.type == "note_on" and msg.velocity:
            out.append((tick, msg.note, state.get(10, 64), state.get(64, 0) >= 64))
    return sorted(out)


def test_a_parameter_set_in_bars_cut_from_the_start_leaves_the_other_hands_own_parameter_alone(tmp_path):
    """The left hand sets its bend range (RPN 0, data entry 12) at tick 0; the right hand tunes the channel
    (RPN 1, data entry 70) in bar 1. With bar 1 gone, the left hand still sets the bend range: the data
    entry the right hand sent last means a fine tuning, not a bend range of 70 semitones."""
    rpn = [(101, 0), (100, 0), (6, 12)]
    right = [M("control_change", control=101, value=0, time=480), M("control_change", control=100, value=1)]
    right += [M("control_change", control=6, value=70), M("note_on", note=72, velocity=80, time=1440)]
    right += [M("note_on", note=72, velocity=0, time=480)]
    left = [M("control_change", control=c, value=v) for c, v in rpn]
    left += [M("note_on", note=48, velocity=80, time=1920), M("note_on", note=48, velocity=0, time=480)]
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    mid.tracks.extend([mido.MidiTrack(right), mido.MidiTrack(left)])
    mid.save(str(tmp_path / "hands.mid"))
    before = read_midi(tmp_path / "hands.mid")
    after = file_layout_through_cut(before, delete_bars(before, 0, 1920), 1920)
    assert [(e.lane, e.value) for e in after.tracks[1].controllers] == rpn
    assert [(e.lane, e.value) for e in after.tracks[0].controllers] == [(101, 0), (100, 1), (6, 70)]


def test_a_track_given_a_free_channel_is_never_given_one_a_sysex_makes_a_drum_part():
    """Two tracks on channel 1 with other instruments, in a piece whose GS SysEx makes part 2 a drum part
    (channel 2 holds no track): the bass was moved to channel 2, where a GS synth played it as drums. It
    goes to channel 3; a drum track set to channel 2 stays there, beside the SysEx, and a pitched one moves
    off it, as off channel 10."""
    rhythm_part_2 = bytes.fromhex("f0 41 10 42 12 40 12 15 01 18 f7")
    piano = Track(notes=(Note(60, 0, 480),))
    bass = Track(program=32, notes=(Note(36, 0, 480),))
    piece = Project(tracks=(piano, bass), extra_events=(RawEvent(0, rhythm_part_2),))
    assert export_plan(piece) == ExportPlan(channels=(0, 2), moved=(1,))
    kit = Track(channel=1, is_drum=True, notes=(Note(36, 0, 480),))
    assert export_plan(piece.with_(tracks=(piano, kit))) == ExportPlan(channels=(0, 1))
    assert export_plan(piece.with_(tracks=(piano, bass.with_(channel=1)))) == ExportPlan(
        channels=(0, 2), off_drums=(1,)
    )
