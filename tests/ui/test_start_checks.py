"""On start: damaged user files are moved aside and the user is told once; temp leftovers go."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from musestudio import app, paths
from musestudio.io.atomic import TEMP_SUFFIX
from musestudio.settings import Settings


def test_damaged_settings_and_taste_are_moved_aside_and_reported(make_window, tmp_path, monkeypatch):
    ini = tmp_path / "damaged.ini"
    ini.write_bytes(b"\x00\xff garbage [[[\n")
    settings = Settings(QSettings(str(ini), QSettings.Format.IniFormat))
    taste = paths.user_data_dir() / "taste.json"
    taste.write_text('{"decisions":[1,2]}')
    leftover = paths.recovery_dir() / f".x.muse~{'0' * 12}{TEMP_SUFFIX}"
    leftover.write_bytes(b"half")
    hour_ago = time.time() - 3600
    os.utime(leftover, (hour_ago, hour_ago))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append((title, text)))
    window = make_window()
    app._after_start(window, settings)
    ((title, text),) = shown
    assert title == "Damaged files moved aside"
    assert "damaged.ini was damaged" in text and "taste.json was damaged" in text
    assert not taste.exists() and list(taste.parent.glob("taste.json.damaged-*.txt"))
    assert not leftover.exists()
    shown.clear()
    app._after_start(window, Settings(QSettings(str(ini), QSettings.Format.IniFormat)))
    assert shown == []  # told once: the next start finds nothing damaged
