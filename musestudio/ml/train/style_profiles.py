"""Build ``models/style_profiles.json``: each style's register and dynamics on the train split.

The naive Restyle baseline (``generate/style_profiles.py``) reads them.
CLI: ``python -m musestudio.ml.train.style_profiles build [--out models/style_profiles.json]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def build(cache_dir: Path | None = None) -> dict[str, dict[str, float]]:
    from musestudio.ml.data.cache import load_cache
    from musestudio.ml.styles import STYLES

    profiles = {}
    for name in STYLES:
        pieces = load_cache(cache_dir, split="train", styles=[name])
        pitches = np.array([n.pitch for p in pieces for n in p.notes])
        velocities = np.array([n.velocity for p in pieces for n in p.notes])
        if pitches.size:
            profiles[name] = {
                "median_pitch": float(np.median(pitches)),
                "pitch_p10": float(np.percentile(pitches, 10)),
                "pitch_p90": float(np.percentile(pitches, 90)),
                "mean_velocity": float(velocities.mean()),
                "pieces": len(pieces),
            }
    return profiles


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m musestudio.ml.train.style_profiles", description=__doc__.splitlines()[0]
    )
    ap.add_argument("command", choices=("build",))
    ap.add_argument("--out", type=Path, default=Path("models/style_profiles.json"))
    ap.add_argument("--cache-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    table = build(args.cache_dir)
    args.out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(table, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
