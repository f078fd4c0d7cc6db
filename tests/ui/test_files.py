"""Files through the window: save/open round trip, title marker, MIDI/WAV export, import, drag and drop."""

from __future__ import annotations

import struct
import wave

import pytest
from PySide6.QtCore import QMimeData, QPoint, QRegularExpression, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.midi import read_midi
from tests.audio.audio_checks import TIMGM, with_samples_out_of_range


def test_save_open_round_trip_and_title(window, make_window, tmp_path):
    window.editor.add_note(72, 1920, 240)
    assert window.isWindowModified() and "Untitled" in window.windowTitle()
    path = tmp_path / "song.muse"
    assert window.files.save_as(path)
    assert not window.isWindowModified() and window.windowTitle().startswith("song.muse")
    other = make_window()
    assert other.files.open_path(path, ask=False)
    assert other.document.project == window.document.project
    assert other.undo_stack.count() == 0 and not other.document.modified
    assert window.settings.get("recent_files")[0] == str(path.resolve())


def test_export_midi_and_wav(window, tmp_path):
    mid, wav = tmp_path / "out.mid", tmp_path / "out.wav"
    assert window.files.export_midi(mid)
    back = read_midi(mid)
    assert [n.pitch for n in back.tracks[0].notes] == [60, 62, 64]
    assert window.files.export_wav(wav)
    with wave.open(str(wav)) as w:
        assert w.getnchannels() == 2 and w.getframerate() == 44100 and w.getnframes() > 44100


def test_import_midi_adds_tracks_as_one_step(window, tmp_path):
    mid = tmp_path / "in.mid"
    window.files.export_midi(mid)
    window.files.import_midi(mid)
    assert len(window.document.project.tracks) == 4
    window.undo_stack.undo()
    assert len(window.document.project.tracks) == 2


def offers(file_filter: str, name: str) -> bool:
    """Whether a file dialog showing ``file_filter``'s first filter lists a file called ``name``: GTK's and
    the desktop portal's dialogs match the patterns (the last parenthesized group) case-sensitively."""
    patterns = file_filter.split(";;")[0].rsplit("(", 1)[1].rstrip(")").split()
    sensitive = Qt.CaseSensitivity.CaseSensitive
    return any(QRegularExpression.fromWildcard(p, sensitive).match(name).hasMatch() for p in patterns)


def test_open_and_import_offer_every_midi_file_the_app_reads_in_either_case(window, tmp_path, monkeypatch):
    """A file from an old Windows machine named SONG.MID, and every other name the app reads a MIDI file
    under (.kar, an RMID file's .rmi...), is listed by the Open and Import MIDI dialogs, as Learn's Add
    Files lists it, and opens and imports; Open lists a SONG.MUSE too."""
    mid = tmp_path / "SONG.MID"
    window.files.export_midi(mid)
    filters = []

    def pick(_parent, _title, _folder, file_filter, *_a, **_k):
        filters.append(file_filter)
        return str(mid), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    window.actions.open.trigger()
    assert window.files.source == mid
    window.actions.import_midi.trigger()
    assert len(window.document.project.tracks) == 4
    names = ["SONG.MID", "song.mid", "x.rmi", "X.RMI", "Song.midi", "take.kar", "TAKE.SMF"]
    for file_filter in filters:
        assert all(offers(file_filter, name) for name in names), file_filter
    assert offers(filters[0], "SONG.MUSE") and not offers(filters[1], "song.muse")


