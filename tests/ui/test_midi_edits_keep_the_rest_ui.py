"""A MIDI file opened in the window, edited where the edit has nothing to do with most of its events, comes
out of Export MIDI (and of a .muse saved and reopened) with every event the edit did not touch at its tick
with its data: the song's copyright, words, SysEx and SMPTE offset outlive a part deleted from it, and a
note's own aftertouch goes where the note goes. The files are written and read back with mido."""

from __future__ import annotations

from collections import Counter

import mido
from mido import Message as M
from mido import MetaMessage as MM
from PySide6.QtWidgets import QToolButton

from tests.ui.ui_helpers import mido_file

GM_ON = [0x7E, 0x7F, 0x09, 0x01]
UNSAID = ("track_name", "end_of_track", "set_tempo", "time_signature")


def type0_song(path):
    """A type-0 file: the song's name, copyright, SMPTE offset and GM reset, then a piano on channel 1
    that sings its words and a bass on channel 2 with a SysEx of its own, all in the one track."""
    song = [
        (0, MM("track_name", name="Song")),
        (0, MM("copyright", text="(c) 2024 The Composer")),
        (0, MM("smpte_offset", frame_rate=25, hours=0, minutes=0, seconds=2, frames=0, sub_frames=0)),
        (0, MM("sequencer_specific", data=[0x00, 0x00, 0x41, 0x01])),
        (0, M("sysex", data=GM_ON)),
        (0, M("program_change", channel=0, program=1)),
        (0, M("program_change", channel=1, program=33)),
        (3840, MM("cue_marker", text="Horns in")),
        (5000, M("sysex", data=[0x43, 0x10, 0x4C])),
    ]
    for bar in range(4):
        t = bar * 1920
        song += [
            (t, M("note_on", channel=0, note=60 + bar, velocity=80)),
            (t + 960, M("note_off", channel=0, note=60 + bar)),
            (t, MM("lyrics", text=f"la{bar} ")),
            (t, M("note_on", channel=1, note=36, velocity=90)),
            (t + 1800, M("note_off", channel=1, note=36)),
        ]
    mido_file(path, [song])
    midi = mido.MidiFile(str(path))
    midi.type = 0
    midi.save(str(path))
    return path


def not_channel_events(path) -> Counter:
    """Every meta and SysEx event of the file, with its tick, but its track names, its end-of-track and the
    tempo and meter an export states where the file left MIDI's defaults unsaid."""
    out = Counter()
    for track in mido.MidiFile(str(path)).tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.is_meta and msg.type not in UNSAID or msg.type == "sysex":
                out[(tick, bytes(msg.bin()))] += 1
    return out


def button(window, text: str) -> QToolButton:
    (b,) = [b for b in window.tracks.widget().findChildren(QToolButton) if b.text() == text]
    return b


def test_deleting_the_first_part_of_a_type_0_song_keeps_its_copyright_words_and_sysex(window, tmp_path):
    src = type0_song(tmp_path / "song.mid")
    assert window.files.open_path(src, ask=False)
    before = window.document.project
    piano = before.tracks[0]
    assert piano.channel == 0 and len(before.tracks) == 2
    window.state.set_active_track(piano.id)
    button(window, "Delete").click()
    assert [t.name for t in window.document.project.tracks] == [before.tracks[1].name]
    assert window.files.export_midi(tmp_path / "out.mid")
    assert not_channel_events(tmp_path / "out.mid") == not_channel_events(src)
    assert window.files.save_as(tmp_path / "song.muse")
    assert window.files.open_path(tmp_path / "song.muse", ask=False)
    assert window.files.export_midi(tmp_path / "again.mid")
    assert not_channel_events(tmp_path / "again.mid") == not_channel_events(src)
