"""Event-loop stall while a style is learned in the app (issue 16; goal: the longest stall <= 16 ms).

The real window, offscreen: "Learn a Style..." is opened from the Generate menu, the folder is added, and
Learn pressed; a 1 ms timer runs throughout and the longest gap between its ticks is the longest the UI
could not react. Training runs in a child process (the dialog's QProcess), so the window's own work is
reading progress lines and moving the bar. Styles go to a scratch data folder; the shipped models are used.

    .venv/bin/python benchmarks/learn_stall.py FOLDER [--minutes 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument(
        "--idle",
        type=float,
        default=20.0,
        help="seconds of the idle window measured first (the machine's own stalls)",
    )
    args = parser.parse_args()
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="learn-stall-")
    os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"]
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from musestudio.audio.player import LivePlayer, PlayerAdapter
    from musestudio.core.document import Document
    from musestudio.core.project import Project
    from musestudio.settings import Settings
    from musestudio.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    settings = Settings(
        QSettings(os.path.join(os.environ["XDG_DATA_HOME"], "s.ini"), QSettings.Format.IniFormat)
    )
    window = MainWindow(Document(Project()), settings, PlayerAdapter(LivePlayer(device="none")))
    window.show()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    dialog.add_paths([args.folder])
    dialog.name.setText("stall benchmark")
    dialog.minutes.setValue(args.minutes)

    clock = QElapsedTimer()
    gaps: dict[str, list[int]] = {}
    stage = ["starting"]
    last = [0]
    events = [0]

    def tick() -> None:
        now = clock.elapsed()
        gaps.setdefault(stage[0], []).append(now - last[0])
        last[0] = now

    def on_event(e: dict) -> None:
        events[0] += 1
        if e.get("stage"):
            stage[0] = e["stage"] + (f" ({e['model']})" if e.get("model") else "")

    outcome = {}

    def on_finished(e: dict) -> None:
        outcome.update(e)
        app.quit()

    dialog.process.event.connect(on_event)
    dialog.process.finished.connect(on_finished)
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    for _ in range(50):  # the window and dialog painted before anything is measured
        app.processEvents()
        time.sleep(0.01)
    gaps.clear()
    last[0] = clock.elapsed()
    stage[0] = "idle window (nothing running)"
    QTimer.singleShot(round(args.idle * 1000), lambda: (stage.__setitem__(0, "starting"), dialog.start()))
    t0 = time.perf_counter()
    app.exec()
    timer.stop()
    wall = time.perf_counter() - t0
    print(
        f"learn in the app: {outcome.get('event')} after {wall - args.idle:.0f} s, {events[0]} progress lines"
    )
    print(f"{'stage':<34}{'ticks':>8}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}")
    every = []
    for name, g in gaps.items():
        if not name.startswith("idle"):
            every += g
        q = sorted(g)
        print(f"{name:<34}{len(g):>8}{statistics.median(q):>8.0f}{q[int(0.99 * (len(q) - 1))]:>8}{max(q):>8}")
    print(f"longest UI stall while learning: {max(every, default=0)} ms (goal <= 16)")


if __name__ == "__main__":
    main()
