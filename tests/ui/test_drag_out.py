"""Drag out: the selection (by its grip), a track (by its row) and a take (from the Takes panel) leave the
app as .mid files, with the MIME data file managers and DAWs read, and the file plays back the notes.

The system's drag loop (QDrag.exec) is the one thing replaced: it would wait for a real mouse to let go.
Everything up to it (the gesture, the file, the MIME data) is the app's own code.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange
from musestudio.core.track import DRUM_CHANNEL, Track
from musestudio.io.midi import read_midi
from musestudio.ml.engines import CONTINUE, missing_model
from musestudio.ui.dragout import MIDI_MIME_TYPES, clip_project, safe_name
from tests.ui.test_generate_ui import choose, press_generate
from tests.ui.ui_helpers import drag_take_row, list_takes, send_mouse

TPB, BAR = 480, 1920


def piece() -> Project:
    lead = Track(
        name="Lead/Solo",
        program=73,
        notes=(Note(60, 0, 480), Note(67, BAR + 240, 240, 70), Note(69, BAR + 480, 960, 110)),
    )
    bass = Track(name="Bass", program=33, channel=1, notes=(Note(36, 0, 2 * BAR),))
    return Project(tracks=(lead, bass)).set_tempo_at(0, 96.0).set_meter_at(0, 3, 4)


def check_file(seen, expected_notes, program: int | None = None, bpm: float = 96.0):
    formats, path, data, actions = seen
    assert "text/uri-list" in formats and all(kind in formats for kind in MIDI_MIME_TYPES)
    assert path.suffix == ".mid" and path.is_file() and data == path.read_bytes()
    assert actions & Qt.DropAction.CopyAction
    back = read_midi(path)
    notes = [(n.pitch, n.start, n.duration, n.velocity) for t in back.tracks for n in t.notes]
    assert sorted(notes) == sorted(expected_notes)
    assert back.tempo_bpm == pytest.approx(bpm)
    assert (back.time_signatures[0].numerator, back.time_signatures[0].denominator) == (3, 4)
    if program is not None:
        assert back.tracks[0].program == program
    return back


def test_the_selection_leaves_by_its_grip_from_its_bar(make_window, drags):
    window = make_window(piece())
    view = window.roll.view
    lead = window.document.project.tracks[0]
    window.state.set_selection({lead.notes[1].id, lead.notes[2].id})
    grip = view.grip_rect()
    assert not grip.isEmpty() and view.viewport().rect().contains(grip)
    before = window.document.project
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonPress, grip.center())
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonRelease, grip.center())
    assert drags == []  # a click on the grip is no drag
    away = grip.center() + QPoint(QApplication.startDragDistance() + 4, 0)
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonPress, grip.center())
    send_mouse(view.viewport(), QMouseEvent.Type.MouseMove, away)
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonRelease, away)
    assert len(drags) == 1
    bar2 = 1440  # 3/4: the selection starts in bar 2, and the clip with it
    check_file(drags[0], [(67, BAR + 240 - bar2, 240, 70), (69, BAR + 480 - bar2, 960, 110)], program=73)
    assert "Lead Solo" in drags[0][1].name  # the slash of the track name cannot be in a file name
    assert window.document.project is before  # dragging out changes nothing here
    assert window.undo_stack.count() == 0


def test_no_selection_has_no_grip_and_the_grip_is_off_the_notes(make_window, drags):
    window = make_window(piece())
    view = window.roll.view
    assert view.grip_rect().isEmpty()
    lead = window.document.project.tracks[0]
    window.state.set_selection({lead.notes[0].id})
    note_x = round(view.tick_to_x(240))
    assert not view.grip_rect().contains(QPoint(note_x, round(view.pitch_to_y(60) + 3)))
    assert drags == []


def test_a_track_leaves_by_dragging_its_row(make_window, drags):
    window = make_window(piece())
    panel = window.tracks.widget()
    bass = window.document.project.tracks[1]
    row = panel.rows[bass.id]
    start = row.name.geometry().center()
    send_mouse(row, QMouseEvent.Type.MouseButtonPress, start)
    send_mouse(row, QMouseEvent.Type.MouseMove, start + QPoint(QApplication.startDragDistance() + 5, 0))
    send_mouse(row, QMouseEvent.Type.MouseButtonRelease, start)
    assert window.state.active_track_id == bass.id
    assert len(drags) == 1
    check_file(drags[0], [(36, 0, 2 * BAR, 100)], program=33)  # a track keeps its place from bar 1
    assert drags[0][1].stem.startswith("Bass")


def test_a_click_on_a_track_row_is_no_drag(make_window, drags):
    window = make_window(piece())
    row = next(iter(window.tracks.widget().rows.values()))
    at = row.name.geometry().center()
    send_mouse(row, QMouseEvent.Type.MouseButtonPress, at)
    send_mouse(row, QMouseEvent.Type.MouseMove, at + QPoint(1, 0))
    send_mouse(row, QMouseEvent.Type.MouseButtonRelease, at)
    assert drags == []


@pytest.mark.skipif(missing_model(CONTINUE, "seq2seq") is not None, reason="no committed seq2seq model")
def test_a_take_leaves_from_the_takes_panel(qtbot, make_window, drags):
    steps = [60, 62, 64, 65, 67, 65, 64, 62]
    melody = Track(name="Melody", notes=tuple(Note(steps[i % 8], i * TPB, TPB, 90) for i in range(16)))
    window = make_window(Project(tracks=(melody,)))
    choose(window, CONTINUE, "seq2seq", "seed", bars=2, variations=2)
    press_generate(qtbot, window)
    gen = window.generate
    take = gen.takes[0]
    tree = gen.takes_panel.list
    item = tree.topLevelItem(0)
    at = tree.visualItemRect(item).center()
    send_mouse(tree.viewport(), QMouseEvent.Type.MouseButtonPress, at)
    for step in range(1, 6):
        send_mouse(tree.viewport(), QMouseEvent.Type.MouseMove, at + QPoint(0, 6 * step))
    send_mouse(tree.viewport(), QMouseEvent.Type.MouseButtonRelease, at + QPoint(0, 30))
    assert len(drags) == 1
    expected = [(n.pitch, n.start - take.start, n.duration, n.velocity) for n in take.notes]
    back = read_midi(drags[0][1])
    assert sorted((n.pitch, n.start, n.duration, n.velocity) for t in back.tracks for n in t.notes) == sorted(
        expected
    )
    assert gen.takes and window.document.project.tracks == (melody,)  # the take is still only a take


def every_melodic_channel_taken() -> Project:
    """Fifteen tracks, one on each channel but the drum channel, each its own instrument."""
    channels = [c for c in range(16) if c != DRUM_CHANNEL]
    return Project(
        tracks=tuple(
            Track(name=f"Part {c + 1}", program=c * 5, channel=c, notes=(Note(48 + c, 0, 480),))
            for c in channels
        )
    )


def test_a_dragged_take_whose_parts_share_a_channel_says_the_file_moves_one(make_window, drags):
    """No channel is free for the new tracks of a parts take: in the piece they share channel 1, so the
    dragged file puts the second on a channel of its own, and the status bar says so, as Export MIDI does."""
    window = make_window(every_melodic_channel_taken())
    first, second = window.document.project.tracks[:2]
    list_takes(window, 1)
    parts = ((first.id, (Note(72, BAR, 480),)), (second.id, (Note(64, BAR, 480),)))
    take = replace(window.generate.takes[0], start=BAR, end=2 * BAR, parts=parts)
    window.generate.set_takes((take,))
    drag_take_row(window, 0)
    assert len(drags) == 1
    back = read_midi(drags[0][1])
    assert [(t.program, t.channel) for t in back.tracks] == [(first.program, 0), (second.program, 1)]
    said = window.statusBar().currentMessage()
    assert "In the dragged file" in said and "goes out on channel 2" in said, said
    assert len(window.document.project.tracks) == 15  # the take is still only a take


def test_clip_keeps_the_tempo_in_force_and_the_controllers_inside():
    from musestudio.core.events import ControlEvent

    track = Track(
        name="Keys",
        notes=(Note(60, 2 * BAR, 480), Note(64, 2 * BAR + 960, 480)),
        controllers=(ControlEvent(0, 64, 127), ControlEvent(2 * BAR + 100, 64, 127)),
    )
    project = Project(tracks=(track,)).set_tempo_at(BAR, 140.0)
    clip = clip_project(project, [(track, None)])
    assert clip.tempos[0].bpm == 140.0 and len(clip.tempos) == 1
    assert [n.start for n in clip.tracks[0].notes] == [0, 960]
    # the pedal pressed before the clip is down from its start, as the app plays it
    assert [(e.tick, e.lane, e.value) for e in clip.tracks[0].controllers] == [(0, 64, 127), (100, 64, 127)]
    assert clip_project(project, [(track, ())]).tracks[0].notes == ()
    assert safe_name("a/b:c") == "a b c" and safe_name("...") == "MuseStudio"


def test_a_clip_after_a_program_change_sounds_as_the_app_plays_it_and_keeps_its_key_changes():
    """A violin chosen by a program change at bar 2, a volume, a bend held, a key change inside the clip:
    the dragged file plays what the app plays there."""
    from musestudio.core.events import PITCH_BEND, PROGRAM, VOLUME, ControlEvent, KeyChange
    from musestudio.core.keys import KeySignature
    from musestudio.io.midi import midi_from_bytes, midi_to_bytes

    track = Track(
        name="Strings",
        program=0,
        notes=(Note(60, 0, 480), Note(67, 2 * BAR, 480), Note(69, 3 * BAR, 480)),
        controllers=(
            ControlEvent(BAR, PROGRAM, 40),
            ControlEvent(BAR, VOLUME, 70),
            ControlEvent(BAR + 10, PITCH_BEND, 300),
        ),
    )
    project = Project(
        tracks=(track,),
        key=KeySignature(0, "major"),
        key_changes=(KeyChange(3 * BAR, KeySignature(7, "major")),),
    )
    picked = [n for n in track.notes if n.start >= 2 * BAR]
    back = midi_from_bytes(midi_to_bytes(clip_project(project, [(track, picked)])))
    (strings,) = back.tracks
    assert (strings.program, strings.volume) == (40, 70)
    assert [(c.tick, c.lane, c.value) for c in strings.controllers] == [(0, PITCH_BEND, 300)]
    assert [(k.tick, k.key) for k in back.key_changes] == [(BAR, KeySignature(7, "major"))]


def loop_piece() -> Project:
    """A 4-bar loop at 120 BPM (8 s): one note in bar 1, rests to the end of bar 4, as its file ends."""
    return Project(tracks=(Track(name="Loop", notes=(Note(60, 0, 240),)),), end_of_track=4 * BAR)


def drag_row(window, track_id: int) -> None:
    row = window.tracks.widget().rows[track_id]
    start = row.name.geometry().center()
    send_mouse(row, QMouseEvent.Type.MouseButtonPress, start)
    send_mouse(row, QMouseEvent.Type.MouseMove, start + QPoint(QApplication.startDragDistance() + 5, 0))
    send_mouse(row, QMouseEvent.Type.MouseButtonRelease, start)


def test_a_loop_track_dragged_out_keeps_the_loop_s_four_bars(make_window, drags):
    window = make_window(loop_piece())
    drag_row(window, window.document.project.tracks[0].id)
    assert len(drags) == 1
    back = read_midi(drags[0][1])
    assert back.end_of_track == 4 * BAR  # the file lasts 8 s, as Export MIDI's does
    assert mido_length(drags[0][1]) == pytest.approx(8.0)


def mido_length(path: Path) -> float:
    import mido

    return mido.MidiFile(str(path)).length


def test_a_track_dragged_out_lasts_as_long_as_the_song_with_every_word_and_controller(make_window, drags):
    """Bass ends in bar 2 of a 4-bar song with a tempo change in bar 3: its file runs to the song's end at
    the song's tempo, with the lyric and the pedal-up it has after its last note."""
    from musestudio.core.events import ControlEvent, TextEvent

    bass = Track(
        name="Bass",
        notes=(Note(36, 0, BAR),),
        controllers=(ControlEvent(0, 64, 127), ControlEvent(BAR + 10, 64, 0)),
        texts=(TextEvent(0, "instrument_name", "Fretless"), TextEvent(BAR + 20, "lyrics", "oh")),
    )
    lead = Track(name="Lead", notes=(Note(72, 3 * BAR, BAR),))
    window = make_window(
        Project(tracks=(bass, lead), tempos=(TempoChange(0, 120.0), TempoChange(2 * BAR, 60.0)))
    )
    drag_row(window, bass.id)
    back = read_midi(drags[0][1])
    (out,) = back.tracks
    assert [(c.tick, c.value) for c in out.controllers if c.lane == 64] == [(0, 127), (BAR + 10, 0)]
    assert [(t.tick, t.text) for t in out.texts] == [(0, "Fretless"), (BAR + 20, "oh")]
    assert [(t.tick, t.bpm) for t in back.tempos] == [(0, 120.0), (2 * BAR, 60.0)]
    assert back.end_of_track == 4 * BAR  # 2 bars at 120 and 2 at 60: 12 s, as the song
    assert mido_length(drags[0][1]) == pytest.approx(12.0)


