"""How long the parts engine takes (issue 13 goals on this CPU, p50 <= 1 s each):
4 variations of an 8-bar continuation of a 3-part seed (melody, keys, bass of the demo), and a 3-voice
harmony (alto, tenor, bass) under an 8-bar melody.

Uses models/parts (or ``--model STEM``): a trained model's real output density decides how many tokens a
bar takes. The first call loads the model and is reported apart; then ``--runs`` timed calls with different
seeds. The table gives wall and CPU time per call, p50 and p90, and the load average, since a busy machine
stretches wall time. The variations are decoded by ``workers`` processes (``generate.parts_workers``: by
default one per free core, at most one per take; ``--workers N`` sets it, 1 = everything in this process);
the CPU time is this process's and its workers' together. ``--compare A,B`` runs each timed call with A
workers and then with B (alternating, the same seeds), prints a row for each, and checks that both gave
the same takes. ``--steps`` adds one decode step of 4 rows at a few cache sizes, the numpy CPU step
(``models/cpu_decode``) beside the torch one (``_decode_one``, the CUDA path), CPU ms.

    .venv/bin/python benchmarks/parts_speed.py [--runs 10] [--workers N | --compare 1,2] [--steps]
        [--model /work/runs/parts/parts_best]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from musestudio.io.formats import load
from musestudio.ml import engines
from musestudio.ml.generate import parts, parts_workers
from musestudio.paths import resource


def demo_parts(bars: int) -> tuple[list[parts.PartIn], object]:
    project = load(resource("seeds", "demo.mid"))
    end = bars * 4 * project.ticks_per_beat
    roles = {"Melody": "melody", "Keys": "accompaniment", "Bass": "bass"}
    out = [
        parts.PartIn(tuple(n for n in t.notes if n.start < end), roles.get(t.name, "free"), t.program)
        for t in project.tracks
        if not t.is_drum
    ]
    return out, project


def melody_8_bars() -> tuple[list[parts.PartIn], object]:
    project = load(resource("seeds", "melody_4_4.mid"))
    end = 8 * 4 * project.ticks_per_beat
    notes = tuple(n for t in project.tracks if not t.is_drum for n in t.notes if n.start < end)
    return [parts.PartIn(notes, "melody", 52)], project


def step_table(model_stem: Path | None) -> None:
    """One decode step of 4 rows after a shared prompt and some tokens of each row's own, both paths."""
    import torch

    from musestudio.ml import sampling

    model = engines.load(model_stem or engines.stem_path("parts")).model
    print(f"\n{'prompt':>6} {'own':>5} {'torch step ms':>14} {'numpy step ms':>14} {'max |diff|':>11}")
    with sampling.fast_stepwise(torch.device("cpu")):
        for prompt, own in ((200, 0), (400, 0), (400, 300), (500, 450)):
            gen = torch.Generator().manual_seed(prompt + own)
            _, cache = model.start(torch.randint(20, 700, (1, prompt), generator=gen), 4)
            for _ in range(own):
                model.step(cache, torch.randint(20, 700, (4,), generator=gen))
            tokens = torch.randint(20, 700, (4,), generator=gen)
            fast = model._cpu_decoder(cache)
            ms, out = {}, {}
            for name, f in (("torch", model._decode_one), ("numpy", fast)):
                for _ in range(5):
                    f(tokens, cache)
                    cache.length -= 1
                c0 = time.process_time()
                for _ in range(100):
                    out[name] = f(tokens, cache)
                    cache.length -= 1
                ms[name] = (time.process_time() - c0) * 10
            diff = float((out["torch"] - out["numpy"]).abs().max())
            print(f"{prompt:6d} {own:5d} {ms['torch']:14.2f} {ms['numpy']:14.2f} {diff:11.1e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=None, help="worker processes (default: one per free core)")
    ap.add_argument("--compare", default=None, help="A,B: alternate two worker counts, same seeds")
    ap.add_argument("--steps", action="store_true", help="also time one decode step, numpy and torch")
    args = ap.parse_args()
    counts = [int(x) for x in args.compare.split(",")] if args.compare else [args.workers]
    seed3, p3 = demo_parts(4)
    melody, pm = melody_8_bars()
    voices = [parts.PartIn((), "harmony", 52), parts.PartIn((), "harmony", 52), parts.PartIn((), "bass", 52)]
    cases = {
        "continue 3 parts x 8 bars, 4 variations": (
            4,
            lambda seed, workers: parts.continue_parts(
                seed3,
                tpb=p3.ticks_per_beat,
                time_signatures=p3.time_signatures,
                bars=8,
                options=parts.Options(
                    style="pop", variations=4, seed=seed, model=args.model, workers=workers
                ),
            ),
        ),
        "3-voice harmony under 8 bars, 1 take": (
            1,
            lambda seed, workers: parts.add_part(
                melody,
                voices,
                tpb=pm.ticks_per_beat,
                time_signatures=pm.time_signatures,
                bars=(0, 7),
                options=parts.Options(
                    style="bach", variations=1, seed=seed, model=args.model, workers=workers
                ),
            ),
        ),
    }
    print(
        f"{'case':<42} {'workers':>7} {'first s':>7} {'p50 ms':>8} {'p90 ms':>8} {'p50 cpu ms':>10}"
        f" {'p90 cpu ms':>10} {'notes':>6}  (load {os.getloadavg()[0]:.1f}, {parts_workers.cores()} cores)"
    )
    for name, (variations, run) in cases.items():
        engines.unload()
        t0 = time.perf_counter()
        run(0, counts[0])
        first = time.perf_counter() - t0
        times = {w: [] for w in counts}
        cpu = {w: [] for w in counts}
        notes = {w: [] for w in counts}
        used = {w: set() for w in counts}
        differ = 0
        for seed in range(1, args.runs + 1):
            takes = []
            for w in counts:
                used[w].add(parts_workers.worker_count(variations, "cpu", w))
                c0, k0 = time.process_time(), _children_cpu()
                result = run(seed, w)
                cpu[w].append((time.process_time() - c0 + _children_cpu() - k0) * 1000)
                times[w].append(result.seconds * 1000)
                notes[w].append(sum(t.notes for t in result.takes) / len(result.takes))
                takes.append(result.takes)
            differ += any(t != takes[0] for t in takes[1:])
        for w in counts:
            p90, cpu90 = (
                statistics.quantiles(x, n=10)[-1] if len(x) > 1 else x[0] for x in (times[w], cpu[w])
            )
            print(
                f"{name:<42} {'/'.join(map(str, sorted(used[w]))):>7} {first:7.2f}"
                f" {statistics.median(times[w]):8.0f} {p90:8.0f} {statistics.median(cpu[w]):10.0f}"
                f" {cpu90:10.0f} {statistics.mean(notes[w]):6.1f}"
            )
        if len(counts) > 1:
            print(
                f"{'':<42} same takes with {' and '.join(map(str, counts))} workers: {args.runs - differ}/{args.runs} seeds"
            )
    if args.steps:
        step_table(args.model)


def _children_cpu() -> float:
    """CPU seconds of this process's children that have ended (the workers, once reaped)."""
    t = os.times()
    return t.children_user + t.children_system


if __name__ == "__main__":
    main()
