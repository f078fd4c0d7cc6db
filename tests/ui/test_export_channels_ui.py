"""Export MIDI sounds like the app: the app plays every track on a synth channel of its own, so tracks that
share a MIDI channel while setting it differently (another instrument, volume, pan, at the start or later)
go out on free channels, and the window says so; tracks that share a channel and set it alike (a piano's
two hands) keep it exactly as the file had it. Where no channel is left (or on the drum channel), the window
says which parts share one. The exported files are read back with mido, as a player meets their events."""

from __future__ import annotations

import mido
from mido import Message as M
from mido import MetaMessage as MM

from musestudio.core import ControlEvent, Note, Project, Track
from musestudio.core.events import PAN, PROGRAM, VOLUME
from musestudio.core.track import DRUM_CHANNEL
from musestudio.ui.panels.tracks import TrackRow
from tests.io.midi_events import played
from tests.io.test_midi_export_changes import GS_DRUMS_ON_11, piece_with_drums_on_11
from tests.ui.ui_helpers import mido_file


def heard(path) -> list[tuple[int, int, int]]:
    """(pitch, channel, program in force at its note-on) of every note, as a player merging the tracks
    meets them."""
    return sorted(
        (pitch, channel, instrument[2])
        for channel, pitch, instrument, _ in played(mido.MidiFile(str(path)), int)
    )


def two_hands(path):
    """A piano with both hands on channel 1; only the right hand sets the program."""

    def hand(pitch: int) -> list:
        ons = [(t, M("note_on", note=pitch, velocity=80)) for t in (480, 1440)]
        return ons + [(t + 400, M("note_off", note=pitch)) for t in (480, 1440)]

    return mido_file(
        path,
        [
            [(0, MM("set_tempo", tempo=500000))],
            [(0, MM("track_name", name="Right")), (0, M("program_change", program=0)), *hand(72)],
            [(0, MM("track_name", name="Left")), *hand(48)],
        ],
    )


def pick_instrument(window, track_id: int, number: str) -> None:
    """The Tracks panel: the track's instrument menu, the GM program numbered ``number`` ("33")."""
    row = next(r for r in window.findChildren(TrackRow) if r.track_id == track_id)
    menu = row.instrument.menu()
    menu.aboutToShow.emit()
    item = next(
        a
        for sub in menu.actions()
        if sub.menu()
        for a in sub.menu().actions()
        if a.text().startswith(number + " ")
    )
    item.trigger()


def test_one_hand_given_another_instrument_goes_out_on_a_channel_of_its_own_and_the_window_says_so(
    window, tmp_path
):
    src = two_hands(tmp_path / "piano.mid")
    assert window.files.open_path(src, ask=False)
    assert window.files.export_midi(tmp_path / "as_read.mid")  # alike: both hands stay on channel 1
    assert heard(tmp_path / "as_read.mid") == heard(src) == [(48, 0, 0), (48, 0, 0), (72, 0, 0), (72, 0, 0)]
    assert "goes out on channel" not in window.statusBar().currentMessage()
    left = next(t for t in window.document.project.tracks if t.name == "Left")
    pick_instrument(window, left.id, "33")  # Acoustic Bass
    assert window.files.export_midi(tmp_path / "out.mid")
    assert heard(tmp_path / "out.mid") == [(48, 1, 32), (48, 1, 32), (72, 0, 0), (72, 0, 0)]
    assert "Left goes out on channel 2" in window.statusBar().currentMessage()
    window.undo_stack.undo()  # the hands alike again: one channel, as the file had it
    assert window.files.export_midi(tmp_path / "undone.mid")
    assert (tmp_path / "undone.mid").read_bytes() == (tmp_path / "as_read.mid").read_bytes()


def test_a_hand_at_another_volume_or_pan_goes_out_on_its_own_channel_too(window, tmp_path):
    assert window.files.open_path(two_hands(tmp_path / "piano.mid"), ask=False)
    right, left = window.document.project.tracks
    window.editor.set_track(left.id, "Volume", volume=60)
    panned = right.with_controllers([ControlEvent(0, PAN, 20)])
    window.editor.push(window.document.project.replace_track(panned), "Pan")
    assert window.files.export_midi(tmp_path / "out.mid")
    starts = {
        (m.channel, m.control, m.value)
        for t in mido.MidiFile(str(tmp_path / "out.mid")).tracks
        for m in t
        if m.type == "control_change"
    }
    assert {(0, PAN, 20), (1, 7, 60)} <= starts and not {(1, PAN, 20), (0, 7, 60)} & starts
    assert (0, 7, 100) not in starts  # the right hand's file sent no volume: it stays at MIDI's default
    assert "Left goes out on channel 2" in window.statusBar().currentMessage()


