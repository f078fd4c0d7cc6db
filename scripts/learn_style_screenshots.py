"""Screenshots of Learn a Style (issue 16) in the real window, with the shipped models.

    xvfb-run -a .venv/bin/python scripts/learn_style_screenshots.py OUTDIR MIDI_FOLDER --style NAME [--data DIR]

Writes OUTDIR/screenshot-learn-style.png (the dialog learning from MIDI_FOLDER, a few seconds in; the run is
then cancelled, so nothing is saved) and OUTDIR/screenshot-learned-style.png (Continue on the 4/4 seed
melody in the learned style NAME, which must exist in DIR, the XDG data folder holding it).
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
    ap.add_argument("folder", type=Path)
    ap.add_argument("--style", required=True)
    ap.add_argument("--data", type=Path, default=None, help="the XDG data folder holding the style")
    ap.add_argument("--engine", default="transformer")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="learn-shots-")
    os.environ["XDG_DATA_HOME"] = str(args.data or scratch)
    os.environ["XDG_CONFIG_HOME"] = scratch

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from musestudio import paths
    from musestudio.app import create_window, install_translators
    from musestudio.ml.engines import CONTINUE
    from musestudio.settings import Settings

    app = QApplication(sys.argv[:1])
    install_translators(app, "en")  # as the app does: without them a counted message reads "3 take(s)"
    args.outdir.mkdir(parents=True, exist_ok=True)

    def pump(seconds: float, until=lambda: False) -> None:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds and not until():
            app.processEvents()
            time.sleep(0.01)

    window = create_window(Settings(QSettings(f"{scratch}/s.ini", QSettings.Format.IniFormat)))
    window.resize(1500, 900)
    window.show()
    window.files.open_file(paths.resource("seeds", "melody_4_4.mid"))
    gen, panel = window.generate, window.generate.panel

    # 1. the dialog, learning
    gen.learn_action.trigger()
    dialog = gen.learn_dialog
    dialog.add_paths([args.folder])
    dialog.name.setText("My hornpipes")
    dialog.start_from.setCurrentIndex(dialog.start_from.findData("celtic"))
    dialog.start()
    training = []
    dialog.process.event.connect(lambda e: training.append(e) if e.get("stage") == "training" else None)
    pump(300, lambda: len(training) > 3)
    pump(1)
    dialog.grab().save(str(args.outdir / "screenshot-learn-style.png"))
    dialog.cancel()
    pump(2)
    dialog.close()

    # 2. a learned style in use
    panel.refresh_learned_styles()
    panel.set_mode(CONTINUE)
    panel.engine.setCurrentIndex(panel.engine.findData(args.engine))
    panel.set_style(args.style)
    if panel.style.currentData() != args.style:
        raise SystemExit(f"no learned style {args.style!r} in {os.environ['XDG_DATA_HOME']}")
    # picked as a user picks it: Generate does not read the seed's style over it
    panel.style.activated.emit(panel.style.currentIndex())
    panel.seed.setValue(args.seed)
    panel.variations.setValue(3)
    panel.bars.setValue(4)
    done: list[str] = []
    gen.generation_finished.connect(done.append)
    gen.generate()
    pump(300, lambda: bool(done))
    if done != ["result"]:
        raise SystemExit(f"generation {done}: {panel.message.text()}")
    window.roll.view.zoom_time(0.7)
    pump(1)
    window.grab().save(str(args.outdir / "screenshot-learned-style.png"))
    window.close_unasked()
    print(args.outdir / "screenshot-learn-style.png", args.outdir / "screenshot-learned-style.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