def test_a_selection_dragged_out_carries_its_own_words_at_its_notes(make_window, drags):
    """Bars 3 and 4 of a sung line: the clip sings word3 and word4 at its notes, from its start, and keeps
    the singer's instrument name; the words of bars 1 and 2 stay behind."""
    from musestudio.core.events import RawEvent, TextEvent

    voice = Track(
        name="Voice",
        notes=tuple(Note(60 + b, b * BAR, 480) for b in range(4)),
        texts=(
            TextEvent(0, "instrument_name", "Alto"),
            *(TextEvent(b * BAR, "lyrics", f"word{b + 1}") for b in range(4)),
        ),
        extra_events=(
            RawEvent(0, b"\xf0\x7e\x7f\x09\x01\xf7"),  # GM on, at the start: the clip's start has it
            RawEvent(2 * BAR, b"\xff\x7f\x02\x00\x01", after_texts=1),  # after word3, at the clip's start
        ),
    )
    window = make_window(Project(tracks=(voice,)))
    window.state.set_selection({n.id for n in voice.notes if n.start >= 2 * BAR})
    view = window.roll.view
    grip = view.grip_rect()
    away = grip.center() + QPoint(QApplication.startDragDistance() + 4, 0)
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonPress, grip.center())
    send_mouse(view.viewport(), QMouseEvent.Type.MouseMove, away)
    send_mouse(view.viewport(), QMouseEvent.Type.MouseButtonRelease, away)
    assert len(drags) == 1
    (out,) = read_midi(drags[0][1]).tracks
    assert [(n.start, n.pitch) for n in out.notes] == [(0, 62), (BAR, 63)]
    assert [(t.tick, t.kind, t.text) for t in out.texts] == [
        (0, "instrument_name", "Alto"),
        (0, "lyrics", "word3"),
        (BAR, "lyrics", "word4"),
    ]
    # the sequencer event still follows word3, as it did in the file (after the name and the word now)
    assert [(e.tick, e.data, e.after_texts) for e in out.extra_events] == [(0, b"\xff\x7f\x02\x00\x01", 2)]
    # the GM on set the device up before the clip: it comes first, in the piece's set-up
    assert [(e.tick, e.data) for e in read_midi(drags[0][1]).extra_events] == [
        (0, b"\xf0\x7e\x7f\x09\x01\xf7")
    ]


