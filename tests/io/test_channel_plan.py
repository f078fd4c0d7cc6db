"""The channel each track goes out on in an exported MIDI file (``io.channel_plan``): a read file's own
sharing of a channel is kept as it was, and tracks that share one while setting it otherwise (at the start
or later) are parted, so the file sounds as the app plays the piece."""

from __future__ import annotations

import mido
from mido import Message as M
from mido import MetaMessage as MM

from musestudio.core.bars import delete_bars
from musestudio.io.channel_plan import ExportPlan, export_plan, file_layout_through_cut
from musestudio.io.midi import read_midi


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
