"""What the model-file checks cost at load time, per shipped model: the settings and header checks (before
anything is read), the value checks (finite weights, the Markov tables' invariants), and the whole
``checkpoint.load`` they are part of. Best of ``--runs`` each, in milliseconds.

    .venv/bin/python benchmarks/checkpoint_checks.py [--runs 5]
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from safetensors.torch import load_file

    from musestudio.ml import checkpoint
    from musestudio.ml import checkpoint_checks as checks
    from musestudio.paths import models_dir

    print(f"{'model':24} {'settings+header':>16} {'values':>8} {'whole load':>11}  (ms, best of {args.runs})")
    for weights in sorted(models_dir().glob("*.safetensors")):
        stem = weights.with_suffix("")
        best = [float("inf")] * 3
        for _ in range(args.runs):
            t0 = time.perf_counter()
            meta = checkpoint.read_meta(stem)
            size = weights.stat().st_size
            with weights.open("rb") as f:
                header = checks.parse_header(f.read(checks.header_length(f.read(8), size)), size)
            checks.check_header(header, meta["family"], meta["config"], meta.get("dtype", "float16"))
            t1 = time.perf_counter()
            tensors = load_file(str(weights))
            t2 = time.perf_counter()
            checks.check_values(meta["family"], meta["config"], tensors)
            t3 = time.perf_counter()
            checkpoint.load(stem)  # every family, the GAN's critic included
            t4 = time.perf_counter()
            best = [min(b, t) for b, t in zip(best, (t1 - t0, t3 - t2, t4 - t3), strict=True)]
        print(f"{stem.name:24} {best[0] * 1e3:16.1f} {best[1] * 1e3:8.1f} {best[2] * 1e3:11.1f}")


if __name__ == "__main__":
    main()
