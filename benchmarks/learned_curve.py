"""How far the Continue transformer's layers should train: held-out files' NLL against the step count (issue 16).

``learn`` trains the transformer for a fixed number of steps (``LearnArgs.transformer_steps``), its schedule
over those steps, because its layers go on learning the user's files past what helps with the user's other
music, and nothing the files hold out shows it (models/README.md, "Learned styles"). This prints the curve
that number was chosen on: for each step count, the layers ``learn``'s code keeps after a schedule ending
there (its arguments, seed and checks on held-out bars of the learnt files; not the very draws of a
``learn``, which loads the parts model first from the same generator), then the NLL of other files of the
same set, nats per note in ``evaluate style``'s windows, against the base model's.

Without arguments: the Nottingham hornpipes of the shared data (hpps1..8 learnt from Celtic, hpps9..16
held out), skipped with a message when the shared data is not there.

    .venv/bin/python benchmarks/learned_curve.py [--learn DIR --held DIR] [--from STYLE] [--steps 50,100,200]
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "nottingham" / "jukedeck" / "MIDI"


def hornpipes(first: int, last: int) -> list[Path]:
    return [SHARED / f"hpps{i}.mid" for i in range(first, last + 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learn", type=Path, help="the files (or folder) to learn from (default: hpps1..8)")
    ap.add_argument("--held", type=Path, help="other files of the same set (default: hpps9..16)")
    ap.add_argument("--from", dest="base_style", default="celtic", help="the built-in style to start from")
    ap.add_argument("--steps", default="50,100,200", help="step counts, comma-separated")
    a = ap.parse_args()
    if (a.learn is None) != (a.held is None):
        ap.error("give both --learn and --held, or neither")
    learn_files, held_files = ([a.learn], [a.held]) if a.learn else (hornpipes(1, 8), hornpipes(9, 16))
    missing = [p for p in learn_files + held_files if not p.exists()]
    if missing:
        where = "" if a.learn else " (the shared data is not on this machine)"
        print(f"learned_curve: skipped, {missing[0]} not found{where}")
        return

    import torch

    from musestudio.ml.data import learn as data
    from musestudio.ml.models import lora
    from musestudio.ml.train.learn import LearnArgs, _Clock, _Plan, _train_one, load_base
    from musestudio.ml.train.loop import seed_run

    args = LearnArgs(learn_files, "curve", a.base_style)  # learn's defaults; nothing is saved
    learnt = data.read_files(learn_files)[0]
    train, valid = data.split(learnt)
    held = data.read_files(held_files)[0]
    style, dev = a.base_style, torch.device("cpu")
    base, _ = load_base("continue_transformer", None, dev, args.max_len)
    before = base.score(base.model, base.windows(held, style), dev)
    windows = base.windows(held, style, args.onset_order)  # as trained layers read them
    clock = _Clock(time.monotonic(), float("inf"), threading.Event(), lambda event: None)
    print(
        f"Continue transformer from {style}: {len(learnt)} learnt, {len(held)} held-out files "
        f"({before.notes} notes); base {before.per_note:.3f} nats a note"
    )
    print(f"{'steps':>6}{'held-out bars':>22}{'held-out files':>16}{'vs base':>10}{'s':>7}")
    for steps in (int(s) for s in a.steps.split(",")):
        seed_run(args.seed, args.threads)  # each step count from the same start
        state, bars_before, bars_after, _, seconds = _train_one(
            base, train, valid, style, args, clock, _Plan(float("inf"), steps), dev
        )
        tuned = lora.wrap(base.model, args.rank, args.alpha).to(dev)
        lora.load_state(tuned, state)
        # layers that never beat the base stay at zero and read as the base does (as ``learn`` saves them)
        after = base.score(tuned, windows, dev) if bars_after is not bars_before else before
        change = after.per_note / before.per_note - 1
        bars = f"{bars_before.per_token:.3f} -> {bars_after.per_token:.3f}"
        print(f"{steps:>6}{bars:>22}{after.per_note:>16.3f}{change:>+10.1%}{seconds:>7.0f}")


if __name__ == "__main__":
    main()