def drop_on(window, path) -> None:
    """Drag ``path`` in from outside the app and let it go over the window."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    at = QPoint(400, 300)
    enter = QDragEnterEvent(
        at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        at.toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert drop.isAccepted()


def test_dropping_a_midi_file_opens_it(window, qtbot, tmp_path):
    mid = tmp_path / "dropped.mid"
    window.files.export_midi(mid)
    window.editor.add_note(90, 0, 120)
    window.document.mark_saved()  # nothing to ask about
    drop_on(window, mid)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("dropped.mid"), timeout=30_000)
    assert [n.pitch for n in window.document.project.tracks[0].notes] == [60, 62, 64]


@pytest.mark.parametrize("name", ["SONG.MID", "song.rmi", "Take.KAR", "take.smf", "Song.MUSE"])
def test_every_file_open_reads_opens_when_dropped_whatever_the_case_of_its_name(
    window, qtbot, tmp_path, name
):
    """As the README says: a project or any file the app reads as MIDI (an RMID file's .rmi too), its name
    in either case, opens when dropped on the window."""
    window.editor.add_note(90, 0, 120)
    path = tmp_path / name
    if path.suffix.lower() == ".muse":
        window.files.save_as(path)
    else:
        window.files.export_midi(path)
    if path.suffix == ".rmi":  # as Windows wrote them: the MIDI file in a RIFF wrapper
        data = b"data" + struct.pack("<I", path.stat().st_size) + path.read_bytes()
        path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(data)) + b"RMID" + data)
    window.document.mark_saved()  # nothing to ask about
    window.files.new()
    drop_on(window, path)
    qtbot.waitUntil(lambda: window.files.source == path, timeout=30_000)
    assert sorted(n.pitch for n in window.document.project.tracks[0].notes) == [60, 62, 64, 90]


def test_cancelling_the_wav_export_writes_nothing(make_window, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from musestudio.core.note import Note
    from musestudio.core.project import Project
    from musestudio.core.track import Track

    long_piece = Project(tracks=(Track(notes=tuple(Note(60 + i % 12, i * 240, 240) for i in range(4000))),))
    window = make_window(long_piece)  # about 8 minutes of music: seconds to render
    wav = tmp_path / "never.wav"

    def press_cancel():  # the dialog appears once the render has run a moment; then click its button
        dialogs = [
            d for d in QApplication.topLevelWidgets() if isinstance(d, QProgressDialog) and d.isVisible()
        ]
        if dialogs:
            dialogs[0].findChild(QPushButton).click()
        else:
            QTimer.singleShot(50, press_cancel)

    QTimer.singleShot(50, press_cancel)
    assert window.files.export_wav(wav) is False
    assert not wav.exists()


@pytest.mark.parametrize("keep", [True, False])
def test_a_name_typed_without_its_suffix_replaces_that_file_only_when_the_user_says_so(
    window, make_window, tmp_path, monkeypatch, keep
):
    """The file dialog asks only about "song", as typed; "song.muse" is another piece in the folder."""
    other = tmp_path / "song.muse"
    assert window.files.save_as(other)  # yesterday's piece
    yesterday = other.read_bytes()
    today = make_window()
    today.editor.add_note(90, 0, 480)
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "song"), ""))
    answer = QMessageBox.StandardButton.Cancel if keep else QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer)
    assert today.files.save_as() is not keep
    assert asked == ["\u201csong.muse\u201d already exists in that folder. Replace it?"]
    assert (other.read_bytes() == yesterday) is keep and not (tmp_path / "song").exists()
    assert today.document.modified is keep


def test_exported_files_get_the_suffix_the_app_opens_them_by(window, make_window, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    names = iter([folder / "mysong", folder / "mysong"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(next(names)), ""))
    assert window.files.export_midi() and window.files.export_wav()
    assert sorted(p.name for p in folder.iterdir()) == ["mysong.mid", "mysong.wav"]
    assert make_window().files.open_path(folder / "mysong.mid", ask=False)


def test_export_midi_says_when_the_file_gives_notes_other_ends(window, tmp_path):
    """A short note drawn inside a held one of its pitch: MIDI cannot keep both ends; the export says so."""
    window.editor.add_note(72, 0, 1920)
    window.editor.add_note(72, 480, 240)
    assert window.files.export_midi(tmp_path / "held.mid")
    assert "2 note(s) sound inside a longer note of the same pitch" in window.statusBar().currentMessage()
    window.undo_stack.undo()  # the short note goes: nothing to say
    assert window.files.export_midi(tmp_path / "plain.mid")
    assert "same pitch" not in window.statusBar().currentMessage()


def _told(window, monkeypatch, tmp_path) -> list[str]:
    """Export WAV through the menu into ``tmp_path / "song.wav"``; what the window said (boxes, then the
    status bar)."""
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *a, **k: said.append(a[2]) or QMessageBox.StandardButton.Ok
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "song.wav"), ""))
    window.actions.export_wav.trigger()
    return [*said, window.statusBar().currentMessage()]


def test_export_wav_says_which_tracks_the_mixer_leaves_out(make_window, qtbot, tmp_path, monkeypatch):
    """The bass muted to work on the melody, forgotten at export: the WAV has no bass, and says so."""
    window = make_window()
    bass = window.document.project.tracks[1]
    qtbot.mouseClick(window.tracks.widget().rows[bass.id].mute, Qt.MouseButton.LeftButton)
    told = _told(window, monkeypatch, tmp_path)
    assert (tmp_path / "song.wav").exists()
    assert told == [f"Exported {tmp_path / 'song.wav'} Left out, as the mixer has them: Bass (muted)"]


def test_export_wav_with_every_track_muted_writes_nothing_and_says_why(
    make_window, qtbot, tmp_path, monkeypatch
):
    window = make_window()
    for track in window.document.project.tracks:
        qtbot.mouseClick(window.tracks.widget().rows[track.id].mute, Qt.MouseButton.LeftButton)
    told = _told(window, monkeypatch, tmp_path)
    assert not (tmp_path / "song.wav").exists()
    assert told[0].startswith(
        "Every track with notes is muted or left out by a solo (Melody (muted), Bass (muted))"
    )


def test_export_wav_of_a_piece_too_soft_to_sound_writes_nothing_and_says_so(
    make_window, tmp_path, monkeypatch
):
    """Notes below what the synth sounds at all: the WAV would be silence reported as an export."""
    whisper = Track(name="Whisper", volume=1, notes=(Note(60, 0, 960, 1),))
    window = make_window(Project(tracks=(whisper,)))
    told = _told(window, monkeypatch, tmp_path)
    assert not (tmp_path / "song.wav").exists()
    assert told[0].startswith("song.wav was not written: the piece renders to silence")


def test_export_wav_with_a_damaged_soundfont_says_the_soundfont_looks_damaged(
    make_window, settings, tmp_path, monkeypatch
):
    """All the soundfont's samples but one point outside its data: FluidSynth plays the piece as silence,
    and Export WAV blamed the notes (too soft to sound) for it."""
    damaged = with_samples_out_of_range(TIMGM, tmp_path / "damaged.sf2", spared=1)
    settings.set("soundfont", str(damaged))
    told = _told(make_window(), monkeypatch, tmp_path)
    assert not (tmp_path / "song.wav").exists()
    assert told[0] == (
        f"song.wav was not written: the piece renders to silence. The soundfont {damaged} looks damaged: "
        "519 of its 520 samples point outside its sample data, so they cannot sound. Choose another "
        "under File > Preferences > Soundfont."
    )


def test_export_wav_with_a_partly_damaged_soundfont_writes_it_and_says_instruments_are_missing(
    make_window, settings, tmp_path, monkeypatch
):
    """20 of the soundfont's samples point outside its data: the piece still sounds, so the WAV is written,
    but the instruments using those samples are silent in it: the status bar says so, no box in the way."""
    damaged = with_samples_out_of_range(TIMGM, tmp_path / "damaged.sf2", spared=500)
    settings.set("soundfont", str(damaged))
    told = _told(make_window(), monkeypatch, tmp_path)
    assert (tmp_path / "song.wav").exists()
    assert told == [
        f"Exported {tmp_path / 'song.wav'} The soundfont {damaged} looks damaged: 20 of its 520 samples point "
        "outside its sample data, so the instruments using them are missing from the WAV."
    ]


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_damaged_midi_file_opened_or_imported_is_said_in_the_user_s_language(
    language, make_window, tmp_path, monkeypatch
):
    """The MIDI reader says why a file cannot be read in English (the command line's words) with a code:
    Open and Import say it in the window's language, as Learn a Style does."""
    bad = tmp_path / "坏.mid"
    bad.write_bytes(b"MThd garbage")
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *a, **k: said.append(a[2]) or QMessageBox.StandardButton.Ok
    )
    window = make_window()
    assert not window.files.open_path(bad, ask=False)
    assert not window.files.import_midi(bad)
    assert said == ["坏.mid 已损坏或不完整（文件过早结束）"] * 2
