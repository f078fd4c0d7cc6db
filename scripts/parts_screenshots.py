"""Screenshots of the parts engine in the real window (the README's and docs/'s), with the shipped model.

    xvfb-run -a .venv/bin/python scripts/parts_screenshots.py OUTDIR [--seed N]

Writes OUTDIR/screenshot-parts-harmony.png (Add a part: a harmony under the 4/4 seed melody, the current take in
the overlay) and OUTDIR/screenshot-parts-continue.png (Continue, all tracks, on the demo's melody, keys and bass:
each part of the take drawn in its track's colour). Nothing is saved to the user's files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from window_shots import Shots


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--style", default="pop")
    ap.add_argument("--harmony-style", default="pop")
    ap.add_argument("--only", choices=("harmony", "continue"), default=None)
    args = ap.parse_args()
    shots = Shots("parts-shots-")

    from musestudio.ml.engines import ADD_PART, CONTINUE, PARTS

    args.outdir.mkdir(parents=True, exist_ok=True)

    def shot(seed_file: str, mode: str, name: str, configure) -> None:
        window = shots.window(name, seed_file)
        panel = window.generate.panel
        panel.set_mode(mode)
        panel.engine.setCurrentIndex(panel.engine.findData(PARTS))
        panel.style.setCurrentIndex(panel.style.findData(args.style))
        panel.seed.setValue(args.seed)
        panel.variations.setValue(2)
        configure(window, panel)
        take = shots.generate(window, name)
        path = args.outdir / f"{name}.png"
        window.grab().save(str(path))
        print(path, [(tid, len(notes)) for tid, notes in take.parts])
        window.close_unasked()

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
