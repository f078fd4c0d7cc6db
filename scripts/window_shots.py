"""What the Generate screenshot scripts share: the real window in a scratch profile, in English as the app
shows it ("2 takes", not "2 take(s)"), one Generate waited for, the take's pitches brought on screen.
Imported by scripts/arrange_screenshots.py, scripts/parts_screenshots.py and scripts/generate_screenshots.py
(run from the repository root, so this folder is on ``sys.path``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time


class Shots:
    """A QApplication whose settings and data live in a scratch folder: nothing reaches the user's files."""

    def __init__(self, prefix: str) -> None:
        self.scratch = tempfile.mkdtemp(prefix=prefix)
        os.environ["XDG_DATA_HOME"] = self.scratch
        os.environ["XDG_CONFIG_HOME"] = self.scratch
        from PySide6.QtWidgets import QApplication

        from musestudio.app import install_translators

        self.app = QApplication(sys.argv[:1])
        # the app installs them for English too: without them a counted message reads "2 take(s)"
        self.translators = install_translators(self.app, "en")

    def window(self, name: str, seed_file: str | None, size: tuple[int, int] = (1500, 900)):
        """A fresh main window (its own settings file ``name``.ini, so a first start's layout) of ``size``
        with a bundled seed open (None: the new piece the app starts with)."""
        from PySide6.QtCore import QSettings

        from musestudio import paths
        from musestudio.app import create_window
        from musestudio.settings import Settings

        settings = QSettings(f"{self.scratch}/{name}.ini", QSettings.Format.IniFormat)
        window = create_window(Settings(settings))
        window.resize(*size)
        window.show()
        if seed_file is not None:
            window.files.open_file(paths.resource("seeds", seed_file))
        return window

    def settle(self) -> None:
        for _ in range(50):
            self.app.processEvents()
            time.sleep(0.01)

    def generate(self, window, label: str):
        """Press Generate and wait for the takes (at most 5 minutes); the current take."""
        gen = window.generate
        done: list[str] = []
        gen.generation_finished.connect(done.append)
        gen.generate()
        t0 = time.perf_counter()
        while not done and time.perf_counter() - t0 < 300:
            self.app.processEvents()
            time.sleep(0.01)
        if done != ["result"]:
            raise SystemExit(f"{label}: generation {done} {gen.error}")
        fit_pitches(window, gen.current_take().notes)
        self.settle()
        return gen.current_take()


def fit_pitches(window, notes) -> None:
    """Every pitched note of the piece and of ``notes`` on screen, from the bass up."""
    view = window.roll.view
    pitched = [t for t in window.document.project.tracks if not t.is_drum]
    pitches = [n.pitch for n in notes] + [n.pitch for t in pitched for n in t.notes]
    lo, hi = min(pitches), max(pitches)
    rows = view.viewport().height() / view.row_px
    if hi - lo + 6 > rows:
        view.zoom_pitch(rows / (hi - lo + 6))
    view.center_on_pitch((lo + hi) / 2)
