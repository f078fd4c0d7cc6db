"""Opening a piece says what was opened, as Import MIDI says what came in: the export's "Exported …" stayed
up in the status bar after File > Open or Open Recent, as if it were about the piece just opened."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.io.midi import write_midi
from musestudio.io.project_file import save_project
from tests.ui.test_open_recent import recent_actions

BAR = 1920  # 4/4 at 480 ticks a beat


def song(tracks: int = 4, bars: int = 32) -> Project:
    """``tracks`` tracks, the last note ending in bar ``bars``."""
    return Project(
        tracks=tuple(
            Track(name=f"Part {i + 1}", channel=i, notes=(Note(60 + i, (bars - 1) * BAR, 480, 90),))
            for i in range(tracks)
        )
    )


ENGLISH = pytest.mark.parametrize("language", ["en"], indirect=True)  # "1 track", not "1 track(s)"


def exported(window, tmp_path) -> None:
    assert window.files.export_midi(tmp_path / "take one.mid")
    assert window.statusBar().currentMessage().startswith("Exported")


@ENGLISH
def test_file_open_replaces_the_exported_message_with_what_was_opened(
    language, window, tmp_path, monkeypatch
):
    save_project(song(), path := tmp_path / "song.muse")
    exported(window, tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.actions.open.trigger()
    assert window.document.project == song()
    assert window.statusBar().currentMessage() == "Opened song.muse: 4 tracks, 32 bars."


@ENGLISH
def test_a_recent_file_says_what_was_opened_counting_one_as_one(language, window, make_window, tmp_path):
    save_project(song(tracks=1, bars=1), path := tmp_path / "sketch.muse")
    assert window.files.open_path(path, ask=False)
    other = make_window()
    exported(other, tmp_path)
    recent_actions(other)[str(path.resolve())].trigger()
    assert other.statusBar().currentMessage() == "Opened sketch.muse: 1 track, 1 bar."


@ENGLISH
def test_a_midi_file_says_so_too_with_its_bars_counted_in_its_meter(language, window, tmp_path):
    waltz = Project(
        tracks=tuple(
            Track(name=f"Part {i}", channel=i, notes=(Note(60, 12 * 480, 480, 90),)) for i in (1, 2)
        ),
        time_signatures=(TimeSignature(0, 3, 4),),
    )  # the notes in bar 5 of 3/4 (in bar 4 of 4/4)
    write_midi(waltz, path := tmp_path / "waltz.mid")
    exported(window, tmp_path)
    assert window.files.open_path(path, ask=False)
    assert window.statusBar().currentMessage().startswith("Opened waltz.mid: 2 tracks, 5 bars.")


@ENGLISH
def test_a_piece_with_no_notes_says_so_and_new_leaves_no_old_message(language, window, tmp_path):
    save_project(Project(tracks=(Track(name="Empty"),)), path := tmp_path / "blank.muse")
    exported(window, tmp_path)
    assert window.files.open_path(path, ask=False)
    assert window.statusBar().currentMessage() == "Opened blank.muse: 1 track, no notes yet."
    exported(window, tmp_path)
    window.files.document.mark_saved()
    window.actions.new.trigger()
    assert window.statusBar().currentMessage() == ""  # the export was of the piece New replaced


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_in_chinese_too(window, tmp_path, language):
    save_project(song(tracks=2, bars=8), path := tmp_path / "歌.muse")
    assert window.files.open_path(path, ask=False)
    assert window.statusBar().currentMessage() == "已打开 歌.muse：2 条音轨，8 小节。"
