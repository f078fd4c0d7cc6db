"""Screenshots of Restyle's Arrange in the real window (docs/), with the shipped parts model.

    xvfb-run -a .venv/bin/python scripts/arrange_screenshots.py OUTDIR [--seed N] [--styles bach pop]

For each style writes OUTDIR/screenshot-arrange-STYLE.png: the 4/4 seed melody arranged (Restyle, As:
Arrange, the whole track), the current take drawn over the piece in its parts' colours; and
OUTDIR/screenshot-arrange-STYLE-kept.png: the same take kept, each new part a track of its own. Nothing is
saved to the user's files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from window_shots import Shots


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--styles", nargs="+", default=["bach", "pop"])
    ap.add_argument("--file", default="melody_4_4.mid", help="a seed file in resources/seeds")
    args = ap.parse_args()
    shots = Shots("arrange-shots-")

    from musestudio.ml.engines import ARRANGE, RESTYLE

    args.outdir.mkdir(parents=True, exist_ok=True)
    for style in args.styles:
        window = shots.window(style, args.file)
        gen, panel = window.generate, window.generate.panel
        panel.set_mode(RESTYLE)
        panel.set_restyle_as(ARRANGE)
        panel.where.setCurrentIndex(panel.where.findData("track"))
        panel.set_style(style)
        panel.seed.setValue(args.seed)
        panel.variations.setValue(2)
        take = shots.generate(window, style)
        path = args.outdir / f"screenshot-arrange-{style}.png"
        window.grab().save(str(path))
        print(path, [(tid, len(notes)) for tid, notes in take.parts])
        gen.keep()
        shots.settle()
        kept = args.outdir / f"screenshot-arrange-{style}-kept.png"
        window.grab().save(str(kept))
        print(kept, [t.name for t in window.document.project.tracks])
        window.close_unasked()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