def _sent_at(data: bytes, tick: int) -> list[tuple]:
    """The controllers, programs and SysEx the file's part sends at ``tick``, in order."""
    import io

    import mido

    (part,) = mido.MidiFile(file=io.BytesIO(data)).tracks[1:]
    now, out = 0, []
    for msg in part:
        now += msg.time
        if now == tick and msg.type in ("control_change", "program_change", "sysex"):
            out.append(tuple(msg.bytes()))
    return out


def test_a_sysex_at_the_clip_s_start_comes_after_what_is_in_force_as_in_export_midi():
    """A GS reset a file sent at bar 3 after its pan, with the pedal held from bar 2: Export MIDI sends the
    pedal (at bar 2) and the pan before the reset, so the reset undoes them. The selection from bar 3 drags
    out with the same order at its start: the pedal in force, the pan, then the reset. The drag put the
    reset after the volume alone, before the program, the pedal and the pan."""
    from musestudio.core.events import SUSTAIN, ControlEvent, RawEvent
    from musestudio.io.midi import midi_to_bytes

    gs_reset = bytes.fromhex("f04110421240007f0041f7")
    keys = Track(
        name="Keys",
        notes=(Note(60, 0, 480), Note(62, 2 * BAR, 480)),
        controllers=(ControlEvent(BAR, SUSTAIN, 127), ControlEvent(2 * BAR, 10, 20)),
        extra_events=(RawEvent(2 * BAR, gs_reset, after_controls=1),),
    )
    project = Project(tracks=(keys,))
    exported = _sent_at(midi_to_bytes(project), 2 * BAR)
    assert exported == [(0xB0, 10, 20), tuple(gs_reset)]
    clip = clip_project(project, [(keys, [n for n in keys.notes if n.start >= 2 * BAR])])
    dragged = _sent_at(midi_to_bytes(clip), 0)
    assert dragged[-2:] == exported
    assert (0xB0, SUSTAIN, 127) in dragged[:-2] and (0xC0, 0) in dragged[:-2]


