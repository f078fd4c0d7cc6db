from __future__ import annotations

import pytest

from musestudio.settings import DEFAULTS, MAX_RECENT


def test_defaults_and_round_trip(settings):
    assert settings.get("snap") == DEFAULTS["snap"]
    settings.set("audio_blocksize", 128)
    settings.set("metronome", True)
    settings.sync()
    assert settings.get("audio_blocksize") == 128 and settings.get("metronome") is True


def test_unknown_keys_are_rejected(settings):
    with pytest.raises(KeyError):
        settings.set("snpa", "1/8")
    with pytest.raises(KeyError):
        settings.get("snpa")


def test_recent_files_are_unique_newest_first_and_bounded(settings):
    for i in range(MAX_RECENT + 3):
        settings.add_recent_file(f"/music/{i}.muse")
    settings.add_recent_file("/music/5.muse")
    recent = settings.get("recent_files")
    assert recent[0] == "/music/5.muse" and len(recent) == MAX_RECENT and len(set(recent)) == MAX_RECENT


def test_preferences_dialog_stores_the_language(settings, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from musestudio.ui.dialogs.preferences import PreferencesDialog

    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No
    )
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    dialog.blocksize.setCurrentIndex(dialog.blocksize.findData(128))
    dialog.accept()
    assert settings.get("language") == "zh_CN" and settings.get("audio_blocksize") == 128
    assert len(asked) == 1 and not dialog.restart_wanted  # offered a restart, the user said not now


def test_layout_snap_and_recent_files_persist_across_windows(make_window, tmp_path):
    first = make_window()
    first.history.hide()
    first.state.set_snap("1/8T")
    path = tmp_path / "a.muse"
    first.files.save_as(path)
    first.close()
    second = make_window()
    assert second.history.isHidden() and not second.tracks.isHidden()
    assert second.state.snap == "1/8T" and second.toolbar.snap.currentData() == "1/8T"
    second.recent_menu.aboutToShow.emit()
    assert [a.text() for a in second.recent_menu.actions()] == [str(path.resolve())]


def test_help_lists_shortcuts_and_mouse_gestures(window, monkeypatch):
    from musestudio.ui.shortcuts import ShortcutsDialog

    shown = []
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda self: shown.append(self.listed()) or 0)
    window.actions.shortcuts.trigger()
    (rows,) = shown
    text = " ".join(f"{what} {keys}" for what, keys in rows)
    for expected in ("Duplicate", "Ctrl+D", "Quantize to Grid", "Space", "Ctrl+drag a note", "Alt+drag"):
        assert expected in text


def test_a_damaged_settings_file_is_moved_aside_and_counts_as_none(tmp_path):
    from PySide6.QtCore import QSettings

    from musestudio.settings import Settings

    ini = tmp_path / "damaged.ini"
    ini.write_bytes(b"\x00\xff\xfe garbage [[[ \n=\n\x00\x00")
    settings = Settings(QSettings(str(ini), QSettings.Format.IniFormat))
    moved = settings.moved_aside
    assert moved is not None and moved.moved_to.read_bytes().startswith(b"\x00\xff")
    assert "could not read" in moved.note.read_text() and "moved aside" in moved.message()
    assert settings.get("snap") == DEFAULTS["snap"] and settings.get("recent_files") == []
    settings.set("snap", "1/8")
    settings.sync()
    assert Settings(QSettings(str(ini), QSettings.Format.IniFormat)).get("snap") == "1/8"  # a fresh file


def test_damaged_values_count_as_none(tmp_path):
    from PySide6.QtCore import QSettings

    from musestudio.settings import Settings

    ini = tmp_path / "values.ini"
    ini.write_text(
        "[General]\nrecent_files=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x12garbage)\naudio_blocksize=lots\n"
    )
    settings = Settings(QSettings(str(ini), QSettings.Format.IniFormat))
    assert settings.moved_aside is None
    assert (
        settings.get("recent_files") == [] and settings.get("audio_blocksize") == DEFAULTS["audio_blocksize"]
    )
    settings.add_recent_file("caf\udce9.muse")  # not text: not listed, no exception
    assert settings.get("recent_files") == []