def test_an_imported_violin_on_the_piano_s_channel_keeps_its_instrument_in_the_export(window, tmp_path):
    violin = mido_file(
        tmp_path / "violin.mid",
        [
            [
                (0, MM("track_name", name="Violin")),
                (0, M("program_change", channel=0, program=40)),
                (0, M("note_on", channel=0, note=76, velocity=90)),
                (480, M("note_off", channel=0, note=76)),
            ]
        ],
    )
    assert window.files.import_midi(violin)  # Melody: piano on channel 1, Bass on channel 2
    assert window.files.export_midi(tmp_path / "out.mid")
    programs = {pitch: program for pitch, _, program in heard(tmp_path / "out.mid")}
    assert {programs[60], programs[62], programs[64], programs[76]} == {0, 40} and programs[76] == 40
    assert "Violin goes out on channel 3" in window.statusBar().currentMessage()


def test_when_no_channel_is_left_the_window_says_which_parts_share_one(window, tmp_path):
    editor = window.editor
    for i in range(13):  # Melody, Bass and 13 more fill the 15 melodic channels; the 16th part has none
        track = editor.new_track(name=f"Part {i + 3}", program=10 + i)
        editor.push(editor.project.add_track(track.with_notes([Note(70 + i, 960, 480, 90)])), "Add track")
    last = editor.new_track(name="Last", program=60).with_notes([Note(90, 960, 480, 90)])
    editor.push(editor.project.add_track(last), "Add track")
    assert window.files.export_midi(tmp_path / "band.mid")
    programs = {pitch: program for pitch, _, program in heard(tmp_path / "band.mid")}
    parts = window.document.project.tracks[2:-1]
    assert all(programs[70 + i] == 10 + i for i, t in enumerate(parts) if t.channel != last.channel)
    shared = [t.name for t in window.document.project.tracks if t.channel == last.channel]
    said = window.statusBar().currentMessage()
    assert f"{', '.join(shared)} share channel {last.channel + 1}" in said


def test_drum_parts_at_different_volumes_on_the_drum_channel_are_said(window, tmp_path):
    kick = Track(name="Kick", is_drum=True, channel=DRUM_CHANNEL, volume=110, notes=(Note(36, 0, 120, 100),))
    snare = Track(
        name="Snare", is_drum=True, channel=DRUM_CHANNEL, volume=70, notes=(Note(38, 480, 120, 100),)
    )
    window.editor.push(window.document.project.add_track(kick).add_track(snare), "Add drums")
    assert window.files.export_midi(tmp_path / "out.mid")
    assert {c for _, c, _ in heard(tmp_path / "out.mid") if c not in (0, 1)} == {DRUM_CHANNEL}
    assert "Kick, Snare share the drum channel (10)" in window.statusBar().currentMessage()


def test_tracks_on_a_channel_a_sysex_makes_drums_are_said_with_that_channel(window):
    """Channel 11 made a drum part by the piece's GS SysEx (or the drum part moved to it): the window
    named channel 10 for it."""
    assert window.files.export_change_notes(piece_with_drums_on_11()) == [
        "Lead is set to the drum channel (11) but is not drums: it goes out on channel 1, as on channel 11 a "
        "MIDI player would play its notes as drums.",
        "Kick, Snare share the drum channel (11), and drums stay on a drum channel: in the file they play one "
        "kit at one volume.",
    ]
    kit = Track(name="Kit", is_drum=True, channel=4, notes=(Note(36, 0, 120, 100),))
    moved = Project(extra_events=(GS_DRUMS_ON_11,), tracks=(kit,))
    assert window.files.export_change_notes(moved) == [
        "Kit is a drum track set to channel 5: it goes out on the drum channel (11), the only one MIDI players "
        "play drums on."
    ]


def test_a_hand_changing_instrument_at_bar_2_goes_out_on_its_own_channel_and_the_other_keeps_its_own(
    window, tmp_path
):
    """Both hands start the channel alike; the left turns to a bass in bar 2. On one channel the right hand
    would turn too: the left goes out on a channel of its own, and the window says so."""
    assert window.files.open_path(two_hands(tmp_path / "piano.mid"), ask=False)
    right, left = window.document.project.tracks
    changed = left.with_controllers([ControlEvent(1000, PROGRAM, 32)])
    window.editor.push(window.document.project.replace_track(changed), "Program change")
    assert window.files.export_midi(tmp_path / "out.mid")
    assert heard(tmp_path / "out.mid") == [(48, 1, 0), (48, 1, 32), (72, 0, 0), (72, 0, 0)]
    assert "Left goes out on channel 2" in window.statusBar().currentMessage()


def test_a_hand_whose_volume_lane_starts_at_the_other_s_volume_shares_its_channel(window, tmp_path):
    """The right hand's volume lane sets bar 1 to 80, the left hand's volume is 80: they sound alike, so
    the file keeps both on channel 1, as the piece was read."""
    assert window.files.open_path(two_hands(tmp_path / "piano.mid"), ask=False)
    right, left = window.document.project.tracks
    window.editor.set_track(left.id, "Volume", volume=80)
    drawn = right.with_controllers([ControlEvent(0, VOLUME, 80)])
    window.editor.push(window.document.project.replace_track(drawn), "Volume lane")
    assert window.files.export_midi(tmp_path / "out.mid")
    assert {channel for _, channel, _ in heard(tmp_path / "out.mid")} == {0}
    assert "goes out on channel" not in window.statusBar().currentMessage()


