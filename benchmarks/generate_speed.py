"""How long Continue takes: 4 variations x 8 bars after a 4-bar seed, per engine (goals on this CPU, p50:
seq2seq <= 250 ms, transformer <= 1 s).

Uses the shipped models in models/ (their real output density decides how many tokens a bar takes, so an
untrained model would time something else). The first call per engine loads the model and is reported
apart; then ``--runs`` timed calls with different seeds. Wall time depends on what else the machine runs,
so the table also gives the CPU time of each call (generation runs on one thread, so on an idle machine
wall time is about the CPU time) and the load average. On a machine with CUDA the table gains GPU rows.

    .venv/bin/python benchmarks/generate_speed.py [--runs 10] [--style pop]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import replace

import torch

from musestudio.core.errors import BadInputError
from musestudio.io.formats import load
from musestudio.ml.engines import STREAM_ENGINES, unload
from musestudio.ml.generate import continuation as generate
from musestudio.ml.generate.request import Options
from musestudio.paths import resource


def seed_notes():
    """The first four bars of the 4/4 demo melody."""
    project = load(resource("seeds", "melody_4_4.mid"))
    four_bars = 4 * 4 * project.ticks_per_beat
    notes = [n for t in project.tracks if not t.is_drum for n in t.notes if n.start < four_bars]
    return notes, project


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--style", default="celtic")
    args = ap.parse_args()
    notes, project = seed_notes()
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(
        f"{'engine':<12} {'device':<6} {'first s':>7} {'p50 ms':>8} {'p90 ms':>8} {'p50 cpu ms':>10} "
        f"{'notes/take':>10}  (4 variations x 8 bars after a 4-bar seed; load {os.getloadavg()[0]:.1f})"
    )
    for engine in STREAM_ENGINES:
        for device in devices:
            kw = dict(
                tpb=project.ticks_per_beat, time_signatures=project.time_signatures, bars=8, engine=engine
            )
            options = Options(style=args.style, variations=4, device=device)
            unload()
            t0 = time.perf_counter()
            try:
                generate.continue_phrase(notes, replace(options, seed=0), **kw)
            except BadInputError as e:
                print(f"{engine:<12} {device:<6} skipped: {e}")
                continue
            first = time.perf_counter() - t0
            times, cpu, counts = [], [], []
            for run in range(1, args.runs + 1):
                c0 = time.process_time()
                result = generate.continue_phrase(notes, replace(options, seed=run), **kw)
                cpu.append((time.process_time() - c0) * 1000)
                times.append(result.seconds * 1000)
                counts.extend(len(t.notes) for t in result.takes)
            p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
            print(
                f"{engine:<12} {device:<6} {first:7.2f} {statistics.median(times):8.0f} {p90:8.0f} "
                f"{statistics.median(cpu):10.0f} {statistics.mean(counts):10.1f}"
            )


if __name__ == "__main__":
    main()
