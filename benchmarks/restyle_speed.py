"""Restyle latency: 8 bars of a two-voice 4/4 phrase, each shipped engine, p50/p90 over repeated runs.

Run: ``.venv/bin/python benchmarks/restyle_speed.py [--runs N] [--parts-model STEM]``. The budget (issue 5)
is 300 ms p50 on the CPU for the rewrite engines; Arrange (issue 14: the tune kept, the style's parts
written by the parts model, one take) has 1 s p50 for 8 bars, timed per style's texture (3 model-written
parts for Bach, 2 for pop, ...). The first call of each engine (loading weights) is timed separately and left out of the table.
Inference runs on one thread, so on a machine shared with other work the process CPU time per call is what
the call would take on an idle core; both are printed, with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import torch

from musestudio.core.note import Note
from musestudio.ml.engines import ENGINES, RESTYLE
from musestudio.ml.generate.request import Options
from musestudio.ml.generate.restyle import restyle

BUDGET_MS = 300.0
ARRANGE_BUDGET_MS = 1000.0


def phrase(bars: int = 8, tpb: int = 480) -> list[Note]:
    """A melody in eighths over a half-note bass: about 10 notes a bar, like a typical selection."""
    rng = np.random.default_rng(0)
    notes = []
    for b in range(bars):
        t0 = b * 4 * tpb
        notes += [Note(int(rng.integers(65, 79)), t0 + i * tpb // 2, tpb // 2, 90) for i in range(8)]
        notes += [Note(int(rng.integers(43, 52)), t0 + i * 2 * tpb, 2 * tpb, 70) for i in range(2)]
    return notes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--parts-model", default=None, help="a parts checkpoint stem (default: models/parts)")
    ap.add_argument("--arrange-only", action="store_true", help="time Arrange alone")
    args = ap.parse_args()
    notes = phrase()
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'engine':<9}{'device':<7}{'load ms':>9}{'p50 ms':>9}{'p90 ms':>9}{'cpu p50':>9}{'notes out':>11}"
        f"  budget {BUDGET_MS:.0f} ms"
    )
    for engine in () if args.arrange_only else ENGINES[RESTYLE]:
        for device in devices:
            t = time.perf_counter()
            out = restyle(notes, Options(style="celtic", seed=0, device=device), engine)
            first = (time.perf_counter() - t) * 1000
            times, cpu = [], []
            for i in range(args.runs):
                t, c = time.perf_counter(), time.process_time()
                style = ("celtic", "bach", "pop", "chinese")[i % 4]
                out = restyle(notes, Options(style=style, seed=i, device=device), engine)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            p50 = statistics.median(times)
            p90 = statistics.quantiles(times, n=10)[-1]
            cpu50 = statistics.median(cpu)
            flag = "ok" if p50 <= BUDGET_MS else "ok on an idle core" if cpu50 <= BUDGET_MS else "OVER"
            print(
                f"{engine:<9}{device:<7}{first:>9.0f}{p50:>9.1f}{p90:>9.1f}{cpu50:>9.1f}{len(out):>11}  {flag}"
            )
    arrange_table(notes, devices, args.runs, args.parts_model)


def arrange_table(notes: list[Note], devices: list[str], runs: int, model: str | None) -> None:
    """Arrange 8 bars (one take, strength 0.5) per style, runs spread over the styles; the first call (model
    load) is left out. Wall and process CPU time, as above."""
    from musestudio.ml.generate.arrange import arrange
    from musestudio.ml.generate.arrange_styles import TEXTURES

    print(
        f"\n{'arrange':<13}{'device':<7}{'load ms':>9}{'p50 ms':>9}{'p90 ms':>9}{'cpu p50':>9}{'notes out':>11}"
    )
    styles = list(TEXTURES)
    for device in devices:

        def one(style: str, seed: int, device: str = device):
            options = Options(style=style, seed=seed, variations=1, strength=0.5, device=device)
            return arrange(notes, options, tpb=480, model=model)

        t = time.perf_counter()
        one("pop", 0)
        first = (time.perf_counter() - t) * 1000
        per_style: dict[str, tuple[list[float], list[float], int]] = {s: ([], [], 0) for s in styles}
        for i in range(max(runs, len(styles))):
            style = styles[i % len(styles)]
            t, c = time.perf_counter(), time.process_time()
            out = one(style, i)
            wall, cpu, _ = per_style[style]
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            per_style[style] = (wall, cpu, len(out.takes[0].notes))
        every_wall = [w for wall, _, _ in per_style.values() for w in wall]
        every_cpu = [c for _, cpu, _ in per_style.values() for c in cpu]
        for style, (wall, cpu, n) in per_style.items():
            print(
                f"  {style:<11}{device:<7}{'':>9}{statistics.median(wall):>9.0f}{max(wall):>9.0f}"
                f"{statistics.median(cpu):>9.0f}{n:>11}"
            )
        p50, cpu50 = statistics.median(every_wall), statistics.median(every_cpu)
        flag = (
            "ok"
            if p50 <= ARRANGE_BUDGET_MS
            else "ok on an idle core"
            if cpu50 <= ARRANGE_BUDGET_MS
            else "OVER"
        )
        p90 = statistics.quantiles(every_wall, n=10)[-1] if len(every_wall) > 1 else p50
        print(
            f"{'all':<13}{device:<7}{first:>9.0f}{p50:>9.0f}{p90:>9.0f}{cpu50:>9.0f}{'':>11}  budget "
            f"{ARRANGE_BUDGET_MS:.0f} ms: {flag}"
        )


if __name__ == "__main__":
    main()
