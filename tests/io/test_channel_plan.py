"""The channel each track goes out on in an exported MIDI file (``io.channel_plan``): a read file's own
sharing of a channel is kept as it was, and tracks that share one while setting it otherwise (at the start
or later) are parted, so the file sounds as the app plays the piece."""

from __future__ import annotations

import mido
from mido import Message as M
from mido import MetaMessage as MM

from musestudio.io.channel_plan import ExportPlan, export_plan
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