def test_a_clip_after_a_volume_sent_after_a_reset_at_bar_1_sends_its_volume_before_its_own_reset():
    """A file sent its program, a GS reset, then its volume (60) at bar 1 (``Track.volume_after``), and
    another GS reset after a pan at bar 3. Export MIDI sends the volume at bar 1, so the reset at bar 3
    undoes it along with the pan. The selection from bar 3 drags out so too: the volume in force before the
    reset. The drag kept bar 1's ``volume_after`` and sent the volume after the clip's reset, so a GS
    device played the part at 60 where the song plays it at the reset's 100."""
    from musestudio.core.events import VOLUME, ControlEvent, RawEvent
    from musestudio.io.midi import midi_to_bytes

    gs_reset = bytes.fromhex("f04110421240007f0041f7")
    keys = Track(
        name="Keys",
        program=5,
        volume=60,
        notes=(Note(60, 0, 480), Note(62, 2 * BAR, 480)),
        controllers=(ControlEvent(2 * BAR, 10, 20),),
        extra_events=(RawEvent(0, gs_reset, after_controls=2), RawEvent(2 * BAR, gs_reset, after_controls=1)),
        volume_after=1,
    )
    project = Project(tracks=(keys,))
    assert _sent_at(midi_to_bytes(project), 0)[-1] == (0xB0, VOLUME, 60)  # after bar 1's reset
    exported = _sent_at(midi_to_bytes(project), 2 * BAR)
    assert exported == [(0xB0, 10, 20), tuple(gs_reset)]
    clip = clip_project(project, [(keys, [n for n in keys.notes if n.start >= 2 * BAR])])
    dragged = _sent_at(midi_to_bytes(clip), 0)
    assert dragged[-2:] == exported
    assert (0xB0, VOLUME, 60) in dragged[:-2] and (0xC0, 5) in dragged[:-2]


