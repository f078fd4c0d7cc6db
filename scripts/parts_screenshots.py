"""Screenshots of the parts engine in the real window (the README's and docs/'s), with the shipped model.

    xvfb-run -a .venv/bin/python scripts/parts_screenshots.py OUTDIR [--seed N]

Writes OUTDIR/screenshot-parts-harmony.png (Add a part: a harmony under the 4/4 seed melody, the current take in
the overlay) and OUTDIR/screenshot-parts-continue.png (Continue, all tracks, on the demo's melody, keys and bass:
each part of the take drawn in its track's colour). Nothing is saved to the user's files.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--style", default="pop")
    ap.add_argument("--harmony-style", default="pop")
    ap.add_argument("--only", choices=("harmony", "continue"), default=None)
    args = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="parts-shots-")
    import os

    os.environ["XDG_DATA_HOME"] = scratch
    os.environ["XDG_CONFIG_HOME"] = scratch

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from musestudio import paths
    from musestudio.app import create_window
    from musestudio.ml.engines import ADD_PART, CONTINUE, PARTS
    from musestudio.settings import Settings

    app = QApplication(sys.argv[:1])
    args.outdir.mkdir(parents=True, exist_ok=True)

    def shot(seed_file: str, mode: str, name: str, configure) -> None:
        window = create_window(Settings(QSettings(f"{scratch}/{name}.ini", QSettings.Format.IniFormat)))
        window.resize(1500, 900)
        window.show()
        window.files.open_file(paths.resource("seeds", seed_file))
        gen, panel = window.generate, window.generate.panel
        panel.set_mode(mode)
        panel.engine.setCurrentIndex(panel.engine.findData(PARTS))
        panel.style.setCurrentIndex(panel.style.findData(args.style))
        panel.seed.setValue(args.seed)
        panel.variations.setValue(2)
        configure(window, panel)
        done: list[str] = []
        gen.generation_finished.connect(done.append)
        gen.generate()
        t0 = time.perf_counter()
        while not done and time.perf_counter() - t0 < 300:
            app.processEvents()
            time.sleep(0.01)
        if done != ["result"]:
            raise SystemExit(f"{name}: generation {done} {gen.error}")
        fit_pitches(window)
        for _ in range(50):
            app.processEvents()
            time.sleep(0.01)
        path = args.outdir / f"{name}.png"
        window.grab().save(str(path))
        print(path, [(tid, len(notes)) for tid, notes in gen.current_take().parts])
        window.document.mark_saved()
        window.close()

    def fit_pitches(window) -> None:
        """Every pitched note of the piece and of the current take on screen, from the bass up."""
        take, view = window.generate.current_take(), window.roll.view
        pitched = [t for t in window.document.project.tracks if not t.is_drum]
        pitches = [n.pitch for n in take.notes] + [n.pitch for t in pitched for n in t.notes]
        lo, hi = min(pitches), max(pitches)
        rows = view.viewport().height() / view.row_px
        if hi - lo + 6 > rows:
            view.zoom_pitch(rows / (hi - lo + 6))
        view.center_on_pitch((lo + hi) / 2)

    def harmony(window, panel) -> None:
        panel.style.setCurrentIndex(panel.style.findData(args.harmony_style))
        panel.role.setCurrentIndex(panel.role.findData("harmony"))

    def continue_all(window, panel) -> None:
        panel.bars.setValue(4)
        panel.tracks.setCurrentIndex(panel.tracks.findData("all"))
        window.roll.view.zoom_time(0.6)

    if args.only in (None, "harmony"):
        shot("melody_4_4.mid", ADD_PART, "screenshot-parts-harmony", harmony)
    if args.only in (None, "continue"):
        shot("demo.mid", CONTINUE, "screenshot-parts-continue", continue_all)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
