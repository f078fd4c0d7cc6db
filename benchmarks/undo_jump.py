"""Undo jump: a click far back in the History panel of the real window, with and without batching.

The history holds N note edits (each one undo step) in a piece of 10,000 notes. "batched" is what the app
does (``HistoryPanel`` runs the jump inside ``Document.batch``: the views hear once); "per step" calls
``QUndoStack.setIndex`` directly, so every step redraws (the behaviour before; measured on fewer steps and
given per step, since thousands take minutes). Goal: a jump of thousands of steps in <= 1 s.

    .venv/bin/python benchmarks/undo_jump.py [--steps 3437] [--per-step-sample 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from musestudio.audio.player import LivePlayer, PlayerAdapter  # noqa: E402
from musestudio.core.document import Document  # noqa: E402
from musestudio.settings import Settings  # noqa: E402
from musestudio.ui.main_window import MainWindow  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from pianoroll_frame_time import big_project  # noqa: E402


def make_window(settings: Settings, steps: int) -> MainWindow:
    window = MainWindow(Document(big_project(10_000)), settings, PlayerAdapter(LivePlayer(device="none")))
    window.resize(1400, 860)
    window.show()
    QApplication.processEvents()
    window.original = window.document.project
    panel = window.history.widget()
    panel.setStack(None)  # building the history fast: not what is measured
    with window.document.batch():
        for i in range(steps):
            window.editor.add_note(40 + i % 40, (i * 120) % 30720, 120, 1 + i % 127)
    panel.setStack(window.undo_stack)
    QApplication.processEvents()
    return window


def click_row(window: MainWindow, row: int) -> float:
    panel = window.history.widget()
    index = panel.model().index(row, 0)
    panel.scrollTo(index)
    QApplication.processEvents()
    t = time.perf_counter()
    QTest.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=panel.visualRect(index).center())
    QApplication.processEvents()
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=3437)
    ap.add_argument("--per-step-sample", type=int, default=200)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp()
    os.environ["XDG_DATA_HOME"] = folder
    settings = Settings(QSettings(os.path.join(folder, "s.ini"), QSettings.Format.IniFormat))

    window = make_window(settings, args.steps)
    original = window.original
    back = click_row(window, 0)
    ok_back = window.document.project == original
    forward = click_row(window, args.steps)
    window.close_unasked()

    sample = make_window(settings, args.per_step_sample)
    t = time.perf_counter()
    sample.undo_stack.setIndex(0)  # unbatched: every step tells the views
    QApplication.processEvents()
    per_step = (time.perf_counter() - t) / args.per_step_sample
    sample.close_unasked()

    print(f"Undo jump in the History panel, 10,000-note piece, {args.steps} steps (goal <= 1 s)\n")
    print("| jump | steps | time | per step |")
    print("|---|---|---|---|")
    print(f"| back to <opened> (batched) | {args.steps} | {back:.3f} s | {back / args.steps * 1e3:.3f} ms |")
    print(
        f"| forward to the last (batched) | {args.steps} | {forward:.3f} s | {forward / args.steps * 1e3:.3f} ms |"
    )
    print(
        f"| per step, unbatched (sample of {args.per_step_sample}) | {args.steps} (est.) | "
        f"{per_step * args.steps:.1f} s | {per_step * 1e3:.2f} ms |"
    )
    print(f"\nundo-all gives back the original: {ok_back}")
    app.quit()
    return 0 if ok_back and max(back, forward) <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