def test_a_sysex_at_a_clip_from_bar_1_keeps_its_place():
    """From bar 1 the clip is the track's own start: a SysEx sent after the program stays there."""
    from musestudio.core.events import RawEvent
    from musestudio.io.midi import midi_to_bytes

    gm_on = bytes.fromhex("f07e7f0901f7")
    keys = Track(
        name="Keys",
        program=5,
        notes=(Note(60, 0, 480),),
        extra_events=(RawEvent(0, gm_on, after_controls=2),),  # after the volume and the program
    )
    project = Project(tracks=(keys,))
    clip = clip_project(project, [(keys, None)])
    assert _sent_at(midi_to_bytes(clip), 0) == _sent_at(midi_to_bytes(project), 0)
    assert _sent_at(midi_to_bytes(project), 0)[-1] == tuple(gm_on)


def test_a_selection_starting_on_a_program_change_drags_out_with_that_program():
    """Strings switch from a string ensemble (program 48, from bar 2) to violin (program 40, on bank 1) at
    bar 3, and the selection starts there: the dragged file plays the violin, as the app does there. It
    stated the violin and then the ensemble in force before it, so the file played the ensemble."""
    from musestudio.core.events import BANK_SELECT, PROGRAM, ControlEvent
    from musestudio.io.midi import midi_from_bytes, midi_to_bytes

    strings = Track(
        name="Strings",
        program=0,
        notes=(Note(60, 0, 480), Note(67, 2 * BAR, 480)),
        controllers=(
            ControlEvent(BAR, PROGRAM, 48),
            ControlEvent(2 * BAR, BANK_SELECT, 1),
            ControlEvent(2 * BAR, PROGRAM, 40),
        ),
    )
    project = Project(tracks=(strings,))
    clip = clip_project(project, [(strings, [n for n in strings.notes if n.start >= 2 * BAR])])
    sent = [
        (e.lane, e.value) for e in clip.tracks[0].settings_and_lanes() if e.lane in (BANK_SELECT, PROGRAM)
    ]
    assert sent == [(PROGRAM, 48), (BANK_SELECT, 1), (PROGRAM, 40)]  # what the app plays the clip with
    (back,) = midi_from_bytes(midi_to_bytes(clip)).tracks
    assert back.program == 40
    assert [(e.lane, e.value) for e in back.settings_and_lanes() if e.lane in (BANK_SELECT, PROGRAM)] == sent


