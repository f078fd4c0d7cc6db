"""File > Import MIDI: into an empty piece the file comes in whole, as Open gives it; into a piece with notes
the piece keeps its timing and says what it did not take. .smf and .kar open like .mid."""

from dataclasses import replace
from pathlib import Path

import pytest

from musestudio.core import (
    ControlEvent,
    KeyChange,
    KeySignature,
    Marker,
    Note,
    Project,
    RawEvent,
    TempoChange,
    TextEvent,
    TimeSignature,
    Track,
)
from musestudio.core.events import SUSTAIN
from musestudio.io.midi import write_midi
from musestudio.ui.files import new_project

GM_ON = bytes([0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7])
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "midi"


def test_import_into_a_piece_with_notes_keeps_its_timing_takes_the_files_markers_and_says_so(
    window, tmp_path
):
    src = Project(
        ticks_per_beat=960,
        tempos=(TempoChange(0, 90), TempoChange(3840, 140)),
        time_signatures=(TimeSignature(0, 4, 4), TimeSignature(3840, 3, 4)),
        markers=(Marker(7680, "B"),),
        texts=(TextEvent(0, "copyright", "(c) them"),),
        extra_events=(RawEvent(0, GM_ON),),
        metadata={"title": "Their song"},
        tracks=(Track(notes=(Note(60, 961, 960),), controllers=(ControlEvent(1920, SUSTAIN, 127),)),),
    )
    write_midi(src, tmp_path / "in.mid")
    before = window.document.project
    assert window.files.import_midi(tmp_path / "in.mid")
    p = window.document.project
    assert (
        p.ticks_per_beat == 480 and p.tempos == before.tempos and p.time_signatures == before.time_signatures
    )
    assert p.tracks[:2] == before.tracks and dict(p.metadata) == dict(before.metadata)
    assert [(m.tick, m.text) for m in p.markers] == [(3840, "B")]
    assert [t.text for t in p.texts] == ["(c) them"] and [e.data for e in p.extra_events] == [GM_ON]
    imported = p.tracks[-1]
    assert [(n.start, n.duration) for n in imported.notes] == [(480, 480)]  # 961 of 960: rounded, and said
    assert [e.tick for e in imported.lane(SUSTAIN)] == [960]
    said = window.statusBar().currentMessage()
    assert "in.mid" in said and all(word in said for word in ("tempo", "meter", "title", "rounded"))
    window.undo_stack.undo()
    assert window.document.project == before


def test_importing_the_same_file_twice_does_not_double_its_markers(window, tmp_path):
    write_midi(
        Project(markers=(Marker(0, "A"),), tracks=(Track(notes=(Note(60, 0, 480),)),)), tmp_path / "a.mid"
    )
    window.files.import_midi(tmp_path / "a.mid")
    window.files.import_midi(tmp_path / "a.mid")
    assert [m.text for m in window.document.project.markers] == ["A"]
    assert len(window.document.project.tracks) == 4


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_chinese_window_lists_the_settings_it_kept_as_chinese_lists_them(language, window, tmp_path):
    src = Project(
        tempos=(TempoChange(0, 90),),
        time_signatures=(TimeSignature(0, 3, 4),),
        metadata={"title": "Their song"},
        tracks=(Track(notes=(Note(60, 0, 480),)),),
    )
    write_midi(src, tmp_path / "in.mid")
    assert window.files.import_midi(tmp_path / "in.mid")
    said = window.statusBar().currentMessage()
    assert "保留了本曲的速度、拍号、标题，未采用文件中的。" in said, said


def test_import_into_an_empty_piece_gives_what_open_gives_and_keeps_the_users_tracks(make_window, tmp_path):
    """Text events, SysEx, the title and the file's resolution come in; a track the user set up first stays
    (only the blank track of a new piece makes way)."""
    src = Project(
        ticks_per_beat=960,
        tempos=(TempoChange(0, 90), TempoChange(3840, 140)),
        time_signatures=(TimeSignature(0, 4, 4), TimeSignature(3840, 3, 4)),
        key_changes=(KeyChange(0, KeySignature(2, "major")), KeyChange(3840, KeySignature(9, "minor"))),
        markers=(Marker(7680, "B"),),
        texts=(TextEvent(0, "copyright", "(c) them"), TextEvent(960, "text", "a note to the player")),
        extra_events=(RawEvent(0, GM_ON),),
        metadata={"title": "Their song"},
        tracks=(
            Track(
                name="Lead",
                notes=(Note(60, 961, 960),),
                controllers=(ControlEvent(1920, SUSTAIN, 127),),
                texts=(TextEvent(961, "lyrics", "la"),),
                extra_events=(RawEvent(0, bytes([0xF0, 0x41, 0x10, 0x42, 0xF7])),),
            ),
        ),
    )
    write_midi(src, tmp_path / "in.mid")
    opened = make_window()
    assert opened.files.open_path(tmp_path / "in.mid", ask=False)
    window = make_window(new_project())
    strings = window.editor.add_track("Strings", program=48)
    window.undo_stack.setClean()
    assert window.files.import_midi(tmp_path / "in.mid")
    p, want = window.document.project, opened.document.project
    assert p.tracks[0] == strings
    assert replace(p, tracks=p.tracks[1:]) == want
    window.undo_stack.undo()
    assert [(t.name, t.name_event) for t in window.document.project.tracks] == [
        ("", False),
        ("Strings", True),
    ]


def test_import_into_an_empty_piece_says_which_of_its_own_settings_the_files_replaced(make_window, tmp_path):
    src = Project(tempos=(TempoChange(0, 96),), tracks=(Track(name="Lead", notes=(Note(60, 0, 480),)),))
    write_midi(src, tmp_path / "in.mid")
    window = make_window(new_project())
    window.editor.set_tempo(90.0)  # the user set up the empty piece first
    assert window.files.import_midi(tmp_path / "in.mid")
    said = window.statusBar().currentMessage()
    assert "takes the file's tempo in place of its own (Undo brings them back)" in said
    assert window.document.project.tempo_bpm == 96


def test_smf_and_kar_files_open(window):
    assert window.files.open_path(FIXTURES / "markers_lyrics.kar", ask=False)
    assert [m.text for m in window.document.project.markers] == ["Intro", "Verse 1", "Chorus"]
    assert window.files.open_path(FIXTURES / "edge" / "latin1_name.smf", ask=False)
    assert [t.name for t in window.document.project.tracks] == ["Flöte", "鋼琴", "Café"]


def test_an_import_at_another_resolution_leaves_the_playhead_and_loop_in_their_bars(make_window, tmp_path):
    """Into an empty piece the file's resolution comes in (and its undo takes it away): the playhead and
    the loop stay in the bars they were set on. They kept their ticks, so at a file's 960 ticks a beat the
    playhead set on bar 3 stood on bar 2 and a loop over bar 2 played half of bar 1."""
    write_midi(Project(ticks_per_beat=960, tracks=(Track(notes=(Note(60, 0, 960),)),)), tmp_path / "in.mid")
    window = make_window(new_project())
    state = window.state
    state.set_playhead(3840)  # bar 3 at 480 ticks a beat
    state.set_loop(1920, 3840)  # bar 2
    state.set_loop_enabled(False)
    assert window.files.import_midi(tmp_path / "in.mid")
    assert window.document.project.ticks_per_beat == 960
    assert (state.playhead, state.loop, state.loop_enabled) == (7680, (3840, 7680), False)
    window.undo_stack.undo()
    assert (state.playhead, state.loop, state.loop_enabled) == (3840, (1920, 3840), False)
