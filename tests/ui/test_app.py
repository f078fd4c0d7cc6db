"""The app as a process: ``--screenshot`` opens a piece, writes the PNG and exits 0; language choice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from musestudio.app import resolve_language
from musestudio.ui.device import nvidia_driver_present

ROOT = Path(__file__).resolve().parents[2]
RUN = (
    "import sys, types; from musestudio.app import run_gui; "
    "sys.exit(run_gui(types.SimpleNamespace(file=sys.argv[1] or None, screenshot=sys.argv[2])))"
)


def run_screenshot(tmp_path, file: str) -> tuple[subprocess.CompletedProcess, Path]:
    png = tmp_path / "shot.png"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "c"),
        XDG_DATA_HOME=str(tmp_path / "d"),
    )
    proc = subprocess.run(
        [sys.executable, "-c", RUN, file, str(png)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    return proc, png


def test_screenshot_of_a_piece(tmp_path):
    proc, png = run_screenshot(tmp_path, str(ROOT / "resources" / "seeds" / "melody_chords.mid"))
    assert proc.returncode == 0, proc.stderr
    # a run that ended cleanly leaves no lock of its recovery session behind
    assert list((tmp_path / "d").rglob("recovery/*")) == []
    image = QImage(str(png))
    assert image.width() >= 800 and image.height() >= 500


def test_screenshot_of_a_broken_file_exits_2(tmp_path):
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"MThd garbage")
    proc, png = run_screenshot(tmp_path, str(bad))
    assert proc.returncode == 2 and proc.stderr.startswith("error:")
    assert not png.exists()


def test_language_follows_preference_then_system_locale():
    assert resolve_language("zh_CN", "en_US") == "zh_CN"
    assert resolve_language("en", "zh_CN") == "en"
    assert resolve_language("system", "zh_TW") == "zh_CN"
    assert resolve_language("system", "de_DE") == "en"


def test_start_up_never_imports_torch(tmp_path):
    code = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
        "from musestudio.app import create_window; from musestudio.settings import Settings; "
        "w = create_window(Settings()); w.files.open_file(sys.argv[1]); w.show(); "
        "shown = 'torch' in sys.modules; app.processEvents(); "
        "print(shown, 'torch' in sys.modules); w.files.document.mark_saved()"
    )
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path)
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "resources" / "seeds" / "demo.mid")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    at_show, after_first_events = proc.stdout.split()
    assert at_show == "False"
    if not nvidia_driver_present():  # with a driver, the device probe imports torch on a worker thread
        assert after_first_events == "False"


REOPEN = """
import sys, types
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from musestudio.app import run_gui
from musestudio.ui.main_window import MainWindow

app = QApplication([])


def window():
    return next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)


def list_a_take(w):
    from musestudio.core.note import Note
    from musestudio.core.project import TimeSignature
    from musestudio.ml.generate.request import Options, Request, Take

    track = w.document.project.tracks[0]
    request = Request(
        "continue", "markov", (), 480, (TimeSignature(0, 4, 4),), Options(style="pop"), track_id=track.id
    )
    w.generate.set_takes(
        (Take(1, (Note(72, 7680, 480, 90),), 7680, 9600, "markov", "pop", 5, None, None, 0.5, request=request),)
    )


def switch_language():
    if window() is None:
        QTimer.singleShot(100, switch_language)  # not shown yet (a loaded machine starts slowly)
        return
    w = window()
    w.editor.add_note(70, 0, 480)
    list_a_take(w)
    w.settings.set("language", "zh_CN")
    w.restart()  # what Preferences does after the user says yes
    QTimer.singleShot(500, report)


def report():
    if window() is None:
        QTimer.singleShot(100, report)  # not reopened yet (the start-up warm-up can hold the GIL a while)
        return
    w = window()
    print(w.menuBar().actions()[0].text(), w.document.modified, len(w.document.project.tracks[0].notes),
          w.windowTitle().split("[")[0], [(t.number, t.notes[0].pitch) for t in w.generate.takes] == [(1, 72)],
          w.files.source.name)
    w.close_unasked()


QTimer.singleShot(500, switch_language)
sys.exit(run_gui(types.SimpleNamespace(file=sys.argv[1], screenshot=None)))
"""


@pytest.mark.parametrize("data", ["data", "blocked/data"])
def test_switching_language_reopens_the_window_on_the_same_unsaved_piece(tmp_path, data):
    """The piece and the takes listed carry over; ``blocked``: the data folder cannot be made (a file in
    its place), so no recovery copy is written, and the takes still carry over (they went through the
    copy, and were lost without a word)."""
    (tmp_path / "blocked").write_text("not a folder")
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / data),
    )
    proc = subprocess.run(
        [sys.executable, "-c", REOPEN, str(ROOT / "resources" / "seeds" / "melody_4_4.mid")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    menu, modified, notes, title, takes, source = proc.stdout.split()
    assert menu == "文件(&F)" and modified == "True" and title == "melody_4_4.mid"
    assert takes == "True"  # the take listed before the switch is listed after it
    assert source == "melody_4_4.mid"  # the MIDI file it came from (its recovery copy names it)
    assert int(notes) == 28  # the seed's 27 notes and the one added before the switch
