"""A MIDI file goes in through the window (File > Open, File > Import MIDI) and comes out through Export MIDI
as it went in: its length with the silence at its end, its words in the encoding they were written in, the
order of what it states at one moment, an RMID file's music; an import never slips the file's tempo into
the piece that kept its own. The exported files are read back with mido, not with our reader."""

from __future__ import annotations

import struct

import mido
from mido import Message as M
from mido import MetaMessage as MM

from musestudio.core import Note
from tests.ui.ui_helpers import mido_file


def tempos_in(path) -> list[tuple[int, float]]:
    out = []
    for track in mido.MidiFile(str(path)).tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "set_tempo":
                out.append((tick, round(mido.tempo2bpm(msg.tempo), 3)))
    return sorted(out)


def test_importing_a_file_that_states_two_tempos_at_once_leaves_the_piece_tempo_alone(window, tmp_path):
    src = mido_file(
        tmp_path / "other.mid",
        [
            [
                (0, MM("set_tempo", tempo=mido.bpm2tempo(90))),
                (1920, MM("set_tempo", tempo=mido.bpm2tempo(60))),
                (1920, MM("set_tempo", tempo=mido.bpm2tempo(90))),
            ],
            [(0, M("note_on", channel=2, note=67, velocity=90)), (3840, M("note_off", channel=2, note=67))],
        ],
    )
    before = window.document.project  # 120 BPM throughout, with notes
    assert window.files.import_midi(src)
    assert "tempo" in window.statusBar().currentMessage()
    assert window.document.project.tempos == before.tempos
    out = tmp_path / "out.mid"
    assert window.files.export_midi(out)
    assert tempos_in(out) == [(0, 120.0)]


def rmid(smf: bytes) -> bytes:
    """``smf`` in a RIFF "RMID" wrapper, after an INFO list naming the song (as Windows wrote them)."""
    info = b"LIST" + struct.pack("<I", 4 + 8 + 5) + b"INFO" + b"INAM" + struct.pack("<I", 5) + b"Song\0\0"
    data = b"data" + struct.pack("<I", len(smf)) + smf
    return b"RIFF" + struct.pack("<I", 4 + len(info) + len(data)) + b"RMID" + info + data


def test_an_rmid_file_opens_and_exports_as_the_midi_file_inside_it_and_the_window_says_so(
    window, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a)))
    smf = mido_file(
        tmp_path / "inner.mid",
        [
            [
                (0, M("program_change", program=40)),
                (0, M("note_on", note=76, velocity=90)),
                (480, M("note_off", note=76)),
            ]
        ],
    ).read_bytes()
    path = tmp_path / "song.mid"
    path.write_bytes(rmid(smf))
    assert window.files.open_path(path, ask=False)
    assert not warned
    assert [(t.program, len(t.notes)) for t in window.document.project.tracks] == [(40, 1)]
    said = window.statusBar().currentMessage()
    assert "song.mid" in said and "RMID" in said
    out = tmp_path / "out.mid"
    assert window.files.export_midi(out)
    notes = [m for t in mido.MidiFile(str(out)).tracks for m in t if m.type == "note_on"]
    assert out.read_bytes()[:4] == b"MThd" and [m.note for m in notes] == [76]


