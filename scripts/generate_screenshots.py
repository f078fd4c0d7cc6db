"""Screenshots of the Generate panel in use and of the window around it (the README's), with the shipped
models.

    xvfb-run -a .venv/bin/python scripts/generate_screenshots.py OUTDIR [--seed N] [--only NAME ...]

Writes, in OUTDIR:

- screenshot-generate.png: Continue with the transformer in the German folk style after the demo seed,
  three takes over the roll and in the Takes panel;
- screenshot-generate-restyle.png: Restyle, Rewrite, of the demo melody's first two bars (selected) as a
  Celtic fiddle tune with the GAN, three takes;
- screenshot-piece.png: the demo's four tracks, melody active (the others faded behind it), nothing
  generated;
- screenshot-empty.png: the new piece the app starts with.

Each window is a first start (a scratch profile): the panels as a new user finds them. Nothing is saved to
the user's files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from window_shots import Shots, fit_pitches

NAMES = ("screenshot-generate", "screenshot-generate-restyle", "screenshot-piece", "screenshot-empty")
BAR = 4 * 480  # the demo seed: 4/4 at 480 ticks a beat


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--only", nargs="+", choices=NAMES, default=NAMES)
    args = ap.parse_args()
    shots = Shots("generate-shots-")

    from musestudio.ml.engines import CONTINUE, RESTYLE

    args.outdir.mkdir(parents=True, exist_ok=True)

    def save(window, name: str) -> None:
        shots.settle()
        path = args.outdir / f"{name}.png"
        window.grab().save(str(path))
        print(path)
        window.close_unasked()

    def pick_style(panel, style: str) -> None:
        """The style chosen as a user chooses it, so Generate does not read the seed's over it."""
        panel.set_style(style)
        panel.style.activated.emit(panel.style.currentIndex())

    def generated(name: str, configure) -> None:
        window = shots.window(name, "demo.mid")
        panel = window.generate.panel
        configure(window, panel)
        panel.seed.setValue(args.seed)
        panel.variations.setValue(3)
        take = shots.generate(window, name)
        print(name, take.engine, take.style, len(take.notes), "notes")
        save(window, name)

    def continue_german(window, panel) -> None:
        panel.set_mode(CONTINUE)
        panel.engine.setCurrentIndex(panel.engine.findData("transformer"))
        pick_style(panel, "german")
        panel.bars.setValue(4)

    def restyle_celtic(window, panel) -> None:
        track = window.state.active_track()
        window.state.set_selection(n.id for n in track.notes if n.start < 2 * BAR)
        panel.set_mode(RESTYLE)
        panel.set_restyle_as(RESTYLE)  # Rewrite: the GAN writes the phrase anew
        panel.where.setCurrentIndex(panel.where.findData("selection"))
        panel.engine.setCurrentIndex(panel.engine.findData("gan"))
        pick_style(panel, "celtic")

    if "screenshot-generate" in args.only:
        generated("screenshot-generate", continue_german)
    if "screenshot-generate-restyle" in args.only:
        generated("screenshot-generate-restyle", restyle_celtic)
    if "screenshot-piece" in args.only:
        window = shots.window("screenshot-piece", "demo.mid", (1400, 860))
        shots.settle()
        fit_pitches(window, ())  # the other tracks' notes, faded, under the melody's
        save(window, "screenshot-piece")
    if "screenshot-empty" in args.only:
        save(shots.window("screenshot-empty", None, (1400, 860)), "screenshot-empty")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