GS_RESET = bytes.fromhex("f04110421240007f0041f7")


def gs_part_level(channel: int, value: int) -> bytes:
    """A GS part level for the part on ``channel`` (0-based; the drums' block 0 is not needed here)."""
    body = bytes((0x40, 0x10 | (channel + 1), 0x19, value))
    return b"\xf0\x41\x10\x42\x12" + body + bytes(((128 - sum(body) % 128) % 128, 0xF7))


def type_0_gs_file() -> bytes:
    """A type-0 GS file: its GS reset and two part levels (piano on channel 1 at 80, bass on 2 at 50) at
    the start, the piano's level down to 60 at bar 3, the bass's up to 70 there; a note a bar each."""
    import io

    import mido

    song = mido.MidiFile(type=0)
    track = mido.MidiTrack()
    song.tracks.append(track)
    events = [(0, GS_RESET), (10, gs_part_level(0, 80)), (10, gs_part_level(1, 50))]
    events += [(2 * BAR, gs_part_level(0, 60)), (2 * BAR, gs_part_level(1, 70))]
    for bar in range(4):
        events += [(bar * BAR + 20, ("on", 0, 60)), (bar * BAR + 20, ("on", 1, 40))]
        events += [(bar * BAR + 500, ("off", 0, 60)), (bar * BAR + 500, ("off", 1, 40))]
    now = 0
    for tick, what in sorted(events, key=lambda e: e[0]):
        if isinstance(what, bytes):
            message = mido.Message("sysex", data=what[1:-1])
        else:
            kind, channel, pitch = what
            message = mido.Message(
                f"note_{kind}", channel=channel, note=pitch, velocity=100 if kind == "on" else 0
            )
        track.append(message.copy(time=tick - now))
        now = tick
    out = io.BytesIO()
    song.save(file=out)
    return out.getvalue()