def test_a_dot_rmi_file_opens_and_imports_through_the_dialogs_that_offer_it(window, tmp_path, monkeypatch):
    """A song named as Windows names RMID files (song.rmi) is offered by the Open and Import dialogs, opens
    and imports as the MIDI file inside it, and Export MIDI suggests a plain .mid for it."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    warned, filters = [], []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    inner = mido_file(
        tmp_path / "inner.mid",
        [[(0, M("note_on", note=76, velocity=90)), (480, M("note_off", note=76))]],
    )
    path = tmp_path / "song.rmi"
    path.write_bytes(rmid(inner.read_bytes()))

    def pick(_parent, _title, _folder, file_filter, *_a, **_k):
        filters.append(file_filter)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    window.actions.open.trigger()
    assert not warned and "*.rmi" in filters[0]
    assert window.files.source == path and window.document.project.note_count == 1
    assert "RMID" in window.statusBar().currentMessage()
    window.actions.import_midi.trigger()
    assert not warned and "*.rmi" in filters[1]
    assert window.document.project.note_count == 2
    suggested = []

    def cancel(_parent, _title, name, *_a, **_k):
        suggested.append(name)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(cancel))
    window.actions.export_midi.trigger()
    assert suggested and suggested[0].endswith("song.mid")


def loop_file(path):
    """Four bars of 4/4 at 120 BPM (8 s): one note in bar 1, then silence to the end of bar 4."""
    return mido_file(
        path,
        [
            [(0, MM("set_tempo", tempo=500000)), (4 * 1920, MM("end_of_track"))],
            [
                (0, M("note_on", note=36, velocity=100)),
                (240, M("note_off", note=36)),
                (4 * 1920, MM("end_of_track")),
            ],
        ],
    )


def test_a_loop_with_silent_bars_at_its_end_exports_as_long_as_it_is_after_a_reopen_and_music_past_it_extends_it(
    window, tmp_path
):
    src = loop_file(tmp_path / "loop.mid")
    assert mido.MidiFile(str(src)).length == 8.0
    assert window.files.open_path(src, ask=False)
    assert window.files.export_midi(tmp_path / "out.mid")
    assert mido.MidiFile(str(tmp_path / "out.mid")).length == 8.0
    assert window.files.save_as(tmp_path / "loop.muse")
    assert window.files.open_path(tmp_path / "loop.muse", ask=False)
    assert window.files.export_midi(tmp_path / "again.mid")
    assert mido.MidiFile(str(tmp_path / "again.mid")).length == 8.0
    track = window.document.project.tracks[0]  # music added past the end extends it
    longer = track.with_notes([*track.notes, Note(38, 4 * 1920, 960, 90)])
    window.editor.push(window.document.project.replace_track(longer), "Add note")
    assert window.files.export_midi(tmp_path / "longer.mid")
    assert mido.MidiFile(str(tmp_path / "longer.mid")).length == 9.0


WORDS = ["Caf", "é ", "Se", "ñor"]


def karaoke_file(path):
    """A karaoke file from the 90s: a marker, and the words in a track of their own, all in Latin-1."""
    mid = mido.MidiFile(type=1, ticks_per_beat=480, charset="latin1")
    lyrics = mido.MidiTrack(
        [MM("track_name", name="Paroles é")] + [MM("lyrics", text=w, time=120) for w in WORDS]
    )
    melody = mido.MidiTrack([M("note_on", note=60, velocity=90), M("note_off", note=60, time=960)])
    mid.tracks += [mido.MidiTrack([MM("marker", text="Refrain à deux")]), lyrics, melody]
    mid.save(str(path))
    return path


def test_a_karaoke_file_s_latin1_words_come_back_in_latin1_after_a_save_and_reopen_too(window, tmp_path):
    src = karaoke_file(tmp_path / "song.kar")

    def texts(path) -> list[bytes]:
        """The bytes of the marker, the words and their track's name, as the file holds them."""
        kinds = ("lyrics", "marker", "track_name")
        return [bytes(m.bin()) for t in mido.MidiFile(str(path)).tracks[:2] for m in t if m.type in kinds]

    assert window.files.open_path(src, ask=False)
    assert window.files.export_midi(tmp_path / "out.kar")
    assert texts(tmp_path / "out.kar") == texts(src)
    assert window.files.save_as(tmp_path / "song.muse")
    assert window.files.open_path(tmp_path / "song.muse", ask=False)
    assert window.files.export_midi(tmp_path / "again.kar")
    assert texts(tmp_path / "again.kar") == texts(src)


def test_words_given_a_name_latin1_cannot_write_go_out_as_utf8_and_the_window_says_so(window, tmp_path):
    assert window.files.open_path(karaoke_file(tmp_path / "song.kar"), ask=False)
    words = window.document.project.tracks[0]
    window.editor.rename_track(words.id, "Paroles 歌")
    assert window.files.export_midi(tmp_path / "out.kar")
    track = mido.MidiFile(str(tmp_path / "out.kar"), charset="latin1").tracks[1]  # the marker's is Latin-1

    def utf8(text: str) -> str:
        return text.encode("latin-1").decode("utf-8")

    assert [utf8(m.name) for m in track if m.type == "track_name"] == ["Paroles 歌"]
    assert [utf8(m.text) for m in track if m.type == "lyrics"] == WORDS
    assert "Paroles 歌 goes out as UTF-8" in window.statusBar().currentMessage()


def test_a_channel_prefix_still_comes_before_the_name_and_sysex_it_applies_to_after_a_reopen_too(
    window, tmp_path
):
    gs_reset = [0x41, 0x10, 0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41]
    src = mido_file(
        tmp_path / "prefix.mid",
        [
            [
                (0, MM("channel_prefix", channel=2)),
                (0, MM("instrument_name", name="Strings")),
                (0, M("sysex", data=[0x41, 0x10, 0x42])),
            ],
            [
                (0, MM("text", text="Horn part")),
                (0, MM("channel_prefix", channel=3)),
                (0, MM("instrument_name", name="Horn")),
                (0, M("sysex", data=gs_reset)),
                (0, M("note_on", channel=3, note=60, velocity=90)),
                (480, M("note_off", channel=3, note=60)),
            ],
        ],
    )

    def order(path) -> list[list[str]]:
        kinds = ("channel_prefix", "instrument_name", "sysex", "text")
        return [[m.type for m in t if m.type in kinds] for t in mido.MidiFile(str(path)).tracks]

    assert order(src) == [
        ["channel_prefix", "instrument_name", "sysex"],
        ["text", "channel_prefix", "instrument_name", "sysex"],
    ]
    assert window.files.open_path(src, ask=False)
    assert window.files.export_midi(tmp_path / "out.mid")
    assert order(tmp_path / "out.mid") == order(src)
    assert window.files.save_as(tmp_path / "prefix.muse")
    assert window.files.open_path(tmp_path / "prefix.muse", ask=False)
    assert window.files.export_midi(tmp_path / "again.mid")
    assert order(tmp_path / "again.mid") == order(src)