def test_a_file_whose_hands_share_one_pedal_exports_with_both_on_it(window, tmp_path):
    """A piano file with the sustain pedal in the left hand's track only: in the file it holds both hands,
    and Export MIDI keeps that layout, so both hands still hear it."""
    src = two_hands(tmp_path / "piano.mid")
    mid = mido.MidiFile(str(src))
    mid.tracks[2].insert(1, M("control_change", control=64, value=127, time=400))
    mid.tracks[2][2].time -= 400  # the first note-on stays at 480
    mid.save(str(src))
    assert window.files.open_path(src, ask=False)
    assert window.files.export_midi(tmp_path / "out.mid")
    assert {channel for _, channel, _ in heard(tmp_path / "out.mid")} == {0}
    assert "goes out on channel" not in window.statusBar().currentMessage()


def organ_on_the_drum_channel(path):
    """A project written elsewhere: a drawbar organ set to channel 10 (the drum channel) and a kit set to
    channel 5, beside a piano on channel 1."""
    from musestudio.core.project import Project
    from musestudio.io.project_file import save_project

    tracks = (
        Track(name="Piano", notes=(Note(60, 0, 480, 90),)),
        Track(name="Organ", program=16, channel=DRUM_CHANNEL, notes=(Note(67, 0, 480, 90),)),
        Track(name="Kit", is_drum=True, channel=4, notes=(Note(36, 0, 120, 100),)),
    )
    save_project(Project(tracks=tracks), path)
    return path


def test_a_pitched_track_set_to_the_drum_channel_goes_out_on_another_and_export_and_drag_out_say_so(
    window, tmp_path, monkeypatch
):
    """On channel 10 a MIDI player plays every note as a drum: the organ the app plays as an organ goes
    out on a melodic channel, and the kit set to channel 5 on channel 10, where drums play; Export MIDI and
    a track dragged out say so (they moved the tracks unsaid)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QDrag, QMouseEvent
    from PySide6.QtWidgets import QApplication

    from tests.ui.ui_helpers import send_mouse

    assert window.files.open_path(organ_on_the_drum_channel(tmp_path / "band.muse"), ask=False)
    assert window.files.export_midi(tmp_path / "out.mid")
    assert heard(tmp_path / "out.mid") == [(36, DRUM_CHANNEL, 0), (60, 0, 0), (67, 1, 16)]
    said = window.statusBar().currentMessage()
    assert (
        "Organ is set to the drum channel (10) but is not drums: it goes out on channel 2, as on channel 10 a "
        "MIDI player would play its notes as drums." in said
    ), said
    assert (
        "Kit is a drum track set to channel 5: it goes out on the drum channel (10), the only one MIDI players "
        "play drums on." in said
    ), said
    monkeypatch.setattr(QDrag, "exec", lambda *_: Qt.DropAction.CopyAction)  # the system's drag loop
    window.statusBar().clearMessage()
    row = window.tracks.widget().rows[window.document.project.tracks[1].id]  # the organ's row
    start = row.name.geometry().center()
    send_mouse(row, QMouseEvent.Type.MouseButtonPress, start)
    send_mouse(row, QMouseEvent.Type.MouseMove, start + QPoint(QApplication.startDragDistance() + 5, 0))
    send_mouse(row, QMouseEvent.Type.MouseButtonRelease, start)
    said = window.statusBar().currentMessage()
    assert "In the dragged file: Organ is set to the drum channel (10) but is not drums" in said, said


def _set_up(path) -> list[tuple[int, str, int]]:
    """(channel, what, value) of each program change and CC 7 a file sends, in file order."""
    return [
        (m.channel, m.type, m.program if m.type == "program_change" else m.value)
        for t in mido.MidiFile(str(path)).tracks
        for m in t
        if m.type == "program_change" or (m.type == "control_change" and m.control == VOLUME)
    ]


def test_an_instrument_and_a_volume_set_in_the_track_list_go_out_where_the_file_had_none(window, tmp_path):
    """A tune whose file sends no program change or CC 7 goes back out without them; the instrument picked
    in the Tracks panel and the volume its slider sets are stated in the export, and undone, gone again."""
    src = mido_file(
        tmp_path / "tune.mid",
        [[(0, MM("set_tempo", tempo=500000))], [(0, M("note_on", note=60)), (480, M("note_off", note=60))]],
    )
    assert window.files.open_path(src, ask=False)
    assert window.files.export_midi(tmp_path / "as_read.mid")
    assert _set_up(tmp_path / "as_read.mid") == []
    (track,) = window.document.project.tracks
    pick_instrument(window, track.id, "1")  # Acoustic Grand Piano, the one it plays: stated once picked
    row = next(r for r in window.findChildren(TrackRow) if r.track_id == track.id)
    row.volume.setValue(80)
    assert window.files.export_midi(tmp_path / "set.mid")
    assert _set_up(tmp_path / "set.mid") == [(0, "control_change", 80), (0, "program_change", 0)]
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.files.export_midi(tmp_path / "undone.mid")
    assert (tmp_path / "undone.mid").read_bytes() == (tmp_path / "as_read.mid").read_bytes()
