"""Screenshots of Restyle's Arrange in the real window (docs/), with the shipped parts model.

    xvfb-run -a .venv/bin/python scripts/arrange_screenshots.py OUTDIR [--seed N] [--styles bach pop]

For each style writes OUTDIR/screenshot-arrange-STYLE.png: the 4/4 seed melody arranged (Restyle, As:
Arrange, the whole track), the current take drawn over the piece in its parts' colours; and
OUTDIR/screenshot-arrange-STYLE-kept.png: the same take kept, each new part a track of its own. Nothing is
saved to the user's files.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--styles", nargs="+", default=["bach", "pop"])
    ap.add_argument("--file", default="melody_4_4.mid", help="a seed file in resources/seeds")
    args = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="arrange-shots-")
    os.environ["XDG_DATA_HOME"] = scratch
    os.environ["XDG_CONFIG_HOME"] = scratch

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from musestudio import paths
    from musestudio.app import create_window
    from musestudio.ml.engines import ARRANGE, RESTYLE
    from musestudio.settings import Settings

    app = QApplication(sys.argv[:1])
    args.outdir.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(50):
            app.processEvents()
            time.sleep(0.01)

    def fit_pitches(window, notes) -> None:
        view = window.roll.view
        pitched = [t for t in window.document.project.tracks if not t.is_drum]
        pitches = [n.pitch for n in notes] + [n.pitch for t in pitched for n in t.notes]
        lo, hi = min(pitches), max(pitches)
        rows = view.viewport().height() / view.row_px
        if hi - lo + 6 > rows:
            view.zoom_pitch(rows / (hi - lo + 6))
        view.center_on_pitch((lo + hi) / 2)

    for style in args.styles:
        window = create_window(Settings(QSettings(f"{scratch}/{style}.ini", QSettings.Format.IniFormat)))
        window.resize(1500, 900)
        window.show()
        window.files.open_file(paths.resource("seeds", args.file))
        gen, panel = window.generate, window.generate.panel
        panel.set_mode(RESTYLE)
        panel.set_restyle_as(ARRANGE)
        panel.where.setCurrentIndex(panel.where.findData("track"))
        panel.set_style(style)
        panel.seed.setValue(args.seed)
        panel.variations.setValue(2)
        done: list[str] = []
        gen.generation_finished.connect(done.append)
        gen.generate()
        t0 = time.perf_counter()
        while not done and time.perf_counter() - t0 < 300:
            app.processEvents()
            time.sleep(0.01)
        if done != ["result"]:
            raise SystemExit(f"{style}: generation {done} {gen.error}")
        take = gen.current_take()
        fit_pitches(window, take.notes)
        settle()
        path = args.outdir / f"screenshot-arrange-{style}.png"
        window.grab().save(str(path))
        print(path, [(tid, len(notes)) for tid, notes in take.parts])
        gen.keep()
        settle()
        kept = args.outdir / f"screenshot-arrange-{style}-kept.png"
        window.grab().save(str(kept))
        print(kept, [t.name for t in window.document.project.tracks])
        window.document.mark_saved()
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