def _sysex_of(data: bytes) -> list[tuple[int, bytes]]:
    """Every SysEx of a file, with its tick, as a player merging its tracks sends them."""
    import io

    import mido

    out = []
    for track in mido.MidiFile(file=io.BytesIO(data)).tracks:
        now = 0
        for msg in track:
            now += msg.time
            if msg.type == "sysex":
                out.append((now, bytes(msg.bytes())))
    return sorted(out, key=lambda e: e[0])


def test_a_track_dragged_from_a_type_0_gs_file_keeps_the_reset_and_its_own_part_levels(make_window, drags):
    """The GS set-up of a type-0 file is the piece's: the dragged bass keeps the reset and its own part
    levels (50, then 70 at bar 3) where Export MIDI writes them, not the piano's. The file had none of them,
    so on a GS device the bass played at its default level."""
    from musestudio.io.midi import midi_from_bytes

    project = midi_from_bytes(type_0_gs_file())
    bass = next(t for t in project.tracks if t.channel == 1)
    window = make_window(project)
    drag_row(window, bass.id)
    assert _sysex_of(drags[0][2]) == [
        (0, GS_RESET),
        (10, gs_part_level(1, 50)),
        (2 * BAR, gs_part_level(1, 70)),
    ]


def test_a_selection_from_a_type_0_gs_file_starts_with_the_set_up_in_force(drags):
    """The piano's notes from bar 4: the clip starts with the GS reset and the piano's level in force there
    (60, set at bar 3: the 80 before it goes too, in its order), as the song had them sent."""
    from musestudio.io.midi import midi_from_bytes, midi_to_bytes

    project = midi_from_bytes(type_0_gs_file())
    piano = next(t for t in project.tracks if t.channel == 0)
    clip = clip_project(project, [(piano, [n for n in piano.notes if n.start >= 3 * BAR])])
    data = midi_to_bytes(clip)
    assert _sysex_of(data) == [(0, GS_RESET), (0, gs_part_level(0, 80)), (0, gs_part_level(0, 60))]
    # the song sent the piano no volume or program: nor does the clip, whose level the SysEx sets (a CC 7
    # at 100 after it, as the clip once stated, put the piano back at full level)
    assert _sent_at(data, 0) == []


def test_a_clip_of_a_part_whose_file_sent_no_volume_at_its_start_states_the_volume_it_set_later():
    """A part whose file sent no program or volume at the start (``Track.volume_stated``), then a volume
    of 60 and back to 100 in bar 2, and a program change to the piano: a selection from bar 3 states the
    volume and the program in force there, as it states every other lane it starts with, though they are
    MIDI's defaults; the part's own settings at tick 0, never sent, are not."""
    from musestudio.core.events import PROGRAM, VOLUME, ControlEvent
    from musestudio.io.midi import midi_to_bytes

    keys = Track(
        name="Keys",
        program_stated=False,
        volume_stated=False,
        notes=(Note(60, 0, 480), Note(62, 2 * BAR, 480)),
        controllers=(
            ControlEvent(BAR, VOLUME, 60),
            ControlEvent(BAR + 480, VOLUME, 100),
            ControlEvent(BAR, PROGRAM, 0),
        ),
    )
    project = Project(tracks=(keys,))
    assert _sent_at(midi_to_bytes(project), 0) == []
    clip = clip_project(project, [(keys, [n for n in keys.notes if n.start >= 2 * BAR])])
    assert _sent_at(midi_to_bytes(clip), 0) == [(0xB0, VOLUME, 100), (0xC0, 0)]
